"""Audit trail of manual edits; incidents.family (map layer) and updated_at; more indexes.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Copy of mapper.families at the time of this revision: migrations must not import live code.
_FAMILY_SQL = """
UPDATE incidents SET family = CASE
    WHEN sub_event_type = 'Disrupted weapons use' THEN 'shot_down'
    WHEN event_type = 'Explosions/Remote violence' THEN 'strikes'
    WHEN event_type = 'Battles' THEN 'ground'
    WHEN event_type = 'Violence against civilians' THEN 'civilians'
    WHEN event_type = 'Diplomacy' THEN 'diplomacy'
    ELSE 'other' END
"""


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("family", sa.String(16), nullable=False, server_default="other"))
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True)))
    op.execute(_FAMILY_SQL)
    op.create_index("ix_incidents_family", "incidents", ["family"])
    op.create_index("ix_incidents_country", "incidents", ["country"])
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("incident_id", sa.String(64), nullable=False),
        sa.Column("who", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON),
    )
    op.create_index("ix_audit_incident_id", "audit", ["incident_id"])


def downgrade() -> None:
    op.drop_table("audit")
    op.drop_index("ix_incidents_country", "incidents")
    op.drop_index("ix_incidents_family", "incidents")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("updated_at")
        batch.drop_column("family")
