"""SQL for the store's read side: the filters the CLI, exports and the review API share."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from rasad.errors import StoreError
from rasad.store.rows import event_dict, iso, statistic_dict, to_date
from rasad.store.schema import articles, events, linked_events, statistics


@dataclass(slots=True)
class Filters:
    """Event filters; every one optional. ``bbox`` is (min_lon, min_lat, max_lon, max_lat)."""

    country: str | None = None
    date_from: Any = None
    date_to: Any = None
    event_type: str | None = None
    actor: str | None = None
    admin1: str | None = None
    bbox: Any = None
    reviewed: bool | None = None
    include_rejected: bool = False
    article_id: str | None = None
    link_id: str | None = None


def parse_bbox(bbox: Any) -> tuple[float, float, float, float] | None:
    if bbox is None or bbox == "":
        return None
    parts = bbox.split(",") if isinstance(bbox, str) else list(bbox)
    try:
        values = tuple(float(p) for p in parts)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"bbox {bbox!r}: expected min_lon,min_lat,max_lon,max_lat") from exc
    if len(values) != 4:
        raise StoreError(f"bbox {bbox!r}: expected 4 numbers, got {len(values)}")
    return values  # type: ignore[return-value]


def _common(table: sa.Table, f: Filters) -> list[sa.ColumnElement[bool]]:
    """Conditions that read the same on events and linked_events."""
    c = table.c
    where: list[sa.ColumnElement[bool]] = []
    if f.country:
        where.append(c.country == f.country.upper())
    if f.date_from:
        where.append(c.date >= to_date(f.date_from, "date_from"))
    if f.date_to:
        where.append(c.date <= to_date(f.date_to, "date_to"))
    if f.event_type:
        where.append(sa.or_(c.event_type == f.event_type, c.sub_event_type == f.event_type))
    if f.actor:
        where.append(c.actors.like(f"%|{f.actor}|%"))
    if f.admin1:
        where.append(c.admin1 == f.admin1)
    box = parse_bbox(f.bbox)
    if box:
        where += [c.lon >= box[0], c.lat >= box[1], c.lon <= box[2], c.lat <= box[3]]
    return where


def _event_where(f: Filters) -> list[sa.ColumnElement[bool]]:
    where = _common(events, f)
    if not f.include_rejected:
        where.append(sa.or_(events.c.review_status.is_(None),
                            events.c.review_status != "rejected"))
    if f.reviewed is True:
        where.append(events.c.review_status.is_not(None))
    elif f.reviewed is False:
        where.append(events.c.review_status.is_(None))
    if f.article_id:
        where.append(events.c.article_id == f.article_id)
    if f.link_id:
        where.append(events.c.link_id == f.link_id)
    return where


def _linked_where(f: Filters) -> list[sa.ColumnElement[bool]]:
    where = _common(linked_events, f)
    where.append(linked_events.c.status == "active")
    unreviewed = sa.exists().where(events.c.link_id == linked_events.c.id,
                                   events.c.review_status.is_(None))
    if f.reviewed is True:
        where.append(~unreviewed)
    elif f.reviewed is False:
        where.append(unreviewed)
    if f.link_id:
        where.append(linked_events.c.id == f.link_id)
    if f.article_id:
        where.append(sa.exists().where(events.c.link_id == linked_events.c.id,
                                       events.c.article_id == f.article_id))
    return where


def events_select(f: Filters, limit: int | None = None, offset: int = 0) -> sa.Select[Any]:
    select = (sa.select(events, articles.c.outlet, articles.c.published, articles.c.url,
                        articles.c.title, articles.c.extracted_at)
              .join(articles, articles.c.id == events.c.article_id)
              .where(*_event_where(f))
              .order_by(events.c.date.desc().nulls_last(), events.c.article_id,
                        events.c.ordinal))
    return select.limit(limit).offset(offset or 0) if limit is not None else select.offset(
        offset or 0)


def linked_select(f: Filters, limit: int | None = None, offset: int = 0) -> sa.Select[Any]:
    select = (sa.select(linked_events).where(*_linked_where(f))
              .order_by(linked_events.c.date.desc().nulls_last(), linked_events.c.id))
    return select.limit(limit).offset(offset or 0) if limit is not None else select.offset(
        offset or 0)


def count(conn: sa.Connection, f: Filters, linked: bool) -> int:
    if linked:
        select = sa.select(sa.func.count()).select_from(linked_events).where(*_linked_where(f))
    else:
        select = (sa.select(sa.func.count()).select_from(events)
                  .join(articles, articles.c.id == events.c.article_id)
                  .where(*_event_where(f)))
    return int(conn.execute(select).scalar_one())


def article_selection(country: str | None, date_from: Any, date_to: Any,
                      article_ids: Any) -> sa.Select[Any]:
    select = sa.select(articles.c.id).order_by(articles.c.id)
    if country:
        select = select.where(sa.exists().where(events.c.article_id == articles.c.id,
                                                events.c.country == country.upper()))
    if date_from:
        start = dt.datetime.combine(to_date(date_from, "date_from"), dt.time())  # type: ignore
        select = select.where(articles.c.published >= start)
    if date_to:
        end = dt.datetime.combine(to_date(date_to, "date_to"), dt.time.max)  # type: ignore
        select = select.where(articles.c.published <= end)
    if article_ids is not None:
        select = select.where(articles.c.id.in_(list(article_ids)))
    return select


def results_for(conn: sa.Connection, ids: Sequence[str], include_rejected: bool,
                include_text: bool) -> Iterator[dict[str, Any]]:
    """SCHEMA result records for ``ids``, in that order."""
    by_article: dict[str, dict[str, Any]] = {}
    texts = conn.execute(sa.select(articles.c.id, articles.c.text)
                         .where(articles.c.id.in_(ids)))
    for article_id, text in texts:
        by_article[article_id] = {"id": article_id, "events": [], "statistics": []}
        if include_text:
            by_article[article_id]["text"] = text
    ev = sa.select(events).where(events.c.article_id.in_(ids)).order_by(
        events.c.article_id, events.c.ordinal)
    if not include_rejected:
        ev = ev.where(sa.or_(events.c.review_status.is_(None),
                             events.c.review_status != "rejected"))
    for row in conn.execute(ev).mappings():
        by_article[row["article_id"]]["events"].append(event_dict(row, schema_only=True))
    st = sa.select(statistics).where(statistics.c.article_id.in_(ids)).order_by(
        statistics.c.article_id, statistics.c.ordinal)
    for row in conn.execute(st).mappings():
        by_article[row["article_id"]]["statistics"].append(statistic_dict(row, True))
    for article_id in ids:
        if article_id in by_article:
            yield by_article[article_id]


def statistics_select(country: str | None, date_from: Any, date_to: Any, metric: str | None,
                      article_id: str | None, limit: int | None,
                      offset: int) -> sa.Select[Any]:
    c = statistics.c
    select = sa.select(statistics).order_by(c.period_end.desc().nulls_last(), c.id)
    if country:
        select = select.where(c.country == country.upper())
    if date_from:
        select = select.where(sa.or_(c.period_end.is_(None),
                                     c.period_end >= to_date(date_from, "date_from")))
    if date_to:
        select = select.where(sa.or_(c.period_start.is_(None),
                                     c.period_start <= to_date(date_to, "date_to")))
    if metric:
        select = select.where(c.metric == metric)
    if article_id:
        select = select.where(c.article_id == article_id)
    select = select.offset(offset or 0)
    return select.limit(limit) if limit is not None else select


def article_list(conn: sa.Connection, limit: int | None, offset: int,
                 outlet: str | None) -> list[dict[str, Any]]:
    columns = [c for c in articles.c if c.name != "text"]
    select = (sa.select(*columns)
              .order_by(articles.c.published.desc().nulls_last(), articles.c.id)
              .offset(offset or 0))
    if outlet:
        select = select.where(articles.c.outlet == outlet)
    if limit is not None:
        select = select.limit(limit)
    return [{k: iso(v) for k, v in row.items()} for row in conn.execute(select).mappings()]
