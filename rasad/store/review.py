"""Analysts' side of the store: read an article with its extraction, accept / correct / reject
events, merge and split linked events, and the audit trail of every such change.

A correction is kept as *overrides* (column → value) in ``event_reviews``, keyed by the event's
stable key, and applied on top of the extraction; re-extracting the article re-applies it (or
moves it to the one new event that still matches what the analyst saw). Every write is one
transaction that also appends an ``audit`` row: who, when, action, before, after, why.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from rasad.errors import StoreError
from rasad.store import linking
from rasad.store.rows import (
    EVENT_TYPES,
    LOCATION_COLUMNS,
    actors_text,
    event_dict,
    iso,
    linked_dict,
    statistic_dict,
    to_date,
    utcnow,
)
from rasad.store.schema import (
    articles,
    audit,
    event_reviews,
    events,
    link_changes,
    link_constraints,
    linked_events,
    statistics,
    users,
)

if TYPE_CHECKING:
    from contextlib import AbstractContextManager


class NotFound(StoreError):
    """The article, event, linked event or user asked for is not in the store."""


class ReviewError(StoreError):
    """A review action is invalid (unknown field, bad value, impossible merge or split)."""


_INT_FIELDS = ("date_precision", "fatalities", "fatalities_low", "fatalities_high",
               "civilians_killed", "women_killed", "children_killed", "injured", "arrested")
_TEXT_FIELDS = ("admin1", "admin2", "actor1", "actor2", "fatalities_basis")
EDITABLE = frozenset(("event_type", "sub_event_type", "date", "country", "location",
                      "assoc_actors", "killed", "background", *_INT_FIELDS, *_TEXT_FIELDS))


def _int(field: str, value: Any, nullable: bool = True) -> int | None:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ReviewError(f"{field}: {value!r} is not a whole number >= 0")
    return value


def _text(field: str, value: Any) -> str | None:
    if value is None or (isinstance(value, str) and value.strip()):
        return value.strip() if isinstance(value, str) else None
    raise ReviewError(f"{field}: {value!r} is not a non-empty text")


def _location(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) - set(LOCATION_COLUMNS):
        raise ReviewError(f"location: {value!r} must be an object with keys "
                          f"{sorted(LOCATION_COLUMNS)}")
    out: dict[str, Any] = {}
    for key, column in LOCATION_COLUMNS.items():
        if key not in value:
            continue
        item = value[key]
        if key in ("lat", "lon") and item is not None:
            limit = 90 if key == "lat" else 180
            if isinstance(item, bool) or not isinstance(item, int | float) or abs(item) > limit:
                raise ReviewError(f"location.{key}: {item!r} is not a coordinate")
            item = float(item)
        elif key == "geo_precision":
            item = _int("location.geo_precision", item)
        else:
            item = _text(f"location.{key}", item)
        out[column] = item
    return out


def columns_from_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """Validated column values from a SCHEMA-shaped patch; ReviewError names the bad field."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ReviewError(f"cannot edit {sorted(unknown)}; editable fields: {sorted(EDITABLE)}")
    out: dict[str, Any] = {}
    for field, value in changes.items():
        if field in _INT_FIELDS:
            out[field] = _int(field, value, nullable=field != "fatalities")
        elif field in _TEXT_FIELDS:
            out[field] = _text(field, value)
        elif field == "date":
            try:
                out["date"] = to_date(value, "date")
            except StoreError as exc:
                raise ReviewError(str(exc)) from exc
        elif field == "country":
            if not (isinstance(value, str) and len(value) == 2 and value.isalpha()):
                raise ReviewError(f"country: {value!r} is not an ISO 3166 alpha-2 code")
            out["country"] = value.upper()
        elif field == "location":
            out.update(_location(value))
        elif field == "assoc_actors":
            if not isinstance(value, list) or not all(isinstance(a, str) and a for a in value):
                raise ReviewError(f"assoc_actors: {value!r} is not a list of actor ids")
            out[field] = value
        elif field == "killed":
            if value is not None and not (isinstance(value, dict) and all(
                    isinstance(k, str) and _int("killed", v, False) is not None
                    for k, v in value.items())):
                raise ReviewError(f"killed: {value!r} is not an object of actor -> count")
            out[field] = value or None
        elif field == "background":
            if not isinstance(value, bool):
                raise ReviewError(f"background: {value!r} is not true or false")
            out[field] = value
        else:
            out[field] = value
    return out


