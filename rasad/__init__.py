"""rasad (رصد): Arabic conflict news → ACLED/UCDP-style event records with evidence."""
from __future__ import annotations

import datetime as dt

__version__ = "0.1.0"

from rasad.errors import InputError, RasadError  # noqa: E402
from rasad.records import Article, Event, Evidence, Location, Result, Statistic  # noqa: E402


def extract(text: str, published: str | dt.date | dt.datetime | None = None,
            article_id: str = "text") -> Result:
    """Code one article's ``text``; ``published`` anchors relative dates ("أمس")."""
    from rasad.pipeline import make_article, process_article

    return process_article(make_article(article_id, text, published))


__all__ = ["extract", "Article", "Event", "Evidence", "Location", "Result", "Statistic",
           "RasadError", "InputError", "__version__"]
