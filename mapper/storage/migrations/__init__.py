"""Alembic migrations of the incident store, applied by `Store.open` (see `mapper.storage.store`)."""
