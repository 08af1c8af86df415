"""Polygons for maps, read lazily from the index (only when a map asks for them).

Admin-1 outlines are stored one file per country (`admin1/<ISO2>.geojson`) so asking for
one region reads one country, not the world. Simplified to ~500 m, coordinates to 4 decimals.
Callers get fresh objects they may change: collections are re-parsed from the cached file
text (faster than deep-copying them), single region geometries are copied.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

EMPTY = '{"type":"FeatureCollection","features":[]}'


class Geometry:
    def __init__(self, directory: Path):
        self.directory = directory
        self._text: dict[str, str] = {}
        self._regions: dict[str, dict[str, Any]] = {}  # admin1 code -> geometry, per loaded country

    def _country_text(self, cc: str) -> str:
        cc = cc.upper()
        if cc not in self._text:
            path = self.directory / "admin1" / f"{cc}.geojson"
            try:
                self._text[cc] = path.read_text(encoding="utf-8")
            except (FileNotFoundError, OSError):
                self._text[cc] = EMPTY
        return self._text[cc]

    def region(self, admin1_code: str) -> dict[str, Any] | None:
        if not isinstance(admin1_code, str) or "." not in admin1_code:
            return None
        cc = admin1_code.split(".", 1)[0].upper()
        if not cc.isalpha() or len(cc) != 2:
            return None
        if cc not in self._regions:
            fc = json.loads(self._country_text(cc))
            self._regions[cc] = {f["properties"]["admin1_code"]: f["geometry"] for f in fc["features"]}
        geom = self._regions[cc].get(admin1_code)
        return copy.deepcopy(geom) if geom is not None else None

    def admin1(self, country: str | None = None) -> dict[str, Any]:
        if country:
            if not isinstance(country, str) or len(country) != 2 or not country.isalpha():
                return json.loads(EMPTY)
            return json.loads(self._country_text(country))
        features = []
        for path in sorted((self.directory / "admin1").glob("*.geojson")):
            features.extend(json.loads(self._country_text(path.stem))["features"])
        return {"type": "FeatureCollection", "features": features}

    def countries(self) -> dict[str, Any]:
        if "_world" not in self._text:
            self._text["_world"] = (self.directory / "countries.geojson").read_text(encoding="utf-8")
        return json.loads(self._text["_world"])
