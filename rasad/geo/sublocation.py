"""Neighbourhoods and facilities ("حي الانتفاضة", "سجن غويران", "المربع الأمني").

A sublocation is kept as text while the settlement stays the location: it attaches to the
settlement named right after it ("حي الدرعية بمدينة الرقة"), else right before it ("في
الرقة، في حي الدرعية"), else to a settlement named inside it ("مطار حلب"), else it stands
alone and the resolver gives it the article's main settlement.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from itertools import compress

from rasad.geo.index import GazetteerIndex
from rasad.geo.match import Hit, _joined, _key_in, covered_tokens, lexicons
from rasad.geo.resolve import is_weak
from rasad.geo.unlisted import name_heads
from rasad.text.segment import WORD_CACHE, Token, token_text, word_keys

# Cues naming a neighbourhood: a gazetteer name after them counts only if it is one.
_QUARTER_CUES = frozenset({"حي", "حاره"})
# Words allowed between a sublocation and the settlement it belongs to.
_GAP_WORDS = frozenset({"في", "داخل", "وسط", "ضمن", "بمدينه", "مدينه", "بلده", "ببلده"})


@dataclass(slots=True)
class Sublocation:
    start: int
    end: int
    inner: Hit | None


def _is_quarter(hit: Hit, index: GazetteerIndex) -> bool:
    return any(index.columns["feature"][i] == "sublocation" for i in hit.candidates)


@functools.cache
def _phrase_heads() -> frozenset[str]:
    return frozenset(phrase[0] for phrase in lexicons().sublocation_phrases)


def _definite(word: str, cue: str) -> bool:
    """"القاعدة", "السجن": a facility word with the article names no facility ("تنظيم
    القاعدة معسكراً" is al-Qaeda; a named one is in construct state: "قاعدة حميميم")."""
    return not cue.startswith("ال") and word.endswith("ال" + cue) and \
        len(word) - len(cue) - 2 <= 2


@functools.lru_cache(maxsize=WORD_CACHE)
def _may_start(word: str) -> bool:
    """A phrase head or a cue word: the only tokens where a sublocation can start."""
    token = Token(word, 0, len(word), 0)
    return (_key_in(token, _phrase_heads()) is not None
            or _key_in(token, lexicons().sublocation_cues) is not None)


def _phrase_at(text: str, toks: list[Token], ti: int) -> tuple[int, int] | None:
    if _key_in(toks[ti], _phrase_heads()) is None:
        return None
    for phrase in lexicons().sublocation_phrases:
        if ti + len(phrase) > len(toks) or _key_in(toks[ti], frozenset({phrase[0]})) is None:
            continue
        if all(toks[ti + k].text == phrase[k] for k in range(1, len(phrase))):
            first = toks[ti]
            start = first.end - len(phrase[0]) if first.text.endswith(phrase[0]) else first.start
            return start, toks[ti + len(phrase) - 1].end
    return None


def _ends_name(word: str) -> bool:
    """A word that cannot be (the start of) a sublocation's name: a stop word, a clitic
    "و" or article-bearing preposition ("وأحياء", "للتنظيم", "بالمرافق"), a plural verb,
    an indefinite feminine adjective ("ميدانية"), a clitic scrap, a number or Latin text."""
    lex = lexicons()
    if len(word) < 3 or not word[0].isalpha() or word.isascii() \
            or word in lex.sublocation_stops:
        return True
    if word in name_heads():
        return False   # "قاعدة عين الأسد", "حي تل الزعتر": a compound name's first word
    if word.endswith("وا") or word.startswith("لت"):
        return True    # "اقتحموا", "لتوقيف": a verb, a purpose clause
    if _key_in_word(word, lex.words) or _key_in_word(word, lex.sublocation_stops):
        return True
    if word.startswith(("و", "لل", "بال", "كال", "فال")) and len(word) > 3:
        return True
    return not word.startswith("ال") and word.endswith("يه")


def _key_in_word(word: str, words: frozenset[str]) -> bool:
    return word in words or any(k in words for k in word_keys(word) if k != word)


def _name_after(text: str, toks: list[Token], ti: int, cue: str, by_token: dict[int, Hit],
                index: GazetteerIndex) -> tuple[int, Hit | None] | None:
    """End of the name after a sublocation cue, and a gazetteer hit inside it.

    The name is one word ("سجن غويران", "حي الدرعية"), or two when an indefinite word is
    followed by a definite one; further cue words may come first ("طريق جسر الصوامع").
    A facility named after a village too small to trust alone keeps the name as text.
    """
    lex = lexicons()
    end, taken, j = -1, 0, ti + 1
    while j < len(toks) and taken < 2 and _joined(text, toks[j - 1], toks[j]):
        hit = by_token.get(j)
        word = toks[j]
        if hit is not None and taken:
            break      # "سجن غويران بالحسكة": the town after the name is not part of it
        if hit is not None and (cue not in _QUARTER_CUES or _is_quarter(hit, index)) \
                and hit.word_start == word.start:
            if not is_weak(hit, index) or cue in _QUARTER_CUES:
                return hit.end, hit
            hit.dropped = True
            return hit.end, None
        if taken == 0 and _key_in_word(word.text, lex.sublocation_cues) \
                and not word.text.startswith("و"):
            end, j = word.end, j + 1      # a nested cue: "حاجز جسر"
            continue
        if _ends_name(word.text) or _key_in(word, lex.cues) or _key_in(word, lex.directions):
            break
        if taken == 1 and not word.text.startswith("ال") and hit is None:
            break
        end, taken = word.end, taken + 1
        if word.text.startswith("ال") or hit is not None:
            break
        j += 1
    first = ti + 1
    if taken == 0 or first >= len(toks):
        return None
    return end, None


def find_sublocations(text: str, toks: list[Token], hits: list[Hit],
                      index: GazetteerIndex) -> list[Sublocation]:
    """Sublocation spans in text order."""
    lex = lexicons()
    by_token = {h.token: h for h in hits}
    covered = covered_tokens(toks, [(h.word_start, h.end) for h in hits])
    out: list[Sublocation] = []
    skip_until = -1
    # one map over the tokens (cached per word) leaves the few that can start a sublocation
    for ti in compress(range(len(toks)), list(map(_may_start, map(token_text, toks)))):
        tok = toks[ti]
        if tok.start < skip_until or ti in covered:
            continue
        phrase = _phrase_at(text, toks, ti)
        if phrase:
            out.append(Sublocation(phrase[0], phrase[1], None))
            skip_until = phrase[1]
            continue
        cue = _key_in(tok, lex.sublocation_cues)
        if cue is None or (ti > 0 and (toks[ti - 1].text, tok.text) in lex.idioms) or \
                _definite(tok.text, cue):
            continue
        named = _name_after(text, toks, ti, cue, by_token, index)
        if named is None:
            continue
        start = tok.end - len(cue) if tok.text.endswith(cue) else tok.start
        out.append(Sublocation(start, named[0], named[1]))
        skip_until = named[0]
    for sub in out:   # gazetteer names read as words of a sublocation name are not places
        for hit in hits:
            if hit is not sub.inner and sub.start <= hit.start < sub.end:
                hit.dropped = True
    return out


def _gap_ok(text: str) -> bool:
    words = text.replace(",", " ").split()
    return len(words) <= 2 and all(w in _GAP_WORDS for w in words)


def attach(text: str, subs: list[Sublocation], hits: list[Hit]) -> list[Hit]:
    """Give each sublocation to its settlement hit; return stand-alone sublocation hits."""
    alone: list[Hit] = []
    for sub in subs:
        after = next((h for h in hits if h.word_start >= sub.end and h is not sub.inner
                      and not h.dropped), None)
        before = next((h for h in reversed(hits) if h.end <= sub.start and not h.dropped),
                      None)
        target = None
        gap_after = text[sub.end:min(after.span_start, after.word_start)] if after else ""
        if after and after.sublocation is None and _gap_ok(gap_after) and (
                sub.inner is None or (not after.direction and not after.near and (
                    gap_after.strip() or after.cue_kind in ("settlement", "capital")))):
            target = after
        elif before and before.sublocation is None and sub.inner is None \
                and _gap_ok(text[before.span_end:sub.start]):
            target = before
        if target is not None:
            target.sublocation = (sub.start, sub.end)
            target.span_start = min(target.span_start, sub.start)
            target.span_end = max(target.span_end, sub.end)
            if sub.inner is not None and sub.inner is not target:
                sub.inner.dropped = True
        elif sub.inner is not None:
            sub.inner.sublocation = (sub.start, sub.end)
            sub.inner.inner = True
            sub.inner.span_start = min(sub.inner.span_start, sub.start)
        else:
            alone.append(Hit(sub.start, sub.end, sub.start, "", (), span_start=sub.start,
                             span_end=sub.end, sublocation=(sub.start, sub.end)))
    return alone
