"""Page debris in scraped text: share bars, print buttons, captchas, related links, captions.

Such lines describe nothing that happened ("اكتب ناتج 7 + 7" is a captcha, not seven dead),
so the sentences inside them are skipped before any detection runs.
"""
from __future__ import annotations

import functools
import re
from itertools import chain

from rasad.lexicon import load_table

_SHORT_LINE = 80


@functools.cache
def _patterns() -> tuple[tuple[str, str], ...]:
    rows = load_table("debris", ("phrase",))
    return tuple((r["phrase"].lower(), r["match"]) for r in rows)


@functools.cache
def _grouped() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(phrases that open a debris line, phrases a short line contains): one
    ``startswith`` per line instead of a loop over every phrase."""
    patterns = _patterns()
    return (tuple(phrase for phrase, how in patterns if how == "line"),
            tuple(phrase for phrase, how in patterns if how == "contains"))


_LINE = re.compile(r"[^\n]+")


def debris_ranges(text: str) -> list[tuple[int, int]]:
    """Spans of normalised ``text`` that are page debris, one per offending line."""
    openers, contained = _grouped()
    out: list[tuple[int, int]] = []
    for m in _LINE.finditer(text):
        line = m.group().strip().lower()
        if not line:
            continue
        if line.startswith(openers) or (
                len(line) < _SHORT_LINE and any(phrase in line for phrase in contained)):
            out.append(m.span())
    return out


def in_ranges(pos: int, ranges: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` lies in one of ``ranges`` (asked for every place, actor and
    sentence; most articles have no debris, so the empty case returns at once)."""
    return bool(ranges) and any(s <= pos < e for s, e in ranges)


# A dateline opens a line: one to three words, maybe "(agency)", then "-" or ":"
# ("دمشق - ", "اربيل (كوردستان 24)- "). It names where the reporter is. A word is taken
# whole (possessive ++): splitting it in two never finds a dateline, and trying every
# split made this the slowest pattern of an article.
_DATELINE = re.compile(
    r"(?m)^[ \t\"']*((?:[\u0621-\u064a]++ ?){1,3})(?:\([^)\n]{0,40}\))? ?[-–:/](?!\d)")


_NEWLINE = re.compile("\n")


def mask_datelines(text: str) -> str:
    """``text`` with dateline place names blanked (same length, so offsets still hold).

    A dateline lies within one line and starts it, so the pattern is tried at line starts
    only, not at every character of the article.
    """
    out: list[str] = []
    done = 0
    for start in chain((0,), (m.end() for m in _NEWLINE.finditer(text))):
        m = _DATELINE.match(text, start)
        if m is not None:
            s, e = m.span(1)
            out += (text[done:s], " " * (e - s))
            done = e
    if not out:
        return text
    out.append(text[done:])
    return "".join(out)


@functools.cache
def _outlet_names() -> tuple[str, ...]:
    return tuple(sorted((r["name"] for r in load_table("outlets", ("name",))), key=len,
                        reverse=True))


@functools.cache
def _outlets() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(n) for n in _outlet_names()))


def mask_outlets(text: str) -> str:
    """``text`` with outlet names that contain a place ("حلب اليوم") blanked.

    Most articles name none: a substring test per name is much faster than the pattern
    scan of every position, so the pattern runs only when one name occurs.
    """
    if not any(name in text for name in _outlet_names()):
        return text
    return _outlets().sub(lambda m: " " * len(m.group()), text)
