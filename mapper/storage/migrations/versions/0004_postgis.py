"""PostgreSQL with PostGIS: incidents.geom, a geometry(Point, 4326) kept from lon/lat, and GiST indexes.

Only on PostgreSQL, and only where the postgis extension is installed on the server and we may
create it in this database; anywhere else (SQLite, a server without PostGIS, a role without the
right) this revision changes nothing and the store keeps filtering on lat/lon. `geom` is a
generated column, so every writer (ours, or SQL typed by hand) keeps it equal to lon/lat.
The geography index serves radius searches in metres (`ST_DWithin`, the merge lookup); the
(geonameid, event_date) and (admin1_code, event_date) indexes serve the merge lookup's
same-place and same-region arms.

Revision ID: 0004
Revises: 0003
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql" or not _postgis(bind):
        return
    op.execute("ALTER TABLE incidents ADD COLUMN geom geometry(Point, 4326) "
               "GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED")
    op.execute("CREATE INDEX ix_incidents_geom ON incidents USING gist (geom)")
    op.execute("CREATE INDEX ix_incidents_geog ON incidents USING gist ((geom::geography))")
    op.create_index("ix_incidents_geonameid_date", "incidents", ["geonameid", "event_date"])
    op.create_index("ix_incidents_admin1_date", "incidents", ["admin1_code", "event_date"])


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_incidents_admin1_date")
    op.execute("DROP INDEX IF EXISTS ix_incidents_geonameid_date")
    op.execute("ALTER TABLE incidents DROP COLUMN IF EXISTS geom")  # its indexes go with it


def _postgis(bind: sa.Connection) -> bool:
    """True once the postgis extension is in this database; False (and a log line) when the server
    does not have it or we may not create it. A failed CREATE must not abort the migration's
    transaction, hence the savepoint."""
    available = bind.execute(sa.text(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).first() is not None
    if not available:
        log.info("PostGIS is not installed on this server: incidents keep lat/lon filtering only")
        return False
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis"))
    except sa.exc.DBAPIError as err:  # e.g. insufficient privilege: the store works without it
        log.warning("PostGIS is installed but could not be enabled here (%s): lat/lon filtering only",
                    str(getattr(err, "orig", err)).strip().splitlines()[0])
        return False
    return True
