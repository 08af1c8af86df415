"""Load test of `incident-map serve` holding 10,000 incidents: requests/s, p50 and p99 latency.

    .venv/bin/python bench/web_load.py [--incidents 10000] [--requests 3000] [--concurrency 8] [--db URL]

Builds (or reuses, with --db) a store of synthetic incidents, starts the real server as a
subprocess on a free 127.0.0.1 port (waitress, as users run it), then fires a bounded number
of keep-alive requests from client threads at `/api/incidents?bbox=...` (a different
2x2-degree box each time, about 100 incidents in each) and at the map page `/`. Loopback only;
the client shares the machine's cores with the server, so the figures are a lower bound.
Prints one line per endpoint. Target (issue 6): >= 200 requests/s, p99 < 250 ms on 2 cores.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AREA = (22.0, 44.0, 50.0, 56.0)  # minlon, minlat, maxlon, maxlat: roughly Ukraine and western Russia
TYPES = (
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Strategic developments", "Disrupted weapons use"),
    ("Battles", "Armed clash"),
    ("Violence against civilians", "Attack"),
    ("Diplomacy", "Visit"),
)


def synthetic(n: int, *, seed: int = 7) -> list:
    """`n` incidents spread over AREA and 600 days, with made-up (clearly synthetic) text."""
    from mapper.records import Incident

    rng = random.Random(seed)
    start = date(2024, 9, 1)
    out = []
    for k in range(n):
        event_type, sub = TYPES[k % len(TYPES)]
        lon = rng.uniform(AREA[0], AREA[2])
        lat = rng.uniform(AREA[1], AREA[3])
        out.append(Incident(
            id=f"bench-{k:06d}", lat=lat, lon=lon, event_date=start + timedelta(days=rng.randrange(600)),
            event_type=event_type, sub_event_type=sub, location=f"Synthetic place {k}", mention=f"Place {k}",
            quote=f"Synthetic benchmark incident number {k}; no real event.", fatalities=rng.choice((None, 0, 1, 2, 5)),
            injured=rng.choice((None, 0, 1, 3)), country="UA" if lon < 38 else "RU", geo_precision=1,
            actor1="Synthetic actor", source="Bench Wire", source_url=f"https://bench.invalid/{k}",
        ))
    return out


def build_store(url: str, n: int) -> int:
    """Ingests synthetic incidents (100 per article) until the store holds `n`; returns the count."""
    from mapper.records import Article
    from mapper.storage.store import Store

    with Store.open(url) as store:
        have = store.stats()["incidents"]
        batch, extra = 0, 0
        while have < n and extra < 3:  # merges of near-duplicates can leave a few short: top up, bounded
            todo = synthetic(n - have, seed=7 + extra)
            for i in todo:
                i.id = f"bench-{extra}-{i.id}"
            for j in range(0, len(todo), 100):
                batch += 1
                chunk = todo[j:j + 100]
                store.ingest(Article(text=f"Synthetic benchmark article {extra}-{batch}.", url=f"https://bench.invalid/a/{extra}/{batch}",
                                     published=chunk[0].event_date), chunk)
            have = store.stats()["incidents"]
            extra += 1
        return have


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port: int, proc: subprocess.Popen, *, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with status {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not become ready")


def fire(port: int, paths: list[str], *, total: int, concurrency: int) -> tuple[float, list[float], int]:
    """`total` GETs spread over `concurrency` keep-alive connections; (seconds, latencies, errors)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    per_thread = total // concurrency

    def worker(offset: int) -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad = 0
        for k in range(per_thread):
            path = paths[(offset + k * concurrency) % len(paths)]
            t0 = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except OSError:
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - t0)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0, latencies, errors


def report(name: str, seconds: float, latencies: list[float], errors: int) -> None:
    ms = sorted(x * 1000 for x in latencies)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(f"{name:<34} {len(ms) / seconds:7.1f} req/s   p50 {statistics.median(ms):6.1f} ms   "
          f"p99 {p99:6.1f} ms   max {ms[-1]:6.1f} ms   n={len(ms)} errors={errors}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=3000, help="requests per endpoint (bounded)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--threads", type=int, default=4, help="server threads per process")
    parser.add_argument("--workers", type=int, default=2, help="server processes (incident-map serve --workers)")
    parser.add_argument("--db", help="reuse this store (filled up to --incidents if short)")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="web-load-")
    url = args.db or f"sqlite:///{Path(tmp.name) / 'incidents.sqlite'}"
    t0 = time.perf_counter()
    count = build_store(url, args.incidents)
    print(f"store: {count} incidents ({time.perf_counter() - t0:.1f} s to prepare) at {url}")

    port = free_port()
    env = {**os.environ, "INCIDENT_MAP_TOKEN": "bench-not-used"}
    # The server's log goes to a file: a pipe nobody reads fills up with waitress's
    # "task queue depth" warnings and then blocks the server.
    log = open(Path(tmp.name) / "serve.log", "w")
    proc = subprocess.Popen(
        [str(REPO / ".venv" / "bin" / "incident-map"), "serve", "--db", url, "--host", "127.0.0.1",
         "--port", str(port), "--threads", str(args.threads), "--workers", str(args.workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=log,
    )
    try:
        wait_ready(port, proc)
        rng = random.Random(1)
        boxes = []
        for _ in range(200):
            lon = rng.uniform(AREA[0], AREA[2] - 2)
            lat = rng.uniform(AREA[1], AREA[3] - 2)
            boxes.append(f"/api/incidents?bbox={lon:.3f},{lat:.3f},{lon + 2:.3f},{lat + 2:.3f}")
        sizes = []
        for path in boxes[:20]:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path)
            body = conn.getresponse().read()
            sizes.append((body.count(b'"Feature"'), len(body)))
        print(f"bbox answers: {statistics.mean(s[0] for s in sizes):.0f} incidents, "
              f"{statistics.mean(s[1] for s in sizes) / 1024:.0f} KiB on average")
        print(f"client: {args.concurrency} keep-alive connections, {args.requests} requests per endpoint; "
              f"server: waitress, {args.workers} process(es) x {args.threads} threads; cores: {os.cpu_count()}; "
              f"load average before: {os.getloadavg()[0]:.1f}")
        for name, paths in (("GET /api/incidents?bbox=(2x2 deg)", boxes), ("GET / (map page)", ["/"]),
                            ("GET /api/incidents?bbox&country=UA", [b + "&country=UA" for b in boxes])):
            fire(port, paths, total=min(200, args.requests), concurrency=args.concurrency)  # warm up
            report(name, *fire(port, paths, total=args.requests, concurrency=args.concurrency))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
