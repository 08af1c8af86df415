"""The store at 1,000,000 incidents on PostgreSQL, with PostGIS and without: bbox API latency and merge lookups.

    .venv/bin/python bench/postgis.py [--incidents 1000000] [--requests 300] [--lookups 500]

Starts a throwaway PostgreSQL server (Debian's binaries, a unix socket in /tmp, as
tests/conftest.py does) with two databases: one where the store enables PostGIS (migration
0004) and one opened by a role that may not create it (today's lat/lon columns only). Both get
the same synthetic incidents, made here (not from articles), loaded with COPY: clustered around
2,000 hot spots spread over the inhabited latitudes, half the incidents on a front of 6 x 4
degrees (the density of a war's news), over three years, in five event types.
Then, on each:

- `GET /api/incidents?bbox=...` through the Flask app (its test client: the server's own time,
  no HTTP) for city-sized boxes (0.2 x 0.2 degrees, about 20 km) around hot spots: p50, p99;
- merge lookups, the query `Store.ingest` runs per incident to find the stored incident it
  merges into (`_find_same`), for reports at hot spots: p50, p99 per lookup.

Each store is vacuumed and analysed after loading, and warmed up with a few untimed requests.

Targets (issue 15): with PostGIS, bbox p99 < 100 ms and merge lookups < 5 ms each.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import pwd
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

# bench/gazetteer.py would shadow the gazetteer package: keep this directory off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import sqlalchemy as sa

from mapper.families import family_of
from mapper.records import Incident
from mapper.storage.store import Store

HOTSPOTS = 2000
FRONT = (33.0, 46.0, 39.0, 50.0)  # minlon, minlat, maxlon, maxlat
TYPES = (("Explosions/Remote violence", "Shelling/artillery/missile attack"),
         ("Explosions/Remote violence", "Air/drone strike"), ("Battles", "Armed clash"),
         ("Violence against civilians", "Attack"), ("Strategic developments", "Disrupted weapons use"))
FIRST_DAY = date(2023, 1, 1)
DAYS = 3 * 365
WARM_UP = 30  # requests and lookups first, not timed: the caches of a server that has been up a while
COLUMNS = ("id", "lat", "lon", "event_date", "time_precision", "event_type", "sub_event_type", "location",
           "mention", "country", "admin1_code", "geonameid", "geo_precision", "quote", "historical", "family",
           "sources_json")


def hotspots(seed: int) -> list[tuple[float, float, int]]:
    """Hot spots as (lat, lon, number), drawn with repetition by `rows`: a tenth of them lie on a
    front (6 x 4 degrees, as dense as the news of a war) and are drawn as often as all the others."""
    rng = random.Random(seed)
    spots = []
    for i in range(HOTSPOTS):
        if i % 10 == 0:
            spots.append((rng.uniform(FRONT[1], FRONT[3]), rng.uniform(FRONT[0], FRONT[2]), i))
        else:
            spots.append((rng.uniform(-45.0, 65.0), rng.uniform(-170.0, 170.0), i))
    return spots


def draw(rng: random.Random, spots: list[tuple[float, float, int]]) -> tuple[float, float, int]:
    """A hot spot: half the time one on the front."""
    if rng.random() < 0.5:
        return spots[10 * rng.randrange(len(spots) // 10)]
    return spots[rng.randrange(len(spots))]


def rows(n: int, spots: list[tuple[float, float, int]], seed: int):
    """`n` incidents as COPY rows: a hot spot, a point a few km to 30 km from it, a day, a type."""
    rng = random.Random(seed)
    for i in range(n):
        lat, lon, spot = draw(rng, spots)
        lat += rng.gauss(0.0, 0.1)
        lon += rng.gauss(0.0, 0.1)
        event_type, sub = TYPES[rng.randrange(len(TYPES))]
        precision = 3 if rng.random() < 0.05 else 1
        place = spot * 10 + rng.randrange(10)  # ten named places per hot spot
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        yield (f"syn-{i:07d}", lat, lon, day, 1, event_type, sub, f"Place {place}", f"Place {place}", "XX",
               f"XX.{spot}", place, precision, f"Synthetic report {i}.", False, family_of(event_type, sub),
               json.dumps([{"article_id": f"a{i}", "source": "Synthetic", "quote": f"Synthetic report {i}."}]))


@contextmanager
def throwaway_postgres():
    """A private server on a unix socket (trust auth, no TCP); yields its socket directory."""
    lib = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if not lib:
        raise SystemExit("PostgreSQL server binaries not found (apt-get install postgresql)")
    bindir = lib[-1].parent
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    root = Path(tempfile.mkdtemp(prefix="im-bench-pg-", dir="/tmp"))
    if as_user:
        pg = pwd.getpwnam("postgres")
        os.chown(root, pg.pw_uid, pg.pw_gid)
    data = root / "data"
    subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                    "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], check=True, capture_output=True)
    opts = f"-c listen_addresses='' -k {root} -c fsync=off -c full_page_writes=off -c shared_buffers=512MB"
    subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-o", opts,
                    "-w", "start"], check=True, capture_output=True)
    try:
        yield root
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def databases(socket_dir: Path) -> dict[str, str]:
    """URLs of two empty databases: one the superuser opens (PostGIS), one a plain role opens (none)."""
    admin = sa.create_engine(f"postgresql+psycopg://postgres@/postgres?host={socket_dir}",
                             isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        available = conn.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).first()
        if available is None:
            raise SystemExit("PostGIS is not installed on this server (apt-get install postgresql-NN-postgis-3)")
        conn.execute(sa.text("CREATE ROLE plain LOGIN"))
        conn.execute(sa.text("CREATE DATABASE with_postgis"))
        conn.execute(sa.text("CREATE DATABASE without_postgis OWNER plain"))
    admin.dispose()
    return {"PostGIS": f"postgresql+psycopg://postgres@/with_postgis?host={socket_dir}",
            "lat/lon only": f"postgresql+psycopg://plain@/without_postgis?host={socket_dir}"}


def load(store: Store, n: int, spots, seed: int) -> float:
    started = time.perf_counter()
    raw = store.engine.raw_connection()
    try:
        with raw.cursor() as cur:
            with cur.copy(f"COPY incidents ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows(n, spots, seed):
                    copy.write_row(row)
        raw.commit()
        raw.driver_connection.autocommit = True
        with raw.cursor() as cur:  # now, not by autovacuum in the middle of the measurements
            cur.execute("VACUUM ANALYZE incidents")
    finally:
        raw.close()
    return time.perf_counter() - started


def bbox_latencies(url: str, spots, requests: int, seed: int) -> tuple[list[float], int]:
    from web import create_app

    client = create_app({"DATABASE_URL": url, "TESTING": True}).test_client()
    rng = random.Random(seed)
    times, found = [], 0
    for i in range(requests + WARM_UP):
        lat, lon, _spot = draw(rng, spots)
        box = f"{lon - 0.1:.4f},{lat - 0.1:.4f},{lon + 0.1:.4f},{lat + 0.1:.4f}"
        started = time.perf_counter()
        response = client.get(f"/api/incidents?bbox={box}")
        if i >= WARM_UP:
            times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"/api/incidents answered {response.status_code}: {response.get_data(as_text=True)[:200]}")
        found += len(response.get_json()["features"]) if i >= WARM_UP else 0
    return times, found // requests


def merge_lookups(store: Store, spots, lookups: int, seed: int) -> tuple[list[float], int]:
    rng = random.Random(seed)
    times, matched = [], 0
    with store.engine.connect() as conn:
        for i in range(lookups + WARM_UP):
            lat, lon, spot = draw(rng, spots)
            event_type, sub = TYPES[rng.randrange(len(TYPES))]
            place = spot * 10 + rng.randrange(10)
            probe = Incident(id="probe", lat=lat + rng.gauss(0, 0.1), lon=lon + rng.gauss(0, 0.1),
                             event_date=FIRST_DAY + timedelta(days=rng.randrange(DAYS)), event_type=event_type,
                             sub_event_type=sub, location=f"Place {place}", mention=f"Place {place}", quote="q",
                             geonameid=place, admin1_code=f"XX.{spot}", country="XX")
            started = time.perf_counter()
            found = store._find_same(conn, probe)
            if i >= WARM_UP:
                times.append(time.perf_counter() - started)
                matched += found is not None
    return times, matched


def ms(values: list[float], q: float) -> float:
    return 1000 * (statistics.quantiles(values, n=100)[int(q) - 1] if len(values) >= 2 else values[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300, help="bbox API requests per store (default 300)")
    parser.add_argument("--lookups", type=int, default=500, help="merge lookups per store (default 500)")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    spots = hotspots(args.seed)
    print(f"{args.incidents} synthetic incidents around {HOTSPOTS} hot spots over {DAYS} days; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with throwaway_postgres() as socket_dir:
        for label, url in databases(socket_dir).items():
            with Store.open(url) as store:
                seconds = load(store, args.incidents, spots, args.seed)
                print(f"[{label}] spatial={store.spatial}: loaded {store.stats()['incidents']} incidents "
                      f"in {seconds:.0f} s (COPY, indexes included)")
                times, per_box = bbox_latencies(url, spots, args.requests, args.seed + 1)
                print(f"[{label}] GET /api/incidents?bbox= (0.2 x 0.2 degrees, ~{per_box} incidents each): "
                      f"p50 {ms(times, 50):.1f} ms, p99 {ms(times, 99):.1f} ms over {len(times)} requests")
                times, matched = merge_lookups(store, spots, args.lookups, args.seed + 2)
                print(f"[{label}] merge lookup: p50 {ms(times, 50):.2f} ms, p99 {ms(times, 99):.2f} ms, "
                      f"mean {1000 * statistics.mean(times):.2f} ms over {len(times)} lookups ({matched} matched)")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
