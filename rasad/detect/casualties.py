"""Casualty frames: a figure, the people it counts, what happened to them, and whose they are.

"مقتل 6 عناصر من قسد بينهم 3 من الأسايش" gives killed 6 (side sdf) and a subset of 3 that is
recorded but never added. A figure is a casualty figure only when a casualty word stands
before it ("مقتل 6"), after it ("6 قتلى", "6 عناصر قتلوا"), inside it ("واعتقال آخر"), or
when it continues a list that started with one ("مقتل أربعة جنود واثنين من المهاجمين").
"""
from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress

from rasad.detect.matcher import Match, PhraseMatcher
from rasad.lexicon import load_table, word_set
from rasad.text.segment import WORD_CACHE, Token, strip_article, token_start, token_text, word_keys

_MAX_BEFORE_GAP = 3
_MAX_TOLL_GAP = 8
_MAX_AFTER_GAP = 8
_MAX_OF_THEM_GAP = 20     # "قتل 40 شخصاً في ... اليوم، 25 منهم من ...": "them" reaches back




@functools.cache    # asked in per-token loops: a C-level cache hit, no Python call
def _words(role: str) -> frozenset[str]:
    """Function words of one role, from ``function_words.tsv``."""
    return word_set("function_words", role)


# made by the thousand: not frozen (a frozen __init__ is 7x slower), never changed
@dataclass(slots=True, unsafe_hash=True)
class Casualty:
    """One casualty figure; offsets are into the normalised text."""

    kind: str                 # killed | injured | arrested
    value: int
    basis: str                # reported | estimated
    start: int
    end: int
    side: str | None          # actor id, "civilians", or a role: state | attacker | armed
    category: str | None      # civilian | woman | child, when the noun says so
    subset: bool              # part of the preceding figure ("بينهم ...")
    qualifier: str | None
    sentence: int
    cue_start: int
    cue_end: int
    toll: bool = False        # "لترتفع حصيلة القصف إلى 24": a running total, not this figure


# made by the thousand: not frozen (a frozen __init__ is 7x slower), never changed
@dataclass(slots=True, unsafe_hash=True)
class SideHint:
    """Whose dead or wounded, told without a figure ("القتلى هم من قوات المجلس الرئاسي")."""

    kind: str                 # killed | injured | combined
    side: str                 # actor id or "civilians"
    start: int
    end: int
    sentence: int


# made by the thousand: not frozen (a frozen __init__ is 7x slower), never changed
@dataclass(slots=True, unsafe_hash=True)
class _Term:
    kind: str
    position: str


@functools.cache
def term_matcher() -> PhraseMatcher[_Term]:
    rows = load_table("casualty_terms", ("phrase",))
    return PhraseMatcher((r["phrase"], _Term(r["kind"], r["position"])) for r in rows)


@functools.cache
def _event_nouns() -> frozenset[str]:
    """Nouns of things done, not people ("هجمات", "غارات", "كمائن"): a figure they follow
    counts those (tally_units.tsv, metric events)."""
    return frozenset(r["word"] for r in load_table("tally_units", ("word",))
                     if r["metric"] == "events")


@functools.lru_cache(maxsize=64)
def casualty_words(toks: tuple[Token, ...]) -> list[Match[_Term]]:
    """The casualty words of a sentence's tokens, found once: the sentence classifier, the
    figure reader and the side hints all ask for them."""
    return term_matcher().find_all(toks)


@functools.cache
def victim_nouns() -> dict[str, tuple[str, str]]:
    rows = load_table("victim_nouns", ("word",))
    return {r["word"]: (r["side"], r["category"]) for r in rows}


def _victim(token: Token) -> tuple[str, str] | None:
    nouns = victim_nouns()
    for key in word_keys(token.text):
        if key in nouns:
            return nouns[key]
    return None


def _token_range(toks: Sequence[Token], start: int, end: int) -> tuple[int, int] | None:
    inside = [t.index for t in toks if t.start >= start and t.end <= end]
    if not inside:
        inside = [t.index for t in toks if t.start < end and t.end > start]
    return (inside[0], inside[-1] + 1) if inside else None


def _filler(tok: Token) -> bool:
    """Words that may stand between a casualty word and its figure ("مقتل ما لا يقل عن")."""
    return tok.text in _words("filler") or bool(word_keys(tok.text) & _words("filler"))


def _stops_verb(tok: Token) -> bool:
    """What ends a casualty verb's reach ("أُصيب في الغارة سبعة" reaches; a figure or a
    victim noun in between takes the verb for itself)."""
    return tok.text[-1:].isdigit() or _victim(tok) is not None


