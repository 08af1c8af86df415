"""`Place`: one resolved location, as the gazetteer returns it."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry: a town, an admin-1 region, a country or a named area.

    `feature` is one of ``country``, ``admin1``, ``city``, ``region`` (a vague area such as
    "eastern Ukraine" or a sea) or ``locality`` (a village from postal data).
    `score` is the gazetteer's confidence (0..1) that this is the place meant.
    `raw` keeps where the entry came from (source name, alternate names, ...); it is not
    part of equality so two hits on the same place compare equal.
    """

    name: str
    lat: float
    lon: float
    country: str | None
    admin1: str | None = None
    admin1_code: str | None = None
    feature: str = "city"
    geonameid: int | None = None
    population: int = 0
    score: float = 0.0
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def point(self) -> tuple[float, float]:
        """``(lon, lat)``, GeoJSON order."""
        return (self.lon, self.lat)

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return {"type": "Point", "coordinates": [self.lon, self.lat]}

    def with_score(self, score: float) -> Place:
        return make_place(self.name, self.lat, self.lon, self.country, self.admin1, self.admin1_code,
                          self.feature, self.geonameid, self.population, round(float(score), 4), self.raw)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of DESIGN.md's Place (no `raw`).

        Written out rather than `dataclasses.asdict`, which deep-copies field by field and cost
        more than the lookup itself; the fields are plain values, so nothing needs copying.
        """
        return {"name": self.name, "lat": self.lat, "lon": self.lon, "country": self.country,
                "admin1": self.admin1, "admin1_code": self.admin1_code, "feature": self.feature,
                "geonameid": self.geonameid, "population": self.population, "score": self.score}


# A frozen dataclass's __init__ sets each of its 11 fields through object.__setattr__, which
# costs more than the rest of a gazetteer lookup. The gazetteer builds its Places here instead:
# filled in as a `_Blank` (the same slots, not frozen: plain attribute stores), then given its
# class. The result is an ordinary Place (same class, same layout, frozen for everyone).
_FIELDS = ("name", "lat", "lon", "country", "admin1", "admin1_code", "feature", "geonameid",
           "population", "score", "raw")
if tuple(f.name for f in fields(Place)) != _FIELDS:  # a new field must be set below too
    raise ImportError("gazetteer.place.make_place is out of step with Place's fields")


class _Blank:
    __slots__ = _FIELDS


_new = object.__new__


def make_place(name: str, lat: float, lon: float, country: str | None, admin1: str | None,
               admin1_code: str | None, feature: str, geonameid: int | None, population: int,
               score: float, raw: dict[str, Any]) -> Place:
    """`Place(...)` with every field given positionally, several times faster (for the gazetteer)."""
    p = _new(_Blank)
    p.name = name
    p.lat = lat
    p.lon = lon
    p.country = country
    p.admin1 = admin1
    p.admin1_code = admin1_code
    p.feature = feature
    p.geonameid = geonameid
    p.population = population
    p.score = score
    p.raw = raw
    p.__class__ = Place  # the layouts match (checked here at import: Python raises if not)
    return p


if make_place("", 0.0, 0.0, None, None, None, "city", None, 0, 0.0, {}) != Place("", 0.0, 0.0, None):
    raise ImportError("gazetteer.place.make_place does not build the Place that Place() does")
if set(Place("", 0.0, 0.0, None).to_dict()) != set(_FIELDS) - {"raw"}:  # a new field must be in to_dict too
    raise ImportError("gazetteer.place.Place.to_dict is out of step with Place's fields")
