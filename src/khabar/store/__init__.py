"""SQLite store (WAL, named migrations, FTS5)."""
from khabar.store.sqlite import IngestStats, SearchHit, Store, fts_query

__all__ = ["IngestStats", "SearchHit", "Store", "fts_query"]
