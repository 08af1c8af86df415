"""The incident store: articles, incidents, their sources and an audit trail, in SQL.

SQLite by default (a file in the data directory), any SQLAlchemy URL otherwise: PostgreSQL as
``postgresql+psycopg://user@host/db`` (psycopg 3; plain ``postgresql://`` means the same), tested
to give the same answers as SQLite (tests/test_store_postgres.py). The schema is versioned with Alembic and migrated on open, so a
database written by an older version opens after an upgrade. Each article is ingested in one
transaction: an interrupted run never leaves half an article behind, and re-ingesting the same
article (same content hash) is a no-op. All SQL is built with SQLAlchemy Core: parameterised.
"""

from __future__ import annotations

import json
import logging
import os
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import sqlalchemy.ext.compiler
from sqlalchemy import exc as sa_exc

from gazetteer.place import Place
from mapper.errors import NotFoundError, StoreError, StoreUnavailableError
from mapper.families import family_of
from mapper.filters import Filters
from mapper.records import INCIDENT_PROPERTIES, Article, Incident
from mapper.storage import spatial as spatial_clauses
from mapper.storage.spatial import has_geometry

log = logging.getLogger(__name__)

ENV_URL = "INCIDENT_MAP_DB"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "0005"

# Window within which the store asks `mapper.storage.merge.same_incident` whether two reports are one
# incident; the decision itself belongs to the merge module.
MERGE_DAYS = 2
MERGE_DEGREES = 2.0
# Concurrent writers are serialised per merge key (PostgreSQL advisory locks; SQLite has one
# writer at a time anyway): a cell of this many degrees and days. An ingest locks every cell its
# incidents' merge windows touch, so two reports that could merge always share a lock.
LOCK_CELL_DEGREES = 4.0
LOCK_CELL_DAYS = 5
_LOCK_NAMESPACE = 0x1C1DE48  # pg_advisory_xact_lock(namespace, key): our keys, apart from anyone else's
_RETRIES = 3  # a transaction PostgreSQL aborted to break a deadlock is tried again this many times
# Far beyond any row count, and inside every backend's 64-bit integers (a 30-digit page number
# would otherwise overflow the driver).
_MAX_ROWS = 2**62

