"""Throw-away stores for tests: the same suite runs on SQLite and on PostgreSQL.

``temporary_store_url("postgres", tmp_path)`` creates a fresh schema in the database named by
``RASAD_TEST_PG_URL`` (set by ``.ci/postgres.sh``) and returns a URL whose connections use it,
so tests never see each other's rows and need no CREATE DATABASE; the schema is dropped on exit.
"""
from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa

from rasad.store.base import normalise_url

PG_ENV = "RASAD_TEST_PG_URL"
BACKENDS = ("sqlite", "postgres")


def postgres_available() -> bool:
    return bool(os.environ.get(PG_ENV))


@contextlib.contextmanager
def temporary_store_url(backend: str, folder: Path) -> Iterator[str]:
    """A URL for an empty store on ``backend`` ("sqlite" or "postgres"), cleaned up after."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'store-{uuid.uuid4().hex[:8]}.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        raise RuntimeError(f"{PG_ENV} is not set (source .ci/postgres.sh)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(normalise_url(base))
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        sep = "&" if "?" in base else "?"
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


def sample_article(article_id: str, published: str | None = "2022-12-26",
                   outlet: str | None = None) -> Any:
    """A small article with text written for tests (not from any real outlet)."""
    from rasad.pipeline import make_article

    text = ("قالت مصادر محلية إن مسلحين هاجموا نقطة أمنية في المدينة مساء أمس، "
            "ما أدى إلى مقتل ستة عناصر وإصابة آخرين.")
    return make_article(article_id, text, published, outlet=outlet or f"outlet-{article_id}",
                        url=f"https://example.org/{article_id}", title=f"Test {article_id}")


def sample_event(**values: Any) -> Any:
    """An Event with test defaults (a clash in Ar Raqqah on 2022-12-26), overridden by values."""
    from rasad.records import Event, Evidence, Location

    location = values.pop("location", None) or Location(
        name=values.pop("place", "Ar Raqqah"), name_ar="الرقة", lat=values.pop("lat", 35.95),
        lon=values.pop("lon", 39.01), geo_precision=values.pop("geo_precision", 1))
    defaults: dict[str, Any] = {
        "event_type": "Battles", "sub_event_type": "Armed clash", "date": "2022-12-26",
        "date_precision": 1, "country": "SY", "admin1": "Ar-Raqqah", "actor1": "islamic_state",
        "actor2": "sdf", "fatalities": 6, "evidence": [Evidence("trigger", 23, 30)]}
    defaults.update(values)
    return Event(location=location, **defaults)
