"""The store on a real PostgreSQL server (a throwaway cluster, see `pg_cluster` in conftest),
side by side with SQLite: the same data must give the same answers on both.

Skipped with a reason when the PostgreSQL server binaries are not installed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from gazetteer.place import Place
from mapper.articles import read_articles
from mapper.cli import main
from mapper.errors import NotFoundError, StoreError
from mapper.filters import Filters
from mapper.nlp.assemble import build_incidents
from mapper.records import Article
from mapper.storage.store import HEAD, Store, load_incidents, migrate

from test_store import GENEVA, ODESA, incident, talks

ARTICLES = Path(__file__).parent / "data" / "articles"
REAL = [*sorted(ARTICLES.glob("*.txt")), ARTICLES / "merge_kharkiv_b.json"]

# Written for these tests: places across the antimeridian and names with non-ASCII letters.
FIJI = Article(text="Gunmen fired on a patrol boat near Labasa; in Rabi one islander was hurt.",
               published=date(2026, 2, 20), url="https://news.example/fiji", source="Pacific Ledger")
CHUKOTKA = Article(text="A fuel depot burned near Anadyr after what officials called sabotage.",
                   published=date(2026, 2, 21), url="https://news.example/anadyr", source="Северный вестник")


def edge_incidents() -> list[tuple[Article, list]]:
    """Incidents made directly: east and west of 180°, accented and Cyrillic text, a `%` and `_`."""
    labasa = incident(id="fiji-labasa", lat=-16.4167, lon=179.3833, event_date=date(2026, 2, 19),
                      event_type="Violence against civilians", sub_event_type="Attack", location="Labasa",
                      mention="Labasa", quote="Gunmen fired on a patrol boat near Labasa (100% armed).",
                      country="FJ", admin1="Northern", admin1_code="FJ.03", actor1="Unidentified armed group",
                      actor2=None, fatalities=0, injured=1, attribution="Fiji police")
    rabi = replace(labasa, id="fiji-rabi", lat=-16.4833, lon=-179.9667, location="Rabi", mention="Rabi",
                   quote="In Rabi one islander was hurt.", fatalities=None)
    anadyr = incident(id="anadyr-1", lat=64.7337, lon=177.5089, event_date=date(2026, 2, 21),
                      event_type="Strategic developments", sub_event_type="Looting/property destruction",
                      location="Анадырь Île_Déjà", mention="Anadyr", quote="A fuel depot burned near Анадырь.",
                      country="RU", admin1="Chukotka", admin1_code="RU.15", actor1="Saboteurs (ÉQUIPE Ω)",
                      actor2=None, fatalities=None, injured=None, attribution="Чукотка officials")
    undated = replace(anadyr, id="undated-1", lat=13.18, lon=30.22, event_date=None, country="SD",
                      location="El Obeid", mention="El Obeid", admin1="North Kordofan", admin1_code="SD.56",
                      quote="Shelling hit El Obeid, residents said, without saying when.", actor1=None)
    return [(FIJI, [labasa, rabi]), (CHUKOTKA, [anadyr, undated])]


def real_articles(gazetteer, nlp) -> list[tuple[Article, list]]:
    out = []
    for article in read_articles(REAL):
        assert isinstance(article, Article), article
        out.append((article, build_incidents(article, gazetteer, nlp=nlp)))
    return out


def fill(store: Store, batches: list[tuple[Article, list]]) -> list[tuple[int, int, bool]]:
    return [(r.new, r.merged, r.skipped) for r in (store.ingest(a, found) for a, found in batches)]


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request) -> str:
    return request.getfixturevalue("db_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def store(url):
    with Store.open(url) as s:
        yield s


@pytest.fixture(scope="module")
def batches(gazetteer, nlp):
    return real_articles(gazetteer, nlp) + edge_incidents()


@pytest.fixture(scope="module")
def both(batches, pg_database, tmp_path_factory):
    """The same articles ingested into SQLite and PostgreSQL: ``(sqlite_store, pg_store)``."""
    sqlite = Store.open(f"sqlite:///{tmp_path_factory.mktemp('both') / 'incidents.sqlite'}")
    pg = Store.open(pg_database())
    assert fill(sqlite, batches) == fill(pg, batches)
    yield sqlite, pg
    sqlite.close()
    pg.close()


# -- opening and migrating -------------------------------------------------------------------

def test_open_migrates_a_fresh_postgres_database(pg_url):
    with Store.open(pg_url) as s:
        assert s.url.startswith("postgresql+psycopg://postgres@/")
        with s.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == HEAD
            tables = set(sa.inspect(conn).get_table_names())
        assert {"articles", "incidents", "incident_sources", "audit", "alembic_version"} <= tables
        assert s.stats() == {"articles": 0, "incidents": 0} and s.count() == 0
    with Store.open(pg_url) as s:  # opening again: already at head, nothing to do
        assert s.stats() == {"articles": 0, "incidents": 0}


def test_concurrent_first_opens_migrate_once(url):
    """Several processes opening a new store at once (the web server's workers and an ingest):
    one migrates, the others wait for it and find the schema current."""
    code = f"from mapper.storage.store import Store; Store.open({url!r}).close()"
    procs = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE) for _ in range(3)]
    errors = [p.communicate(timeout=120)[1].decode()[-400:] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    with Store.open(url) as s, s.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == HEAD


def test_unreachable_postgres_is_a_store_error(pg_cluster):
    with pytest.raises(StoreError, match="cannot open the store"):
        Store.open(f"postgresql+psycopg://postgres@/no_such_db?host={pg_cluster}")


def test_old_postgres_database_opens_after_upgrade(pg_url):
    """A database created at revision 0001 (with data) is migrated to head on open."""
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        migrate(conn, "0001")
        conn.execute(sa.text(
            "INSERT INTO articles (id, text, ingested_at) VALUES ('a1', 'old text', '2026-01-01 00:00:00+00')"))
        conn.execute(sa.text(
            "INSERT INTO incidents (id, lat, lon, event_date, event_type, sub_event_type, location, mention,"
            " quote, article_id) VALUES ('old-1', 50.45, 30.52, '2026-01-01', 'Strategic developments',"
            " 'Disrupted weapons use', 'Kyiv', 'Kyiv', 'Air defence shot down drones over Kyiv.', 'a1'),"
            " ('old-2', 48.0, 37.8, '2025-12-30', 'Battles', 'Armed clash', 'Donetsk', 'Donetsk',"
            " 'Fighting near Donetsk.', 'a1')"))
        conn.execute(sa.text(
            "INSERT INTO incident_sources (incident_id, article_id, source, published, quote)"
            " VALUES ('old-1', 'a1', 'Old Wire', '2026-01-02', 'Air defence shot down drones over Kyiv.')"))
    engine.dispose()
    with Store.open(pg_url) as s:
        assert [i.id for i in s.query(Filters(type="shot_down"))] == ["old-1"]  # family backfilled
        assert [i.id for i in s.query(Filters(type="ground"))] == ["old-2"]
        old = s.get("old-1")
        assert (old.location, old.historical, old.time_precision, old.geo_precision) == ("Kyiv", False, 1, 1)
        assert old.sources == [{"article_id": "a1", "source": "Old Wire", "source_url": None,
                                "published": "2026-01-02", "quote": "Air defence shot down drones over Kyiv."}]
        assert s.get("old-2").sources == []
        assert s.audit("old-1") == []
        assert s.features() == [i.to_feature() for i in s.query()]
        with s.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == HEAD
        # and the migrated database takes new writes
        assert s.ingest(ODESA, [incident()]).new == 1


def test_failed_migration_leaves_the_schema_untouched(pg_url):
    """PostgreSQL DDL is transactional: a migration that fails part-way leaves no table behind."""
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE audit (id integer)"))  # 0002 will collide with this
    engine.dispose()
    with pytest.raises(StoreError):
        Store.open(pg_url)
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        assert set(sa.inspect(conn).get_table_names()) == {"audit"}
    engine.dispose()


# -- writing ---------------------------------------------------------------------------------

def test_ingest_of_real_articles_is_idempotent(store, batches):
    first = fill(store, batches)
    assert sum(new for new, _, _ in first) >= 30 and not any(skipped for _, _, skipped in first)
    assert sum(merged for _, merged, _ in first) >= 1  # the two Kharkiv reports are one incident
    stats, version = store.stats(), store.version()
    assert stats["articles"] == len(batches)
    again = fill(store, batches)
    assert again == [(0, 0, True)] * len(batches)
    assert (store.stats(), store.version()) == (stats, version)


def test_failed_article_leaves_nothing_behind(store):
    broken = incident(id="broken", lat=60.0, lon=10.0, quote=None)  # NOT NULL: fails mid-article
    with pytest.raises(StoreError):
        store.ingest(ODESA, [incident(id="fine"), broken])
    assert store.stats() == {"articles": 0, "incidents": 0}
    assert store.ingest(ODESA, [incident(id="fine")]).new == 1


def test_round_trip_types(store):
    """Dates stay dates, booleans booleans, big ids ints, text (non-ASCII too) unchanged."""
    fiji, [labasa, rabi] = edge_incidents()[0]
    _, [anadyr, _undated] = edge_incidents()[1]
    historical = replace(talks(), historical=True, geonameid=2_660_646_000, event_date_end=date(2026, 2, 18))
    store.ingest(fiji, [labasa, rabi])
    store.ingest(CHUKOTKA, [anadyr, _undated])
    assert store.get("undated-1").event_date is None
    store.ingest(GENEVA, [historical])
    got = store.get("geneva-1")
    assert got.historical is True and got.geonameid == 2_660_646_000
    assert got.event_date == date(2026, 2, 17) and got.event_date_end == date(2026, 2, 18)
    assert got.published == date(2026, 2, 13)
    got = store.get("anadyr-1")
    assert (got.location, got.actor1, got.source) == ("Анадырь Île_Déjà", "Saboteurs (ÉQUIPE Ω)", "Северный вестник")
    assert store.get("fiji-rabi").lon == -179.9667 and store.get("fiji-labasa").historical is False


def test_get_unknown_id_is_not_found(store):
    with pytest.raises(NotFoundError, match="no incident with id 'nope'"):
        store.get("nope")


def test_correct_location_merge_and_audit(store):
    store.ingest(ODESA, [incident()])
    store.ingest(GENEVA, [talks()])
    chornomorsk = Place(name="Chornomorsk", lat=46.3017, lon=30.6569, country="UA", admin1="Odesa",
                        admin1_code="UA.17", feature="city", geonameid=707688)
    moved = store.correct_location("odesa-1", chornomorsk, who="desk@example.org", note="port is in Chornomorsk")
    assert store.get("odesa-1") == moved
    merged = store.merge("odesa-1", "geneva-1", who="desk")
    assert merged.id == "odesa-1" and store.count() == 1
    with pytest.raises(NotFoundError):
        store.get("geneva-1")
    trail = store.audit("odesa-1")
    assert [e["action"] for e in trail] == ["correct_location", "merge"]
    assert [e["id"] for e in trail] == sorted(e["id"] for e in trail)  # ids from the sequence
    first = trail[0]
    assert (first["who"], first["note"]) == ("desk@example.org", "port is in Chornomorsk")
    assert first["before"]["location"] == "Odesa" and first["after"] == {
        "lat": 46.3017, "lon": 30.6569, "location": "Chornomorsk", "country": "UA", "admin1": "Odesa",
        "admin1_code": "UA.17", "geonameid": 707688, "geo_precision": 1}
    assert first["at"].endswith("+00:00")
    [gone] = store.audit("geneva-1")
    assert gone["action"] == "merged_into" and gone["after"] == {"merged_into": "odesa-1"}
    assert gone["before"]["event_date"] == "2026-02-17"
    assert {s["article_id"] for s in store.get("odesa-1").sources} == {ODESA.id, GENEVA.id}
    with pytest.raises(StoreError, match="into itself"):
        store.merge("odesa-1", "odesa-1", who="desk")
    with pytest.raises(StoreError, match="needs `who`"):
        store.correct_location("odesa-1", chornomorsk, who=" ")


def test_merge_at_ingest(store):
    store.ingest(ODESA, [incident()])
    second = Article(text="Odesa port strike: one dead, seven hurt, officials say.", published=date(2026, 2, 14),
                     url="https://other.example/odesa", source="Other Daily")
    again = incident(id="odesa-2", injured=7, quote="Odesa port strike: one dead, seven hurt.")
    result = store.ingest(second, [again])
    assert (result.new, result.merged, result.ids) == (0, 1, ("odesa-1",))
    [entry] = store.audit("odesa-1")
    assert (entry["who"], entry["action"]) == ("ingest", "merge_report")
    assert len(entry["after"]["sources"]) == 2


# -- reading: the same answers on both backends ------------------------------------------------

FILTERS = [
    ({}, True),
    ({"since": "2026-02-20"}, True),
    ({"until": "2026-02-05"}, True),
    ({"since": "2026-02-10", "until": "2026-02-20"}, True),
    ({"since": "2026-03-05", "until": "2026-03-05"}, True),  # only a multi-day event reaches it
    ({"type": "strikes"}, True),
    ({"type": "Battles"}, True),
    ({"type": "Air/drone strike"}, True),
    ({"type": "diplomacy"}, True),
    ({"actor": "russian"}, True),
    ({"actor": "RAPID SUPPORT"}, True),
    ({"actor": "équipe ω"}, True),  # non-ASCII case-insensitivity
    ({"country": "UA"}, True),
    ({"country": "sd"}, True),
    ({"min_fatalities": "5"}, True),
    ({"min_fatalities": "0"}, True),
    ({"q": "kharkiv"}, True),
    ({"q": "KHARKIV"}, True),
    ({"q": "анадырь"}, True),  # Cyrillic, other case than stored
    ({"q": "ÎLE_DÉJÀ"}, True),
    ({"q": "NABATÎYÉ"}, True),  # a real article's place
    ({"q": "ryl’sk"}, True),
    ({"q": "île%déjà"}, False),  # % is literal on the non-ASCII path too
    ({"q": "100%"}, True),
    ({"q": "_"}, True),
    ({"q": "%"}, True),
    ({"q": "no such words anywhere"}, False),
    ({"bbox": "22,44,41,53"}, True),  # Ukraine
    ({"bbox": "170,-25,-170,-10"}, True),  # Fiji, across the antimeridian
    ({"bbox": "175,60,-175,70"}, True),  # Chukotka, across the antimeridian
    ({"bbox": "-10,-10,10,10"}, False),
    ({"limit": "5"}, True),
    ({"limit": "5", "offset": "3"}, True),
    ({"offset": "30"}, True),  # the tail: undated incidents come last on both
    ({"country": "SD", "limit": "2", "offset": "1"}, True),
    ({"country": "UA", "type": "strikes", "since": "2026-02-01", "limit": "4", "offset": "1"}, True),
]


@pytest.mark.parametrize("params,nonempty", FILTERS, ids=[json.dumps(p, ensure_ascii=False) for p, _ in FILTERS])
def test_query_answers_equal_sqlite(both, params, nonempty):
    sqlite, pg = both
    f = Filters.from_params(params)
    want = [i.to_feature() for i in sqlite.query(f)]
    got = [i.to_feature() for i in pg.query(f)]
    assert [g["id"] for g in got] == [w["id"] for w in want]
    assert got == want
    assert bool(got) == nonempty
    assert pg.count(f) == sqlite.count(f)
    assert pg.features(f) == got  # the fast path equals query() on PostgreSQL
    assert sqlite.features(f) == want


def test_antimeridian_box_finds_both_sides(both):
    _, pg = both
    ids = {i.id for i in pg.query(Filters.from_params({"bbox": "170,-25,-170,-10"}))}
    assert ids == {"fiji-labasa", "fiji-rabi"}


def test_load_incidents_from_postgres(both):
    sqlite, pg = both
    assert [i.id for i in load_incidents(pg.url, country="UA", type="strikes")] == \
        [i.id for i in load_incidents(sqlite, country="UA", type="strikes")]


# -- the CLI ---------------------------------------------------------------------------------

def test_cli_ingest_and_export_with_postgres(pg_url, db_url, tmp_path, capsys):
    files = [str(p) for p in REAL]
    for url in (pg_url, db_url):
        assert main(["ingest", *files, "--db", url, "--json", "--quiet", "--workers", "1"]) == 0
    pg_summary, sqlite_summary = (json.loads(line) for line in capsys.readouterr().out.strip().splitlines())
    assert pg_summary == sqlite_summary and pg_summary["articles_read"] == len(REAL)
    assert main(["ingest", *files, "--db", pg_url, "--json", "--quiet", "--workers", "1"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["already_stored"] == len(REAL) and again.get("incidents_new", 0) == 0

    out = {}
    for name, url in (("pg", pg_url), ("sqlite", db_url)):
        path = tmp_path / f"{name}.geojson"
        assert main(["export", "--db", url, "-o", str(path), "--country", "UA"]) == 0
        out[name] = json.loads(path.read_text(encoding="utf-8"))
    assert out["pg"]["type"] == "FeatureCollection" and len(out["pg"]["features"]) >= 10
    assert out["pg"] == out["sqlite"]
    assert {f["properties"]["country"] for f in out["pg"]["features"]} == {"UA"}

    import geopandas

    frame = geopandas.read_file(tmp_path / "pg.geojson")
    assert len(frame) == len(out["pg"]["features"])


def _snapshot(url: str) -> tuple[int, int, int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("articles"):
                return 0, 0, 0
            return tuple(conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
                         for t in ("articles", "incidents", "incident_sources"))
    finally:
        engine.dispose()


@pytest.mark.slow
def test_killed_ingest_leaves_no_half_article_on_postgres(pg_database, tmp_path):
    """kill -9 mid-run (two worker processes), resume: the same store as one clean run."""
    corpus = tmp_path / "corpus"  # distinct articles (content hashes) from our test articles
    corpus.mkdir()
    for n in range(2):
        for src in sorted(ARTICLES.glob("*.txt")):
            (corpus / f"{n}_{src.name}").write_bytes(src.read_bytes() + f"\n\nUpdated edition {n}.\n".encode())
    cli = [sys.executable, "-m", "mapper", "ingest", str(corpus), "--quiet", "--workers", "2"]
    clean, cut = pg_database(), pg_database()
    subprocess.run([*cli, "--db", clean], check=True, capture_output=True, timeout=300)
    proc = subprocess.Popen([*cli, "--db", cut], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while _snapshot(cut)[0] < 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert 0 < _snapshot(cut)[0] < _snapshot(clean)[0]
    subprocess.run([*cli, "--db", cut], check=True, capture_output=True, timeout=300)
    assert _snapshot(cut) == _snapshot(clean)


# -- the web API over PostgreSQL ---------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/api/incidents", "/api/incidents?bbox=170,-25,-170,-10", "/api/incidents?q=%C3%89QUIPE&limit=5",
    "/api/incidents?country=UA&since=2026-02-15&limit=3&offset=2", "/api/incidents/fiji-rabi",
    "/api/incidents/anadyr-1/audit", "/api/export.geojson?type=strikes", "/healthz",
])
def test_web_api_answers_equal_sqlite(both, path):
    from web import create_app

    sqlite, pg = both
    answers = []
    for store in (sqlite, pg):
        app = create_app({"DATABASE_URL": store.engine.url.render_as_string(hide_password=False), "TESTING": True})
        r = app.test_client().get(path)
        assert r.status_code == 200, r.get_data(as_text=True)
        answers.append(r.get_json() if r.is_json else json.loads(r.get_data(as_text=True)))
    assert answers[0] == answers[1]


def test_web_post_article_to_postgres(pg_url, gazetteer, nlp):
    from web import create_app

    token = "pg-test-token"
    c = create_app({"DATABASE_URL": pg_url, "TESTING": True, "INCIDENT_MAP_TOKEN": token}).test_client()
    record = {"text": (ARTICLES / "rostov_drones_downed.txt").read_text(encoding="utf-8"),
              "published": "2026-02-20", "url": "https://example-wire.test/rostov", "source": "Example Wire"}
    r = c.post("/api/articles", json=record, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["result"]["new"] == len(body["features"]) >= 1
    assert c.get(f"/api/incidents/{body['result']['ids'][0]}").get_json()["properties"]["country"] == "RU"
    again = c.post("/api/articles", json=record, headers={"Authorization": f"Bearer {token}"}).get_json()
    assert again["result"]["skipped"] is True


def test_database_from_a_newer_version_is_a_clear_error(url):
    Store.open(url).close()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0999'"))
    engine.dispose()
    with pytest.raises(StoreError, match="newer incident-map"):
        Store.open(url)


def test_missing_driver_is_a_store_error():
    with pytest.raises(StoreError, match="cannot use database URL"):
        Store.open("postgresql+nosuchdriver://u:secret@localhost/db")
    with pytest.raises(StoreError) as err:
        Store.open("postgresql+nosuchdriver://u:secret@localhost/db")
    assert "secret" not in str(err.value)


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_plain_postgresql_url_uses_psycopg(pg_url, scheme):
    plain = pg_url.replace("postgresql+psycopg", scheme, 1)
    with Store.open(plain) as s:
        assert s.url.startswith("postgresql+psycopg://") and s.stats() == {"articles": 0, "incidents": 0}


def test_server_datestyle_and_time_zone_do_not_leak(pg_url):
    """A server set up for another locale (DateStyle 'SQL, DMY', a non-UTC time zone) gives the
    same dates, features and UTC audit times."""
    engine = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    name = sa.engine.make_url(pg_url).database
    with engine.connect() as conn:
        conn.execute(sa.text(f"ALTER DATABASE \"{name}\" SET datestyle = 'SQL, DMY'"))
        conn.execute(sa.text(f"ALTER DATABASE \"{name}\" SET timezone = 'Asia/Kolkata'"))
    engine.dispose()
    with Store.open(pg_url) as s:
        s.ingest(ODESA, [incident()])
        s.ingest(GENEVA, [talks()])
        assert s.get("geneva-1").event_date_end == date(2026, 2, 18)
        assert s.features() == [i.to_feature() for i in s.query()]
        assert s.features()[0]["properties"]["event_date"] == "2026-02-17"
        s.correct_location("odesa-1", Place(name="Odesa", lat=46.48, lon=30.72, country="UA"), who="desk")
        [entry] = s.audit("odesa-1")
        assert entry["at"].endswith("+00:00")


def test_nul_characters_are_dropped_on_both_backends(store, gazetteer, nlp):
    """PostgreSQL text cannot hold NUL (SQLite can). The geoparser rejects article text with one,
    but a JSON record's title or source, or an incident made elsewhere, can still carry it: it is
    stored without it, the same on both backends, instead of failing the ingest."""
    from mapper.articles import article_from_record

    text = (ARTICLES / "dateline_kherson.txt").read_text(encoding="utf-8")
    article = article_from_record({"text": text, "title": "Kherson\x00", "source": "Wire\x00",
                                   "published": "2026-02-27"})
    found = build_incidents(article, gazetteer, nlp=nlp)
    found.append(replace(incident(), quote="A Russian strike\x00 on the port of Odesa."))
    result = store.ingest(article, found)
    assert result.new == len(found) and not result.skipped
    assert store.ingest(article, found).skipped  # still recognised by its content hash
    odesa = store.get("odesa-1")
    assert odesa.quote == "A Russian strike on the port of Odesa."
    assert odesa.sources[0]["quote"] == odesa.quote
    with store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT text, title FROM articles")).one()
    assert stored.title == "Kherson" and stored.text == article.text
    assert {i.source for i in store.query()} == {"Wire"}


def test_undated_incidents_come_last_and_escape_date_filters(both):
    for store in both:
        assert store.query()[-1].id == "undated-1"
        assert "undated-1" not in {i.id for i in store.query(Filters.from_params({"since": "2000-01-01"}))}
        assert "undated-1" not in {i.id for i in store.query(Filters.from_params({"until": "2100-01-01"}))}


@pytest.mark.slow
def test_cli_with_incident_map_db_pointing_at_postgres(both, tmp_path, monkeypatch):
    """No --db: INCIDENT_MAP_DB names the PostgreSQL store (the installed `incident-map` script)."""
    sqlite, pg = both
    env = {**os.environ, "INCIDENT_MAP_DB": pg.engine.url.render_as_string(hide_password=False)}
    exe = Path(sys.executable).with_name("incident-map")
    cli = [str(exe)] if exe.exists() else [sys.executable, "-m", "mapper"]
    csv_path, html_path = tmp_path / "ua.csv", tmp_path / "map.html"
    for args in (["export", "-o", str(csv_path), "--country", "UA", "--since", "2026-02-10"],
                 ["build", "-o", str(html_path), "--type", "strikes"]):
        done = subprocess.run([*cli, *args], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    want = len(sqlite.query(Filters.from_params({"country": "UA", "since": "2026-02-10"})))
    import csv

    with csv_path.open(encoding="utf-8", newline="") as f:
        assert len(list(csv.DictReader(f))) == want > 0
    assert html_path.stat().st_size > 10_000
    assert f"{len(pg.query(Filters(type='strikes')))} incidents" in done.stderr


def test_order_does_not_depend_on_the_database_collation(pg_cluster, pg_database, db_url):
    """Ties on the date are ordered by id code point on both, even in a database whose collation
    (ICU en-US: "a" before "B") differs from SQLite's."""
    admin = sa.create_engine(f"postgresql+psycopg://postgres@/postgres?host={pg_cluster}", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        try:
            conn.execute(sa.text("CREATE DATABASE icu_en TEMPLATE template0 ENCODING 'UTF8' "
                                 "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"))
        except sa.exc.DBAPIError as err:
            pytest.skip(f"this PostgreSQL has no ICU collations: {err}")
    admin.dispose()
    icu = f"postgresql+psycopg://postgres@/icu_en?host={pg_cluster}"
    ids = ["a-1", "B-1", "b-2", "A_1", "Z9"]
    got = {}
    for url in (icu, db_url):
        with Store.open(url) as s:
            s.ingest(ODESA, [incident(id=i, lat=46 + n, lon=30 + n) for n, i in enumerate(ids)])
            got[url] = [i.id for i in s.query()]
            assert [i.id for i in s.query(Filters(limit=2, offset=2))] == got[url][2:4]
    assert got[icu] == got[db_url] == sorted(ids)