def _check_types(row: dict[str, Any]) -> None:
    subs = EVENT_TYPES.get(row["event_type"])
    if subs is None:
        raise ReviewError(f"event_type {row['event_type']!r} is not an ACLED event type")
    if row["sub_event_type"] not in subs:
        raise ReviewError(f"sub_event_type {row['sub_event_type']!r} does not belong to "
                          f"{row['event_type']!r}")


def _from_json(column: str, value: Any) -> Any:
    return to_date(value) if column == "date" else value


def reapply_reviews(conn: sa.Connection, article_id: str, new_ids: list[str]) -> None:
    """After re-extraction: put analysts' reviews back on the article's new event rows."""
    reviews = [dict(r) for r in conn.execute(
        sa.select(event_reviews).where(event_reviews.c.article_id == article_id)).mappings()]
    if not reviews:
        return
    present = set(new_ids)
    claimed = {r["event_id"] for r in reviews if r["event_id"] in present}
    for review in reviews:
        if review["event_id"] not in present:
            target = _rematch(conn, review, present - claimed)
            if target is None:
                continue  # stays orphaned, listed by orphaned_reviews()
            conn.execute(event_reviews.update().where(
                event_reviews.c.event_id == review["event_id"]).values(event_id=target))
            _audit(conn, "system", "move-review", "event", target,
                   {"event_id": review["event_id"]}, {"event_id": target},
                   "re-extraction changed the event key; the review still matches")
            review["event_id"] = target
            claimed.add(target)
        _apply_review(conn, review)


def _rematch(conn: sa.Connection, review: dict[str, Any], free: set[str]) -> str | None:
    basis = review["basis"] or {}
    hits = []
    for key in sorted(free):
        row = conn.execute(sa.select(events).where(events.c.id == key)).mappings().one()
        same = all(row[c] == basis.get(c) for c in ("event_type", "location_name", "actor1"))
        day, seen = row["date"], to_date(basis.get("date"))
        close = day is None or seen is None or abs((day - seen).days) <= 1
        if same and close:
            hits.append(key)
    return hits[0] if len(hits) == 1 else None


def _apply_review(conn: sa.Connection, review: dict[str, Any]) -> None:
    values = {c: _from_json(c, v) for c, v in (review["overrides"] or {}).items()}
    if values:
        values["actors"] = None  # recomputed below from the effective actors
    values.update(review_status=review["status"], reviewed_by=review["username"],
                  reviewed_at=review["updated_at"])
    if review["status"] == "rejected":
        values["link_id"] = None
    conn.execute(events.update().where(events.c.id == review["event_id"]).values(**values))
    row = conn.execute(sa.select(events).where(events.c.id == review["event_id"])).mappings().one()
    conn.execute(events.update().where(events.c.id == review["event_id"]).values(
        actors=actors_text(row["actor1"], row["actor2"], row["assoc_actors"])))


def _audit(conn: sa.Connection, user: str, action: str, target_type: str, target_id: str,
           before: Any, after: Any, reason: str | None) -> int:
    result = conn.execute(audit.insert().values(
        at=utcnow(), username=user, action=action, target_type=target_type,
        target_id=target_id, before=before, after=after, reason=reason))
    key = result.inserted_primary_key
    return int(key[0]) if key else 0


def _need_user(user: str) -> str:
    if not isinstance(user, str) or not user.strip():
        raise ReviewError("every review action needs the name of the user who made it")
    return user.strip()


