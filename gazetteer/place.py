"""`Place`: one resolved location, as the gazetteer returns it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
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
        return replace(self, score=round(float(score), 4))

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of DESIGN.md's Place (no `raw`)."""
        d = asdict(self)
        d.pop("raw", None)
        return d
