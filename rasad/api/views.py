"""What the pages show, computed without templates: evidence highlighting, the side-by-side
comparison of linked reports, and filter parsing shared by pages and the JSON API.

Article text is untrusted (scraped HTML may carry ``<script>`` or ``<img onerror>``), so the
highlighted article is built here by escaping every text segment between evidence offsets and
wrapping it in markup we write ourselves; no piece of article text is ever inserted raw.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from rasad.errors import StoreError
from rasad.store.query import parse_bbox

FILTER_KEYS = ("country", "admin1", "date_from", "date_to", "event_type", "actor", "bbox",
               "reviewed")
MAX_FILTER_CHARS = 200
# Evidence field → the coded fields it supports, in the order the event page lists them.
EVIDENCE_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("event_type", ("event_type", "trigger")),
    ("date", ("date",)),
    ("location", ("location",)),
    ("actors", ("actor",)),
    ("fatalities", ("killed", "killed_subset")),
    ("injured", ("injured", "injured_subset")),
    ("arrested", ("arrested", "arrested_subset")),
)
KNOWN_FIELDS = frozenset(f for _, names in EVIDENCE_ROWS for f in names)
COMPARED = ("event_type", "sub_event_type", "date", "location", "admin1", "actor1", "actor2",
            "fatalities", "injured", "arrested", "outlet")
_FIELD_CLASS = re.compile(r"[^a-z0-9_]")


def field_class(field: str) -> str:
    """A CSS class for an evidence field name (colour per field; unknown names share one)."""
    name = _FIELD_CLASS.sub("", str(field).lower())
    return f"f-{name}" if name in KNOWN_FIELDS else "f-other"


@dataclass(frozen=True, slots=True)
class Span:
    index: int
    field: str
    start: int
    end: int


def evidence_spans(text: str, evidence: list[Mapping[str, Any]]) -> list[Span]:
    """Valid spans (inside the text, non-empty) numbered by their place in ``evidence``."""
    out = []
    for index, item in enumerate(evidence or []):
        start, end = item.get("start"), item.get("end")
        if not isinstance(start, int) or not isinstance(end, int):
            continue
        start, end = max(0, start), min(len(text), end)
        if start < end:
            out.append(Span(index, str(item.get("field", "")), start, end))
    return out


def highlight(text: str, evidence: list[Mapping[str, Any]]) -> Markup:
    """The article as HTML with each evidence span in a ``<mark>`` coloured by its field.

    Overlapping spans are cut at every boundary; a segment covered by several spans lists
    them all in ``data-ev`` so clicking any of their fields finds it. Each span's start gets
    an empty anchor ``#ev-N`` to jump to.
    """
    spans = evidence_spans(text, evidence)
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    starts: dict[int, list[Span]] = {}
    for span in spans:
        starts.setdefault(span.start, []).append(span)
    parts: list[str] = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        parts.extend(f'<span class="ev-anchor" id="ev-{s.index}"></span>'
                     for s in starts.get(left, ()))
        segment = str(escape(text[left:right]))
        covering = [s for s in spans if s.start <= left and right <= s.end]
        if not covering:
            parts.append(segment)
            continue
        classes = " ".join(dict.fromkeys(field_class(s.field) for s in covering))
        multi = " ev-multi" if len(covering) > 1 else ""
        indices = " ".join(str(s.index) for s in covering)
        fields = " ".join(escape(s.field) for s in covering)
        parts.append(f'<mark class="ev {classes}{multi}" data-ev="{indices}" '
                     f'title="{fields}">{segment}</mark>')
    return Markup("".join(parts))


def evidence_rows(event: Mapping[str, Any], text: str) -> list[dict[str, Any]]:
    """The event page's field table: label key, value, and the spans that support it."""
    spans = evidence_spans(text, event.get("evidence") or [])
    location = event.get("location") or {}
    values = {
        "event_type": f"{event.get('event_type')} / {event.get('sub_event_type')}",
        "date": event.get("date"),
        "location": ", ".join(str(v) for v in (location.get("name"), location.get("name_ar"),
                                              event.get("admin1")) if v),
        "actors": " — ".join(a for a in (event.get("actor1"), event.get("actor2")) if a),
        "fatalities": event.get("fatalities"),
        "injured": event.get("injured"),
        "arrested": event.get("arrested"),
    }
    rows = []
    used: set[int] = set()
    for key, fields in EVIDENCE_ROWS:
        mine = [s for s in spans if s.field in fields]
        used.update(s.index for s in mine)
        rows.append({"key": key, "value": values[key], "css": field_class(fields[0]),
                     "spans": [{"index": s.index, "field": s.field,
                                "quote": text[s.start:s.end]} for s in mine]})
    rest = [s for s in spans if s.index not in used]
    if rest:
        rows.append({"key": "evidence", "value": "", "css": "f-other",
                     "spans": [{"index": s.index, "field": s.field,
                                "quote": text[s.start:s.end]} for s in rest]})
    return rows


def _compared_value(report: Mapping[str, Any], field: str) -> Any:
    if field == "location":
        return (report.get("location") or {}).get("name")
    return report.get(field)


def compare_reports(reports: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per field with each report's value and whether the reports disagree."""
    rows = []
    for field in COMPARED:
        values = [_compared_value(r, field) for r in reports]
        distinct = {repr(v) for v in values if v is not None}
        rows.append({"field": field, "values": values,
                     "differs": len(distinct) > 1 and field != "outlet"})
    return rows


def parse_filters(params: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Store filter keywords from query parameters, leniently: blanks are ignored and each
    malformed value is dropped with a message (pages show them; the API answers 400)."""
    out: dict[str, Any] = {}
    errors: list[str] = []
    for key in FILTER_KEYS:
        raw = (params.get(key) or "").strip()
        if not raw:
            continue
        if len(raw) > MAX_FILTER_CHARS:
            errors.append(f"{key}: longer than {MAX_FILTER_CHARS} characters")
            continue
        try:
            out[key] = _filter_value(key, raw)
        except ValueError as exc:
            errors.append(f"{key}: {exc}")
    return out, errors


def _filter_value(key: str, raw: str) -> Any:
    if key == "country":
        if not (len(raw) == 2 and raw.isascii() and raw.isalpha()):
            raise ValueError(f"{raw!r} is not an ISO 3166 alpha-2 code")
        return raw.upper()
    if key in ("date_from", "date_to"):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"{raw!r} is not a date (YYYY-MM-DD)") from None
    if key == "bbox":
        try:
            parse_bbox(raw)
        except StoreError as exc:
            raise ValueError(str(exc)) from None
        return raw
    if key == "reviewed":
        if raw not in ("yes", "no", "true", "false", "any"):
            raise ValueError(f"{raw!r}: use yes, no or any")
        return None if raw == "any" else raw in ("yes", "true")
    return raw


def filter_query(filters: Mapping[str, Any]) -> dict[str, str]:
    """Filters back as query-string values (for links that keep the current filter)."""
    out = {}
    for key, value in filters.items():
        if value is None:
            continue
        if key == "reviewed":
            out[key] = "yes" if value else "no"
        else:
            out[key] = value.isoformat() if isinstance(value, dt.date) else str(value)
    return out
