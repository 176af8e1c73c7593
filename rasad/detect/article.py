"""Article-level extraction (being written)."""
from __future__ import annotations

from rasad.records import Article, Result


def extract_article(article: Article) -> Result:
    return Result(id=article.id, text=article.text)
