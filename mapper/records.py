"""Typed records that flow through the pipeline: `Article` -> `Mention` -> `Incident`.

GeoJSON is always ``[lon, lat]`` in WGS 84 (RFC 7946).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from gazetteer.place import Place


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, as read from a file, a form or a JSON record."""

    text: str
    published: date | None = None
    url: str | None = None
    title: str | None = None
    source: str | None = None  # publisher
    origin: str | None = None  # file name or "<stdin>": where we read it, for error messages

    def __post_init__(self) -> None:
        # Whatever built it (a reader, a form, a caller), an Article is storable text: half a
        # UTF-16 pair from a feed cannot be encoded as UTF-8, and one-line fields shown in
        # pages must not carry terminal escapes or right-to-left overrides that reorder them.
        object.__setattr__(self, "text", _whole_characters(self.text))
        object.__setattr__(self, "origin", _whole_characters(self.origin))  # a file name may be undecodable
        for name in ("url", "title", "source"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, one_line(value) or None)

    @property
    def id(self) -> str:
        """Content hash: the same article read twice gets the same id (idempotent ingest)."""
        h = hashlib.sha256()
        for part in (self.text, self.published.isoformat() if self.published else "", self.url or ""):
            h.update(part.encode("utf-8"))
            h.update(b"\x00")
        return h.hexdigest()[:16]


_SURROGATE = re.compile(r"[\ud800-\udfff]")
# C0/C1 controls, and the bidi embeddings, overrides and isolates (U+202A-E, U+2066-9);
# the marks that only set a direction (U+200E/F, U+061C) stay.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")


def _whole_characters(text: str) -> str:
    """`text` with lone UTF-16 surrogates (a string cut mid-emoji) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if isinstance(text, str) and _SURROGATE.search(text) else text


def one_line(value: str) -> str:
    """A one-line field as shown to people: no half characters (a title cut mid-emoji), no
    control or bidi-override characters, whitespace (newlines included) collapsed to single spaces."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", _SURROGATE.sub("", value))).strip()


@dataclass(frozen=True, slots=True)
class Mention:
    """A place name as written in a text, with character offsets into that text."""

    text: str
    start: int
    end: int
    place: Place | None = None
    label: str | None = None  # how it was found: "GPE", "LOC", "FAC" (NER) or "GAZ" (gazetteer)
    # Why: the place model's probability and deciding features, the senses ranked with their
    # scores and the runner-up (`incident-map geoparse --explain`). Not part of equality.
    trace: dict[str, Any] | None = field(default=None, compare=False, repr=False)

    def to_dict(self, *, explain: bool = False) -> dict[str, Any]:
        out = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "place": self.place.to_dict() if self.place else None,
        }
        if explain:
            out["trace"] = self.trace
        return out


# Property order of an incident Feature (DESIGN.md), also the CSV column order.
INCIDENT_PROPERTIES = (
    "id", "event_date", "event_date_end", "time_precision", "event_type", "sub_event_type",
    "actor1", "actor2", "fatalities", "injured", "location", "mention", "country", "admin1",
    "admin1_code", "geonameid", "geo_precision", "attribution", "quote", "source", "source_url",
    "published", "article_id", "casualty_note", "historical", "sources",
)


@dataclass(slots=True)
class Incident:
    """One thing that happened somewhere on some day, traceable to its source sentence.

    Properties follow ACLED's codebook (see DESIGN.md). `sources` lists every article that
    reported it once merged: ``[{"article_id", "source", "source_url", "published", "quote",
    "trace"}]``; a source's `trace` says how that article's text gave the incident (sentence,
    trigger, event-type scores, which rule linked each count, date and place) and is left out
    of exports unless asked for (``to_feature(explain=True)``, ``incident-map extract --explain``).
    """

    id: str
    lat: float
    lon: float
    event_date: date | None
    event_type: str
    sub_event_type: str
    location: str
    mention: str
    quote: str
    event_date_end: date | None = None
    time_precision: int = 1
    actor1: str | None = None
    actor2: str | None = None
    fatalities: int | None = None
    injured: int | None = None
    casualty_note: str | None = None  # "dozens", "at least 10": the phrase behind a number or null
    country: str | None = None
    admin1: str | None = None
    admin1_code: str | None = None
    geonameid: int | None = None
    geo_precision: int = 1
    attribution: str | None = None
    source: str | None = None
    source_url: str | None = None
    published: date | None = None
    article_id: str | None = None
    historical: bool = False
    sources: list[dict[str, Any]] = field(default_factory=list)

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return self.to_feature()

    def properties(self, *, explain: bool = False) -> dict[str, Any]:
        """JSON-ready properties: dates as ISO strings; sources' traces only when `explain`."""
        out: dict[str, Any] = {}
        for name in INCIDENT_PROPERTIES:
            value = getattr(self, name)
            out[name] = value.isoformat() if isinstance(value, date) else value
        if not explain:
            out["sources"] = [{k: v for k, v in s.items() if k != "trace"} for s in self.sources]
        return out

    def to_feature(self, *, explain: bool = False) -> dict[str, Any]:
        return {
            "type": "Feature",
            "id": self.id,
            "geometry": {"type": "Point", "coordinates": [round(self.lon, 6), round(self.lat, 6)]},
            "properties": self.properties(explain=explain),
        }

    @classmethod
    def from_feature(cls, feature: dict[str, Any]) -> Incident:
        """Inverse of `to_feature` (dates parsed back)."""
        props = dict(feature["properties"])
        lon, lat = feature["geometry"]["coordinates"][:2]
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in props.items() if k in known}
        for key in ("event_date", "event_date_end", "published"):
            if isinstance(kwargs.get(key), str):
                kwargs[key] = date.fromisoformat(kwargs[key])
        kwargs["sources"] = list(kwargs.get("sources") or [])
        return cls(lat=float(lat), lon=float(lon), **kwargs)


def feature_collection(incidents: list[Incident], *, explain: bool = False) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of incidents (with each source's trace when `explain`)."""
    return {"type": "FeatureCollection", "features": [i.to_feature(explain=explain) for i in incidents]}

