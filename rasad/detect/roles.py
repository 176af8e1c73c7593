"""Who did it (actor1), to whom (actor2), and who else took part (associated actors).

Cues, strongest first: a role word right before the name ("نفذه داعش" attacker, "على مقر
قسد" target, "بين X و Y" a pair), the name right after a trigger noun ("غارة تركية", "هجوم
لداعش": the attacker), the subject before a trigger verb, then whose dead the figures count.
"""
from __future__ import annotations

import functools
from collections.abc import Sequence
from itertools import compress
from typing import Any

from rasad.detect.actors import actor_info
from rasad.lexicon import load_table, word_set
from rasad.text.segment import WORD_CACHE, token_text, word_keys

# Forces that ACLED codes as associated with a parent side.
PARENT = {"asayish": "sdf"}
# Civil bodies that announce and administer but do not fight.
NON_COMBATANT = frozenset({"aanes"})
_ROLE_REACH = 2


@functools.cache    # asked in per-token loops: a C-level cache hit, no Python call
def _words(role: str) -> frozenset[str]:
    """Function words of one role, from ``function_words.tsv``."""
    return word_set("function_words", role)


@functools.cache
def _cues() -> dict[str, str]:
    return {r["word"]: r["role"] for r in load_table("role_cues", ("word",))}


@functools.cache
def _speaker_cues() -> frozenset[str]:
    """Cue words of the speaker role, as a set."""
    return frozenset(word for word, role in _cues().items() if role == "speaker")


@functools.lru_cache(maxsize=WORD_CACHE)
def _is_speaker_cue(word: str) -> bool:
    """A reading of ``word`` is a speaker cue; cached per word, since ``mark_speakers``
    asks for every token of every sentence that reports something."""
    return not _speaker_cues().isdisjoint(word_keys(word))


def _cue_before(toks: Sequence[Any], index: int) -> str | None:
    cues = _cues()
    for tok in reversed(toks[max(0, index - _ROLE_REACH):index]):
        for key in word_keys(tok.text):
            if key in cues:
                return cues[key]
    return None


def _token_index(toks: Sequence[Any], pos: int) -> int:
    for tok in toks:
        if tok.start <= pos < tok.end or tok.start >= pos:
            return tok.index
    return len(toks)


def _claims_responsibility(toks: Sequence[Any]) -> bool:
    """A word "مسؤولية" with a pronoun ("مسؤوليتها") or the bare word starting one.

    The words are joined by line breaks, which no word contains, so a search in the joined
    text finds exactly what a search word by word would, without a Python loop.
    """
    joined = "\n".join(map(token_text, toks))
    return "مسووليت" in joined or joined.startswith("مسووليه") or "\nمسووليه" in joined


