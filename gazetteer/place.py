"""`Place`: one resolved location, as the gazetteer returns it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
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
        """The JSON shape of DESIGN.md's Place (no `raw`)."""
        d = asdict(self)
        d.pop("raw", None)
        return d


# A frozen dataclass's __init__ sets each of its 11 fields through object.__setattr__, which
# costs more than the rest of a gazetteer lookup. The gazetteer builds its Places here instead,
# writing the slots directly (same object, same class, still frozen for everyone else).
_FIELDS = ("name", "lat", "lon", "country", "admin1", "admin1_code", "feature", "geonameid",
           "population", "score", "raw")
if tuple(f.name for f in fields(Place)) != _FIELDS:  # a new field must be set below too
    raise ImportError("gazetteer.place.make_place is out of step with Place's fields")
_new = object.__new__
(_set_name, _set_lat, _set_lon, _set_country, _set_admin1, _set_admin1_code, _set_feature,
 _set_geonameid, _set_population, _set_score, _set_raw) = (getattr(Place, f).__set__ for f in _FIELDS)


def make_place(name: str, lat: float, lon: float, country: str | None, admin1: str | None,
               admin1_code: str | None, feature: str, geonameid: int | None, population: int,
               score: float, raw: dict[str, Any]) -> Place:
    """`Place(...)` with every field given positionally, about twice as fast (for the gazetteer)."""
    p = _new(Place)
    _set_name(p, name)
    _set_lat(p, lat)
    _set_lon(p, lon)
    _set_country(p, country)
    _set_admin1(p, admin1)
    _set_admin1_code(p, admin1_code)
    _set_feature(p, feature)
    _set_geonameid(p, geonameid)
    _set_population(p, population)
    _set_score(p, score)
    _set_raw(p, raw)
    return p
