"""Turn the event page's correction form into the store's ``changes`` (only what changed).

The form shows every editable value; sending them all would record untouched fields as
corrections, so only fields whose submitted value differs from the current one are kept.
Blank numbers mean "unknown" (None), except fatalities, which ACLED always fills (0).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rasad.store import ReviewError

FORM_INT_FIELDS = ("fatalities", "injured", "arrested")
FORM_TEXT_FIELDS = ("event_type", "sub_event_type", "date", "admin1", "actor1", "actor2")
MAX_IDS = 50


def _number(field: str, raw: str) -> int | None:
    raw = raw.strip()
    if not raw:
        if field == "fatalities":
            raise ReviewError("fatalities: give a number (0 when none)")
        return None
    if not raw.isdigit():
        raise ReviewError(f"{field}: {raw!r} is not a whole number >= 0")
    return int(raw)


def form_changes(event: Mapping[str, Any], form: Mapping[str, Any]) -> dict[str, Any]:
    """Fields of ``form`` whose value differs from ``event``'s, as typed values."""
    changes: dict[str, Any] = {}
    for field in FORM_INT_FIELDS:
        if field in form:
            number = _number(field, str(form[field]))
            if number != event.get(field):
                changes[field] = number
    for field in FORM_TEXT_FIELDS:
        if field in form:
            text = str(form[field]).strip()[:200]
            value = text or None
            if value != (event.get(field) or None):
                changes[field] = value
    return changes


def parse_ids(text: str) -> list[str]:
    """Linked event ids typed into a box: separated by commas, spaces or new lines."""
    ids = [part for part in text.replace(",", " ").split() if part]
    if not ids:
        raise ReviewError("give at least one linked event id to merge with")
    if len(ids) > MAX_IDS:
        raise ReviewError(f"at most {MAX_IDS} linked events per merge")
    return ids