def actor_votes(sentences: Sequence[Any], speakers_count: bool = True
                ) -> tuple[dict[str, float], dict[str, float], list[str]]:
    """Attacker and target scores per actor over the event's sentences, and name order."""
    attack: dict[str, float] = {}
    target: dict[str, float] = {}
    order: list[str] = []
    for sf in sentences:
        trig = sf.trigger
        pair_seen = False
        last_vote: tuple[str, float, int] | None = None    # (kind, amount, end token)
        claim = _claims_responsibility(sf.toks)
        for a in sf.actors:
            if a.actor in NON_COMBATANT:
                continue
            actor = PARENT.get(a.actor, a.actor)
            if a.speaker and claim and a.actor not in NON_COMBATANT:
                # "أعلنت حركة الشباب مسؤوليتها عن التفجير": who claims it did it
                actor = PARENT.get(a.actor, a.actor)
                if actor not in order:
                    order.append(actor)
                attack[actor] = attack.get(actor, 0) + 3
                continue
            if a.speaker and not speakers_count:
                continue
            if a.speaker:
                # a force announcing its own fight is usually a party; weak evidence
                if actor not in order:
                    order.append(actor)
                attack[actor] = attack.get(actor, 0) + 0.3
                continue
            if actor not in order:
                order.append(actor)
            i = _token_index(sf.toks, a.start)
            cue = _cue_before(sf.toks, i)
            weight = 2.0 if sf is sentences[0] else 1.0
            if last_vote is not None and cue is None and sf.toks[i].text.startswith("و") \
                    and 0 <= i - last_vote[2] <= 1:
                # "هاجمت أحرار الشام وجبهة النصرة ...": a name joined by "و" to the one
                # before shares its role
                votes = attack if last_vote[0] == "attack" else target
                votes[actor] = votes.get(actor, 0) + last_vote[1]
                last_vote = (last_vote[0], last_vote[1], _token_index(sf.toks, a.end - 1) + 1)
                continue
            before = (dict(attack), dict(target))
            if cue == "ally" or any(_cues().get(k) == "ally" for tok in
                                    sf.toks[max(0, i - _ALLY_REACH):i]
                                    for k in word_keys(tok.text)):
                continue     # "بإسناد من مروحيات التحالف": it helped; assign_roles adds it
            if cue == "pair" or (pair_seen and sf.toks[i].text.startswith("و")):
                if not pair_seen:
                    attack[actor] = attack.get(actor, 0) + 2 * weight
                    pair_seen = True
                else:
                    target[actor] = target.get(actor, 0) + 2 * weight
                continue
            if cue == "attacker":
                attack[actor] = attack.get(actor, 0) + 3 * weight
            elif cue == "target":
                target[actor] = target.get(actor, 0) + 3 * weight
            elif trig is not None and 0 <= i - trig.last_token <= 1:
                attack[actor] = attack.get(actor, 0) + 2 * weight
            elif trig is not None and i < trig.first_token:
                attack[actor] = attack.get(actor, 0) + 0.5 * weight
            else:
                target[actor] = target.get(actor, 0) + 0.5 * weight
            end = _token_index(sf.toks, a.end - 1) + 1
            if attack.get(actor, 0) > before[0].get(actor, 0):
                last_vote = ("attack", attack[actor] - before[0].get(actor, 0), end)
            elif target.get(actor, 0) > before[1].get(actor, 0):
                last_vote = ("target", target[actor] - before[1].get(actor, 0), end)
        for c in sf.casualties:
            if c.side and c.side not in ("state", "attacker", "armed", "person") and not c.subset:
                side = PARENT.get(c.side, c.side)
                target[side] = target.get(side, 0) + 3
    return attack, target, order


# Where a force that announces the incident is usually one of its sides.
_FIGHTS = {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}
_BOMBINGS = {"Remote explosive/landmine/IED", "Suicide bomb", "Grenade"}
_ONE_SIDED = {"Remote explosive/landmine/IED", "Suicide bomb", "Armed clash", "Attack",
              "Abduction/forced disappearance", "Grenade"}


def _is_state(actor: str) -> bool:
    info = actor_info(actor)
    return info is not None and info.inter == 1


