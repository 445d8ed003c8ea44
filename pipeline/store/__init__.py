"""Persistence: SQLAlchemy Core tables, Alembic migrations, DataFrame loads.

The only package of payrecon that imports SQLAlchemy.
"""

from pipeline.store.ingest import IngestCounts
from pipeline.store.reads import BALANCE_COLUMNS, BANK_COLUMNS
from pipeline.store.store import Store
from pipeline.store.web import WebStore

__all__ = ["BALANCE_COLUMNS", "BANK_COLUMNS", "IngestCounts", "Store", "WebStore"]
