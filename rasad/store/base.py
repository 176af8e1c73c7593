"""The event store: ``open_store(url)`` gives the same ``Store`` over SQLite or PostgreSQL.

Writes are transactions: ``save_result`` upserts the article, replaces its events and
statistics, re-applies analysts' reviews and relinks the neighbourhood, all or nothing, so a
process killed mid-batch leaves whole articles or none. On SQLite every write transaction
starts with ``BEGIN IMMEDIATE`` (writers queue on the busy timeout instead of failing on a
lock upgrade) and the database runs in WAL mode, so readers never wait for writers.
Review and audit methods live in ``review.py`` (``ReviewMixin``).
"""
from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from rasad.errors import StoreError
from rasad.records import Article, Result
from rasad.store import linking, migrations, query
from rasad.store.review import ReviewMixin, reapply_reviews
from rasad.store.rows import (
    article_row,
    event_dict,
    event_rows,
    linked_dict,
    statistic_dict,
    statistic_rows,
)
from rasad.store.schema import articles, events, linked_events, statistics

DEFAULT_URL = "sqlite:///rasad.db"
BATCH_SIZE = 50


def normalise_url(url: str | None) -> str:
    """``None``/"" → ./rasad.db; a bare path → SQLite; postgresql:// → the psycopg 3 driver."""
    if not url:
        return DEFAULT_URL
    if "://" not in url:
        return f"sqlite:///{url}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _redact(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _sqlite_engine(url: str) -> sa.Engine:
    parsed = make_url(url)
    memory = parsed.database in (None, "", ":memory:")
    if parsed.database and not memory:
        folder = os.path.dirname(os.path.abspath(parsed.database))
        if not os.path.isdir(folder):
            raise StoreError(f"{_redact(url)}: folder {folder} does not exist")
    engine = sa.create_engine(
        url, json_serializer=_json_dumps,
        connect_args={"check_same_thread": False, "timeout": 60},
        poolclass=StaticPool if memory else None)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see module docstring)
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        write = conn.get_execution_options().get("rasad_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def open_store(url: str | None = None) -> Store:
    """Open (creating and migrating when needed) the store at ``url``."""
    full = normalise_url(url)
    try:
        if full.startswith("sqlite"):
            engine = _sqlite_engine(full)
        elif full.startswith("postgresql"):
            engine = sa.create_engine(full, json_serializer=_json_dumps, pool_pre_ping=True,
                                      pool_size=10, max_overflow=20)
        else:
            raise StoreError(f"{_redact(full)}: unsupported database (use sqlite:/// or "
                             "postgresql://)")
        store = Store(engine, full)
        with store.write() as conn:
            migrations.migrate(conn)
    except ModuleNotFoundError as exc:
        raise StoreError(f"{_redact(full)}: database driver missing ({exc.name}); for "
                         "PostgreSQL install rasad[postgres]") from exc
    except (SQLAlchemyError, ArgumentError) as exc:
        raise StoreError(f"{_redact(full)}: cannot open the store: {exc}") from exc
    return store


class Store(ReviewMixin):
    """Articles, their extractions, linked events, reviews and the audit trail."""

    def __init__(self, engine: sa.Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self._writer = engine.execution_options(rasad_write=True)

    def __repr__(self) -> str:
        return f"Store({_redact(self.url)!r})"

    @contextlib.contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """One write transaction; a database error becomes a StoreError naming the store."""
        try:
            with self._writer.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"{_redact(self.url)}: write failed: {exc}") from exc

    @contextlib.contextmanager
    def read(self) -> Iterator[sa.Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"{_redact(self.url)}: read failed: {exc}") from exc

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------------------
    def save_result(self, article: Article, result: Result) -> None:
        """Store one article's extraction in one transaction and relink its neighbourhood."""
        self.save_results([(article, result)])

    def save_results(self, pairs: Iterable[tuple[Article, Result]],
                     batch_size: int = BATCH_SIZE) -> int:
        """Store many extractions, ``batch_size`` articles per transaction; returns the count."""
        batch: list[tuple[Article, Result]] = []
        count = 0
        for pair in pairs:
            batch.append(pair)
            if len(batch) >= batch_size:
                count += self._save_batch(batch)
                batch = []
        if batch:
            count += self._save_batch(batch)
        return count

    def _save_batch(self, batch: list[tuple[Article, Result]]) -> int:
        with self.write() as conn:
            windows: list[linking.Window] = []
            link_ids: set[str] = set()
            event_ids: list[str] = []
            for article, result in batch:
                if result.id != article.id:
                    raise StoreError(f"result {result.id!r} does not belong to article "
                                     f"{article.id!r}")
                old_windows, old_links, new_ids = self._replace(conn, article, result)
                windows += old_windows
                link_ids |= old_links
                event_ids += new_ids
            linking.relink(conn, windows, link_ids, event_ids=event_ids)
        return len(batch)

    def _replace(self, conn: sa.Connection, article: Article,
                 result: Result) -> tuple[list[linking.Window], set[str], list[str]]:
        old = [dict(r) for r in conn.execute(
            sa.select(events, articles.c.published).join(articles)
            .where(events.c.article_id == article.id)).mappings()]
        old_link = {r["id"]: r["link_id"] for r in old}
        conn.execute(events.delete().where(events.c.article_id == article.id))
        conn.execute(statistics.delete().where(statistics.c.article_id == article.id))
        row = article_row(article, len(result.events), len(result.statistics))
        updated = conn.execute(articles.update().where(articles.c.id == article.id)
                               .values(**row)).rowcount
        if not updated:
            conn.execute(articles.insert().values(**row))
        new = event_rows(article.id, result.events)
        for event in new:
            event["link_id"] = None if event["background"] else old_link.get(event["id"])
        if new:
            conn.execute(events.insert(), new)
        stats_rows = statistic_rows(article.id, result.statistics)
        if stats_rows:
            conn.execute(statistics.insert(), stats_rows)
        reapply_reviews(conn, article.id, [e["id"] for e in new])
        for event in new:
            event["published"] = article.published
        windows = linking.event_windows(old + new)
        return windows, {v for v in old_link.values() if v}, [e["id"] for e in new]

    def relink(self, user: str = "linker") -> dict[str, int]:
        """Recompute every linked event (the canonical result; incremental saves approximate it)."""
        with self.write() as conn:
            return linking.relink(conn, None, user=user)

    # -- reading ----------------------------------------------------------------------------
    def article_hashes(self, ids: Iterable[str]) -> dict[str, str]:
        """Content hash of each stored article among ``ids`` (to skip unchanged re-runs)."""
        wanted = list(ids)
        out: dict[str, str] = {}
        with self.read() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                query_ = sa.select(articles.c.id, articles.c.content_hash).where(
                    articles.c.id.in_(chunk))
                out.update({r.id: r.content_hash for r in conn.execute(query_)})
        return out

    def results(self, country: str | None = None, date_from: Any = None, date_to: Any = None,
                article_ids: Iterable[str] | None = None, include_rejected: bool = False,
                include_text: bool = False) -> Iterator[dict[str, Any]]:
        """Per-article SCHEMA records (``{"id", "events", "statistics"}``), ``link_id`` on events.

        Articles come in id order; the filters select articles by their publication date
        and by the country of any of their events. Rejected events are left out.
        """
        with self.read() as conn:
            selected = query.article_selection(country, date_from, date_to, article_ids)
            ids = [r[0] for r in conn.execute(selected)]
            for start in range(0, len(ids), 200):
                chunk = ids[start:start + 200]
                yield from query.results_for(conn, chunk, include_rejected, include_text)

    def events(self, country: str | None = None, date_from: Any = None, date_to: Any = None,
               event_type: str | None = None, actor: str | None = None,
               admin1: str | None = None, bbox: Any = None, reviewed: bool | None = None,
               linked: bool = False, limit: int | None = None, offset: int = 0,
               include_rejected: bool = False, article_id: str | None = None,
               link_id: str | None = None) -> list[dict[str, Any]]:
        """Per-article events (``linked=False``) or linked events, filtered, newest first."""
        filters = query.Filters(country, date_from, date_to, event_type, actor, admin1, bbox,
                                reviewed, include_rejected, article_id, link_id)
        with self.read() as conn:
            if linked:
                rows = conn.execute(query.linked_select(filters, limit, offset)).mappings()
                return [linked_dict(r) for r in rows]
            rows = conn.execute(query.events_select(filters, limit, offset)).mappings()
            return [event_dict(r) for r in rows]

    def count_events(self, linked: bool = False, **filters: Any) -> int:
        """How many rows ``events(**filters)`` would return without limit (for pagination)."""
        with self.read() as conn:
            return query.count(conn, query.Filters(**filters), linked)

    def statistics(self, country: str | None = None, date_from: Any = None,
                   date_to: Any = None, metric: str | None = None,
                   article_id: str | None = None, limit: int | None = None,
                   offset: int = 0) -> list[dict[str, Any]]:
        """Stored tallies (never linked), filtered by country, period overlap and metric."""
        with self.read() as conn:
            select = query.statistics_select(country, date_from, date_to, metric, article_id,
                                             limit, offset)
            return [statistic_dict(r) for r in conn.execute(select).mappings()]

    def articles(self, limit: int | None = 50, offset: int = 0,
                 outlet: str | None = None) -> list[dict[str, Any]]:
        """Article metadata (no text), newest first."""
        with self.read() as conn:
            return query.article_list(conn, limit, offset, outlet)

    def counts(self) -> dict[str, int]:
        """Row counts per table (for status lines and checks)."""
        with self.read() as conn:
            return {table.name: conn.execute(sa.select(sa.func.count()).select_from(table))
                    .scalar_one() for table in (articles, events, statistics, linked_events)}