def assign_roles(sentences: Sequence[Any], sub_event_type: str = ""
                 ) -> tuple[str | None, str | None, list[str]]:
    """(actor1, actor2, associated actors) for the sentences of one event.

    Civilians are never the initiator, and are a party only through the casualty figures or
    the event type (the assembler adds them). A single named force that was hit, as in "an
    IED struck an army patrol", is the target: the initiator stays unidentified.
    """
    attack, target, order = actor_votes(sentences, speakers_count=sub_event_type in _FIGHTS)
    order = [a for a in order if a != "civilians"]
    named = {a.actor for sf in sentences for a in sf.actors if not a.speaker}

    def lean(actor: str) -> float:
        return attack.get(actor, 0) - target.get(actor, 0)

    actor1 = max(order, key=lambda a: (lean(a), -order.index(a))) if order else None
    # allies named in one list with the initiator are not its target
    rest = [a for a in order if a != actor1 and not (
        actor1 is not None and lean(a) > 0 and _listed_with(sentences, actor1, a))]
    for side in target:
        if side not in rest and side not in (actor1, "civilians"):
            rest.append(side)
    actor2 = max(rest, key=lambda a: (-lean(a), -rest.index(a))) if rest else None
    if actor1 is not None and actor2 is None and sub_event_type in _ONE_SIDED and (
            lean(actor1) <= 0 or (sub_event_type in _BOMBINGS and _is_state(actor1))):
        # a lone named force in a bombing was hit by it: armies rarely plant roadside bombs
        actor1, actor2 = None, actor1
    assoc = sorted(child for child, parent in PARENT.items()
                   if child in named and parent in (actor1, actor2))
    # "سيطرت أحرار الشام وجند الأقصى وجبهة النصرة على المدينة": the other attackers named
    # beside the initiator are its associates
    allies = [a for a in order if a not in (actor1, actor2, *assoc) and a in named
              and lean(a) > 0 and actor1 is not None and lean(actor1) > 0
              and _listed_with(sentences, actor1, a)]
    helpers = [a for a in _supporting(sentences)
               if a not in (actor1, actor2, *assoc, *allies) and actor1 is not None]
    return actor1, actor2, assoc + allies + helpers


def _supporting(sentences: Sequence[Any]) -> list[str]:
    """Forces named as support ("بإسناد من مروحيات التحالف", "بمشاركة طائرات ..."): they
    take part on a side, as ACLED's associated actors."""
    out: list[str] = []
    for sf in sentences:
        for a in sf.actors:
            if a.speaker or a.actor in ("civilians", *NON_COMBATANT):
                continue
            i = _token_index(sf.toks, a.start)
            cues = _cues()
            if any(cues.get(k) == "ally" for tok in sf.toks[max(0, i - _ALLY_REACH):i]
                   for k in word_keys(tok.text)) and a.actor not in out:
                out.append(PARENT.get(a.actor, a.actor))
    return out


_ALLY_REACH = 4      # "بإسناد من مروحيات التحالف": the cue, "من" and the aircraft come first


_LIST_WORDS = 3


def _listed_with(sentences: Sequence[Any], first: str, other: str) -> bool:
    """Whether ``other`` is named in one list with ``first`` ("أحرار الشام وجند الأقصى")."""
    for sf in sentences:
        spans = sorted((a.start, a.end, a.actor) for a in sf.actors if not a.speaker)
        chain = {first}
        for (_, end, actor), (start, _, nxt) in zip(spans, spans[1:], strict=False):
            between = [t for t in sf.toks if t.start >= end and t.end <= start]
            joined = len(between) <= _LIST_WORDS and (
                not between or any(t.text == "و" or t.text.startswith("و") for t in between)
                or any(t.start == start and t.text.startswith("و") for t in sf.toks))
            if actor in chain and joined:
                chain.add(nxt)
            if other in chain:
                return True
    return False


_SPEAKER_REACH = 12


def mark_speakers(toks: Sequence[Any], actors: Sequence[Any]) -> list[tuple[int, int]]:
    """Flag actors named as the source of a statement ("وقال الناطق باسم الجيش إن ...").

    A speaker is not thereby a party to the incident, so roles ignore such mentions; a group
    that claims an attack is still found as the attacker by the words after "إن".
    """
    spans: list[tuple[int, int]] = []
    # one cached map over the words leaves the speaker cues ("قال", "المتحدث")
    for tok in compress(toks, list(map(_is_speaker_cue, map(token_text, toks)))):
        end = tok.index + 1
        while end < min(len(toks), tok.index + _SPEAKER_REACH):
            if toks[end].text in _words("speaker_end"):
                break
            end += 1
        spans.append((tok.start, toks[end - 1].end if end > tok.index else tok.end))
    for a in actors if spans else ():
        if any(s <= a.start < e for s, e in spans):
            a.speaker = True
    return spans
