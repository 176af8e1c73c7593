"""Run the linker (``rasad.link``) over stored events and persist linked events.

Linking is incremental: saving an article relinks the neighbourhood of its events (same
country, dates within a few days, plus every member of the clusters touched), inside the same
transaction as the save. ``Store.relink()`` recomputes everything and is the canonical result;
the incremental path differs from it only when a cluster's reports spread beyond the
neighbourhood's window. On PostgreSQL an advisory lock serialises linkers of concurrent
writers (SQLite already serialises writers).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from rasad.link import assign_ids, cluster, fuse, item_from_event
from rasad.store.rows import actors_text, utcnow
from rasad.store.schema import articles, events, link_changes, link_constraints, linked_events

Window = tuple[str, dt.date, dt.date]
_PG_LINK_LOCK = 7261_3002
_MARGIN = dt.timedelta(days=4)
_FUSED_COLUMNS = ("event_type", "sub_event_type", "date", "date_low", "date_high", "country",
                  "admin1", "admin2", "location_name", "location_name_ar", "lat", "lon",
                  "geo_precision", "actor1", "actor2", "assoc_actors", "fatalities",
                  "fatalities_low", "fatalities_high", "killed", "injured", "arrested",
                  "n_reports", "n_sources", "sources", "first_reported", "last_reported")


def linkable() -> sa.ColumnElement[bool]:
    """Events that take part in linking: reported (not background) and not rejected."""
    return sa.and_(events.c.background.is_(False),
                   sa.or_(events.c.review_status.is_(None), events.c.review_status != "rejected"))


def _member_query() -> sa.Select[Any]:
    return (sa.select(events, articles.c.published, articles.c.outlet)
            .join(articles, articles.c.id == events.c.article_id).where(linkable()))


def event_windows(rows: Iterable[Any]) -> list[Window]:
    """The (country, first day, last day) neighbourhood a set of event rows can link within."""
    out = []
    for row in rows:
        day = row["date"] or (row["published"].date() if row.get("published") else None)
        if row["country"] and day is not None:
            out.append((row["country"], day, day))
    return out


def _load_scope(conn: sa.Connection, windows: list[Window], link_ids: set[str],
                event_ids: list[str]) -> dict[str, dict[str, Any]]:
    conditions = []
    for country, lo, hi in windows:
        published_lo = dt.datetime.combine(lo - _MARGIN, dt.time())
        published_hi = dt.datetime.combine(hi + _MARGIN + dt.timedelta(days=4), dt.time())
        conditions.append(sa.and_(events.c.country == country, sa.or_(
            events.c.date.between(lo - _MARGIN, hi + _MARGIN),
            sa.and_(events.c.date.is_(None),
                    articles.c.published.between(published_lo, published_hi)))))
    rows: dict[str, dict[str, Any]] = {}
    if conditions:
        for row in conn.execute(_member_query().where(sa.or_(*conditions))).mappings():
            rows[row["id"]] = dict(row)
    for chunk in _chunks(event_ids):
        for row in conn.execute(_member_query().where(events.c.id.in_(chunk))).mappings():
            rows[row["id"]] = dict(row)
    ids = (link_ids | {r["link_id"] for r in rows.values() if r["link_id"]}) - {None}
    for chunk in _chunks(sorted(ids)):
        query = _member_query().where(events.c.link_id.in_(chunk))
        for row in conn.execute(query).mappings():
            rows[row["id"]] = dict(row)
    return rows


def _chunks(values: list[Any], size: int = 500) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


Pairs = list[tuple[str, str]]


def _constraints(conn: sa.Connection, keys: list[str]) -> tuple[Pairs, Pairs]:
    must: Pairs = []
    cannot: Pairs = []
    for chunk in _chunks(keys):
        query = sa.select(link_constraints).where(sa.or_(
            link_constraints.c.event_a.in_(chunk), link_constraints.c.event_b.in_(chunk)))
        for row in conn.execute(query).mappings():
            (must if row["kind"] == "must" else cannot).append((row["event_a"], row["event_b"]))
    return sorted(set(must)), sorted(set(cannot))


def relink(conn: sa.Connection, windows: list[Window] | None = None,
           link_ids: Iterable[str] = (), user: str = "linker", reason: str | None = None,
           event_ids: Iterable[str] = ()) -> dict[str, int]:
    """Recluster the events in ``windows`` (all events when None) and persist the result.

    ``link_ids`` and ``event_ids`` are always part of the scope: the clusters an article's old
    events belonged to, and its new events (which need a linked event even when they have no
    country or date to place them in a window).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LINK_LOCK})
    old_ids = set(link_ids)
    if windows is None:
        rows = {r["id"]: dict(r) for r in conn.execute(_member_query()).mappings()}
    else:
        rows = _load_scope(conn, windows, old_ids, sorted(set(event_ids)))
    old_ids |= {r["link_id"] for r in rows.values() if r["link_id"]}
    items = [item_from_event(k, r["article_id"], r, r["published"]) for k, r in rows.items()]
    if windows is None:
        must, cannot = _all_constraints(conn)
    else:
        must, cannot = _constraints(conn, sorted(rows))
    clusters = cluster(items, must, cannot)
    by_age = sorted(rows.values(), key=lambda r: (r["published"] or dt.datetime.max, r["id"]))
    rank = {r["id"]: n for n, r in enumerate(by_age)}
    founders = [min(members, key=rank.__getitem__) for members in clusters]

    def is_taken(candidate: str) -> bool:
        query = sa.select(linked_events.c.id).where(linked_events.c.id == candidate)
        return conn.execute(query).first() is not None

    result = assign_ids(clusters, {k: r["link_id"] for k, r in rows.items()}, founders, is_taken)
    now = utcnow()
    for link_id, members in zip(result.ids, clusters, strict=True):
        _write_linked(conn, link_id, [rows[k] for k in members], now)
    for gone, target in result.retired.items():
        _retire(conn, gone, target, now)
    retired = len(result.retired) + _retire_empty(conn, old_ids - set(result.ids), now)
    for change in result.changes:
        conn.execute(link_changes.insert().values(
            at=now, kind=change["kind"], link_id=change["link_id"],
            other_ids=change.get("other_ids"), event_ids=change.get("event_ids"),
            username=user, reason=reason))
    kinds = [c["kind"] for c in result.changes]
    return {"events": len(rows), "linked_events": len(clusters), "created": kinds.count("create"),
            "merged": kinds.count("merge"), "split": kinds.count("split"), "retired": retired}