metadata = sa.MetaData()
articles = sa.Table(
    "articles", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("url", sa.Text), sa.Column("title", sa.Text), sa.Column("source", sa.Text),
    sa.Column("published", sa.Date), sa.Column("origin", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
)
incidents = sa.Table(
    "incidents", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("lat", sa.Float, nullable=False), sa.Column("lon", sa.Float, nullable=False),
    sa.Column("event_date", sa.Date), sa.Column("event_date_end", sa.Date),
    sa.Column("time_precision", sa.Integer, nullable=False),
    sa.Column("event_type", sa.Text, nullable=False), sa.Column("sub_event_type", sa.Text, nullable=False),
    sa.Column("actor1", sa.Text), sa.Column("actor2", sa.Text),
    sa.Column("fatalities", sa.Integer), sa.Column("injured", sa.Integer),
    sa.Column("casualty_note", sa.Text),
    sa.Column("location", sa.Text, nullable=False), sa.Column("mention", sa.Text, nullable=False),
    sa.Column("country", sa.String(2)), sa.Column("admin1", sa.Text), sa.Column("admin1_code", sa.Text),
    sa.Column("geonameid", sa.BigInteger), sa.Column("geo_precision", sa.Integer, nullable=False),
    sa.Column("attribution", sa.Text), sa.Column("quote", sa.Text, nullable=False),
    sa.Column("source", sa.Text), sa.Column("source_url", sa.Text), sa.Column("published", sa.Date),
    sa.Column("article_id", sa.String(64)),
    sa.Column("historical", sa.Boolean, nullable=False),
    sa.Column("family", sa.String(16), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True)),
    sa.Column("sources_json", sa.Text),  # copy of incident_sources rows: one query per read
)
incident_sources = sa.Table(
    "incident_sources", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("incident_id", sa.String(64), nullable=False),
    sa.Column("article_id", sa.String(64)), sa.Column("source", sa.Text),
    sa.Column("source_url", sa.Text), sa.Column("published", sa.Date), sa.Column("quote", sa.Text),
)
audit_log = sa.Table(
    "audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("incident_id", sa.String(64), nullable=False),
    sa.Column("who", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("note", sa.Text), sa.Column("before", sa.JSON), sa.Column("after", sa.JSON),
)

_INCIDENT_COLUMNS = ("lat", "lon", *(c for c in INCIDENT_PROPERTIES if c != "sources"))
_SOURCE_KEYS = ("article_id", "source", "source_url", "published", "quote")
_DATE_COLUMNS = ("event_date", "event_date_end", "published")
_LOCATION_KEYS = ("lat", "lon", "location", "country", "admin1", "admin1_code", "geonameid", "geo_precision")


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What one `Store.ingest` did: incidents added, incidents merged into stored ones, and
    whether the article was skipped because it was already stored (same content hash)."""

    article_id: str
    new: int = 0
    merged: int = 0
    skipped: bool = False
    ids: tuple[str, ...] = ()  # stored ids of the article's incidents, in input order


def default_url() -> str:
    """``$INCIDENT_MAP_DB``, else a SQLite file ``incidents.sqlite`` in the data directory."""
    env = os.environ.get(ENV_URL)
    if env:
        return env
    from gazetteer.paths import data_home

    return f"sqlite:///{data_home() / 'incidents.sqlite'}"


def migrate(connection: sa.Connection, revision: str = "head") -> None:
    """Brings the schema on `connection` to `revision` with Alembic."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


# PostgreSQL advisory lock key that serialises migrations: any number, but the same in every version.
_MIGRATION_LOCK = 0x1C1DE47


def _migrate_once(engine: sa.Engine, revision: str) -> None:
    """Migrates under a database-wide lock, so processes opening a new store at the same time
    (the web server's workers, an ingest) do not both create the tables; the second waits, then
    finds the schema current. A store already at head is not locked at all."""
    backend = engine.dialect.name
    if revision == "head":
        with engine.connect() as conn:
            if _revision(conn) == HEAD:
                return
    with engine.begin() as conn:
        if backend == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        elif backend == "sqlite":
            # the write lock up front: pysqlite would only begin at the first INSERT
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        migrate(conn, revision)


def _revision(conn: sa.Connection) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


class Store:
    """Incidents and where they came from. One per process; safe to share between threads
    (one engine, a connection per call)."""

    def __init__(self, engine: sa.Engine, *, read_only: bool = False, spatial: bool = False):
        self.engine = engine
        self.read_only = read_only
        # PostGIS `geom` column (migration 0004): bbox filters and merge lookups go through its GiST indexes
        self.spatial = spatial
        self.url = engine.url.render_as_string(hide_password=True)

    @classmethod
    def open(cls, url: str | None = None, *, migrate_to: str = "head") -> Store:
        """Opens (creating if needed) and migrates the store at `url` (see `default_url`)."""
        url = url or default_url()
        try:
            parsed = sa.engine.make_url(url)
        except sa_exc.ArgumentError as err:
            raise StoreError(f"not a database URL: {url!r}") from err
        if parsed.drivername in ("postgresql", "postgres"):
            # SQLAlchemy's default PostgreSQL driver is psycopg2; the one we install is psycopg 3
            parsed = parsed.set(drivername="postgresql+psycopg")
        read_only = False
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            parsed, read_only = _sqlite_file(parsed)
        from alembic.util import CommandError

        try:
            engine = sa.create_engine(parsed, **_engine_options(parsed))
        except (sa_exc.SQLAlchemyError, ImportError) as err:  # e.g. the URL's driver is not installed
            raise StoreError(f"cannot use database URL {parsed.render_as_string(hide_password=True)}: {err}") from err
        if parsed.get_backend_name() == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_read_pragmas if read_only else _sqlite_pragmas)
        elif parsed.get_backend_name() == "postgresql":
            sa.event.listen(engine, "connect", _postgres_session, insert=True)
        where = parsed.render_as_string(hide_password=True)
        try:
            if read_only:
                _check_current(engine, where)
            else:
                _migrate_once(engine, migrate_to)
            with engine.connect() as conn:
                spatial = has_geometry(conn)
        except (sa_exc.SQLAlchemyError, CommandError) as err:
            engine.dispose()
            # an unknown revision in the database: a newer incident-map wrote it
            hint = " (a database written by a newer incident-map?)" if isinstance(err, CommandError) else ""
            reason = _short(err) if isinstance(err, sa_exc.SQLAlchemyError) else str(err)
            raise StoreError(f"cannot open the store at {where}: {reason}{hint}") from err
        except StoreError:
            engine.dispose()
            raise
        if read_only:
            log.info("the store at %s is read-only: reads work, writes are refused", where)
        return cls(engine, read_only=read_only, spatial=spatial)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _begin(self) -> Iterator[sa.Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except sa_exc.SQLAlchemyError as err:
            raise _store_error(err) from err

    @contextmanager
    def _writing(self, locks: Iterable[str] = ()) -> Iterator[sa.Connection]:
        """A write transaction, serialised against other writers holding any of the same `locks`
        (merge cells, article ids: PostgreSQL advisory locks; SQLite takes its one write lock)."""
        if self.read_only:
            raise StoreUnavailableError(f"the store at {self.url} is read-only: nothing can be written")
        keys = sorted({_lock_key(name) for name in locks})  # one global order: writers cannot deadlock on them
        try:
            with self.engine.begin() as conn:
                if conn.dialect.name == "sqlite":
                    # the write lock up front: pysqlite would only begin at the first INSERT, after
                    # our reads, and two such transactions cannot both upgrade to writing
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                elif conn.dialect.name == "postgresql":
                    for key in keys:
                        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:ns, :key)"),
                                     {"ns": _LOCK_NAMESPACE, "key": key})
                yield conn
        except sa_exc.SQLAlchemyError as err:
            raise _store_error(err) from err

    # -- writing -------------------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        with self._begin() as conn:
            return conn.execute(sa.select(articles.c.id).where(articles.c.id == article_id)).first() is not None

    def ingest(self, article: Article, found: Iterable[Incident]) -> IngestResult:
        """Stores an article and its incidents in one transaction, merging each incident into a
        stored one when `mapper.storage.merge.same_incident` says they are the same event.

        Safe to call from many threads and processes at once: writers whose reports could merge
        are serialised (see `LOCK_CELL_DEGREES`), so no report is lost and no event is stored
        twice. An article already stored (same content hash) is skipped, and its result lists
        the ids of the incidents it reported."""
        found = [_with_article(incident, article) for incident in found]
        locks = [f"article:{article.id}", *(cell for incident in found for cell in _merge_cells(incident))]
        for attempt in range(_RETRIES + 1):
            try:
                return self._ingest(article, found, locks)
            except StoreError as err:
                # PostgreSQL aborted us to break a deadlock with a manual merge: the work is idempotent, go again
                if attempt == _RETRIES or _sqlstate(err.__cause__) not in ("40P01", "40001"):
                    raise
        raise AssertionError("unreachable")

    def _ingest(self, article: Article, found: list[Incident], locks: list[str]) -> IngestResult:
        now = datetime.now(UTC)
        with self._writing(locks) as conn:
            if conn.execute(sa.select(articles.c.id).where(articles.c.id == article.id)).first():
                return IngestResult(article.id, skipped=True, ids=self._reported_by(conn, article.id))
            conn.execute(articles.insert().values(**_no_nul(dict(
                id=article.id, url=article.url, title=article.title, source=article.source,
                published=article.published, origin=article.origin, text=article.text, ingested_at=now,
            ))))
            new = merged = 0
            ids: list[str] = []
            for incident in found:
                existing = self._find_same_locked(conn, incident)
                if existing is None:
                    self._insert(conn, incident, now)
                    new += 1
                    ids.append(incident.id)
                else:
                    from mapper.storage.merge import merge_into

                    combined = merge_into(existing, incident)
                    combined.sources = combined.sources or _union_sources(existing.sources, incident.sources)
                    self._update(conn, existing.id, combined, now)
                    # automatic merges change stored figures too: keep them reviewable
                    self._audit(conn, existing.id, who="ingest", action="merge_report", at=now,
                                note=f"report {incident.id} from article {article.id}",
                                before=existing.properties(), after=combined.properties())
                    merged += 1
                    ids.append(existing.id)
            return IngestResult(article.id, new=new, merged=merged, ids=tuple(ids))

    def correct_location(self, incident_id: str, place: Place, *, who: str, note: str | None = None) -> Incident:
        """Moves an incident to `place` (a user's correction), keeping the change in the audit trail."""
        _require_who(who)
        with self._writing() as conn:
            before = self._get(conn, incident_id, lock=True)
            precision = 3 if place.feature in ("country", "admin1", "region") else 1
            after = replace(
                before, lat=float(place.lat), lon=float(place.lon), location=place.name,
                country=place.country or before.country, admin1=place.admin1,
                admin1_code=place.admin1_code, geonameid=place.geonameid, geo_precision=precision,
            )
            now = datetime.now(UTC)
            self._update(conn, incident_id, after, now, sources=False)
            self._audit(conn, incident_id, who=who, action="correct_location", note=note, at=now,
                        before={k: getattr(before, k) for k in _LOCATION_KEYS},
                        after={k: getattr(after, k) for k in _LOCATION_KEYS})
            return after

    def merge(self, keep_id: str, drop_id: str, *, who: str, note: str | None = None) -> Incident:
        """Merges duplicate `drop_id` into `keep_id` (sources pooled) and deletes `drop_id`;
        both ids keep their audit trail."""
        from mapper.storage.merge import merge_into

        _require_who(who)
        if keep_id == drop_id:
            raise StoreError(f"cannot merge incident {keep_id} into itself")
        with self._writing() as conn:
            # rows locked in one order (ids sorted), so two merges of the same pair cannot deadlock
            locked = {i: self._get(conn, i, lock=True) for i in sorted((keep_id, drop_id))}
            keep, drop = locked[keep_id], locked[drop_id]
            combined = merge_into(keep, drop)
            combined.id = keep_id
            combined.sources = combined.sources or _union_sources(keep.sources, drop.sources)
            now = datetime.now(UTC)
            self._update(conn, keep_id, combined, now)
            conn.execute(incident_sources.delete().where(incident_sources.c.incident_id == drop_id))
            conn.execute(incidents.delete().where(incidents.c.id == drop_id))
            self._audit(conn, keep_id, who=who, action="merge", note=note or f"merged {drop_id}", at=now,
                        before=keep.properties(), after=combined.properties())
            self._audit(conn, drop_id, who=who, action="merged_into", note=note or f"merged into {keep_id}",
                        at=now, before=drop.properties(), after={"merged_into": keep_id})
            return combined

    # -- reading -------------------------------------------------------------------------

    def get(self, incident_id: str) -> Incident:
        with self._begin() as conn:
            return self._get(conn, incident_id)

    def query(self, filters: Filters | None = None) -> list[Incident]:
        """Incidents matching `filters`, newest first (filtering, order and paging in SQL)."""
        filters = filters or Filters()
        with self._begin() as conn:
            rows = conn.execute(_select(filters, spatial=self.spatial)).mappings().all()
        return [_incident(row) for row in rows]

    def features(self, filters: Filters | None = None) -> list[dict[str, Any]]:
        """``[i.to_feature() for i in query(filters)]`` built straight from rows (the API's fast path)."""
        filters = filters or Filters()
        with self._begin() as conn:
            rows = conn.execute(_select(filters, columns=_feature_columns(), spatial=self.spatial)).all()
        n = len(_FEATURE_PROPS)
        # one JSON parse for all rows' sources instead of one per row
        sources = json.loads("[" + ",".join(row[n + 2] or "[]" for row in rows) + "]")
        out = []
        for row, row_sources in zip(rows, sources):
            props = dict(zip(_FEATURE_PROPS, row))
            props["historical"] = bool(props["historical"])
            props["sources"] = [{k: v for k, v in s.items() if k != "trace"} for s in row_sources]  # as to_feature()
            out.append({
                "type": "Feature",
                "id": props["id"],
                "geometry": {"type": "Point", "coordinates": [round(row[n], 6), round(row[n + 1], 6)]},
                "properties": props,
            })
        return out

    def columns(self, filters: Filters | None, names: Iterable[str]) -> list[tuple[Any, ...]]:
        """A few columns (`names`, incident properties) of every matching incident, in `query`'s
        order with its paging: summaries of many incidents without building `Incident`s."""
        cols = [sa.cast(incidents.c[n], sa.String) if n in _DATE_COLUMNS else incidents.c[n] for n in names]
        with self._begin() as conn:
            stmt = _select(filters or Filters(), columns=cols, spatial=self.spatial)
            return [tuple(row) for row in conn.execute(stmt).all()]

    def count(self, filters: Filters | None = None) -> int:
        filters = replace(filters or Filters(), limit=None, offset=0)
        with self._begin() as conn:
            sub = _select(filters, columns=[incidents.c.id], spatial=self.spatial).subquery()
            return int(conn.execute(sa.select(sa.func.count()).select_from(sub)).scalar_one())

    def audit(self, incident_id: str) -> list[dict[str, Any]]:
        """The audit trail of one incident (also of a merged-away one), oldest first."""
        with self._begin() as conn:
            rows = conn.execute(
                sa.select(audit_log).where(audit_log.c.incident_id == incident_id)
                .order_by(audit_log.c.at, audit_log.c.id)
            ).mappings().all()
        return [{**row, "at": _utc(row["at"]).isoformat()} for row in rows]

    def version(self) -> str:
        """Changes whenever incidents change (ingest, merge, correction): a cheap cache key."""
        with self._begin() as conn:
            row = conn.execute(sa.select(
                sa.select(sa.func.count()).select_from(incidents).scalar_subquery(),
                sa.select(sa.func.max(incident_sources.c.id)).scalar_subquery(),
                sa.select(sa.func.max(audit_log.c.id)).scalar_subquery(),
            )).one()
        return "-".join(str(v or 0) for v in row)

    def stats(self) -> dict[str, int]:
        with self._begin() as conn:
            n_articles = conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one()
            n_incidents = conn.execute(sa.select(sa.func.count()).select_from(incidents)).scalar_one()
        return {"articles": int(n_articles), "incidents": int(n_incidents)}

    # -- internals -----------------------------------------------------------------------

    def _get(self, conn: sa.Connection, incident_id: str, *, lock: bool = False) -> Incident:
        """One incident; with `lock`, its row stays locked until the transaction ends (PostgreSQL:
        another writer's change to it waits, and we read its latest version)."""
        stmt = sa.select(incidents).where(incidents.c.id == incident_id)
        row = conn.execute(stmt.with_for_update() if lock else stmt).mappings().first()
        if row is None:
            raise NotFoundError(f"no incident with id {incident_id!r}")
        return _incident(row)

    def _find_same_locked(self, conn: sa.Connection, incident: Incident) -> Incident | None:
        """`_find_same`, then the match's row locked and read again: a manual merge or correction
        (which take no merge-cell lock) may have changed or removed it since."""
        for _ in range(_RETRIES):
            found = self._find_same(conn, incident)
            if found is None:
                return None
            try:
                return self._get(conn, found.id, lock=True)
            except NotFoundError:
                continue  # merged away a moment ago: look again, the survivor may be the match
        return None

    def _reported_by(self, conn: sa.Connection, article_id: str) -> tuple[str, ...]:
        """Ids of the stored incidents that list `article_id` among their sources."""
        rows = conn.execute(
            sa.select(incident_sources.c.incident_id).where(incident_sources.c.article_id == article_id)
            .group_by(incident_sources.c.incident_id).order_by(sa.func.min(incident_sources.c.id))
        ).scalars().all()
        return tuple(rows)

    def _find_same(self, conn: sa.Connection, incident: Incident) -> Incident | None:
        row = conn.execute(sa.select(incidents).where(incidents.c.id == incident.id)).mappings().first()
        if row is not None:  # ids are content-derived: the same id is the same incident
            return _incident(row)
        template, params = _find_same_query(incident, spatial=self.spatial)
        rows = conn.execute(template, params).mappings().all()
        if not rows:
            return None
        from mapper.storage.merge import same_incident  # imported only when there is something to compare

        for row in rows:
            candidate = _incident(row)
            if same_incident(candidate, incident):
                return candidate
        return None

    def _insert(self, conn: sa.Connection, incident: Incident, now: datetime) -> None:
        conn.execute(incidents.insert().values(**_row(incident), updated_at=now))
        self._write_sources(conn, incident.id, incident.sources)

    def _update(self, conn: sa.Connection, incident_id: str, incident: Incident, now: datetime,
                *, sources: bool = True) -> None:
        values = _row(incident)
        values["id"] = incident_id
        conn.execute(incidents.update().where(incidents.c.id == incident_id).values(**values, updated_at=now))
        if sources:
            conn.execute(incident_sources.delete().where(incident_sources.c.incident_id == incident_id))
            self._write_sources(conn, incident_id, incident.sources)

    def _write_sources(self, conn: sa.Connection, incident_id: str, sources: list[dict[str, Any]]) -> None:
        # The JSON copy also keeps each source's trace (why the text gave this incident).
        entries = [_no_nul({k: _iso_date(s.get(k)) if k == "published" else s.get(k) for k in (*_SOURCE_KEYS, "trace")
                            if k != "trace" or s.get("trace")}) for s in sources]
        conn.execute(incidents.update().where(incidents.c.id == incident_id).values(
            sources_json=json.dumps(entries, ensure_ascii=False)))
        if sources:
            conn.execute(incident_sources.insert(), [
                _no_nul({"incident_id": incident_id, **{k: _as_date(s.get(k)) if k == "published" else s.get(k)
                                                        for k in _SOURCE_KEYS}})
                for s in sources
            ])

    def _audit(self, conn: sa.Connection, incident_id: str, *, who: str, action: str, note: str | None,
               at: datetime, before: dict[str, Any], after: dict[str, Any]) -> None:
        conn.execute(audit_log.insert().values(
            incident_id=incident_id, who=who, at=at, action=action, note=note,
            before=_jsonable(before), after=_jsonable(after),
        ))


