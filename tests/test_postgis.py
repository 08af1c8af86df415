"""The store on PostgreSQL with PostGIS (migration 0004): a geometry(Point, 4326) column with GiST
indexes, used by the bbox filter and the merge lookup, giving exactly SQLite's answers.

Runs on the throwaway cluster of tests/conftest.py; skipped, saying so, when the server has no
PostGIS (Debian's postgresql-NN-postgis-3, which ./dev test installs).
"""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from gazetteer.place import Place
from mapper.filters import Filters
from mapper.records import Article, Incident
from mapper.storage.store import Store, _find_same_statement
from mapper.storage import spatial

from test_store import incident


def _available(url: str) -> bool:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        found = conn.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).first()
    engine.dispose()
    return found is not None


@pytest.fixture
def gis_url(pg_database) -> str:
    url = pg_database()
    if not _available(url):
        pytest.skip("PostGIS is not installed on the test server (apt-get install postgresql-NN-postgis-3, "
                    "NN the server's major version; ./dev test does it)")
    return url


@pytest.fixture
def gis(gis_url):
    with Store.open(gis_url) as s:
        assert s.spatial, "PostGIS is installed but the store did not enable it"
        yield s


def test_the_migration_adds_a_point_column_and_gist_indexes(gis):
    with gis.engine.connect() as conn:
        kind = conn.execute(sa.text(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = 'incidents'::regclass AND attname = 'geom'")).scalar_one()
        indexes = dict(conn.execute(sa.text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'incidents'")).all())
    assert kind == "geometry(Point,4326)"
    assert "USING gist (geom)" in indexes["ix_incidents_geom"]
    assert "USING gist (((geom)::geography), event_date)" in indexes["ix_incidents_geog_date"]
    assert "ix_incidents_geog" not in indexes  # replaced by the one above (migration 0005)


def test_sqlite_keeps_todays_columns(db_url):
    with Store.open(db_url) as s:
        assert not s.spatial
        with s.engine.connect() as conn:
            names = {c["name"] for c in sa.inspect(conn).get_columns("incidents")}
    assert "geom" not in names and {"lat", "lon"} <= names


def test_geom_follows_every_write(gis):
    odesa = incident()
    gis.ingest(Article(text="odesa", published=date(2026, 2, 13)), [odesa])
    assert _point(gis, odesa.id) == (odesa.lon, odesa.lat)
    kyiv = Place(name="Kyiv", lat=50.4501, lon=30.5234, country="UA", feature="city", geonameid=703448)
    gis.correct_location(odesa.id, kyiv, who="test")
    assert _point(gis, odesa.id) == (30.5234, 50.4501)


def test_a_role_that_may_not_create_postgis_gets_a_plain_store(pg_cluster, gis_url):
    """Not a superuser (PostGIS is not a trusted extension): the migration skips it cleanly."""
    admin = sa.create_engine(f"postgresql+psycopg://postgres@/postgres?host={pg_cluster}",
                             isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text("DROP ROLE IF EXISTS plain_user"))
        conn.execute(sa.text("CREATE ROLE plain_user LOGIN"))
        conn.execute(sa.text("CREATE DATABASE plain_db OWNER plain_user"))
    try:
        with Store.open(f"postgresql+psycopg://plain_user@/plain_db?host={pg_cluster}") as s:
            assert not s.spatial
            s.ingest(Article(text="odesa", published=date(2026, 2, 13)), [incident()])
            assert [i.id for i in s.query(Filters.from_params({"bbox": "30,46,31,47"}))] == ["odesa-1"]
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text("DROP DATABASE IF EXISTS plain_db WITH (FORCE)"))
            conn.execute(sa.text("DROP ROLE IF EXISTS plain_user"))
        admin.dispose()


def synthetic(n: int, seed: int) -> list[Incident]:
    """Reports that test every way two can or cannot merge: near pairs either side of 5 km, the
    same GeoNames place far apart, region-level ones with and without a region code, other
    types and dates, and places either side of the antimeridian."""
    rng = random.Random(seed)
    centres = [(50.45, 30.52), (46.48, 30.73), (-16.45, 179.9), (-16.45, -179.95), (15.6, 32.5), (48.0, 37.8)]
    types = [("Explosions/Remote violence", "Air/drone strike"), ("Battles", "Armed clash"),
             ("Strategic developments", "Disrupted weapons use")]
    out = []
    for i in range(n):
        lat, lon = rng.choice(centres)
        km = rng.choice([0.5, 3.0, 4.9, 5.05, 5.2, 8.0, 40.0])
        bearing = rng.uniform(0, 6.283)
        lat += km / 111.2 * math.cos(bearing)
        lon += km / (111.2 * math.cos(math.radians(lat))) * math.sin(bearing)
        lon = (lon + 180.0) % 360.0 - 180.0
        precision = rng.choice([1, 1, 1, 2, 3])
        event_type, sub = rng.choice(types)
        out.append(incident(
            id=f"syn-{seed}-{i}", lat=lat, lon=lon, event_date=date(2026, 2, 10) + timedelta(days=rng.randint(0, 6)),
            event_type=event_type, sub_event_type=sub, geo_precision=precision,
            geonameid=rng.choice([None, 1001, 1002, 1003]),
            admin1_code=rng.choice([None, "", "UA.17", "UA.13", "FJ.03"]),
            quote=f"Report {i}.", historical=rng.random() < 0.1))
    return out


def test_merges_and_boxes_equal_sqlite(gis, db_url):
    reports = synthetic(240, seed=7)
    with Store.open(db_url) as sqlite:
        for i, report in enumerate(reports):
            article = Article(text=f"report {i}", published=date(2026, 2, 17))
            assert gis.ingest(article, [report]) == sqlite.ingest(article, [report]), report
        merged = sqlite.stats()["incidents"]
        assert 0 < merged < len(reports)  # some merged, some did not
        assert gis.stats() == sqlite.stats()
        boxes = ["30,50,31,51", "30.5,46.4,30.9,46.6", "179,-17,-179,-16", "179.9,-17,180,-16", "-180,-17,-179.9,-16",
                 "32,15,33,16", "-10,-10,10,10"]
        stored = sqlite.query()
        edge = stored[0]
        boxes.append(f"{edge.lon},{edge.lat},{edge.lon},{edge.lat}")  # a box that is one point: edges count
        for box in boxes:
            f = Filters.from_params({"bbox": box})
            assert [i.id for i in gis.query(f)] == [i.id for i in sqlite.query(f)], box
            assert gis.count(f) == sqlite.count(f)
        assert any(gis.count(Filters.from_params({"bbox": b})) for b in boxes)


def test_postgis_plans_use_the_gist_indexes(gis):
    """With enough rows for the planner to prefer them, the bbox filter and the merge lookup use the indexes."""
    rng = random.Random(3)
    rows = [{**_row(i, rng)} for i in range(20000)]
    with gis.engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO incidents (id, lat, lon, event_date, time_precision, event_type, sub_event_type, location, "
            "mention, geo_precision, quote, historical, family, geonameid, admin1_code) VALUES (:id, :lat, :lon, "
            ":event_date, 1, :event_type, 'Armed clash', 'x', 'x', 1, 'q', false, 'battles', :geonameid, :admin1_code)"),
            rows)
        conn.execute(sa.text("ANALYZE incidents"))
        from mapper.storage.store import _select

        box = _explain(conn, _select(Filters.from_params({"bbox": "30.4,50.3,30.7,50.6"}), spatial=True))
        probe = replace(incident(), lat=50.45, lon=30.52, geonameid=None, event_type="Battles", geo_precision=1)
        merge = _explain(conn, _find_same_statement(probe, spatial=True))
    assert "ix_incidents_geom" in box
    assert "ix_incidents_geog_date" in merge  # the radius and the date window in one index (migration 0005)



def _row(i: int, rng: random.Random) -> dict:
    return {"id": f"bulk-{i}", "lat": rng.uniform(-60, 70), "lon": rng.uniform(-180, 180),
            "event_date": date(2024, 1, 1) + timedelta(days=rng.randint(0, 900)), "event_type": "Battles",
            "geonameid": rng.randint(1, 5000), "admin1_code": f"XX.{rng.randint(1, 300)}"}


def _explain(conn: sa.Connection, stmt) -> str:
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    return "\n".join(r[0] for r in conn.execute(sa.text(f"EXPLAIN {compiled}")))


def _point(store: Store, incident_id: str) -> tuple[float, float]:
    with store.engine.connect() as conn:
        return tuple(conn.execute(sa.text("SELECT ST_X(geom), ST_Y(geom) FROM incidents WHERE id = :id"),
                                  {"id": incident_id}).one())


def test_the_radius_clause_agrees_with_the_distance_function(gis):
    """`within_km` keeps every place `gazetteer.distance` puts within the radius (it searches a little wider)."""
    from gazetteer.distance import distance_km

    reports = synthetic(120, seed=11)
    with gis.engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO incidents (id, lat, lon, time_precision, event_type, sub_event_type, location, mention, "
            "geo_precision, quote, historical, family) VALUES (:id, :lat, :lon, 1, 't', 's', 'x', 'x', 1, 'q', false, 'f')"),
            [{"id": r.id, "lat": r.lat, "lon": r.lon} for r in reports])
        for centre in reports[:10]:
            found = set(conn.execute(sa.select(sa.literal_column("id")).select_from(sa.table("incidents"))
                                     .where(spatial.within_km(centre.lat, centre.lon, 5.0))).scalars())
            near = {r.id for r in reports if distance_km(centre.lat, centre.lon, r.lat, r.lon) <= 5.0}
            assert near <= found
            assert all(distance_km(centre.lat, centre.lon, r.lat, r.lon) <= 5.2 for r in reports if r.id in found)
