"""The casualty fields of one event, fused from the figures of its sentences.

The headline, the lead and the body often report the same dead in different words, and
several sources may disagree. Each side keeps its largest report, a rising toll replaces the
earlier figures (of its side, when it names one), sources that disagree on a side give the
lowest figure with the spread in ``fatalities_low/high``, dead told "also" are added, and a
lead's total that sums incidents told one by one belongs to none of them. docs/counting.md
lists the rules for reviewers.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from rasad.detect.actors import actor_info
from rasad.detect.article import ArticleAnalysis, SentenceFindings
from rasad.detect.casualties import Casualty
from rasad.detect.roles import PARENT
from rasad.lexicon import word_set
from rasad.records import Event, Evidence
from rasad.text.segment import word_keys

if TYPE_CHECKING:
    from rasad.assemble import Draft

_GROUND_BOMBS = {"Remote explosive/landmine/IED", "Suicide bomb", "Grenade"}
_ROLE_SIDES = {None, "person", "armed", "state", "attacker"}   # a noun's role, not a side


def _killed_by_sentence_of(draft: Draft) -> dict[int, int]:
    """Each sentence's largest own killed figure in the draft."""
    out: dict[int, int] = {}
    for sf in draft.sentences:
        for c in sf.casualties:
            if c.kind == "killed" and not c.subset and not c.toll and \
                    (sf.index, c.start) not in draft.skip:
                out[sf.index] = max(out.get(sf.index, 0), c.value)
    return out


def _largest_killed(draft: Draft, leave_out: int | None = None,
                    figures: dict[int, int] | None = None) -> int:
    figures = _killed_by_sentence_of(draft) if figures is None else figures
    return max((v for i, v in figures.items() if i != leave_out), default=0)


def skip_summed_totals(drafts: list[Draft]) -> None:
    """"قتل 24 جندياً في هجومين منفصلين" and then 8 in one attack and 16 in the other: the
    lead's figure is the sum of incidents told one by one and belongs to none of them."""
    if len(drafts) < 2:
        return
    largest = [_largest_killed(draft) for draft in drafts]     # once each, not per pair
    for k, draft in enumerate(drafts):
        others = [figure for j, figure in enumerate(largest) if j != k]
        if not any(others):
            continue
        own = _killed_by_sentence_of(draft)
        for sf in draft.sentences:
            for c in sf.casualties:
                if c.kind != "killed" or c.subset or (sf.index, c.start) in draft.skip:
                    continue
                parts = [_largest_killed(draft, leave_out=sf.index, figures=own), *others]
                # distinct figures: one incident told twice must not look like two parts
                parts = sorted({p for p in parts if 0 < p < c.value})
                if any(sum(combo) == c.value for n in range(2, min(4, len(parts)) + 1)
                       for combo in itertools.combinations(parts, n)):
                    draft.skip.add((sf.index, c.start))
                    largest[k] = _largest_killed(draft)   # the later drafts see the skip


def evidence(analysis: ArticleAnalysis, name: str, start: int, end: int) -> Evidence:
    s, e = analysis.nt.original_span(start, end)
    return Evidence(name, s, max(e, s + 1))


def _count(figures: Iterable[Casualty], kind: str) -> int | None:
    """Largest figure of ``kind`` among ``figures`` that are not subsets, per sentence summed."""
    per_sentence: dict[int, int] = {}
    for c in figures:
        if c.kind == kind and not c.subset:
            per_sentence[c.sentence] = per_sentence.get(c.sentence, 0) + c.value
    return max(per_sentence.values()) if per_sentence else None


def _resolve_side(side: str | None, actor1: str | None, actor2: str | None,
                  event_type: str = "", sub_event_type: str = "") -> str | None:
    """The actor id a casualty figure belongs to, from its noun's role and the event's sides.

    Unnamed dead of a massacre are civilians; unnamed dead of a strike or bombing belong to
    the side it hit.
    """
    if side is None or side == "person":
        if event_type == "Violence against civilians":
            return "civilians"
        if event_type == "Explosions/Remote violence" and actor2 is not None:
            if sub_event_type in _GROUND_BOMBS:
                # a bomb's unnamed dead are its target's people or passers-by, never the
                # armed group the text blames or names
                info = actor_info(actor2)
                return actor2 if info is not None and info.inter in (1, 7, 8) else "civilians"
            return actor2
        return None
    if side == "attacker":
        return actor1
    if side in ("state", "armed"):
        want_state = side == "state"
        for actor in (actor2, actor1):
            info = actor_info(actor) if actor else None
            if info is not None and actor != "civilians" and (info.inter in (1, 8)) == want_state:
                return actor
        return None
    return side


