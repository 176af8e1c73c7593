"""News page → article: main text, title, publication date, URL and outlet.

trafilatura finds the main text and metadata; it is maintained, fast and measured well on
Arabic pages (see DEPENDENCIES.md). What it lets through on Arabic outlets is handled here:
"اقرأ أيضاً" lines with the titles listed under them, comment headings, share/print labels,
captcha lines ("اكتب ناتج 7 + 7"), follow-us and copyright lines. Those phrases are data
(``data/lexicons/page_debris.tsv``). The date falls back from the page's own metadata (meta
tags, JSON-LD, ``<time>``) to trafilatura's guess, the URL path and a dateline in the text.

The text we return is what evidence offsets refer to, so it is built deterministically: the
title as first line (when the page body does not already start with it), then one
paragraph per line, whitespace collapsed.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml import etree

from rasad.errors import InputError
from rasad.ingest.pagedate import dateline_date, first_date, iso_date, page_published, url_date
from rasad.lexicon import load_table
from rasad.text.normalize import normalize_key


@dataclass(frozen=True, slots=True)
class Page:
    """What a page yields: ``text`` is the article text evidence offsets refer to."""

    text: str
    title: str | None = None
    published: str | None = None
    url: str | None = None
    outlet: str | None = None


_NOT_LETTER = re.compile(r"[\W\d_]+")
_SENTENCE_END = re.compile(r"[.!?؟…]\s*$")
_SHORT_LINE = 14
# Fewer words than this (besides the title) is a menu or an error page, not an article.
_MIN_BODY_WORDS = 5
# trafilatura's baseline (all paragraph text) is only trusted when it is article-sized.
_MIN_BASELINE_WORDS = 15
_HEADING_LINE = 6


def extract_page(html: str, url: str | None = None, source: str = "page") -> Page:
    """Main text and metadata of one page; ``InputError`` when it holds no article text."""
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        include_images=False, deduplicate=False,
        date_extraction_params={"extensive_search": False, "original_date": True})
    body = getattr(document, "text", None) or ""
    if not body.strip():
        body = trafilatura.baseline(html)[1] or ""
        body = body if len(body.split()) >= _MIN_BASELINE_WORDS else ""
    title = _clean_space(getattr(document, "title", None) or "") or None
    lines = drop_debris([_clean_space(line) for line in body.splitlines()])
    body_lines = [line for line in lines if not (title and _same(line, title))]
    if sum(len(line.split()) for line in body_lines) < _MIN_BODY_WORDS:
        raise InputError(f"{source}: no article text found in the page")
    if title and not _starts_with_title(lines, title):
        lines.insert(0, title)
    text = "\n".join(lines)
    tree = _parse(html)
    page_url = url or getattr(document, "url", None) or _canonical_url(tree)
    published = first_date(page_published(tree), url_date(page_url),
                           iso_date(getattr(document, "date", None)), dateline_date(text))
    outlet = getattr(document, "sitename", None) or _hostname(page_url)
    return Page(text=text, title=title, published=published, url=page_url, outlet=outlet)


def _clean_space(line: str) -> str:
    return " ".join(line.split())


def _same(a: str, b: str) -> bool:
    return normalize_key(a) == normalize_key(b)


def _starts_with_title(lines: list[str], title: str) -> bool:
    """The body already opens with the headline (in its first two lines)."""
    return any(_same(line, title) for line in lines[:2])


def _parse(html: str) -> Any:
    """An lxml tree for our own metadata look-ups, or ``None`` for unparsable markup."""
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    try:
        return lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _hostname(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


def _canonical_url(tree: Any) -> str | None:
    if tree is None:
        return None
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        found = tree.xpath(xpath)
        if found and str(found[0]).startswith("http"):
            return str(found[0]).strip()
    return None


# ---------------------------------------------------------------- debris

@dataclass(frozen=True, slots=True)
class DebrisRules:
    """Normalised phrases of ``page_debris.tsv`` grouped by rule."""

    line: frozenset[str]
    prefix: tuple[str, ...]
    contains: tuple[str, ...]
    related: tuple[str, ...]
    tail: tuple[str, ...]


@functools.cache
def debris_rules() -> DebrisRules:
    groups: dict[str, list[str]] = {"line": [], "prefix": [], "contains": [], "related": [],
                                    "tail": []}
    for row in load_table("page_debris", ("phrase",)):
        groups.setdefault(row["rule"], []).append(_line_key(row["phrase"]))
    return DebrisRules(line=frozenset(groups["line"]), prefix=tuple(groups["prefix"]),
                       contains=tuple(groups["contains"]), related=tuple(groups["related"]),
                       tail=tuple(groups["tail"]))


def _line_key(line: str) -> str:
    """Letters only, folded and lower-cased: "اقرأ أيضاً:" and "اقرا ايضا" compare equal."""
    return " ".join(_NOT_LETTER.sub(" ", normalize_key(line).casefold()).split())


def _starts(key: str, phrases: tuple[str, ...]) -> bool:
    return any(key == p or key.startswith(p + " ") for p in phrases)


def _is_furniture(key: str, rules: DebrisRules) -> bool:
    """A short line that is only a share/print label, a follow-us, captcha or copyright."""
    words = key.split()
    if not words or len(words) > _SHORT_LINE:
        return False
    if key in rules.line or all(w in rules.line for w in words):
        return True
    return _starts(key, rules.prefix) or any(p in key for p in rules.contains)


def _is_listed_title(line: str) -> bool:
    """A line under a "read also" heading: a short headline, not a sentence."""
    return 0 < len(line.split()) <= _SHORT_LINE + 4 and not _SENTENCE_END.search(line)


def drop_debris(lines: list[str]) -> list[str]:
    """The lines of extracted text without page furniture; empty lines dropped too."""
    rules = debris_rules()
    kept: list[str] = []
    lines = [line for line in lines if line]
    index = 0
    while index < len(lines):
        line = lines[index]
        key = _line_key(line)
        short = len(key.split()) <= _HEADING_LINE
        if _starts(key, rules.tail) and short and index >= len(lines) / 2:
            break
        index += 1
        if _starts(key, rules.related) and len(key.split()) <= _SHORT_LINE + 4:
            if short and not _has_text_after_colon(line):
                while index < len(lines) and _is_listed_title(lines[index]):
                    index += 1
            continue
        if _starts(key, rules.tail) and short:
            continue
        if not _is_furniture(key, rules):
            kept.append(line)
    return kept


def _has_text_after_colon(line: str) -> bool:
    """"اقرأ أيضاً: <headline>" carries its link inline; a bare heading does not."""
    head, colon, rest = line.partition(":")
    return bool(colon and rest.strip())
