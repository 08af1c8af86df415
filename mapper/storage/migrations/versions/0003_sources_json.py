"""incidents.sources_json: each incident's sources denormalised, so reads need one query.

incident_sources stays the normalised record (which article reported what); the JSON copy
is written in the same transaction.

Revision ID: 0003
Revises: 0002
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_KEYS = ("article_id", "source", "source_url", "published", "quote")


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("sources_json", sa.Text))
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT incident_id, article_id, source, source_url, published, quote FROM incident_sources"
        " ORDER BY incident_id, id")).all()
    by_incident: dict[str, list[dict]] = {}
    for incident_id, *values in rows:
        entry = dict(zip(_KEYS, values))
        if entry["published"] is not None:
            entry["published"] = str(entry["published"])[:10]
        by_incident.setdefault(incident_id, []).append(entry)
    for incident_id, sources in by_incident.items():
        bind.execute(sa.text("UPDATE incidents SET sources_json = :j WHERE id = :id"),
                     {"j": json.dumps(sources, ensure_ascii=False), "id": incident_id})


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("sources_json")
