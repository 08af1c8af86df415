"""Concurrent writers (issue 14): reports of the same events posted at once, on SQLite and PostgreSQL.

Every acknowledged report must end up in the store exactly once, and the incidents must be
those a sequential run makes: no lost sources, no duplicate incidents.
"""

from __future__ import annotations

import random
import threading
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from mapper.records import Article, Incident
from mapper.storage.store import Store

# Four events, each reported by several outlets; some reports tell two events at once.
EVENTS = (
    ("Kharkiv", 49.9935, 36.2304, "Explosions/Remote violence", "Air/drone strike", date(2026, 2, 20)),
    ("Odesa", 46.4775, 30.7326, "Explosions/Remote violence", "Air/drone strike", date(2026, 2, 20)),
    ("Kupiansk", 49.7106, 37.6158, "Battles", "Armed clash", date(2026, 2, 19)),
    ("Nikopol", 47.5712, 34.3964, "Explosions/Remote violence", "Shelling/artillery/missile attack", date(2026, 2, 21)),
)
OUTLETS = ("Example Wire", "Sample Post", "Example Daily", "Sample News Agency", "Test Radio")


def reports(per_event: int = 10) -> list[tuple[Article, list[Incident]]]:
    """`per_event` reports of each event by different outlets (distinct articles), every fifth also
    telling the next event: overlapping reports of the same events, as a busy news day brings."""
    out = []
    for k in range(per_event):
        for e, (place, lat, lon, etype, sub, day) in enumerate(EVENTS):
            told = [e, (e + 1) % len(EVENTS)] if k % 5 == 4 else [e]
            outlet = OUTLETS[k % len(OUTLETS)]
            text = (f"Report {k} on event {e} by {outlet}: "
                    + " ".join(f"an attack hit {EVENTS[t][0]} on {EVENTS[t][5]:%B %d}, officials said." for t in told))
            published = day + timedelta(days=k % 2)
            article = Article(text=text, published=published, url=f"https://{outlet.split()[0].lower()}.test/{k}/{e}",
                              source=outlet, title=f"Attack in {place}")
            found = []
            for t in told:
                tplace, tlat, tlon, tetype, tsub, tday = EVENTS[t]
                found.append(Incident(
                    id=f"r{k}-e{e}-t{t}", lat=tlat + 0.001 * (k % 3), lon=tlon - 0.001 * (k % 2), event_date=tday,
                    event_type=tetype, sub_event_type=tsub, location=tplace, mention=tplace,
                    quote=f"An attack hit {tplace} (report {k} of {outlet}).", fatalities=k % 4, injured=k,
                    country="UA", geo_precision=1, source=outlet, source_url=article.url, published=published,
                ))
            out.append((article, found))
    return out


def partition(store: Store) -> set[tuple[str, frozenset[str]]]:
    """Each incident as (place, the set of articles that reported it): what must not depend on timing."""
    return {(i.location, frozenset(s["article_id"] for s in i.sources)) for i in store.query()}


def source_rows(url: str) -> list[tuple[str, str]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text("SELECT incident_id, article_id FROM incident_sources"))]
    finally:
        engine.dispose()


def run_concurrently(url: str, work: list[tuple[Article, list[Incident]]], *, writers: int = 4, readers: int = 2):
    """`writers` threads, each with its own Store (as separate server processes have), ingest
    `work` between them while `readers` threads keep reading; returns the acknowledged results."""
    shares = [work[n::writers] for n in range(writers)]
    start = threading.Barrier(writers + readers)
    done = threading.Event()
    results, errors = [], []
    lock = threading.Lock()

    def joined() -> Store | None:
        """This thread's store once every thread has one; None (and the reason recorded) when one
        cannot open: it fails the test at once instead of leaving the others at the barrier."""
        try:
            store = Store.open(url)
        except Exception as err:  # collected and asserted on below
            with lock:
                errors.append(err)
            start.abort()
            return None
        try:
            start.wait(timeout=120)
        except threading.BrokenBarrierError:
            store.close()
            return None
        return store

    def write(share):
        store = joined()
        if store is None:
            return
        with store:
            for article, found in share:
                try:
                    result = store.ingest(article, found)
                except Exception as err:  # collected and asserted on below: any error fails the test
                    with lock:
                        errors.append(err)
                    continue
                with lock:
                    results.append((article, result))

    def read():
        store = joined()
        if store is None:
            return
        with store:
            seen = 0
            while not done.is_set():
                try:
                    n = store.stats()["articles"]
                    assert n >= seen, "a reader saw the article count go down"
                    seen = n
                    store.features()
                except Exception as err:  # as above
                    with lock:
                        errors.append(err)
                    return

    threads = [threading.Thread(target=write, args=(s,)) for s in shares]
    threads += [threading.Thread(target=read) for _ in range(readers)]
    for t in threads:
        t.start()
    for t in threads[:writers]:
        t.join(timeout=300)
    done.set()
    for t in threads[writers:]:
        t.join(timeout=60)
    assert not errors, errors[:3]
    return results


