"""Tallies: counts over a period or a region ("منذ مطلع العام ... 199 عملية") become Statistics.

A sentence is a tally when it names a period or a summary ("حصيلة شهرية") and a figure. Its
figures are never an incident's casualties. Figures after "بينهم/هم" go into the breakdown
of the figure they belong to.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rasad.detect.casualties import Casualty
from rasad.detect.incidents import find_triggers
from rasad.detect.matcher import PhraseMatcher
from rasad.lexicon import load_table, word_set
from rasad.text.segment import Token, strip_article, token_text, word_keys


@functools.cache    # asked in per-token loops: a C-level cache hit, no Python call
def _words(role: str) -> frozenset[str]:
    """Function words of one role, from ``function_words.tsv``."""
    return word_set("function_words", role)


@dataclass(slots=True)
class TallyFigure:
    metric: str
    value: int
    start: int
    end: int
    breakdown: dict[str, int] = field(default_factory=dict)




@functools.cache
def marker_matcher() -> PhraseMatcher[str]:
    rows = load_table("tally_markers", ("phrase",))
    return PhraseMatcher((r["phrase"], r["kind"]) for r in rows)


@functools.cache
def _units() -> dict[str, str]:
    return {r["word"]: r["metric"] for r in load_table("tally_units", ("word",))}


_ANCHOR_REACH = 1

@functools.cache
def _span_heads() -> frozenset[str]:
    return frozenset(phrase.split()[0] for phrase in _words("time_span"))


@functools.cache
def _span_of_time() -> re.Pattern[str]:
    """"خلال نحو ثلاث سنوات", "منذ 19 شهراً": a counted span of time ("منذ أشهر" compares)."""
    spans = "|".join(sorted(_words("time_span")))
    units = "|".join(sorted(_words("time_unit"), key=len, reverse=True))
    return re.compile(rf"(?<![\u0621-\u064a])(?:{spans})\s+(?:[^\s]+\s+){{1,2}}?"
                      rf"(?:ال)?(?:{units})(?![\u0621-\u064a])")


def tally_markers(toks: Sequence[Token], triggers: Sequence[Any] | None = None) -> set[str]:
    """Kinds of tally markers in a sentence: period, summary, counter, vague, claimed.

    A period anchored on one incident ("منذ بداية الهجوم على السجن") is the running toll of
    that incident, not a tally: it is reported as ``anchored`` instead of ``period``.
    """
    kinds: set[str] = set()
    # the span's first word ("خلال", "منذ") stands as a word of its own, or nothing matches
    if toks and not _span_heads().isdisjoint(map(token_text, toks)) and \
            _span_of_time().search(" ".join(map(token_text, toks))):
        kinds.add("period")
    if _claims_many(toks):
        kinds.add("claimed")
    if triggers is None:
        triggers = find_triggers(toks)
    for m in marker_words(tuple(toks)):
        follower = toks[m.last_token].text if m.last_token < len(toks) else ""
        if m.phrase == "منذ" and strip_article(follower) in _words("recent"):
            continue            # "منذ فجر أمس": an incident still going on, not a tally
        if m.value == "period" and (any(
                0 <= t.first_token - m.last_token <= _ANCHOR_REACH for t in triggers)
                or strip_article(follower) in _words("one_incident")):
            kinds.add("anchored")
        else:
            kinds.add(m.value)
    return kinds


def _claims_many(toks: Sequence[Token]) -> bool:
    """"أعلن تنظيم داعش مسؤوليته عن 5 هجمات": a claim counting several attacks is a tally
    of them (each attack told in the article is still its own event)."""
    claims = _words("claim")
    if claims.isdisjoint(map(token_text, toks)):
        return False        # most sentences: no word of claiming at all
    for i, tok in enumerate(toks[:-3]):
        if tok.text in claims and toks[i + 1].text == "عن" and \
                _unit_metric(toks, i + 3) == "events" and toks[i + 2].text not in _units():
            return True
    return False


@functools.lru_cache(maxsize=64)
def marker_words(toks: tuple[Token, ...]) -> list[Any]:
    """The tally words of a sentence's tokens, found once (the quiet-sentence test asks too)."""
    return marker_matcher().find_all(toks)


def _unit_metric(toks: Sequence[Token], last: int) -> str | None:
    units = _units()
    for tok in toks[last:last + 2]:
        for key in word_keys(tok.text):
            if key in units:
                return units[key]
    return None


def tally_figures(toks: Sequence[Token], numbers: Sequence[object],
                  casualties: Sequence[Casualty]) -> list[TallyFigure]:
    """The figures of a tally sentence with their metric; subsets fold into breakdowns."""
    by_start = {c.start: c for c in casualties}
    figures: list[TallyFigure] = []
    for number in numbers:
        start, end = number.start, number.end  # type: ignore[attr-defined]
        casualty = by_start.get(start)
        if casualty is not None:
            if casualty.subset and figures:
                key = _breakdown_key(casualty)
                if key:
                    parent = figures[-1].breakdown
                    parent[key] = parent.get(key, 0) + casualty.value
                continue
            figures.append(TallyFigure(casualty.kind, casualty.value, start, end))
            continue
        first_after = next((t.index for t in toks if t.start >= end), len(toks))
        first_in = next((t.index for t in toks if t.end > start), len(toks))
        metric = _unit_metric(toks, first_after)
        if metric is None and _unit_metric(toks[max(0, first_in - 3):first_in], 0) == "displaced":
            metric = "displaced"
        if metric is None:
            continue
        figures.append(TallyFigure(metric, int(number.value), start, end))  # type: ignore[attr-defined]
    return figures


def _breakdown_key(casualty: Casualty) -> str | None:
    if casualty.category == "woman":
        return "women"
    if casualty.category == "child":
        return "children"
    if casualty.side in ("civilians",):
        return "civilians"
    if casualty.side and casualty.side not in ("state", "attacker", "armed", "person"):
        return casualty.side
    return None
