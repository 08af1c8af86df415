"""Load test of `incident-map serve` holding 10,000 incidents: requests/s, p50, p99 and errors.

    .venv/bin/python bench/web_load.py [--incidents 10000] [--requests 3000] [--concurrency 8] [--db URL]
    .venv/bin/python bench/web_load.py --host 127.0.0.1 --port 8000 [--token T] [--writes N]

Builds (or reuses, with --db) a store of synthetic incidents, starts the real server as a
subprocess on a free 127.0.0.1 port (waitress, as users run it), then fires a bounded number
of keep-alive requests from client threads at `/api/incidents?bbox=...` (a different
2x2-degree box each time, about 100 incidents in each) and at the map page `/`; then posts
articles from several clients at once (overlapping reports of the same events: concurrent
writes, real extraction), and finally measures `/healthz` while two articles of the largest
size the readers accept are extracted. With `--host`/`--port` it measures a server already
running there instead (writes only with `--writes N`: they add articles to that server's store).
Loopback by default; the client shares the machine's cores with the server, so the figures are a
lower bound. Prints one line per measurement. Targets: issue 6, >= 200 requests/s and p99 < 250 ms
for the API on 2 cores; issue 14, `/healthz` p99 < 100 ms while the two big articles are extracted.
"""

from __future__ import annotations

import argparse
import http.client
import json
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
ARTICLES = REPO / "tests" / "data" / "articles"
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