@pytest.fixture(params=["sqlite", "postgresql"])
def urls(request, tmp_path):
    """Two fresh stores of one backend: one for the concurrent run, one for the sequential run."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'concurrent.sqlite'}", f"sqlite:///{tmp_path / 'sequential.sqlite'}"
    make = request.getfixturevalue("pg_database")
    return make(), make()


@pytest.mark.parametrize("seed", [1, 2])
def test_no_report_is_lost_and_no_event_is_doubled(urls, seed):
    concurrent, sequential = urls
    work = reports()
    random.Random(seed).shuffle(work)
    results = run_concurrently(concurrent, work)
    assert len(results) == len(work) and not any(r.skipped for _, r in results)  # every report acknowledged

    with Store.open(sequential) as store:
        for article, found in work:
            store.ingest(article, found)
        expected = partition(store)
    with Store.open(concurrent) as store:
        got = partition(store)
        # every acknowledged report is in the store exactly once (once per event it tells)...
        rows = sorted(a for _, a in source_rows(concurrent))
        assert rows == sorted(a.id for a, found in work for _ in found)
        assert rows == sorted(a for _, a in source_rows(sequential))
        # ...the incidents are the ones a sequential run makes (0 duplicates, 0 lost sources)...
        assert len(got) == len(EVENTS) == len(expected)
        assert got == expected
        # ...and every id an answer gave resolves to a stored incident.
        for _, result in results:
            for incident_id in result.ids:
                store.get(incident_id)


def test_the_same_article_posted_at_once_is_stored_once(urls):
    concurrent, _ = urls
    article, found = reports(per_event=1)[0]
    results = run_concurrently(concurrent, [(article, found)] * 8, writers=8, readers=1)
    assert len(results) == 8
    assert sum(not r.skipped for _, r in results) == 1
    ids = {r.ids for _, r in results}
    assert len(ids) == 1 and len(next(iter(ids))) == 1  # the skipped answers name the stored incident too
    with Store.open(concurrent) as store:
        assert store.stats() == {"articles": 1, "incidents": 1}


# -- the same through the real server: `serve --workers 2`, clients posting at once ----------------

ARTICLE_FILES = ("merge_kharkiv_a.txt", "merge_kharkiv_b.json", "rostov_drones_downed.txt", "talks_visit.txt")


def posted_reports(copies: int = 4) -> list[dict]:
    """`copies` editions of articles that report the same events (distinct articles, same facts)."""
    from pathlib import Path

    from mapper.articles import read_article

    records = []
    for n in range(copies):
        for name in ARTICLE_FILES:
            a = read_article(Path(__file__).parent / "data" / "articles" / name)
            records.append({"text": f"{a.text}\n\nUpdated edition {n}.", "published": a.published.isoformat(),
                            "url": f"{a.url}?edition={n}", "title": a.title, "source": a.source})
    return records


@pytest.mark.slow
def test_clients_posting_at_once_to_two_server_processes(urls, gazetteer, nlp):
    import json
    import time

    from mapper.articles import article_from_record
    from mapper.nlp.assemble import build_incidents
    from test_web_serve import Server, request

    concurrent, sequential = urls
    records = posted_reports()
    random.Random(3).shuffle(records)
    server = Server(concurrent, "--workers", "2")
    answers, failures = [], []
    lock = threading.Lock()
    start = threading.Barrier(6)
    done = threading.Event()

    def client(share):
        start.wait()
        for record in share:
            for _ in range(30):  # a busy server answers 503 with Retry-After: do as a client should
                status, headers, body = request(server.port, "POST", "/api/articles", body=json.dumps(record).encode(),
                                                headers={"Content-Type": "application/json"}, timeout=120)
                if status != 503:
                    break
                time.sleep(float(headers.get("Retry-After", "1")) / 10)
            with lock:
                (answers if status == 201 else failures).append((status, json.loads(body)))

    def reader():
        start.wait()
        while not done.is_set():
            for path in ("/healthz", "/api/incidents?country=UA"):
                status, _, _ = request(server.port, "GET", path)
                if status != 200:
                    with lock:
                        failures.append((status, path))

    threads = [threading.Thread(target=client, args=(records[n::4],)) for n in range(4)]
    threads += [threading.Thread(target=reader) for _ in range(2)]
    try:
        for t in threads:
            t.start()
        for t in threads[:4]:
            t.join(timeout=600)
        done.set()
        for t in threads[4:]:
            t.join(timeout=60)
    finally:
        server.stop()
    assert not failures, failures[:3]
    assert len(answers) == len(records) and not any(a["result"]["skipped"] for _, a in answers)

    with Store.open(sequential) as store:
        for record in records:
            article = article_from_record(record)
            store.ingest(article, build_incidents(article, gazetteer, nlp=nlp))
        expected = partition(store)
    with Store.open(concurrent) as store:
        assert partition(store) == expected
        for _, answer in answers:
            for feature in answer["features"]:
                store.get(feature["id"])  # every id in an answer resolves
    assert sorted(a for _, a in source_rows(concurrent)) == sorted(a for _, a in source_rows(sequential))


def test_processes_opening_a_new_sqlite_store_together_all_get_it(tmp_path):
    """Six openers at once on a file that does not exist yet (a server's workers starting beside
    an ingest): one creates the schema, the others wait for it; none fails on switching the file
    to WAL, which SQLite refuses without waiting while another connection holds a transaction."""
    errors = []
    for round_ in range(20):
        url = f"sqlite:///{tmp_path / f'fresh-{round_}.sqlite'}"
        start = threading.Barrier(6)

        def open_it():
            try:
                start.wait(timeout=60)
                with Store.open(url) as store:
                    store.stats()
            except Exception as err:  # collected, asserted below
                errors.append(err)

        threads = [threading.Thread(target=open_it) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    assert not errors, errors[:2]