def _kind_for(first: int, last: int, terms: list[Match[_Term]],
              toks: Sequence[Token], number_tokens: frozenset[int] = frozenset()
              ) -> Match[_Term] | None:
    """The casualty word that governs the figure at tokens [first, last)."""
    inside = [m for m in terms if m.first_token >= first and m.last_token <= last]
    if inside:
        return inside[0]
    adjacent = [m for m in terms if (m.value.position in ("after", "both", "next") or (
                    # "تعرضت فتاتان للاختطاف": what befell them, after "لـ"
                    m.value.position == "before" and toks[m.first_token].text.startswith("لل")))
                and 0 <= m.first_token - last <= 1
                and not toks[m.first_token].text.startswith("و")]
    if adjacent:
        return adjacent[0]
    before = [m for m in terms if m.value.position in ("before", "both", "verb", "next")
              and 0 <= first - m.last_token <= _MAX_BEFORE_GAP
              and all(_filler(t) or (m.value.position in ("both", "verb")
                                     and not _stops_verb(t))
                      for t in toks[m.last_token:first])]
    if before:
        return max(before, key=lambda m: m.last_token)
    if first > 0 and toks[first - 1].text in _words("toll_link"):
        # "ارتفعت حصيلة الشهداء في قطاع غزة إلى 68,643": the toll word stands further back
        far = [m for m in terms if m.value.position in ("before", "both", "verb", "next")
               and 0 <= first - m.last_token <= _MAX_TOLL_GAP
               and not any(t.text[-1:].isdigit() for t in toks[m.last_token:first])]
        if far:
            return max(far, key=lambda m: m.last_token)
    after = [m for m in terms if m.value.position in ("after", "both")
             and 0 <= m.first_token - last <= _MAX_AFTER_GAP
             and not toks[m.first_token].text.startswith("و")]
    if after:
        cue = min(after, key=lambda m: m.first_token)
        between = range(last, cue.first_token)
        crowded = any(i in number_tokens for i in between) or any(
            m.first_token in between for m in terms if m is not cue)
        if not crowded:      # another figure or casualty word in between claims the cue
            return cue
    return None


def _side(toks: Sequence[Token], first: int, last: int, noun: str | None,
          actors: Sequence[tuple[int, int, str]]) -> tuple[str | None, str | None]:
    """Whose casualties: an actor named right after the figure, else the noun's side."""
    side: str | None = None
    category: str | None = None
    if noun:
        found = victim_nouns().get(noun)
        if found:
            side, category = found[0], found[1] or None
    window_end = min(len(toks), last + 7)
    for i in range(last, window_end):
        tok = toks[i]
        if i <= last + 2 and tok.text in _words("own_forces") and side in (None, "person", "armed"):
            return OWN, category     # "من عناصرها": the speaker's own side, resolved later
        if i == last and tok.text in _words("of_them"):
            continue      # "30 منهم من مسلحي داعش": whose they are comes after "of them"
        if tok.text[-1:].isdigit() or tok.text in _words("subset") or (
                i > last and tok.text == "و"):
            break
        if tok.text in _words("side_stop") and not (
                i + 1 < len(toks) and toks[i + 1].text in ("صفوف", "صفوفها")) and not (
                tok.text == "في" and i > 0 and _victim(toks[i - 1]) is not None
                and i + 1 < len(toks) and any(a_start == toks[i + 1].start
                                              for a_start, _, _ in actors)):
            break     # "ثلاثة عناصر في قوات سوريا الديمقراطية": members in a force
        if (side is None or side == "person") and i <= last + 1:
            found = _victim(tok)
            if found:
                side, category = found[0], found[1] or None
                named = next((actor for a_start, a_end, actor in actors
                              if a_start <= tok.start < a_end), None)
                if named and side in ("state", "armed", "person"):
                    return named, category
                continue
        if i > last and any(k in _words("speech") for k in word_keys(tok.text)):
            break
        linked = i <= last + 1 or any(
            t.text in _words("of") or word_keys(t.text) & _words("of") for t in toks[last:i])
        for a_start, a_end, actor in actors:
            if a_start <= tok.start < a_end and linked:
                if side in (None, "person", "armed", "state") or (
                        side == "civilians" and actor == "civilians"):
                    return actor, category
    return side, category