def _all_constraints(conn: sa.Connection) -> tuple[Pairs, Pairs]:
    must: Pairs = []
    cannot: Pairs = []
    for row in conn.execute(sa.select(link_constraints)).mappings():
        (must if row["kind"] == "must" else cannot).append((row["event_a"], row["event_b"]))
    return must, cannot


def _write_linked(conn: sa.Connection, link_id: str, members: list[dict[str, Any]],
                  now: dt.datetime) -> None:
    fused = fuse(members)
    fused["actors"] = actors_text(fused["actor1"], fused["actor2"], fused["assoc_actors"])
    existing = conn.execute(sa.select(linked_events).where(linked_events.c.id == link_id)
                            ).mappings().first()
    if existing is None:
        conn.execute(linked_events.insert().values(
            id=link_id, status="active", created_at=now, updated_at=now, **fused))
    else:
        changed = {k: v for k, v in fused.items() if existing[k] != v}
        if changed or existing["status"] != "active":
            conn.execute(linked_events.update().where(linked_events.c.id == link_id).values(
                status="active", merged_into=None, updated_at=now, **changed))
    stale = [m["id"] for m in members if m["link_id"] != link_id]
    for chunk in _chunks(stale):
        conn.execute(events.update().where(events.c.id.in_(chunk)).values(link_id=link_id))


def _retire(conn: sa.Connection, link_id: str, target: str | None, now: dt.datetime) -> None:
    conn.execute(linked_events.update().where(linked_events.c.id == link_id).values(
        status="retired", merged_into=target, n_reports=0, updated_at=now))


def _retire_empty(conn: sa.Connection, candidates: set[str], now: dt.datetime) -> int:
    """Retire linked events left with no member (their reports were rejected or re-extracted)."""
    count = 0
    for link_id in sorted(candidates):
        members = conn.execute(sa.select(sa.func.count()).select_from(events)
                               .where(events.c.link_id == link_id)).scalar_one()
        status = conn.execute(sa.select(linked_events.c.status)
                              .where(linked_events.c.id == link_id)).scalar()
        if members == 0 and status == "active":
            _retire(conn, link_id, None, now)
            conn.execute(link_changes.insert().values(at=now, kind="retire", link_id=link_id,
                                                      username="linker"))
            count += 1
    return count