def wait_ready(host: str, port: int, proc: subprocess.Popen | None, *, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"server exited with status {proc.returncode}")
        try:
            conn = http.client.HTTPConnection(host, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not become ready")


def fire(host: str, port: int, paths: list[str], *, total: int, concurrency: int) -> tuple[float, list[float], int]:
    """`total` GETs spread over `concurrency` keep-alive connections; (seconds, latencies, errors)."""
    return _clients(host, port, [("GET", p, None) for p in paths], total=total, concurrency=concurrency)


def _clients(host: str, port: int, requests: list[tuple[str, str, bytes | None]], *, total: int, concurrency: int,
             headers: dict[str, str] | None = None, ok: tuple[int, ...] = (200,)) -> tuple[float, list[float], int]:
    """`total` requests (cycling through `requests`) from `concurrency` keep-alive client threads."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    per_thread = max(1, total // concurrency)

    def worker(offset: int) -> None:
        nonlocal errors
        conn = http.client.HTTPConnection(host, port, timeout=300)
        mine: list[float] = []
        bad = 0
        for k in range(per_thread):
            method, path, body = requests[(offset + k * concurrency) % len(requests)]
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers or {})
                response = conn.getresponse()
                response.read()
                if response.status not in ok:
                    bad += 1
            except OSError:
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=300)
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


def article_posts(n: int) -> list[tuple[str, str, bytes]]:
    """`n` POSTs of distinct editions of our test articles: overlapping reports of the same events."""
    from mapper.articles import read_articles
    from mapper.records import Article

    base = [a for a in read_articles(sorted(ARTICLES.glob("*.txt"))) if isinstance(a, Article)]
    stamp = time.time_ns()  # a fresh edition each run: nothing is skipped as already stored
    posts = []
    for k in range(n):
        a = base[k % len(base)]
        record = {"text": f"{a.text}\n\nUpdated edition {stamp}-{k}.", "url": f"{a.url or 'https://bench.invalid/a'}#{stamp}-{k}",
                  "published": (a.published or date(2026, 2, 13)).isoformat(), "title": a.title, "source": a.source}
        posts.append(("POST", "/api/articles", json.dumps(record).encode()))
    return posts


def largest_article(k: int) -> bytes:
    """A JSON article of prose just under the readers' length limit (mapper.articles.MAX_ARTICLE_CHARS)."""
    from mapper.articles import MAX_ARTICLE_CHARS, read_articles
    from mapper.records import Article

    texts = [a.text for a in read_articles(sorted(ARTICLES.glob("*.txt"))) if isinstance(a, Article)]
    body, n = [], 0
    while True:
        text = texts[n % len(texts)]
        if sum(map(len, body)) + len(text) + 2 * len(body) > MAX_ARTICLE_CHARS - 200:
            break
        body.append(text)
        n += 1
    return json.dumps({"text": "\n\n".join(body) + f"\n\nEdition {time.time_ns()}-{k}.",
                       "published": "2026-02-13"}).encode()


def health_during_big_articles(host: str, port: int, headers: dict[str, str]) -> tuple[tuple[float, list[float], int], list]:
    """`/healthz` from one client, as fast as it answers, while two clients post a largest article each."""
    answers: list = []

    def post(k: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=600)
        t0 = time.perf_counter()
        conn.request("POST", "/api/articles", body=largest_article(k), headers=headers)
        r = conn.getresponse()
        r.read()
        answers.append((r.status, time.perf_counter() - t0))
        conn.close()

    writers = [threading.Thread(target=post, args=(k,)) for k in range(2)]
    for w in writers:
        w.start()
    time.sleep(0.2)
    latencies: list[float] = []
    errors = 0
    conn = http.client.HTTPConnection(host, port, timeout=30)
    t0 = time.perf_counter()
    while any(w.is_alive() for w in writers):
        t1 = time.perf_counter()
        try:
            conn.request("GET", "/healthz")
            r = conn.getresponse()
            r.read()
            errors += r.status != 200
        except OSError:
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
        latencies.append(time.perf_counter() - t1)
        time.sleep(0.01)
    conn.close()
    for w in writers:
        w.join()
    return (time.perf_counter() - t0, latencies, errors), answers


def report(name: str, seconds: float, latencies: list[float], errors: int) -> None:
    if not latencies:
        print(f"{name:<34} no requests")
        return
    ms = sorted(x * 1000 for x in latencies)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(f"{name:<34} {len(ms) / seconds:7.1f} req/s   p50 {statistics.median(ms):6.1f} ms   "
          f"p99 {p99:6.1f} ms   max {ms[-1]:6.1f} ms   n={len(ms)} errors={errors}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=3000, help="requests per read endpoint (bounded)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--threads", type=int, default=4, help="server threads per process")
    parser.add_argument("--workers", type=int, default=2, help="server processes (incident-map serve --workers)")
    parser.add_argument("--db", help="reuse this store (filled up to --incidents if short)")
    parser.add_argument("--host", default="127.0.0.1", help="with --port: the server to measure")
    parser.add_argument("--port", type=int, help="measure the server already running at --host:--port")
    parser.add_argument("--token", default=os.environ.get("INCIDENT_MAP_TOKEN"), help="bearer token for the writes")
    parser.add_argument("--writes", type=int, default=None,
                        help="articles posted by --write-clients at once (default 40; 0 with --port)")
    parser.add_argument("--write-clients", type=int, default=4)
    parser.add_argument("--no-big-articles", action="store_true", help="skip /healthz during two largest articles")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="web-load-")
    proc = log = None
    host, port = args.host, args.port
    token = args.token
    writes = args.writes if args.writes is not None else (0 if args.port else 40)
    if port is None:
        url = args.db or f"sqlite:///{Path(tmp.name) / 'incidents.sqlite'}"
        t0 = time.perf_counter()
        count = build_store(url, args.incidents)
        print(f"store: {count} incidents ({time.perf_counter() - t0:.1f} s to prepare) at {url}")
        host, port, token = "127.0.0.1", free_port(), token or "bench-token"
        env = {**os.environ, "INCIDENT_MAP_TOKEN": token}
        # The server's log goes to a file: a pipe nobody reads fills up with waitress's
        # "task queue depth" warnings and then blocks the server.
        log = open(Path(tmp.name) / "serve.log", "w")
        proc = subprocess.Popen(
            [str(REPO / ".venv" / "bin" / "incident-map"), "serve", "--db", url, "--host", host,
             "--port", str(port), "--threads", str(args.threads), "--workers", str(args.workers)],
            env=env, stdout=subprocess.DEVNULL, stderr=log,
        )
    write_headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    try:
        wait_ready(host, port, proc)
        rng = random.Random(1)
        boxes = []
        for _ in range(200):
            lon = rng.uniform(AREA[0], AREA[2] - 2)
            lat = rng.uniform(AREA[1], AREA[3] - 2)
            boxes.append(f"/api/incidents?bbox={lon:.3f},{lat:.3f},{lon + 2:.3f},{lat + 2:.3f}")
        sizes = []
        for path in boxes[:20]:
            conn = http.client.HTTPConnection(host, port, timeout=30)
            conn.request("GET", path)
            body = conn.getresponse().read()
            sizes.append((body.count(b'"Feature"'), len(body)))
        print(f"bbox answers: {statistics.mean(s[0] for s in sizes):.0f} incidents, "
              f"{statistics.mean(s[1] for s in sizes) / 1024:.0f} KiB on average")
        server = (f"waitress, {args.workers} process(es) x {args.threads} threads" if proc else f"{host}:{port}")
        print(f"client: {args.concurrency} keep-alive connections, {args.requests} requests per endpoint; "
              f"server: {server}; cores: {os.cpu_count()}; load average before: {os.getloadavg()[0]:.1f}")
        for name, paths in (("GET /api/incidents?bbox=(2x2 deg)", boxes), ("GET / (map page)", ["/"]),
                            ("GET /api/incidents?bbox&country=UA", [b + "&country=UA" for b in boxes])):
            fire(host, port, paths, total=min(200, args.requests), concurrency=args.concurrency)  # warm up
            report(name, *fire(host, port, paths, total=args.requests, concurrency=args.concurrency))
        if writes:
            # warm up: each server process starts its extraction worker on its first write
            _clients(host, port, article_posts(2 * args.write_clients), total=2 * args.write_clients,
                     concurrency=args.write_clients, headers=write_headers, ok=(201,))
            # 201 is a stored article; 503 (busy, Retry-After) and anything else count as errors
            report(f"POST /api/articles ({args.write_clients} clients)",
                   *_clients(host, port, article_posts(writes), total=writes, concurrency=args.write_clients,
                             headers=write_headers, ok=(201,)))
        if not args.no_big_articles and (proc is not None or args.writes):
            report("GET /healthz (baseline: idle)", *_clients(host, port, [("GET", "/healthz", None)], total=300,
                                                                concurrency=1))
            health, answers = health_during_big_articles(host, port, write_headers)
            report("GET /healthz during 2 big articles", *health)
            print("  the two articles (~{:,} characters each): {}".format(
                len(json.loads(largest_article(0))["text"]),
                ", ".join(f"{status} in {seconds:.1f} s" for status, seconds in answers)))
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        if log is not None:
            log.close()
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
