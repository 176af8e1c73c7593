"""Numbered schema migrations, recorded in ``_rasad_migrations``.

Each migration is a function of an open connection, applied once, in order, inside the same
transaction as its record, so a crash leaves either the old or the new schema. A new schema
change is a new numbered function below (never an edit of an applied one); ``schema.py``
always shows the result of applying all of them. Concurrent openers are serialised: SQLite by
the immediate write transaction the store opens, PostgreSQL by an advisory lock.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa

from rasad.store import schema

_MIGRATIONS_TABLE = sa.Table(
    "_rasad_migrations", sa.MetaData(),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("applied_at", sa.DateTime, nullable=False),
)
_PG_LOCK_KEY = 7261_3001  # arbitrary constant shared by every rasad process


def _0001_initial(conn: sa.Connection) -> None:
    """Articles, events, statistics, linked events, reviews, audit and users."""
    schema.metadata.create_all(conn, checkfirst=True)


MIGRATIONS: list[tuple[int, str, Callable[[sa.Connection], None]]] = [
    (1, "initial", _0001_initial),
]


def applied(conn: sa.Connection) -> list[int]:
    """Numbers of the migrations this database has recorded."""
    if not sa.inspect(conn).has_table(_MIGRATIONS_TABLE.name):
        return []
    return [row[0] for row in conn.execute(sa.select(_MIGRATIONS_TABLE.c.number))]


def migrate(conn: sa.Connection) -> list[int]:
    """Apply every pending migration on ``conn`` (inside its transaction); return their numbers."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    _MIGRATIONS_TABLE.create(conn, checkfirst=True)
    done = set(applied(conn))
    ran = []
    for number, name, function in MIGRATIONS:
        if number in done:
            continue
        function(conn)
        conn.execute(_MIGRATIONS_TABLE.insert().values(
            number=number, name=name, applied_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)))
        ran.append(number)
    return ran
