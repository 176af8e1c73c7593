"""The event store: articles, extractions, linked events, reviews and audit (SQLite/PostgreSQL).

    from rasad.store import open_store
    store = open_store("sqlite:///rasad.db")      # or postgresql://user@host/db
    store.save_result(article, result)
    store.events(country="SY", linked=True)
"""
from __future__ import annotations

from rasad.store.base import DEFAULT_URL, Store, open_store
from rasad.store.review import NotFound, ReviewError

__all__ = ["DEFAULT_URL", "NotFound", "ReviewError", "Store", "open_store"]
