"""Incident triggers and the words that change their meaning.

A sentence's triggers come from ``triggers.tsv``; ``modality.tsv`` marks denials, threats,
plans and trials (no event), recalled incidents (background) and rising tolls (update).
"""
from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from rasad.detect.matcher import Match, PhraseMatcher
from rasad.lexicon import load_table, word_set
from rasad.text.segment import Token


@dataclass(frozen=True, slots=True)
class Trigger:
    event_type: str
    sub_event_type: str
    priority: int
    needs_context: bool
    form: str = "noun"          # verb | noun | either (see triggers.tsv)


@functools.cache
def trigger_matcher() -> PhraseMatcher[Trigger]:
    rows = load_table("triggers", ("phrase",))
    return PhraseMatcher((r["phrase"], Trigger(r["event_type"], r["sub_event_type"],
                                               int(r["priority"]), r["needs"] == "context",
                                               r.get("form") or "noun"))
                         for r in rows)


def reads_as_verb(toks: Sequence[Token], trigger: Match[Trigger]) -> bool:
    """Whether a trigger is a finite verb ("اغتالوا", "قتل ثلاثة") rather than a noun
    ("الاغتيال", "تبرير القتل").

    A verbal noun after "تم" or "جرى" is a passive verb ("تم اغتيال القاضي"). A form that
    reads both ways ("قتل", "خطف") is a noun with the article or a preposition ("بقتل",
    "للخطف") and a verb with "و/ف" ("وقتل", unless it joins a noun: "قتل وخطف") or an ending
    ("خطفوا"). Bare, it is a verb where
    a clause starts (the sentence's start, after punctuation, after a verb_lead word such as
    "الذي" or "قد") or when a preposition or time word follows ("خطف في", "قتل أمس"); after
    any other word ("حملة خطف", "على خطف") it is a noun.
    """
    form = trigger.value.form
    at = trigger.first_token
    if at > 0 and toks[at - 1].text in word_set("function_words", "passive_aux"):
        return True
    if form != "either":
        return form == "verb"
    word = toks[at].text
    stem = trigger.phrase.split()[0].rstrip("*")
    if word[:1] in ("و", "ف") and not word.startswith(stem):
        if word[1:].startswith(("ال", "ب", "ل", "ك")):
            return False
        # "وقتل", "فخطف"; but "عمليات قتل وخطف" coordinates two nouns
        before = trigger_matcher().match_at(toks, at - 1) if at > 0 else None
        return before is None or reads_as_verb(toks, before)
    if word.startswith(("ال", "ب", "ل", "ك")):
        return False
    if len(word) > len(stem):
        return True                                             # "خطفوا", "قتلت"
    if at == 0 or toks[at].start - toks[at - 1].end > 1:
        return True                                             # clause start
    if toks[at - 1].text in word_set("function_words", "verb_lead"):
        return True
    following = toks[at + 1].text if at + 1 < len(toks) else ""
    return following in word_set("function_words", "verb_follow")


@functools.cache
def modality_matcher() -> PhraseMatcher[str]:
    rows = load_table("modality", ("phrase",))
    return PhraseMatcher((r["phrase"], r["effect"]) for r in rows)


def find_triggers(toks: Sequence[Token]) -> list[Match[Trigger]]:
    return trigger_matcher().find_all(toks)


def find_modality(toks: Sequence[Token]) -> list[Match[str]]:
    return modality_matcher().find_all(toks)


@functools.cache
def suicide_matcher() -> PhraseMatcher[str]:
    rows = load_table("suicide_cues", ("phrase",))
    return PhraseMatcher((r["phrase"], r["kind"]) for r in rows)


_TERRITORY = {"Non-state actor overtakes territory", "Government regains territory"}
_SUICIDE = Trigger("Explosions/Remote violence", "Suicide bomb", 90, False)


def suicide_trigger(toks: Sequence[Token]) -> Match[Trigger] | None:
    """A Suicide bomb trigger when a bomber and a detonation share the sentence."""
    cues = suicide_matcher().find_all(toks)
    bombers = [m for m in cues if m.value == "bomber"]
    if bombers and any(m.value == "detonation" for m in cues):
        b = bombers[0]
        return Match(b.start, b.end, b.first_token, b.last_token, _SUICIDE, b.phrase)
    return None


def best_trigger(triggers: Sequence[Match[Trigger]]) -> Match[Trigger] | None:
    """The trigger that decides the sentence's type: highest priority, first on ties.

    A foiling word ("احبط") turns a bombing into Disrupted weapons use, but not a firefight:
    "أحبطت القوات هجوماً بعد اشتباكات" stays a clash.
    """
    if not triggers:
        return None
    best = max(triggers, key=lambda m: (m.value.priority, -m.start))
    if best.value.sub_event_type in _TERRITORY:
        # "هاجم التنظيم مواقع قسد ... واستعاد السيطرة على نقاط": the fight comes first and
        # is the incident; "سيطرت الفصائل على المدينة بعد معارك" leads with the takeover
        earlier = [m for m in triggers if m.start < best.start
                   and m.value.sub_event_type == "Armed clash"]
        if earlier:
            best = earlier[0]
    foiled = any(m.value.sub_event_type == "Disrupted weapons use" for m in triggers)
    if foiled and best.value.event_type in ("Explosions/Remote violence", "Battles") and \
            best.value.sub_event_type != "Armed clash":
        disrupted = [m for m in triggers if m.value.sub_event_type == "Disrupted weapons use"]
        return disrupted[0]
    return best


@functools.cache
def _offtopic_matcher() -> PhraseMatcher[str]:
    rows = load_table("offtopic", ("word",))
    return PhraseMatcher((r["word"], r["domain"]) for r in rows)


def off_topic(toks: Sequence[Token]) -> bool:
    """True when the sentence is about sport, markets or weather."""
    return bool(_offtopic_matcher().find_all(toks))
