"""The incident store on a real SQLite file: ingest, query, edits, audit trail, migrations."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from gazetteer.place import Place
from mapper.errors import NotFoundError, StoreError
from mapper.filters import Filters
from mapper.records import Article, Incident
from mapper.storage.store import HEAD, Store, load_incidents, migrate

ODESA = Article(text="A Russian strike on the port of Odesa killed one person and injured six.",
                published=date(2026, 2, 13), url="https://news.example/odesa", source="Example Wire")
GENEVA = Article(text="Talks will be held in Geneva on Tuesday and Wednesday.",
                 published=date(2026, 2, 13), url="https://news.example/geneva", source="Example Wire")


def incident(**kw) -> Incident:
    base = dict(id="odesa-1", lat=46.4825, lon=30.7233, event_date=date(2026, 2, 13),
                event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
                location="Odesa", mention="Odesa", quote="A Russian strike on the port of Odesa killed one person.",
                country="UA", admin1="Odesa", admin1_code="UA.17", actor1="Military Forces of Russia",
                fatalities=1, injured=6, attribution="Odesa regional administration")
    base.update(kw)
    return Incident(**base)


def talks() -> Incident:
    return incident(id="geneva-1", lat=46.2022, lon=6.1457, event_date=date(2026, 2, 17),
                    event_date_end=date(2026, 2, 18), event_type="Diplomacy", sub_event_type="Negotiations",
                    location="Geneva", mention="Geneva", quote="Talks will be held in Geneva.", country="CH",
                    admin1="Geneva", admin1_code="CH.GE", actor1="Russia", actor2="Ukraine",
                    fatalities=None, injured=None, attribution=None)


@pytest.fixture
def store(db_url):
    with Store.open(db_url) as s:
        yield s


def test_default_url_is_sqlite_in_data_home(tmp_path, monkeypatch):
    monkeypatch.delenv("INCIDENT_MAP_DB", raising=False)
    monkeypatch.setenv("INCIDENT_MAP_HOME", str(tmp_path / "home"))
    with Store.open() as s:
        assert s.url == f"sqlite:///{tmp_path / 'home' / 'incidents.sqlite'}"
    assert (tmp_path / "home" / "incidents.sqlite").exists()
    monkeypatch.setenv("INCIDENT_MAP_DB", f"sqlite:///{tmp_path / 'env.sqlite'}")
    with Store.open() as s:
        assert s.url.endswith("env.sqlite")


def test_bad_url_is_a_store_error():
    with pytest.raises(StoreError, match="not a database URL"):
        Store.open("no such thing")


def test_ingest_is_idempotent(store):
    first = store.ingest(ODESA, [incident()])
    assert (first.new, first.merged, first.skipped, first.ids) == (1, 0, False, ("odesa-1",))
    again = store.ingest(ODESA, [incident()])
    assert again.skipped and again.new == 0
    assert store.count() == 1
    assert store.stats() == {"articles": 1, "incidents": 1}


def test_round_trip_keeps_every_property(store):
    store.ingest(GENEVA, [talks()])
    got = store.get("geneva-1")
    want = talks()
    for name in ("lat", "lon", "event_date", "event_date_end", "event_type", "sub_event_type", "actor1",
                 "actor2", "fatalities", "injured", "location", "country", "admin1_code", "quote"):
        assert getattr(got, name) == getattr(want, name), name
    # article fields the extractor left empty are filled from the article, with a first source
    assert got.source_url == "https://news.example/geneva" and got.article_id == GENEVA.id
    assert got.sources == [{"article_id": GENEVA.id, "source": "Example Wire",
                            "source_url": "https://news.example/geneva", "published": "2026-02-13",
                            "quote": "Talks will be held in Geneva."}]


def test_failed_article_leaves_nothing_behind(store):
    broken = incident(id="broken", lat=60.0, lon=10.0, quote=None)  # NOT NULL: fails mid-article
    with pytest.raises(StoreError):
        store.ingest(ODESA, [incident(id="fine"), broken])
    assert store.stats() == {"articles": 0, "incidents": 0}
    assert store.ingest(ODESA, [incident(id="fine")]).new == 1  # and it can be ingested again


def test_query_filters_in_sql(store):
    store.ingest(ODESA, [incident()])
    store.ingest(GENEVA, [talks()])
    ids = lambda **p: [i.id for i in store.query(Filters.from_params(p))]  # noqa: E731
    assert ids() == ["geneva-1", "odesa-1"]  # newest first
    assert ids(type="diplomacy") == ["geneva-1"]
    assert ids(type="Air/drone strike") == ["odesa-1"]
    assert ids(type="Explosions/Remote violence") == ["odesa-1"]
    assert ids(since="2026-02-18") == ["geneva-1"]  # the talks run to the 18th
    assert ids(until="2026-02-16") == ["odesa-1"]
    assert ids(country="ch") == ["geneva-1"]
    assert ids(actor="ukraine") == ["geneva-1"]
    assert ids(min_fatalities="1") == ["odesa-1"]
    assert ids(q="PORT OF") == ["odesa-1"]
    assert ids(bbox="29,45,32,47") == ["odesa-1"]
    assert ids(limit="1") == ["geneva-1"]
    assert ids(limit="1", offset="1") == ["odesa-1"]
    assert store.count(Filters.from_params({"limit": "1"})) == 2  # count ignores paging


@pytest.mark.parametrize("q", ["'; DROP TABLE incidents; --", "%", "_", "\\", "\" OR 1=1 --"])
def test_text_search_is_parameterised_and_literal(store, q):
    store.ingest(ODESA, [incident()])
    assert store.query(Filters(q=q)) == []
    assert store.count() == 1


def test_get_unknown_id_is_not_found(store):
    with pytest.raises(NotFoundError, match="no incident with id 'nope'"):
        store.get("nope")


def test_correct_location_is_audited(store):
    store.ingest(ODESA, [incident()])
    chornomorsk = Place(name="Chornomorsk", lat=46.3017, lon=30.6569, country="UA", admin1="Odesa",
                        admin1_code="UA.17", feature="city", geonameid=707688)
    moved = store.correct_location("odesa-1", chornomorsk, who="desk@example.org", note="port is in Chornomorsk")
    assert (moved.location, moved.lat, moved.geonameid) == ("Chornomorsk", 46.3017, 707688)
    assert store.get("odesa-1").location == "Chornomorsk"
    [entry] = store.audit("odesa-1")
    assert entry["who"] == "desk@example.org" and entry["action"] == "correct_location"
    assert entry["note"] == "port is in Chornomorsk"
    assert entry["before"]["location"] == "Odesa" and entry["after"]["location"] == "Chornomorsk"
    assert entry["at"].endswith("+00:00")
    with pytest.raises(StoreError, match="needs `who`"):
        store.correct_location("odesa-1", chornomorsk, who=" ")


def test_region_correction_sets_region_precision(store):
    store.ingest(ODESA, [incident()])
    region = Place(name="Odesa Oblast", lat=46.6, lon=30.3, country="UA", admin1="Odesa",
                   admin1_code="UA.17", feature="admin1")
    assert store.correct_location("odesa-1", region, who="desk").geo_precision == 3


def test_version_changes_on_writes(store):
    v0 = store.version()
    store.ingest(ODESA, [incident()])
    v1 = store.version()
    place = Place(name="Odesa", lat=46.48, lon=30.72, country="UA")
    store.correct_location("odesa-1", place, who="desk")
    assert len({v0, v1, store.version()}) == 3


def test_load_incidents(db_url):
    with Store.open(db_url) as s:
        s.ingest(ODESA, [incident()])
        s.ingest(GENEVA, [talks()])
    assert [i.id for i in load_incidents(db_url, country="UA")] == ["odesa-1"]
    assert [i.id for i in load_incidents(db_url, since=date(2026, 2, 17))] == ["geneva-1"]
    with pytest.raises(Exception, match="unknown filter"):
        load_incidents(db_url, contry="UA")


def test_old_database_opens_after_upgrade(tmp_path):
    """A database created at the first schema revision is migrated on open, data intact."""
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        migrate(conn, "0001")
        conn.execute(sa.text(
            "INSERT INTO articles (id, text, ingested_at) VALUES ('a1', 'old text', '2026-01-01 00:00:00')"))
        conn.execute(sa.text(
            "INSERT INTO incidents (id, lat, lon, event_date, event_type, sub_event_type, location, mention,"
            " quote, article_id) VALUES ('old-1', 50.45, 30.52, '2026-01-01', 'Strategic developments',"
            " 'Disrupted weapons use', 'Kyiv', 'Kyiv', 'Air defence shot down drones over Kyiv.', 'a1')"))
        conn.execute(sa.text(
            "INSERT INTO incident_sources (incident_id, article_id, source, published, quote)"
            " VALUES ('old-1', 'a1', 'Old Wire', '2026-01-02', 'Air defence shot down drones over Kyiv.')"))
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == "0001"
    engine.dispose()
    with Store.open(url) as s:
        assert s.get("old-1").location == "Kyiv"
        assert [i.id for i in s.query(Filters(type="shot_down"))] == ["old-1"]  # family backfilled
        assert s.audit("old-1") == []
        assert s.get("old-1").sources == [{"article_id": "a1", "source": "Old Wire", "source_url": None,
                                           "published": "2026-01-02",
                                           "quote": "Air defence shot down drones over Kyiv."}]
        with s.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == HEAD


@pytest.mark.parametrize("params", [
    {}, {"country": "UA"}, {"type": "diplomacy"}, {"bbox": "29,45,32,47"}, {"limit": "1", "offset": "1"},
    {"q": "geneva"}, {"since": "2026-02-18"},
])
def test_features_fast_path_equals_query(store, params):
    store.ingest(ODESA, [incident()])
    store.ingest(GENEVA, [talks()])
    f = Filters.from_params(params)
    assert store.features(f) == [i.to_feature() for i in store.query(f)]


# -- bad paths, read-only stores, short errors (issue 14) ------------------------------------

LEAKS = ("[SQL:", "parameters", "sqlalche.me", "INSERT INTO", ODESA.text)


def test_a_database_error_is_short_and_leaks_no_sql_nor_article(store):
    broken = incident(id="broken", quote=None)  # NOT NULL constraint
    with pytest.raises(StoreError) as err:
        store.ingest(ODESA, [broken])
    message = str(err.value)
    assert "NOT NULL" in message and len(message) < 250
    assert not [leak for leak in LEAKS if leak in message], message


def test_a_parent_that_is_a_file_is_a_store_error(tmp_path):
    (tmp_path / "afile").write_text("not a directory")
    with pytest.raises(StoreError, match="cannot create the directory"):
        Store.open(f"sqlite:///{tmp_path / 'afile' / 'incidents.sqlite'}")


def test_a_directory_as_the_store_is_a_store_error(tmp_path):
    with pytest.raises(StoreError, match="is a directory"):
        Store.open(f"sqlite:///{tmp_path}")


def test_writes_to_a_read_only_store_are_refused_as_unavailable(db_url, tmp_path):
    from mapper.errors import StoreUnavailableError

    with Store.open(db_url) as store:
        store.ingest(ODESA, [incident()])
    read_only = f"sqlite:///file:{tmp_path / 'incidents.sqlite'}?mode=ro&uri=true"
    with Store.open(read_only) as store:
        assert store.read_only and store.stats() == {"articles": 1, "incidents": 1}
        with pytest.raises(StoreUnavailableError, match="read-only"):
            store.ingest(GENEVA, [talks()])
        with pytest.raises(StoreUnavailableError, match="read-only"):
            store.merge("odesa-1", "geneva-1", who="test")
    # the same refusal from SQLite itself, when we did not know beforehand
    with Store.open(read_only) as store:
        store.read_only = False
        with pytest.raises(StoreUnavailableError, match="read-only") as err:
            store.ingest(GENEVA, [talks()])
        assert not [leak for leak in LEAKS if leak in str(err.value)]


@pytest.mark.parametrize("params", [{"offset": 10**29}, {"limit": 10**29}, {"min_fatalities": 10**29}])
def test_absurd_paging_numbers_answer_rather_than_overflow(store, params):
    store.ingest(ODESA, [incident()])
    expected = [] if "limit" not in params else ["odesa-1"]
    assert [i.id for i in store.query(Filters(**params))] == expected
    assert [f["id"] for f in store.features(Filters(**params))] == expected