def load_incidents(db: str | Store | None = None, **filters: Any) -> list[Incident]:
    """Incidents from the store at `db` (URL, open `Store`, or the default), filtered by keyword
    filters as `Filters.from_params` takes them::

        load_incidents(since="2026-02-01", country="UA", type="strikes")
    """
    parsed = Filters.from_params(filters, strict=True)
    if isinstance(db, Store):
        return db.query(parsed)
    with Store.open(db) as store:
        return store.query(parsed)


# -- helpers -------------------------------------------------------------------------------

_FEATURE_PROPS = tuple(n for n in INCIDENT_PROPERTIES if n != "sources")


@lru_cache(maxsize=1)
def _feature_columns() -> list[Any]:
    # dates as their ISO text (SQLite stores them so; PostgreSQL casts the same way)
    cols = [sa.cast(incidents.c[n], sa.String) if n in _DATE_COLUMNS else incidents.c[n] for n in _FEATURE_PROPS]
    return [*cols, incidents.c.lon, incidents.c.lat, incidents.c.sources_json]


def _sqlite_file(url: sa.URL) -> tuple[sa.URL, bool]:
    """(URL to connect with, read-only?) for a SQLite file: its directory is created when needed;
    a file we may not write is opened read-only, so `export`, `build` and `serve` still work."""
    if url.database.startswith("file:"):  # already a SQLite URI (``?mode=ro&uri=true``): as given
        return url, url.query.get("mode") == "ro"
    path = Path(url.database).expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(f"cannot create the directory for the store {path}: {err.strerror or err}") from err
    if not path.parent.is_dir():
        raise StoreError(f"cannot use {path} as the store: {path.parent} is not a directory")
    if path.exists():
        if path.is_dir():
            raise StoreError(f"cannot use {path} as the store: it is a directory")
        if not os.access(path, os.R_OK):
            raise StoreError(f"cannot read the store {path}: permission denied")
        if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
            return url, False
        # Read-only. WAL needs its -shm file beside the database: if we cannot create it there,
        # promise SQLite that nobody writes the file while we read it (immutable).
        shm = path.with_name(path.name + "-shm")
        immutable = not os.access(path.parent, os.W_OK) and not shm.exists()
        query = {"mode": "ro", "uri": "true", **({"immutable": "1"} if immutable else {})}
        from urllib.parse import quote

        return url.set(database=f"file:{quote(str(path.absolute()))}", query=query), True
    if not os.access(path.parent, os.W_OK):
        raise StoreError(f"cannot create the store {path}: {path.parent} is not writable")
    return url, False


