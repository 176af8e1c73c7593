"""Fixtures shared by the store, linking, export and API tests: one empty store per back end."""
from __future__ import annotations

import pytest
from backends import BACKEND_PARAMS

from rasad.store import open_store
from rasad.store.testing import postgres_available, temporary_store_url


@pytest.fixture(params=BACKEND_PARAMS)
def store_url(request, tmp_path):
    """A fresh, migrated store: SQLite always, PostgreSQL when RASAD_TEST_PG_URL is set."""
    if request.param == "postgres" and not postgres_available():
        pytest.skip("RASAD_TEST_PG_URL not set (source .ci/postgres.sh)")
    with temporary_store_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def store(store_url):
    opened = open_store(store_url)
    yield opened
    opened.close()