def _is_subset(toks: Sequence[Token], first: int) -> bool:
    # "بينهم سائق دراجة نارية وطفلين": the list after "بينهم" may open with other words
    for tok in reversed(toks[max(0, first - 4):first]):
        if tok.text[-1:].isdigit():
            break
        if tok.text in _words("subset") or word_keys(tok.text) & _words("subset"):
            return True
    # "ومن بين الـ5440 الذين قتلوا هناك 4114 مدنياً": parts of a figure named before
    if first > 0 and toks[first - 1].text in ("هناك", "منها", "بينها"):
        window = toks[max(0, first - 14):first - 1]
        return any(t.text in ("بين", "اصل") or word_keys(t.text) & {"بين", "اصل"}
                   for t in window)
    return False


_SPLIT_REACH = 6


def _split_unknown(toks: Sequence[Token], last: int, terms: list[Match[_Term]],
                   number_tokens: frozenset[int]) -> bool:
    """"بمصرع العشرات من عناصر الميليشيا بين قتيل وجريح": a "killed or wounded" phrase after
    the figure undoes the death word before it; the figure gives no death count."""
    for m in terms:
        if m.value.kind == "combined" and m.value.position == "after" and \
                0 <= m.first_token - last <= _SPLIT_REACH and \
                not any(i in number_tokens for i in range(last, m.first_token)):
            return True
    return False


_VAGUE_AFTER = 3      # "إصابات عديدة": many, coded as ACLED codes "several"


def _many_after(toks: Sequence[Token], terms: list[Match[_Term]], number_tokens: frozenset[int],
                kinds: set[str], sentence: int) -> list[Casualty]:
    """"وقوع إصابات عديدة", "سقوط قتلى كثيرين": a plural casualty noun with "many" after it
    and no figure of that kind in the sentence counts as the vague "several" (estimated)."""
    out: list[Casualty] = []
    for m in terms:
        if m.value.kind in ("combined", *kinds) or m.last_token >= len(toks) or \
                toks[m.last_token].text not in _words("many_after"):
            continue
        if any(i in number_tokens for i in range(max(0, m.first_token - 2), m.last_token + 1)):
            continue
        kinds = kinds | {m.value.kind}
        out.append(Casualty(kind=m.value.kind, value=_VAGUE_AFTER, basis="estimated",
                            start=m.start, end=toks[m.last_token].end, side=None,
                            category=None, subset=False, qualifier=None, sentence=sentence,
                            cue_start=m.start, cue_end=m.end))
    return out


_AMONG_REACH = 8


def _among_after(toks: Sequence[Token], last: int,
                 terms: list[Match[_Term]] | None = None) -> str | None:
    """"طفلين كانا من بين الضحايا الذين بلغ عددهم 6", "49 طفلاً و34 امرأة من بين القتلى",
    "أقل من 20 من قتلى البلدة": a figure said to be among the victims, or of them, is part
    of their count. Gives the victims' kind (killed, injured), or None."""
    nouns, among = _casualty_nouns(), _words("among")
    for i in range(last, min(len(toks) - 1, last + _AMONG_REACH)):
        word, after = toks[i].text, toks[i + 1].text
        partitive = word == "من" and i == last       # "20 من قتلى", not "3 من المسلحين"
        if (word in among or partitive) and (
                after in nouns or strip_article(after) in nouns):
            return _noun_kind(after, {m.phrase: m.value.kind for m in terms or []})
        if i > last and (word[-1:].isdigit() and i - 1 >= last and toks[i - 1].text != "و"):
            return None      # another figure, not in the same list, comes first
    return None


def _noun_kind(noun: str, kinds: dict[str, str]) -> str:
    for key in (noun, strip_article(noun)):
        if key in kinds:
            return kinds[key]
    found = _noun_kinds().get(noun) or _noun_kinds().get(strip_article(noun))
    return found or "killed"


@functools.cache
def _noun_kinds() -> dict[str, str]:
    return {r["phrase"]: r["kind"] for r in load_table("casualty_terms", ("phrase",))
            if " " not in r["phrase"]}


@functools.cache
def _casualty_nouns() -> frozenset[str]:
    """One-word casualty nouns that follow a count ("ضحايا", "القتلى", "جرحى")."""
    return frozenset(r["phrase"] for r in load_table("casualty_terms", ("phrase",))
                     if " " not in r["phrase"] and r["position"] in ("after", "both"))


@functools.cache
def _rate_words() -> frozenset[str]:
    """The rate words with and without the article, so the test is one set operation."""
    words = _words("rate")
    return words | {"ال" + w for w in words}