def _check_current(engine: sa.Engine, where: str) -> None:
    """A read-only store cannot be migrated: it must already be at `HEAD`."""
    with engine.connect() as conn:
        revision = _revision(conn)
    if revision != HEAD:
        found = "no incident-map schema" if revision is None else f"schema version {revision}"
        raise StoreError(f"the store at {where} is read-only and has {found} (this version needs {HEAD}): "
                         "open it once with write access to create or upgrade it")


def _short(err: sa_exc.SQLAlchemyError) -> str:
    """The driver's own one-line reason, without the SQL, its parameters (a whole article) or a link."""
    orig = getattr(err, "orig", None)
    text = str(orig if orig is not None else err).strip().splitlines()
    first = text[0] if text else type(err).__name__
    if orig is None:
        first = first.split(" [SQL:")[0].split(" (Background on this error")[0]
    return first[:200]


def _sqlstate(err: BaseException | None) -> str | None:
    """PostgreSQL's SQLSTATE of a driver error (None elsewhere)."""
    orig = getattr(err, "orig", None)
    return getattr(orig, "sqlstate", None)


def _store_error(err: sa_exc.SQLAlchemyError) -> StoreError:
    """A short `StoreError` for users (the details go to the log); `StoreUnavailableError` when the
    store as a whole refuses writes, so a batch stops instead of failing every article."""
    reason = _short(err)
    log.debug("database error: %s", err)  # the SQL and its parameters; the web app logs them (web.errors)
    orig = getattr(err, "orig", None)
    sqlstate = _sqlstate(err) or ""
    sqlite_name = getattr(orig, "sqlite_errorname", "") or ""
    lowered = reason.lower()
    if sqlite_name.startswith("SQLITE_READONLY") or sqlstate == "25006" or "readonly database" in lowered:
        return StoreUnavailableError(f"the store is read-only ({reason})")
    if sqlite_name.startswith("SQLITE_FULL") or sqlstate.startswith("53") or "disk is full" in lowered:
        return StoreUnavailableError(f"the database's disk is full ({reason})")
    if sqlite_name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_CORRUPT", "SQLITE_NOTADB")):
        # the file itself, not this article: a full or failing disk, a file that may not grow
        return StoreUnavailableError(f"the database file cannot be written: {reason} (is the disk full or failing?)")
    if (isinstance(err, sa_exc.DBAPIError) and err.connection_invalidated) or sqlstate.startswith(("08", "57P")):
        return StoreUnavailableError(f"lost the connection to the database ({reason})")
    return StoreError(f"database error: {reason}")


