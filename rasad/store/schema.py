"""The store's tables, written once in SQLAlchemy Core for SQLite and PostgreSQL.

Why this shape:
- ``events`` hold the *effective* values (the extraction with any analyst correction applied),
  so every filter the API and exports need is a plain SQL condition; the untouched extraction
  stays in ``events.machine`` for the audit view.
- An event's primary key is a stable key (article id + a signature of what was extracted), not
  a row number: re-extracting an article replaces its rows, and a review keyed by the same
  signature finds its event again (``event_reviews``).
- Linked events (clusters of reports) keep their id across re-runs; every change of membership
  is a row in ``link_changes`` and analysts' merge/split decisions are ``link_constraints``
  the linker obeys.
- ``audit`` is append-only: who, when, what, before, after, why.

This module describes the *latest* schema; ``migrations.py`` gets an older database there.
"""
from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()


def _place_columns(sublocation: bool = False) -> list[sa.Column]:
    """Where an event (or a linked event) happened; fresh Column objects for each table."""
    names = ["country", "admin1", "admin2", "location_name", "location_name_ar"]
    sizes = {"country": 2, "admin1": 120, "admin2": 120}
    cols: list[sa.Column[object]] = [sa.Column(n, sa.String(sizes.get(n, 200)))
                                     for n in names]
    if sublocation:
        cols.append(sa.Column("sublocation_ar", sa.String(200)))
    cols += [sa.Column("lat", sa.Float), sa.Column("lon", sa.Float),
             sa.Column("geo_precision", sa.Integer)]
    return cols


def _actor_columns() -> list[sa.Column]:
    """Who took part; ``actors`` is "|a|b|c|" for portable LIKE filtering."""
    return [sa.Column("actor1", sa.String(120)), sa.Column("actor2", sa.String(120)),
            sa.Column("assoc_actors", sa.JSON), sa.Column("actors", sa.Text)]

articles = sa.Table(
    "articles", metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("url", sa.Text),
    sa.Column("outlet", sa.String(200)),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.DateTime),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("n_events", sa.Integer, nullable=False, default=0),
    sa.Column("n_statistics", sa.Integer, nullable=False, default=0),
    sa.Column("extracted_at", sa.DateTime, nullable=False),
)

linked_events = sa.Table(
    "linked_events", metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("status", sa.String(20), nullable=False, default="active"),  # active | retired
    sa.Column("merged_into", sa.String(40)),
    sa.Column("event_type", sa.String(60)),
    sa.Column("sub_event_type", sa.String(60)),
    sa.Column("date", sa.Date),
    sa.Column("date_low", sa.Date),
    sa.Column("date_high", sa.Date),
    *_place_columns(),
    *_actor_columns(),
    sa.Column("fatalities", sa.Integer),
    sa.Column("fatalities_low", sa.Integer),
    sa.Column("fatalities_high", sa.Integer),
    sa.Column("killed", sa.JSON),
    sa.Column("injured", sa.Integer),
    sa.Column("arrested", sa.Integer),
    sa.Column("n_reports", sa.Integer, nullable=False, default=0),
    sa.Column("n_sources", sa.Integer, nullable=False, default=0),
    sa.Column("sources", sa.JSON),
    sa.Column("first_reported", sa.DateTime),
    sa.Column("last_reported", sa.DateTime),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

events = sa.Table(
    "events", metadata,
    sa.Column("id", sa.String(240), primary_key=True),
    sa.Column("article_id", sa.String(200),
              sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    sa.Column("ordinal", sa.Integer, nullable=False),
    sa.Column("event_type", sa.String(60), nullable=False),
    sa.Column("sub_event_type", sa.String(60), nullable=False),
    sa.Column("date", sa.Date),
    sa.Column("date_precision", sa.Integer),
    *_place_columns(sublocation=True),
    *_actor_columns(),
    sa.Column("fatalities", sa.Integer, nullable=False, default=0),
    sa.Column("fatalities_low", sa.Integer),
    sa.Column("fatalities_high", sa.Integer),
    sa.Column("fatalities_basis", sa.String(20)),
    sa.Column("killed", sa.JSON),
    sa.Column("civilians_killed", sa.Integer),
    sa.Column("women_killed", sa.Integer),
    sa.Column("children_killed", sa.Integer),
    sa.Column("injured", sa.Integer),
    sa.Column("arrested", sa.Integer),
    sa.Column("background", sa.Boolean, nullable=False, default=False),
    sa.Column("confidence", sa.Float),
    sa.Column("evidence", sa.JSON),
    sa.Column("machine", sa.JSON, nullable=False),
    sa.Column("link_id", sa.String(40), sa.ForeignKey("linked_events.id", ondelete="SET NULL")),
    sa.Column("review_status", sa.String(20)),  # None | accepted | corrected | rejected
    sa.Column("reviewed_by", sa.String(120)),
    sa.Column("reviewed_at", sa.DateTime),
    sa.Index("ix_events_article", "article_id"),
    sa.Index("ix_events_country_date", "country", "date"),
    sa.Index("ix_events_link", "link_id"),
)

statistics = sa.Table(
    "statistics", metadata,
    sa.Column("id", sa.String(240), primary_key=True),
    sa.Column("article_id", sa.String(200),
              sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    sa.Column("ordinal", sa.Integer, nullable=False),
    sa.Column("metric", sa.String(20), nullable=False),
    sa.Column("value", sa.BigInteger, nullable=False),
    sa.Column("period_start", sa.Date),
    sa.Column("period_end", sa.Date),
    sa.Column("country", sa.String(2)),
    sa.Column("region", sa.Text),
    sa.Column("perpetrator", sa.String(120)),
    sa.Column("breakdown", sa.JSON),
    sa.Column("source_org", sa.Text),
    sa.Column("evidence", sa.JSON),
    sa.Index("ix_statistics_article", "article_id"),
)

event_reviews = sa.Table(
    "event_reviews", metadata,
    sa.Column("event_id", sa.String(240), primary_key=True),
    sa.Column("article_id", sa.String(200), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("overrides", sa.JSON, nullable=False),  # column -> corrected value
    sa.Column("basis", sa.JSON, nullable=False),  # the extraction the analyst saw
    sa.Column("username", sa.String(120), nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

link_constraints = sa.Table(
    "link_constraints", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(10), nullable=False),  # must | cannot
    sa.Column("event_a", sa.String(240), nullable=False),
    sa.Column("event_b", sa.String(240), nullable=False),
    sa.Column("username", sa.String(120), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Index("ix_link_constraints_a", "event_a"),
    sa.Index("ix_link_constraints_b", "event_b"),
)

link_changes = sa.Table(
    "link_changes", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),  # create | merge | split | retire
    sa.Column("link_id", sa.String(40), nullable=False),
    sa.Column("other_ids", sa.JSON),
    sa.Column("event_ids", sa.JSON),
    sa.Column("username", sa.String(120), nullable=False),
    sa.Column("reason", sa.Text),
    sa.Index("ix_link_changes_link", "link_id"),
)

audit = sa.Table(
    "audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("username", sa.String(120), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("target_type", sa.String(20), nullable=False),  # event | linked_event | user
    sa.Column("target_id", sa.String(240), nullable=False),
    sa.Column("before", sa.JSON),
    sa.Column("after", sa.JSON),
    sa.Column("reason", sa.Text),
    sa.Index("ix_audit_target", "target_type", "target_id"),
)

users = sa.Table(
    "users", metadata,
    sa.Column("name", sa.String(120), primary_key=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("role", sa.String(20), nullable=False, default="reviewer"),
    sa.Column("created_at", sa.DateTime, nullable=False),
)
