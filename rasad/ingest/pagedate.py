"""When a page was published, from what the page itself says.

Every relative date in an article ("أمس", "يوم الاثنين") resolves against the publication
date, so a wrong one shifts every event. We read, most reliable first: JSON-LD
``datePublished`` (it usually keeps the outlet's local time zone), ``<meta>`` publication
tags, ``<time>``, a date in the URL path, trafilatura's (htmldate's) guess, and a dateline
near the top of the text, numeric ("2022.12.27 - 12:18") or with an Arabic month name
("24 نيسان / أبريل 2020"; month names are data: ``data/lexicons/dateline_months.tsv``).
Time zones are dropped: the local clock time is what the article's words refer to.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from rasad.lexicon import load_table
from rasad.text.normalize import normalize

_PUBLISHED_META = ("article:published_time", "og:published_time", "datepublished",
                   "date_published", "publishdate", "publish-date", "pubdate", "pub_date",
                   "publication_date", "dc.date", "dc.date.issued", "dcterms.created",
                   "dcterms.date", "sailthru.date", "parsely-pub-date", "date")
# /2022/12/27/, /2022-12-27-, and CNN's /2013/middle_east/8/3/.
_URL_DATE = re.compile(r"/((?:19|20)\d{2})(?:[/-]|/[a-z_-]+/)(\d{1,2})[/-](\d{1,2})(?:[/.-]|$)")
_NUMERIC_DATES = (
    (re.compile(r"(?<!\d)((?:19|20)\d{2})[./-](\d{1,2})[./-](\d{1,2})(?!\d)"), (0, 1, 2)),
    (re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-]((?:19|20)\d{2})(?!\d)"), (2, 1, 0)),
)
_CLOCK = re.compile(r"^\s*[-–—,،|]?\s*(\d{1,2}):(\d{2})(?!\d)")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def first_date(*candidates: str | None) -> str | None:
    """The first date found; a bare day gains the clock time of a later same-day finding."""
    found = [c for c in candidates if c]
    if not found:
        return None
    if len(found[0]) == 10:
        for later in found[1:]:
            if later.startswith(found[0]) and len(later) > 10:
                return later
    return found[0]


def iso_date(value: str | None) -> str | None:
    """``value`` as ISO ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM[:SS]``, if it is ISO at all."""
    if not value:
        return None
    text = str(value).strip().translate(_DIGITS).replace("Z", "+00:00")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return _valid_date(int(text[:4]), int(text[5:7]), int(text[8:10]))
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    spec = "minutes" if parsed.second == 0 else "seconds"
    return parsed.replace(tzinfo=None).isoformat(timespec=spec)


def page_published(tree: Any) -> str | None:
    """The publication date the page states in JSON-LD, meta tags or ``<time>``."""
    if tree is None:
        return None
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        for value in _json_ld_values(script.text_content(), "datePublished"):
            found = iso_date(value)
            if found:
                return found
    for attribute in ("property", "name", "itemprop"):
        for element in tree.xpath(f"//meta[@{attribute}]"):
            if element.get(attribute, "").strip().lower() in _PUBLISHED_META:
                content = element.get("content") or ""
                found = iso_date(content) or dateline_date(content)
                if found:
                    return found
    times = tree.xpath('//time[@itemprop="datePublished"]') + tree.xpath("//time[@datetime]")
    for element in times:
        found = iso_date(element.get("datetime") or element.text_content())
        if found:
            return found
    return None


def _json_ld_values(source: str, key: str) -> Iterator[str]:
    """Every ``key`` value anywhere in a JSON-LD block (objects, lists, ``@graph``)."""
    try:
        data = json.loads(source)
    except json.JSONDecodeError:
        return
    stack: list[Any] = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, dict):
            if isinstance(item.get(key), str):
                yield item[key]
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def url_date(url: str | None) -> str | None:
    """A date in the URL path: ``/2022/12/27/``, ``/2022-12-27-``."""
    if not url:
        return None
    match = _URL_DATE.search(urlsplit(url).path)
    return _valid_date(*(int(g) for g in match.groups())) if match else None


def dateline_date(text: str, window: int = 400) -> str | None:
    """A date near the top of ``text``: numeric (with a clock time if one follows) or
    with a month name."""
    head = text[:window].translate(_DIGITS)
    for pattern, order in _NUMERIC_DATES:
        match = pattern.search(head)
        if not match:
            continue
        parts = [int(g) for g in match.groups()]
        day = _valid_date(parts[order[0]], parts[order[1]], parts[order[2]])
        if day:
            clock = _CLOCK.match(head[match.end():match.end() + 12])
            if clock and int(clock.group(1)) < 24 and int(clock.group(2)) < 60:
                return f"{day}T{int(clock.group(1)):02d}:{clock.group(2)}"
            return day
    return _month_name_date(head)


@functools.cache
def _month_patterns() -> tuple[dict[str, int], tuple[re.Pattern[str], ...]]:
    """Month name → number, and the two dateline shapes that use month names."""
    months = {normalize(r["name"]).text: int(r["month"])
              for r in load_table("dateline_months")}
    names = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
    month = rf"(?<![\u0621-\u064a])({names})(?![\u0621-\u064a])"
    day_first = re.compile(rf"(?<!\d)(\d{{1,2}})\s+{month}(?:\s*[/-]\s*(?:{names}))?"
                           rf"\s*,?\s*((?:19|20)\d{{2}})(?!\d)")
    month_first = re.compile(rf"{month}\s+(\d{{1,2}})\s*,\s*((?:19|20)\d{{2}})(?!\d)")
    return months, (day_first, month_first)


def _month_name_date(head: str) -> str | None:
    months, (day_first, month_first) = _month_patterns()
    folded = normalize(head).text
    match = day_first.search(folded)
    if match:
        return _valid_date(int(match.group(3)), months[match.group(2)], int(match.group(1)))
    match = month_first.search(folded)
    if match:
        return _valid_date(int(match.group(3)), months[match.group(1)], int(match.group(2)))
    return None


def _valid_date(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