def _merge_sides(sentence_sides: dict[int, dict[str, int]], sourced: set[int] | None = None,
                 lowest: bool = True) -> dict[str, int]:
    """Per-side dead over sentences: each side's largest report, forces rolled into their
    parent side first ("6 من قسد" and "3 من الأسايش و3 من قسد" are the same six).

    When every report of a side is attributed (``sourced``) and they disagree ("المرصد: 34
    من قسد" against "قسد: 17 من عناصرها"), the lowest credible figure is kept, as for totals
    (``lowest=False`` gives the highest, for ``fatalities_high``)."""
    reports: dict[str, list[tuple[int, int, dict[str, int], int]]] = {}
    for sentence, sides in sentence_sides.items():
        rolled: dict[str, dict[str, int]] = {}
        for side, n in sides.items():
            rolled.setdefault(PARENT.get(side, side), {})[side] = n
        for parent, parts in rolled.items():
            reports.setdefault(parent, []).append(
                (sum(parts.values()), len(parts), parts, sentence))
    out: dict[str, int] = {}
    for found in reports.values():
        disputed = sourced is not None and len({r[0] for r in found}) > 1 and all(
            r[3] in sourced for r in found)
        if disputed and lowest:
            chosen = min(found, key=lambda r: (r[0], -r[1]))
        else:
            chosen = max(found, key=lambda r: (r[0], r[1]))
        out.update(chosen[2])
    return out


def _killed_by_sentence(event: Event, killed: list[Casualty]
                        ) -> tuple[dict[int, int], dict[int, dict[str, int]], set[int]]:
    """Per sentence: the dead it reports, their sides, and whether the sides come from the
    parts of a total ("41 هم 20 من ... و16 من ..."). Women and children go on the event."""
    per_sentence: dict[int, int] = {}
    sentence_sides: dict[int, dict[str, int]] = {}
    seen: set[tuple[int, int, str | None]] = set()
    subset_sides: dict[int, dict[str, int]] = {}
    for c in killed:
        side = _resolve_side(c.side, event.actor1, event.actor2, event.event_type,
                             event.sub_event_type)
        if not c.subset:
            # a caption or a repeated clause says the same figure twice in one sentence
            if (c.sentence, c.value, side) in seen:
                continue
            seen.add((c.sentence, c.value, side))
        if c.subset:
            if c.category == "child":
                event.children_killed = max(event.children_killed or 0, c.value)
            elif c.category == "woman":
                event.women_killed = max(event.women_killed or 0, c.value)
            elif side:
                # "41 هم 20 من قوى الأمن و16 من داعش": the parts name the sides of a total
                part = subset_sides.setdefault(c.sentence, {})
                part[side] = part.get(side, 0) + c.value
            continue
        per_sentence[c.sentence] = per_sentence.get(c.sentence, 0) + c.value
        if side:
            sides = sentence_sides.setdefault(c.sentence, {})
            sides[side] = sides.get(side, 0) + c.value
    partitioned: set[int] = set()
    for sentence, parts in subset_sides.items():
        named = sentence_sides.get(sentence, {})
        if sum(parts.values()) <= per_sentence.get(sentence, 0) and not named:
            sentence_sides[sentence] = parts
            partitioned.add(sentence)
    return per_sentence, sentence_sides, partitioned


def _after_update(event: Event, killed: list[Casualty], latest: int) -> list[Casualty]:
    """The dead once a toll has risen. "ارتفع تعداد قتلى الأسايش إلى 18" replaces that side's
    earlier figures (its forces included) and keeps the other sides' ("16 من داعش");
    a risen toll of no side replaces every earlier figure."""
    def parent(c: Casualty) -> str | None:
        side = _resolve_side(c.side, event.actor1, event.actor2, event.event_type,
                             event.sub_event_type)
        return PARENT.get(side, side) if side else None

    # only a side the update itself names narrows it; a guessed one would keep stale figures
    updated = {parent(c) if c.side not in _ROLE_SIDES else None
               for c in killed if c.sentence == latest and not c.subset}
    if None in updated:
        return [c for c in killed if c.sentence == latest or c.subset]
    return [c for c in killed if c.sentence == latest
            or (parent(c) is not None and parent(c) not in updated)]




