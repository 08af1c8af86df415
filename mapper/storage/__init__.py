"""The incident store (SQLite or PostgreSQL through SQLAlchemy), its migrations and merging."""