class ReviewMixin:
    """Review, linking decisions and audit; mixed into ``Store`` (needs read()/write())."""

    def read(self) -> AbstractContextManager[sa.Connection]:
        raise NotImplementedError  # provided by Store

    def write(self) -> AbstractContextManager[sa.Connection]:
        raise NotImplementedError  # provided by Store

    # -- reading ----------------------------------------------------------------------------
    def get_article(self, article_id: str) -> dict[str, Any]:
        """The article (with text) and its whole extraction, rejected events included."""
        with self.read() as conn:
            row = conn.execute(sa.select(articles).where(articles.c.id == article_id)
                               ).mappings().first()
            if row is None:
                raise NotFound(f"article {article_id!r} is not in the store")
            out = {k: iso(v) for k, v in row.items()}
            rows = conn.execute(sa.select(events).where(events.c.article_id == article_id)
                                .order_by(events.c.ordinal)).mappings()
            out["events"] = [event_dict(r) for r in rows]
            rows = conn.execute(sa.select(statistics).where(
                statistics.c.article_id == article_id).order_by(statistics.c.ordinal)).mappings()
            out["statistics"] = [statistic_dict(r) for r in rows]
            return out

    def get_event(self, event_id: str) -> dict[str, Any]:
        """An event with its extraction as first stored (``machine``) and its article's metadata."""
        with self.read() as conn:
            return self._event(conn, event_id)

    def _event(self, conn: sa.Connection, event_id: str, lock: bool = False) -> dict[str, Any]:
        select = (sa.select(events, articles.c.outlet, articles.c.published, articles.c.url,
                            articles.c.title).join(articles).where(events.c.id == event_id))
        row = conn.execute(select.with_for_update(of=events) if lock else select
                           ).mappings().first()
        if row is None:
            raise NotFound(f"event {event_id!r} is not in the store")
        out = event_dict(row)
        out["machine"] = row["machine"]
        return out

    def get_linked_event(self, link_id: str) -> dict[str, Any]:
        """A linked event, its reports side by side (oldest first) and its history."""
        with self.read() as conn:
            row = conn.execute(sa.select(linked_events).where(linked_events.c.id == link_id)
                               ).mappings().first()
            if row is None:
                raise NotFound(f"linked event {link_id!r} is not in the store")
            out = linked_dict(row)
            out["merged_into"] = row["merged_into"]
            members = conn.execute(
                sa.select(events, articles.c.outlet, articles.c.published, articles.c.url,
                          articles.c.title).join(articles).where(events.c.link_id == link_id)
                .order_by(articles.c.published.nulls_last(), events.c.id)).mappings()
            out["reports"] = [event_dict(m) for m in members]
            history = conn.execute(sa.select(link_changes).where(sa.or_(
                link_changes.c.link_id == link_id)).order_by(link_changes.c.id)).mappings()
            out["history"] = [{k: iso(v) for k, v in h.items()} for h in history]
            return out

    def audit_log(self, target_type: str | None = None, target_id: str | None = None,
                  user: str | None = None, limit: int | None = 100,
                  offset: int = 0) -> list[dict[str, Any]]:
        """Audit entries, newest first."""
        select = sa.select(audit).order_by(audit.c.id.desc()).offset(offset or 0)
        if target_type:
            select = select.where(audit.c.target_type == target_type)
        if target_id:
            select = select.where(audit.c.target_id == target_id)
        if user:
            select = select.where(audit.c.username == user)
        if limit is not None:
            select = select.limit(limit)
        with self.read() as conn:
            return [{k: iso(v) for k, v in r.items()} for r in conn.execute(select).mappings()]

    def orphaned_reviews(self) -> list[dict[str, Any]]:
        """Reviews whose event vanished on re-extraction and matched no new event."""
        orphan = ~sa.exists().where(events.c.id == event_reviews.c.event_id)
        with self.read() as conn:
            rows = conn.execute(sa.select(event_reviews).where(orphan)).mappings()
            return [{k: iso(v) for k, v in r.items()} for r in rows]

    # -- event review -----------------------------------------------------------------------
    def patch_event(self, event_id: str, changes: dict[str, Any], user: str,
                    reason: str | None = None) -> dict[str, Any]:
        """Correct fields of an event (SCHEMA names; ``location`` as an object)."""
        user = _need_user(user)
        columns = columns_from_changes(changes)
        if not columns:
            raise ReviewError(f"event {event_id!r}: nothing to change")
        with self.write() as conn:
            before = self._event(conn, event_id, lock=True)
            row = dict(conn.execute(sa.select(events).where(events.c.id == event_id)
                                    ).mappings().one())
            row.update(columns)
            _check_types(row)
            overrides = self._overrides(conn, event_id)
            overrides.update({k: iso(v) for k, v in columns.items()})
            self._set_review(conn, row, "corrected", user, overrides)
            after = self._event(conn, event_id)
            _audit(conn, user, "correct", "event", event_id,
                   {k: before.get(k) for k in changes}, {k: after.get(k) for k in changes},
                   reason)
            self._relink_around(conn, [before, after], user, reason)
            return self._event(conn, event_id)

    def accept_event(self, event_id: str, user: str, reason: str | None = None) -> dict[str, Any]:
        return self._set_status(event_id, "accepted", user, reason)

    def reject_event(self, event_id: str, user: str, reason: str | None = None) -> dict[str, Any]:
        """Mark an event as not an event: it leaves exports, listings and linking."""
        return self._set_status(event_id, "rejected", user, reason)

    def reset_event(self, event_id: str, user: str, reason: str | None = None) -> dict[str, Any]:
        """Drop the review and every correction: back to the extraction."""
        user = _need_user(user)
        with self.write() as conn:
            before = self._event(conn, event_id, lock=True)
            machine = {k: _from_json(k, v) for k, v in before["machine"].items()}
            conn.execute(events.update().where(events.c.id == event_id).values(
                **machine, review_status=None, reviewed_by=None, reviewed_at=None,
                actors=actors_text(machine["actor1"], machine["actor2"],
                                   machine["assoc_actors"])))
            conn.execute(event_reviews.delete().where(event_reviews.c.event_id == event_id))
            after = self._event(conn, event_id)
            _audit(conn, user, "reset", "event", event_id, _summary(before), _summary(after),
                   reason)
            self._relink_around(conn, [before, after], user, reason)
            return self._event(conn, event_id)

    def _set_status(self, event_id: str, status: str, user: str,
                    reason: str | None) -> dict[str, Any]:
        user = _need_user(user)
        with self.write() as conn:
            before = self._event(conn, event_id, lock=True)
            row = dict(conn.execute(sa.select(events).where(events.c.id == event_id)
                                    ).mappings().one())
            self._set_review(conn, row, status, user, self._overrides(conn, event_id))
            after = self._event(conn, event_id)
            _audit(conn, user, {"accepted": "accept", "rejected": "reject"}[status], "event",
                   event_id, {"review_status": before["review_status"]},
                   {"review_status": status}, reason)
            if status == "rejected" or before["review_status"] == "rejected":
                self._relink_around(conn, [before, after], user, reason)
            return self._event(conn, event_id)

    @staticmethod
    def _overrides(conn: sa.Connection, event_id: str) -> dict[str, Any]:
        row = conn.execute(sa.select(event_reviews.c.overrides)
                           .where(event_reviews.c.event_id == event_id)).first()
        return dict(row[0]) if row else {}

    @staticmethod
    def _set_review(conn: sa.Connection, row: dict[str, Any], status: str, user: str,
                    overrides: dict[str, Any]) -> None:
        now = utcnow()
        values = {"event_id": row["id"], "article_id": row["article_id"], "status": status,
                  "overrides": overrides, "basis": row["machine"], "username": user,
                  "updated_at": now}
        done = conn.execute(event_reviews.update().where(
            event_reviews.c.event_id == row["id"]).values(**values)).rowcount
        if not done:
            conn.execute(event_reviews.insert().values(**values))
        _apply_review(conn, values)

    @staticmethod
    def _relink_around(conn: sa.Connection, versions: list[dict[str, Any]], user: str,
                       reason: str | None) -> None:
        rows = [{"country": v["country"], "date": to_date(v["date"]),
                 "published": dt.datetime.fromisoformat(v["published"])
                 if v.get("published") else None} for v in versions]
        ids = {v["link_id"] for v in versions if v.get("link_id")}
        linking.relink(conn, linking.event_windows(rows), ids, user=user, reason=reason,
                       event_ids=[v["id"] for v in versions])

    # -- linked events --------------------------------------------------------------------
    def merge_linked(self, link_ids: Iterable[str], user: str,
                     reason: str | None = None) -> dict[str, Any]:
        """Make several linked events one (an analyst's must-link, kept across relinks)."""
        user = _need_user(user)
        ids = list(dict.fromkeys(link_ids))
        if len(ids) < 2:
            raise ReviewError("a merge needs at least two linked events")
        with self.write() as conn:
            groups = {i: self._members(conn, i) for i in ids}
            members = [m for i in ids for m in groups[i]]
            anchor = members[0]
            now = utcnow()
            conn.execute(link_constraints.delete().where(
                link_constraints.c.kind == "cannot", link_constraints.c.event_a.in_(members),
                link_constraints.c.event_b.in_(members)))
            conn.execute(link_constraints.insert(), [
                {"kind": "must", "event_a": anchor, "event_b": m, "username": user,
                 "created_at": now} for m in members[1:]])
            self._relink_members(conn, members, ids, user, reason)
            result = conn.execute(sa.select(events.c.link_id).where(events.c.id == anchor)
                                  ).scalar_one()
            _audit(conn, user, "merge", "linked_event", result, {"linked_events": groups},
                   {"linked_event": result, "events": sorted(members)}, reason)
        return self.get_linked_event(result)

    def split_linked(self, link_id: str, event_ids: Iterable[str], user: str,
                     reason: str | None = None) -> dict[str, Any]:
        """Take reports out of a linked event into a new one (cannot-link to the rest)."""
        user = _need_user(user)
        moved = list(dict.fromkeys(event_ids))
        with self.write() as conn:
            members = self._members(conn, link_id)
            stray = set(moved) - set(members)
            if stray or not moved or len(moved) == len(members):
                raise ReviewError(f"split of {link_id}: choose some but not all of its reports "
                                  f"{members}; not members: {sorted(stray)}")
            rest = [m for m in members if m not in moved]
            now = utcnow()
            for a in moved:
                conn.execute(link_constraints.delete().where(
                    link_constraints.c.kind == "must", sa.or_(
                        sa.and_(link_constraints.c.event_a == a,
                                link_constraints.c.event_b.in_(rest)),
                        sa.and_(link_constraints.c.event_b == a,
                                link_constraints.c.event_a.in_(rest)))))
            rows = [{"kind": "cannot", "event_a": a, "event_b": b} for a in moved for b in rest]
            rows += [{"kind": "must", "event_a": moved[0], "event_b": m} for m in moved[1:]]
            conn.execute(link_constraints.insert(),
                         [{**r, "username": user, "created_at": now} for r in rows])
            self._relink_members(conn, members, [link_id], user, reason)
            ids = {m: conn.execute(sa.select(events.c.link_id).where(events.c.id == m)
                                   ).scalar_one() for m in (moved[0], rest[0])}
            after = {"moved": {"linked_event": ids[moved[0]], "events": moved},
                     "kept": {"linked_event": ids[rest[0]], "events": rest}}
            _audit(conn, user, "split", "linked_event", link_id, {"events": members}, after,
                   reason)
        return after

    @staticmethod
    def _members(conn: sa.Connection, link_id: str) -> list[str]:
        status = conn.execute(sa.select(linked_events.c.status)
                              .where(linked_events.c.id == link_id)).scalar()
        if status is None:
            raise NotFound(f"linked event {link_id!r} is not in the store")
        if status != "active":
            raise ReviewError(f"linked event {link_id!r} is {status}; use its successor")
        rows = conn.execute(sa.select(events.c.id).where(events.c.link_id == link_id)
                            .order_by(events.c.id))
        return [r[0] for r in rows]

    @staticmethod
    def _relink_members(conn: sa.Connection, members: list[str], link_ids: list[str], user: str,
                        reason: str | None) -> None:
        rows = conn.execute(sa.select(events.c.country, events.c.date, articles.c.published)
                            .join(articles).where(events.c.id.in_(members))).mappings()
        linking.relink(conn, linking.event_windows([dict(r) for r in rows]), set(link_ids),
                       user=user, reason=reason, event_ids=members)

    # -- users ----------------------------------------------------------------------------
    def add_user(self, name: str, password_hash: str, role: str = "reviewer",
                 by: str = "admin") -> None:
        """Store a reviewer account; the caller hashes the password (argon2 in the web app)."""
        name = _need_user(name)
        with self.write() as conn:
            if conn.execute(sa.select(users.c.name).where(users.c.name == name)).first():
                raise ReviewError(f"user {name!r} already exists")
            conn.execute(users.insert().values(name=name, password_hash=password_hash,
                                               role=role, created_at=utcnow()))
            _audit(conn, by, "add-user", "user", name, None, {"name": name, "role": role}, None)

    def get_user(self, name: str) -> dict[str, Any]:
        with self.read() as conn:
            row = conn.execute(sa.select(users).where(users.c.name == name)).mappings().first()
        if row is None:
            raise NotFound(f"user {name!r} does not exist")
        return {k: iso(v) for k, v in row.items()}

    def list_users(self) -> list[dict[str, Any]]:
        with self.read() as conn:
            rows = conn.execute(sa.select(users.c.name, users.c.role, users.c.created_at)
                                .order_by(users.c.name)).mappings()
            return [{k: iso(v) for k, v in r.items()} for r in rows]


def _summary(event: dict[str, Any]) -> dict[str, Any]:
    keep = ("event_type", "sub_event_type", "date", "country", "location", "actor1", "actor2",
            "fatalities", "injured", "arrested", "review_status")
    return {k: event.get(k) for k in keep}