def _is_rate(toks: Sequence[Token], first: int) -> bool:
    """"المعدل اليومي للضحايا بلغ 165": an average, not a count of people."""
    return not _rate_words().isdisjoint(map(token_text, toks[max(0, first - 12):first]))


@functools.cache
def singular_nouns() -> frozenset[str]:
    return frozenset(r["word"] for r in load_table("singular_victims", ("word",)))


# "من عناصرها", "من قواتهم": the dead belong to whoever is speaking or acting
OWN = "@own"


def _antecedent(start: int, actors: Sequence[tuple[int, int, str]]) -> str | None:
    """"خمسة منتمين إلى داعش اشتبكوا ... لقي أحدهم مصرعه": "them" is the group named last
    before the pronoun (civilians are never the antecedent of a fighter's "one of them")."""
    before = [actor for a_start, _, actor in actors if a_start < start and actor != "civilians"]
    return before[-1] if before else None


def _singulars(text: str, toks: Sequence[Token], terms: list[Match[_Term]],
               taken: frozenset[int], sentence: int,
               actors: Sequence[tuple[int, int, str]]) -> list[Casualty]:
    """One person counted by a singular noun right after a casualty word."""
    out: list[Casualty] = []
    nouns = singular_nouns()
    for m in terms:
        if m.value.position not in ("before", "both", "verb", "next") or \
                m.value.kind == "combined":
            continue
        i = m.last_token
        while i < len(toks) and toks[i].text in _words("skip_after_cue"):
            i += 1
        if i >= len(toks) or i in taken or i - m.last_token > 1:
            continue
        word = toks[i].text
        bare = word[1:] if word.startswith("و") else word
        keys = {word, bare, strip_article(bare)}   # "لقي الانتحاري حتفه": the one named
        if not keys & nouns:
            continue
        if m.first_token > 0 and strip_article(toks[m.first_token - 1].text) in _words("attempt"):
            continue     # "نجا من محاولة اغتيال": an attempt kills no one
        side, category = _side(toks, i, i + 1, next(iter(keys & nouns)), actors)
        if side is None and bare in _words("one_of_them"):
            side = _antecedent(toks[i].start, actors)
        elif side is None and bare == "اخر" and out and out[-1].side is not None:
            side = out[-1].side   # "لقي أحدهم مصرعه وألقي القبض على آخر": another of them
        out.append(Casualty(kind=m.value.kind, value=1, basis="reported",
                            start=toks[i].start, end=toks[i].end, side=side,
                            category=category, subset=False, qualifier=None,
                            sentence=sentence, cue_start=m.start, cue_end=m.end))
    return out


def _tokens_starting_in(toks: Sequence[Token], spans: Sequence[object]) -> frozenset[int]:
    """Indexes of the tokens that start inside one of ``spans`` (figures, in text order)."""
    if not spans:
        return frozenset()
    starts = list(map(token_start, toks))
    return frozenset(i for n in spans for i in range(
        bisect.bisect_left(starts, n.start),    # type: ignore[attr-defined]
        bisect.bisect_left(starts, n.end)))     # type: ignore[attr-defined]


