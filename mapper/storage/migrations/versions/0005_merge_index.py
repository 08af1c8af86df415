"""PostGIS stores: the merge lookup's radius search and its date window in one GiST index.

`ix_incidents_geog` (0004) finds every stored incident within a few km of a report, of any
date, and the date window is then checked row by row: on a dense front that is hundreds of rows
per lookup. A GiST index over (geom::geography, event_date), which needs the `btree_gist`
extension (shipped with PostgreSQL, trusted: a database owner may create it), answers both at
once and replaces it. Where `geom` is absent (no PostGIS) or btree_gist cannot be created,
nothing changes.

Revision ID: 0005
Revises: 0004
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql" or not _has_geom(bind) or not _btree_gist(bind):
        return
    op.execute("CREATE INDEX ix_incidents_geog_date ON incidents USING gist ((geom::geography), event_date)")
    op.execute("DROP INDEX IF EXISTS ix_incidents_geog")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql" or not _has_geom(bind):
        return
    op.execute("CREATE INDEX IF NOT EXISTS ix_incidents_geog ON incidents USING gist ((geom::geography))")
    op.execute("DROP INDEX IF EXISTS ix_incidents_geog_date")


def _has_geom(bind: sa.Connection) -> bool:
    return bind.execute(sa.text(
        "SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('incidents') AND attname = 'geom' "
        "AND NOT attisdropped")).first() is not None


def _btree_gist(bind: sa.Connection) -> bool:
    """True once btree_gist is in this database; False (and a log line) when it cannot be had.
    A failed CREATE must not abort the migration's transaction, hence the savepoint."""
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS btree_gist"))
    except sa.exc.DBAPIError as err:
        log.warning("btree_gist could not be enabled here (%s): the merge lookup keeps its radius-only index",
                    str(getattr(err, "orig", err)).strip().splitlines()[0])
        return False
    return True
