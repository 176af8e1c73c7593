"""Page debris in scraped text: share bars, print buttons, captchas, related links, captions.

Such lines describe nothing that happened ("اكتب ناتج 7 + 7" is a captcha, not seven dead),
so the sentences inside them are skipped before any detection runs.
"""
from __future__ import annotations

import functools
import re

from rasad.lexicon import load_table

_SHORT_LINE = 80


@functools.cache
def _patterns() -> tuple[tuple[str, str], ...]:
    rows = load_table("debris", ("phrase",))
    return tuple((r["phrase"].lower(), r["match"]) for r in rows)


def debris_ranges(text: str) -> list[tuple[int, int]]:
    """Spans of normalised ``text`` that are page debris, one per offending line."""
    out: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group().strip().lower()
        if not line:
            continue
        for phrase, how in _patterns():
            if (how == "line" and line.startswith(phrase)) or (
                    how == "contains" and len(line) < _SHORT_LINE and phrase in line):
                out.append((m.start(), m.end()))
                break
    return out


def in_ranges(pos: int, ranges: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in ranges)


# A dateline opens a line: one to three words, maybe "(agency)", then "-" or ":"
# ("دمشق - ", "اربيل (كوردستان 24)- "). It names where the reporter is.
_DATELINE = re.compile(
    r"(?m)^[ \t\"']*((?:[\u0621-\u064a]+ ?){1,3})(?:\([^)\n]{0,40}\))? ?[-–:/](?!\d)")


def mask_datelines(text: str) -> str:
    """``text`` with dateline place names blanked (same length, so offsets still hold)."""
    def blank(m: re.Match[str]) -> str:
        s, e = m.span(1)
        return m.group(0)[:s - m.start()] + " " * (e - s) + m.group(0)[e - m.start():]
    return _DATELINE.sub(blank, text)


@functools.cache
def _outlets() -> re.Pattern[str]:
    names = sorted((r["name"] for r in load_table("outlets", ("name",))), key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names))


def mask_outlets(text: str) -> str:
    """``text`` with outlet names that contain a place ("حلب اليوم") blanked."""
    return _outlets().sub(lambda m: " " * len(m.group()), text)