def _lock_key(name: str) -> int:
    """A lock name as PostgreSQL's 32-bit advisory-lock key (a collision only serialises more)."""
    return zlib.crc32(name.encode("utf-8")) - 2**31


def _merge_cells(incident: Incident) -> list[str]:
    """Lock names of every cell that `incident`'s merge window (the box `_find_same` searches) touches."""
    def span(low: float, high: float, size: float) -> range:
        return range(int(low // size), int(high // size) + 1)

    lats = span(incident.lat - MERGE_DEGREES, incident.lat + MERGE_DEGREES, LOCK_CELL_DEGREES)
    lons = span(incident.lon - MERGE_DEGREES, incident.lon + MERGE_DEGREES, LOCK_CELL_DEGREES)
    if incident.event_date is None:
        days: Iterable[Any] = ["undated"]
    else:
        day = incident.event_date.toordinal()
        days = span(day - MERGE_DAYS, day + MERGE_DAYS, LOCK_CELL_DAYS)
    return [f"cell:{la}:{lo}:{d}" for la in lats for lo in lons for d in days]


def _engine_options(url: sa.URL) -> dict[str, Any]:
    if url.get_backend_name() == "sqlite":
        return {"connect_args": {"timeout": 30}}
    # a long-running server outlives database restarts: test pooled connections before use
    return {"pool_pre_ping": True}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the web server read while `ingest` writes; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    _wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # SQLite's own lower() folds ASCII only: see `_unicode_lower`.
    dbapi_connection.create_function("unicode_lower", 1, _unicode_lower, deterministic=True)


def _wal(cursor: Any, *, seconds: float = 30.0) -> None:
    """Puts the database in WAL mode (once per file: it is persistent). The switch needs the file
    to itself, and SQLite answers "database is locked" at once, without its busy timeout, while
    another connection holds a transaction: processes opening a new store together (a server's
    workers, an ingest) retry until the one creating the schema is done."""
    import sqlite3
    import time

    deadline = time.monotonic() + seconds
    while True:
        try:
            if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_read_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # read-only: no journal-mode change (it writes the file header)
    dbapi_connection.create_function("unicode_lower", 1, _unicode_lower, deterministic=True)


def _postgres_session(dbapi_connection: Any, _record: Any) -> None:
    # psycopg reads dates only in ISO style and `features()` casts dates to text, so a server
    # configured with another DateStyle (e.g. 'SQL, DMY') must not leak into our sessions.
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET datestyle TO 'ISO, YMD'")
    dbapi_connection.commit()  # a SET inside a rolled-back transaction would be undone


def _unicode_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _find_same_statement(incident: Incident, *, spatial: bool = False) -> sa.Select:
    """Stored incidents that might be the same event as `incident` (its merge window: `MERGE_DAYS`
    and `MERGE_DEGREES` around it), in the order `_find_same` tries them; its values bound."""
    template, params = _find_same_query(incident, spatial=spatial)
    return template.params(**params)


def _find_same_query(incident: Incident, *, spatial: bool) -> tuple[sa.Select, dict[str, Any]]:
    """`_find_same_statement` as a cached statement of bound parameters and their values: the
    statement is built and compiled once per shape, a lookup only executes it."""
    params: dict[str, Any] = {"lat_lo": incident.lat - MERGE_DEGREES, "lat_hi": incident.lat + MERGE_DEGREES,
                              "lon_lo": incident.lon - MERGE_DEGREES, "lon_hi": incident.lon + MERGE_DEGREES}
    if incident.event_date is not None:
        window = timedelta(days=MERGE_DAYS)
        params.update(date_lo=incident.event_date - window, date_hi=incident.event_date + window)
    if not spatial:
        return _find_same_template(incident.event_date is None), params
    params.update(spatial_clauses.merge_params(incident))
    shape = spatial_clauses.merge_shape(incident)
    return _find_same_template(incident.event_date is None, **shape), params


@lru_cache(maxsize=None)
def _find_same_template(undated: bool, region: bool | None = None, admin1: bool = False,
                        place: bool = False) -> sa.Select:
    """The lookup's statement for one shape (`region` None: without PostGIS)."""
    c = incidents.c
    clauses = [c.lat.between(sa.bindparam("lat_lo", type_=c.lat.type), sa.bindparam("lat_hi", type_=c.lat.type)),
               c.lon.between(sa.bindparam("lon_lo", type_=c.lon.type), sa.bindparam("lon_hi", type_=c.lon.type))]
    if undated:
        clauses.append(c.event_date.is_(None))
    else:
        clauses.append(c.event_date.between(sa.bindparam("date_lo", type_=c.event_date.type),
                                            sa.bindparam("date_hi", type_=c.event_date.type)))
    if region is None:
        return sa.select(incidents).where(*clauses).order_by(c.event_date, _bytewise(c.id))
    # PostGIS: only the candidates `same_incident` could accept, each arm through its own index
    # (ST_DWithin for nearby places), in the same order: so the same first match.
    from mapper.storage.merge import MAX_KM

    arms = [sa.select(incidents).where(*clauses, arm)
            for arm in spatial_clauses.merge_arms(region=region, admin1=admin1, place=place, max_km=MAX_KM, columns=c)]
    found = (sa.union(*arms) if len(arms) > 1 else arms[0]).subquery()
    return sa.select(found).order_by(found.c.event_date, _bytewise(found.c.id))


def _select(filters: Filters, *, columns: list[Any] | None = None, spatial: bool = False) -> sa.Select:
    stmt = sa.select(*(columns or [incidents])).where(*_where(filters, spatial=spatial))
    stmt = stmt.order_by(incidents.c.event_date.desc().nulls_last(), _bytewise(incidents.c.id))
    if filters.limit is not None:
        stmt = stmt.limit(min(filters.limit, _MAX_ROWS))
    if filters.offset:
        stmt = stmt.offset(min(filters.offset, _MAX_ROWS))
    return stmt


class _bytewise(sa.sql.expression.ColumnElement):
    """A text column ordered by code point, as SQLite does: a PostgreSQL database's own collation
    (say en_US, which skips punctuation) would order ties, and so pages and merge candidates,
    differently from SQLite."""

    inherit_cache = True
    _traverse_internals = [("column", sa.sql.visitors.InternalTraversal.dp_clauseelement)]

    def __init__(self, column: Any):
        self.column = column
        self.type = column.type


@sa.ext.compiler.compiles(_bytewise)
def _compile_bytewise(element: Any, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.column, **kw)


@sa.ext.compiler.compiles(_bytewise, "postgresql")
def _compile_bytewise_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f'{compiler.process(element.column, **kw)} COLLATE "C"'


class _unicode_lower_sql(sa.sql.functions.FunctionElement):
    """``lower(x)`` that folds non-ASCII letters on every backend. PostgreSQL's lower() does (in a
    UTF-8 database); SQLite's folds ASCII only, so there it calls Python's `str.lower`,
    registered on each connection (slower, hence used only for non-ASCII search text)."""

    type = sa.Text()
    inherit_cache = True


@sa.ext.compiler.compiles(_unicode_lower_sql)
def _compile_lower(element: Any, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@sa.ext.compiler.compiles(_unicode_lower_sql, "sqlite")
def _compile_lower_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"unicode_lower({compiler.process(element.clauses, **kw)})"


def _contains(column: Any, text: str) -> Any:
    """Case-insensitive substring match, `text` taken literally, the same on SQLite and PostgreSQL."""
    pattern = _like(text)
    if text.isascii():  # both backends' own case folding agrees on ASCII
        return column.ilike(pattern, escape="\\")
    return _unicode_lower_sql(column).like(pattern.lower(), escape="\\")


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(f: Filters, *, spatial: bool = False) -> list[Any]:
    c = incidents.c
    out: list[Any] = []
    if f.since:
        out.append(sa.func.coalesce(c.event_date_end, c.event_date) >= f.since)
    if f.until:
        out.append(c.event_date <= f.until)
    if f.type:
        out.append(sa.or_(c.family == f.type, c.event_type == f.type, c.sub_event_type == f.type))
    if f.actor:
        out.append(sa.or_(_contains(c.actor1, f.actor), _contains(c.actor2, f.actor)))
    if f.country:
        out.append(c.country == f.country)
    if f.min_fatalities is not None:
        out.append(sa.func.coalesce(c.fatalities, 0) >= min(f.min_fatalities, _MAX_ROWS))
    if f.q:
        out.append(sa.or_(*(_contains(col, f.q) for col in (
            c.quote, c.location, c.mention, c.admin1, c.attribution, c.actor1, c.actor2, c.source))))
    if f.bbox:
        minlon, minlat, maxlon, maxlat = f.bbox
        if spatial:  # the GiST index finds the rows; the exact bounds below keep the edges as SQLite has them
            out.append(spatial_clauses.bbox(minlon, minlat, maxlon, maxlat))
        out.append(c.lat.between(minlat, maxlat))
        if minlon <= maxlon:
            out.append(c.lon.between(minlon, maxlon))
        else:  # crosses the antimeridian
            out.append(sa.or_(c.lon >= minlon, c.lon <= maxlon))
    return out


def _row(incident: Incident) -> dict[str, Any]:
    values = {name: getattr(incident, name) for name in _INCIDENT_COLUMNS}
    values["family"] = family_of(incident.event_type, incident.sub_event_type)
    values["historical"] = bool(incident.historical)
    return _no_nul(values)


def _no_nul(values: dict[str, Any]) -> dict[str, Any]:
    """Drops NUL characters from text values: PostgreSQL text cannot hold them (SQLite can), and
    both backends must store the same thing. They carry no meaning in an article."""
    return {k: v.replace("\x00", "") if isinstance(v, str) and "\x00" in v else v for k, v in values.items()}


def _incident(row: Any) -> Incident:
    kwargs = {name: row[name] for name in _INCIDENT_COLUMNS}
    sources = json.loads(row["sources_json"]) if row["sources_json"] else []
    return Incident(**kwargs, sources=sources)


def _with_article(incident: Incident, article: Article) -> Incident:
    """Fills the article fields an extractor may have left empty, and a first source entry."""
    filled = replace(
        incident,
        article_id=incident.article_id or article.id,
        source=incident.source or article.source,
        source_url=incident.source_url or article.url,
        published=incident.published or article.published,
    )
    if not filled.sources:
        filled.sources = [{
            "article_id": filled.article_id, "source": filled.source, "source_url": filled.source_url,
            "published": filled.published.isoformat() if filled.published else None, "quote": filled.quote,
        }]
    return filled


def _union_sources(*lists: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[tuple[Any, Any]] = set()
    for sources in lists:
        for s in sources or []:
            key = (s.get("article_id"), s.get("quote"))
            if key not in seen:
                seen.add(key)
                out.append(_jsonable(dict(s)))
    return out


def _iso_date(value: Any) -> str | None:
    return None if value is None else (value.isoformat() if isinstance(value, date) else str(value)[:10])


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _utc(value: datetime) -> datetime:
    # PostgreSQL returns timestamptz in the session's time zone: report UTC like SQLite does
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _require_who(who: str) -> None:
    if not who or not who.strip():
        raise StoreError("an edit needs `who` (the user or tool making it) for the audit trail")


__all__ = ["Store", "IngestResult", "load_incidents", "default_url", "migrate", "HEAD"]