def _adds_victims(sf: SentenceFindings) -> bool:
    """"وسقط أيضاً ستة مواطنين", "كما قتل كذلك طفلان": "also" right by the casualty word
    counts further victims of the same incident (not "وأكد أيضاً مقتل ستة")."""
    adding = word_set("function_words", "adding")
    if not any(tok.text in adding for tok in sf.toks):
        return False
    speech = word_set("function_words", "speech")
    cues = {c.cue_start for c in sf.casualties if c.kind == "killed" and not c.subset}
    for i, tok in enumerate(sf.toks):
        if tok.text in adding and any(
                t.start in cues for t in sf.toks[max(0, i - 1):i + 3]):
            # "وأكدت الوزارة أيضاً مقتل ...": also said, not also killed
            return not any(word_keys(t.text) & speech for t in sf.toks[:i])
    return False


def casualty_fields(event: Event, draft: Draft, analysis: ArticleAnalysis) -> None:
    figures = [replace(c, value=draft.shares.get((sf.index, c.start), c.value))
               for sf in draft.sentences for c in sf.casualties
               if (sf.index, c.start) not in draft.skip]
    updates = {sf.index for sf in draft.sentences if sf.update}
    killed = [c for c in figures if c.kind == "killed"]
    superseded = {sf.index for sf in draft.sentences if sf.superseded}
    if any(c.sentence not in superseded for c in killed if not c.subset):
        killed = [c for c in killed if c.sentence not in superseded]
    if any(c.sentence in updates for c in killed if not c.subset):
        latest = max(c.sentence for c in killed if c.sentence in updates and not c.subset)
        killed = _after_update(event, killed, latest)
    added = {sf.index for sf in draft.sentences if _adds_victims(sf)}
    extra = [c for c in killed if c.sentence in added]
    if extra and len(extra) < len(killed):
        killed = [c for c in killed if c.sentence not in added]
    else:
        extra = []
    per_sentence, sentence_sides, partitioned = _killed_by_sentence(event, killed)
    attributed = {sf.index for sf in draft.sentences if sf.sourced and sf.index not in updates}
    per_side = _merge_sides(sentence_sides, attributed)
    per_side_high = _merge_sides(sentence_sides, attributed, lowest=False)
    totals = sorted(set(per_sentence.values()))
    if totals and not per_side:
        # "سبعة أشخاص قتلوا ... فإن القتلى هم من قوات المجلس الرئاسي": the only side told
        hinted = {h.side for sf in draft.sentences for h in sf.side_hints
                  if h.kind in ("killed", "combined")}
        if len(hinted) == 1:
            per_side = {hinted.pop(): max(totals)}
    # dead of no named side in a sentence that names other sides are further people
    mixed = [per_sentence[i] - sum(sides.values()) for i, sides in sentence_sides.items()
             if i not in partitioned]
    named_total = sum(per_side.values()) + max([0, *mixed])
    if per_side != per_side_high:
        # a disputed side was given its lowest figure: the higher source's own total, made
        # of that side's higher figure, no longer counts; totals that name no side still do
        totals = sorted({n for i, n in per_sentence.items() if i not in sentence_sides})
    fatalities = max([named_total, *totals]) if (per_side or totals) else 0
    sourced = [sf.index for sf in draft.sentences if sf.sourced and sf.index in per_sentence
               and sf.index not in sentence_sides and sf.index not in updates]
    if len({per_sentence[i] for i in sourced}) > 1 and not per_side:
        low, high = min(per_sentence[i] for i in sourced), max(per_sentence[i] for i in sourced)
        event.fatalities_low, event.fatalities_high = low, high
        fatalities = low
    if per_side != per_side_high:
        event.fatalities_low = fatalities
        event.fatalities_high = max([sum(per_side_high.values()) + max([0, *mixed]),
                                     *per_sentence.values()])
    if extra:
        # "وسقط أيضاً ستة مواطنين في غارة على منزل آخر في رفح": more dead, not the same ones
        more, more_sides, _ = _killed_by_sentence(event, extra)
        fatalities += sum(more.values())
        for sides in more_sides.values():
            for side, n in sides.items():
                per_side[side] = per_side.get(side, 0) + n
    event.fatalities = fatalities
    event.killed = {k: v for k, v in per_side.items() if v}
    if per_side.get("civilians"):
        event.civilians_killed = per_side["civilians"]
    if fatalities:
        estimated = any(c.basis == "estimated" for c in killed if not c.subset)
        derived = sum(per_side.values()) > max(totals or [0])
        event.fatalities_basis = "estimated" if estimated else "derived" if derived else "reported"
    for kind in ("injured", "arrested"):
        setattr(event, kind, _count(figures, kind))
    for c in figures:
        event.evidence.append(evidence(analysis, c.kind if not c.subset else f"{c.kind}_subset",
                                        c.start, c.end))
