"""Polygons for maps, read lazily from the index (only when a map asks for them).

Admin-1 outlines are stored one file per country (`admin1/<ISO2>.geojson`) so asking for
one region reads one country, not the world. Simplified to ~500 m, coordinates to 4 decimals.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any


class Geometry:
    def __init__(self, directory: Path):
        self.directory = directory
        self._admin1: dict[str, dict[str, Any]] = {}
        self._countries: dict[str, Any] | None = None

    def _country_file(self, cc: str) -> dict[str, Any]:
        cc = cc.upper()
        if cc not in self._admin1:
            path = self.directory / "admin1" / f"{cc}.geojson"
            try:
                self._admin1[cc] = json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                self._admin1[cc] = {"type": "FeatureCollection", "features": []}
        return self._admin1[cc]

    def region(self, admin1_code: str) -> dict[str, Any] | None:
        if not isinstance(admin1_code, str) or "." not in admin1_code:
            return None
        for f in self._country_file(admin1_code.split(".", 1)[0])["features"]:
            if f["properties"].get("admin1_code") == admin1_code:
                return copy.deepcopy(f["geometry"])
        return None

    def admin1(self, country: str | None = None) -> dict[str, Any]:
        if country:
            return copy.deepcopy(self._country_file(country))
        features = []
        for path in sorted((self.directory / "admin1").glob("*.geojson")):
            features.extend(self._country_file(path.stem)["features"])
        return {"type": "FeatureCollection", "features": copy.deepcopy(features)}

    def countries(self) -> dict[str, Any]:
        if self._countries is None:
            self._countries = json.loads((self.directory / "countries.geojson").read_text(encoding="utf-8"))
        return copy.deepcopy(self._countries)