def find_casualties(text: str, toks: Sequence[Token], numbers: Sequence[object],
                    actors: Sequence[tuple[int, int, str]], sentence: int) -> list[Casualty]:
    """Casualty figures among ``numbers`` (NumberMatch) of one sentence's tokens."""
    terms = casualty_words(tuple(toks))
    number_tokens = _tokens_starting_in(toks, numbers)
    out: list[Casualty] = []
    previous: Casualty | None = None
    previous_last = -10
    for number in numbers:
        span = _token_range(toks, number.start, number.end)  # type: ignore[attr-defined]
        if span is None:
            continue
        first, last = span
        if last < len(toks) and (toks[last].text in _words("unit") or
                                 word_keys(toks[last].text) & _event_nouns()):
            continue     # "عدة كمائن انتهت بمصرع ...": the figure counts ambushes
        if first > 0 and strip_article(toks[first - 1].text) in _words("label"):
            continue
        if _is_rate(toks, first):
            continue
        cue = _kind_for(first, last, terms, toks, number_tokens)
        value = int(number.value)  # type: ignore[attr-defined]
        if cue is not None and cue.first_token >= last and value > 2 and \
                cue.phrase in _words("singular_verb"):
            # "محمد يوسف 27 قتل": a singular verb after a figure does not count it (a
            # counted subject takes a plural verb, "27 قتلوا"); the figure is an age
            cue = None
        if cue is not None and cue.first_token > 0 and \
                strip_article(toks[cue.first_token - 1].text) in _words("attempt"):
            continue     # "محاولة اغتيال قائد": an attempt kills no one
        if cue is not None and cue.first_token - last > 1 and previous is not None and \
                first - previous_last <= 4 and (toks[first].text.startswith("و") or
                                                toks[first - 1].text == "و"):
            # "(منها 78 طفلاً و84 امرأة)، فيما بلغت حصيلة الشهداء": a figure that continues
            # the list just before belongs to it, not to a casualty word further on
            cue = None
        if cue is None and toks[first].text in ("واحد", "واحده"):
            continue     # "من عائلة واحدة": "one" after its noun describes it, counts no one
        kind = cue.value.kind if cue else None
        among = _among_after(toks, last)
        if kind is None and among is not None and among != "combined":
            kind = among     # "49 طفلاً و34 امرأة من بين القتلى": the first of the list
        subset = _is_subset(toks, first) or among is not None
        if kind is None and previous is not None and first - previous_last <= _MAX_OF_THEM_GAP \
                and last < len(toks) and toks[last].text in _words("of_them"):
            # "بلغت 102 قتيلاً، 61 منهم من مسلحي داعش": a part of the figure just given
            kind, subset = previous.kind, True
        if kind is None and previous is not None and first - previous_last <= 10:
            between = toks[previous_last:first]
            starts_list = toks[first].text.startswith("و") or any(
                t.text in _words("continuer") or t.text[1:] in _words("continuer")
                or (t.text.startswith("و") and _victim(t) is not None)   # "ومقاتلين اثنين"
                for t in between)
            if starts_list or subset:
                kind = previous.kind
                subset = subset or (previous.subset and starts_list)
        if kind is None or kind == "combined" or _split_unknown(toks, last, terms,
                                                               number_tokens):
            continue
        side, category = _side(toks, first, last, getattr(number, "noun", None), actors)
        if side in (None, "person") and first > 0 and toks[first - 1].text in _words("toll_link"):
            # "ارتفع تعداد قتلى الأسايش وحراس السجن إلى 18": whose dead, told before
            noun = max((m for m in terms if 0 <= first - m.last_token <= _MAX_TOLL_GAP),
                       key=lambda m: m.last_token, default=None)
            if noun is not None:
                side = next((actor for a_start, _, actor in actors
                             if noun.end <= a_start < number.start  # type: ignore[attr-defined]
                             and actor != "civilians"), side)
        window = toks[max(0, first - _MAX_TOLL_GAP):first]
        toll = first > 0 and toks[first - 1].text in _words("toll_link") and any(
            word_keys(t.text) & _words("toll_word") for t in window)
        cue_start, cue_end = (cue.start, cue.end) if cue else (number.start, number.end)  # type: ignore[attr-defined]
        found = Casualty(kind=kind, value=int(number.value),  # type: ignore[attr-defined]
                         basis=str(getattr(number, "basis", "reported")),
                         start=number.start, end=number.end,  # type: ignore[attr-defined]
                         side=side, category=category, subset=subset,
                         qualifier=getattr(number, "qualifier", None), sentence=sentence,
                         cue_start=cue_start, cue_end=cue_end, toll=toll)
        out.append(found)
        previous, previous_last = found, last
    out.extend(_singulars(text, toks, terms, number_tokens, sentence, actors))
    out.extend(_listed_parts(toks, out, terms, actors, sentence))
    out.extend(_many_after(toks, terms, number_tokens, {c.kind for c in out}, sentence))
    out.extend(_pronoun_counts(toks, {c.kind for c in out}, sentence))
    out.sort(key=lambda c: c.start)
    return out


_MAX_LISTED = 16


