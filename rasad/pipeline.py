"""The per-article pipeline: text → findings → events and statistics.

``process_article`` is pure: it reads the article and the shared read-only resources (lexicons,
gazetteer) that load once per process, and keeps no state between articles, so batches can
run in worker processes and give the same output as a serial run.
"""
from __future__ import annotations

import datetime as dt

from rasad.errors import InputError
from rasad.records import Article, Result
from rasad.settings import Settings


def parse_published(value: str | dt.date | dt.datetime | None) -> dt.datetime | None:
    """Publication date/time from ISO text or a date; ``None`` when not given."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    text = str(value).strip().replace("Z", "+00:00")
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = dt.datetime.combine(dt.date.fromisoformat(text[:10]), dt.time())
        except ValueError as exc:
            raise InputError(f"published {value!r} is not an ISO date (YYYY-MM-DD)") from exc
    return parsed.replace(tzinfo=None)


def make_article(article_id: str, text: str, published: str | dt.date | dt.datetime | None = None,
                 **meta: str | None) -> Article:
    """An ``Article`` from loose values, checking what the pipeline relies on."""
    if not isinstance(text, str):
        raise InputError(f"article {article_id}: 'text' must be a string")
    return Article(id=str(article_id), text=text, published=parse_published(published),
                   title=meta.get("title"), url=meta.get("url"), outlet=meta.get("outlet"))


def process_article(article: Article, settings: Settings | None = None) -> Result:
    """Extract events and statistics from one article."""
    from rasad.detect.article import extract_article

    return extract_article(article, settings)
