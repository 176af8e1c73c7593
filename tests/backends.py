"""The store back ends every store test runs against (PostgreSQL only with a server)."""
from __future__ import annotations

import pytest

from rasad.store.testing import BACKENDS

BACKEND_PARAMS = [pytest.param(b, marks=pytest.mark.postgres) if b == "postgres" else b
                  for b in BACKENDS]