def _listed_parts(toks: Sequence[Token], found: list[Casualty], terms: list[Match[_Term]],
                  actors: Sequence[tuple[int, int, str]], sentence: int) -> list[Casualty]:
    """"مصرع شخصين بينهما المجند كرم ومواطن مدني": the parts of a figure named one by one
    after "بينهم", each one person of its own side. Parts the number reader already counted
    ("ومواطن") are left to it; a figure, a casualty word or a speech verb ends the list."""
    nouns = singular_nouns()
    taken = {t.index for c in found for t in toks if t.start < c.end and t.end > c.start}
    cue_tokens = {i for m in terms for i in range(m.first_token, m.last_token)}
    out: list[Casualty] = []
    for figure in found:
        if figure.subset or figure.kind not in ("killed", "injured"):
            continue
        after = [t.index for t in toks if t.start >= figure.end][:3]
        opener = next((i for i in after if toks[i].text in _words("subset")), None)
        if opener is None:
            continue
        for i in range(opener + 1, min(len(toks), opener + 1 + _MAX_LISTED)):
            tok = toks[i]
            age = i + 1 < len(toks) and toks[i + 1].text in _words("unit")
            if (tok.text[-1:].isdigit() and not age) or i in cue_tokens or \
                    word_keys(tok.text) & _words("speech"):
                break     # "المجند كرم (22 سنة) ومواطن": an age does not end the list
            first_item = i == opener + 1
            if not first_item and not tok.text.startswith("و"):
                continue
            bare = tok.text if first_item else tok.text[1:]
            if i in taken or not {bare, strip_article(bare)} & nouns:
                continue
            named = next((actor for a_start, a_end, actor in actors
                          if a_start <= tok.start < a_end), None)
            noun = victim_nouns().get(strip_article(bare)) or victim_nouns().get(bare)
            side = named or (noun[0] if noun else None)
            out.append(Casualty(kind=figure.kind, value=1, basis="reported", start=tok.start,
                                end=tok.end, side=side,
                                category=(noun[1] or None) if noun else None, subset=True,
                                qualifier=None, sentence=sentence, cue_start=figure.cue_start,
                                cue_end=figure.cue_end))
    return out


@functools.cache
def _pronoun_forms() -> dict[str, tuple[str, int]]:
    rows = load_table("casualty_pronouns", ("word",))
    return {r["word"]: (r["kind"], int(r["value"])) for r in rows}


@functools.lru_cache(maxsize=WORD_CACHE)
def _pronoun_form(word: str) -> tuple[str, int] | None:
    """(kind, value) when ``word`` is a casualty noun with a pronoun ("مقتله")."""
    if not word.endswith(("ه", "ها", "هما")):
        return None        # every form ends with the pronoun ("مقتله", "إصابتها")
    forms = _pronoun_forms()
    return next((forms[k] for k in word_keys(word) if k in forms), None)


def _pronoun_counts(toks: Sequence[Token], kinds: set[str], sentence: int) -> list[Casualty]:
    """"ما أدى إلى مقتله": one death, when no figure of that kind is given."""
    out: list[Casualty] = []
    # one cached map over the words leaves the few casualty nouns with a pronoun
    forms = list(map(_pronoun_form, map(token_text, toks)))
    for i in compress(range(len(forms)), forms):
        tok, found = toks[i], forms[i]
        if found is None or found[0] in kinds:
            continue
        kinds = kinds | {found[0]}
        out.append(Casualty(kind=found[0], value=found[1], basis="reported", start=tok.start,
                            end=tok.end, side=None, category=None, subset=False,
                            qualifier=None, sentence=sentence, cue_start=tok.start,
                            cue_end=tok.end))
    return out


_HINT_REACH = 3


def find_side_hints(toks: Sequence[Token], numbers: Sequence[object],
                    actors: Sequence[tuple[int, int, str]], sentence: int) -> list[SideHint]:
    """"فإن القتلى هم من قوات المجلس الرئاسي", "سقط قتلى وجرحى من حراسة ...": a casualty noun
    with no figure of its own, followed by "من"/"في صفوف" and a named side. Assembly gives an
    incident's unattributed dead to that side when it is the only one told."""
    number_tokens = {t.index for n in numbers for t in toks
                     if t.start < n.end and t.end > n.start}  # type: ignore[attr-defined]
    out: list[SideHint] = []
    for m in casualty_words(tuple(toks)):
        if m.value.position not in ("after", "both") or m.value.kind == "arrested":
            continue
        if any(i in number_tokens for i in range(max(0, m.first_token - 2), m.last_token + 1)):
            continue      # the figure's own frame says whose it is
        j = m.last_token
        while j < len(toks) and toks[j].text in _words("hint_link"):
            j += 1
        if j >= len(toks) or toks[j].text not in ("من", "في"):
            continue
        reach = toks[j + 1:j + 1 + _HINT_REACH]
        if not reach:
            continue
        side = next((actor for a_start, _, actor in actors
                     if reach[0].start <= a_start <= reach[-1].start), None)
        if side is not None:
            out.append(SideHint(m.value.kind, side, toks[m.first_token].start,
                                toks[m.last_token - 1].end, sentence))
    return out
