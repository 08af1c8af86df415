"""Initial schema: articles (keyed by content hash), incidents, incident_sources.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("origin", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("event_date", sa.Date),
        sa.Column("event_date_end", sa.Date),
        sa.Column("time_precision", sa.Integer, nullable=False, server_default="1"),
        sa.Column("event_type", sa.Text, nullable=False),
        sa.Column("sub_event_type", sa.Text, nullable=False),
        sa.Column("actor1", sa.Text),
        sa.Column("actor2", sa.Text),
        sa.Column("fatalities", sa.Integer),
        sa.Column("injured", sa.Integer),
        sa.Column("casualty_note", sa.Text),
        sa.Column("location", sa.Text, nullable=False),
        sa.Column("mention", sa.Text, nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("admin1", sa.Text),
        sa.Column("admin1_code", sa.Text),
        sa.Column("geonameid", sa.BigInteger),
        sa.Column("geo_precision", sa.Integer, nullable=False, server_default="1"),
        sa.Column("attribution", sa.Text),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("source_url", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id")),
        sa.Column("historical", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_incidents_event_date", "incidents", ["event_date"])
    op.create_index("ix_incidents_lon_lat", "incidents", ["lon", "lat"])
    op.create_table(
        "incident_sources",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("incident_id", sa.String(64), sa.ForeignKey("incidents.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("article_id", sa.String(64)),
        sa.Column("source", sa.Text),
        sa.Column("source_url", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("quote", sa.Text),
    )
    op.create_index("ix_incident_sources_incident_id", "incident_sources", ["incident_id"])


def downgrade() -> None:
    op.drop_table("incident_sources")
    op.drop_table("incidents")
    op.drop_table("articles")
