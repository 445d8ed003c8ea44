"""Alembic migrations of the store (applied automatically when a Store is opened)."""
