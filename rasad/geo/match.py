"""Finding toponyms in normalised text: automaton hits, clitics, cue words, directions.

The automaton runs over the whole normalised text; a hit counts only at word boundaries,
where the letters before it in its word are a proclitic sequence (و ف ب ل ك and the
article). A gazetteer name without the article also matches with it (الشحيل for شحيل), and
one with the article matches after لل (للرقة). Overlapping hits keep the longest.
"""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field

from rasad.geo.index import GazetteerIndex
from rasad.geo.sources import demonyms
from rasad.lexicon import load_table
from rasad.text.segment import Token, token_start, tokens, word_keys

_LETTERS = frozenset(chr(c) for c in range(0x0621, 0x064B))
_LETTER_CHARS = "".join(sorted(_LETTERS))
# Proclitics that may stand before a name that already has its article.
_BEFORE_ARTICLE = frozenset({"", "و", "ف", "ب", "ك", "وب", "فب", "وك", "فك"})
_BEFORE_STRIPPED = frozenset({"لل", "ولل", "فلل"})
# Two-letter names (اب، رس، ان) are function words or clitic remains far too often: they
# count only after a cue word ("محافظة إب").
MIN_LETTERS = 3


@dataclass(frozen=True, slots=True)
class Lexicons:
    """The geo word lists, normalised."""

    cues: dict[str, str]
    directions: dict[str, str]
    sublocation_cues: frozenset[str]
    sublocation_phrases: tuple[tuple[str, ...], ...]
    stoplist: dict[str, str]
    never: frozenset[str]
    clitics: frozenset[str]
    words: frozenset[str]          # common words that are never a place on their own
    sublocation_stops: frozenset[str]
    idioms: frozenset[tuple[str, str]]


@functools.cache
def lexicons() -> Lexicons:
    cues = {r["word"]: r["kind"] for r in load_table("geo_cues", ("word",))}
    directions = {r["word"]: r["kind"] for r in load_table("geo_directions", ("word",))}
    subs = load_table("geo_sublocation_cues", ("word",))
    stop = {r["word"]: r["rule"] for r in load_table("geo_stoplist", ("word",))}
    clitics = frozenset(r["clitic"] for r in load_table("proclitics", ("clitic",)))
    sub_cues = frozenset(r["word"] for r in subs if r["kind"] == "cue")
    words = frozenset(cues) | frozenset(directions) | sub_cues | frozenset(demonyms()) | {
        w for w, rule in stop.items() if rule == "never"}
    return Lexicons(
        cues=cues, directions=directions, sublocation_cues=sub_cues,
        sublocation_phrases=tuple(tuple(r["word"].split()) for r in subs
                                  if r["kind"] == "phrase"),
        stoplist=stop, never=frozenset(w for w, rule in stop.items() if rule == "never"),
        clitics=clitics | {""}, words=words,
        sublocation_stops=frozenset(r["word"] for r in subs if r["kind"] == "stop"),
        idioms=frozenset(tuple(r["word"].split()[:2]) for r in subs  # type: ignore[misc]
                         if r["kind"] == "idiom"))


@dataclass(slots=True)
class Hit:
    """A candidate toponym: the name span, its readings and what surrounds it."""

    start: int
    end: int
    word_start: int
    key: str
    candidates: tuple[int, ...]
    token: int = -1                    # index of the token holding ``start``
    last_token: int = -1
    cue: str | None = None
    cue_kind: str | None = None
    direction: str | None = None
    near: bool = False
    span_start: int = -1               # start of cue/direction words before the name
    span_end: int = -1                 # end of a trailing direction (ريف X الشرقي)
    sublocation: tuple[int, int] | None = None
    inner: bool = False                # the name sits inside a sublocation ("مطار حلب")
    choice: int | None = None
    dropped: bool = False
    extra: dict[str, object] = field(default_factory=dict)


def _prefix_ok(prefix: str, key: str, stripped: bool, clitics: frozenset[str]) -> bool:
    """The letters before a name in its word may stand there. The empty prefix passes
    every rule, so ``find_hits`` asks only for the others."""
    if stripped:
        return prefix in _BEFORE_STRIPPED or prefix in ("", "و", "ب")
    if key.startswith("ال"):
        return prefix in _BEFORE_ARTICLE
    return prefix in clitics


def find_hits(text: str, index: GazetteerIndex) -> list[Hit]:
    """Non-overlapping gazetteer hits at word boundaries, longest first, in text order.

    Candidates stay plain tuples until the overlap check has picked the few that count
    (an article has a hundred or more automaton hits and keeps a tenth), and taken spans
    are marked in a bytearray, so the check is one slice instead of a scan per hit.
    """
    clitics = lexicons().clitics
    letters = _LETTERS
    found: list[tuple[int, int, int, str, bool]] = []
    padded = text + " "     # a name may end the text: no bounds test per automaton hit
    for last, entries in index.automaton.iter(text):
        if padded[last + 1] in letters:
            continue         # the name ends inside a word
        end = last + 1
        for key, stripped in entries:
            start = end - (len(key) - 2 if stripped else len(key))
            # the letters before the name in its word, read from at most four back (in C:
            # rstrip): a longer prefix is no proclitic, the hit is dropped
            head = text[start - 4 if start > 4 else 0:start]
            prefix = head[len(head.rstrip(_LETTER_CHARS)):]
            if len(prefix) > 3:
                continue
            word_start = start - len(prefix)
            # a name standing alone in its word (most do) needs no proclitic check
            if not prefix or _prefix_ok(prefix, key, stripped, clitics):
                # "مديرية قيفة" for القيفة: without its article a name needs a cue word.
                found.append((start, end, word_start, key,
                              stripped and prefix not in _BEFORE_STRIPPED))
    found.sort(key=lambda f: (f[0] - f[1], f[0], f[4]))
    taken = bytearray(len(text) + 1)
    chosen = []
    never = lexicons().never
    for start, end, word_start, key, bare in found:
        if 1 in taken[word_start:end]:
            continue
        taken[word_start:end] = b"\x01" * (end - word_start)
        if key not in never:     # common words ("الى", "مدينة"): dropped here, early
            hit = Hit(start, end, word_start, key, _with_bare_name(key, index))
            hit.extra["bare"] = bare
            chosen.append(hit)
    chosen.sort(key=lambda h: h.start)
    return chosen


def _with_bare_name(key: str, index: GazetteerIndex) -> tuple[int, ...]:
    """Candidates of a gazetteer name that opens with a settlement word: "مدينة زنجبار" is
    Zanzibar City's alias, and also "مدينة" + زنجبار, the Yemeni town; the resolver chooses
    among both by the article's country."""
    candidates = index.keys[key]
    cue, _, rest = key.partition(" ")
    if rest and lexicons().cues.get(cue) in ("settlement", "capital") and rest in index.keys:
        candidates = tuple(dict.fromkeys((*candidates, *index.keys[rest])))
    return candidates


@functools.lru_cache(maxsize=200_000)
def keys_longest_first(word: str) -> tuple[str, ...]:
    """A word's readings, longest first (cached: the matcher asks for every token)."""
    return tuple(sorted(word_keys(word), key=len, reverse=True))


def covered_tokens(toks: list[Token], spans: list[tuple[int, int]]) -> set[int]:
    """Indexes of tokens that start inside one of ``spans``, without a scan per token."""
    starts = list(map(token_start, toks))     # in C: an article has hundreds of tokens
    out: set[int] = set()
    for s, e in spans:
        i = bisect.bisect_left(starts, s)
        while i < len(starts) and starts[i] < e:
            out.add(i)
            i += 1
    return out


def _key_in(token: Token, words: dict[str, str] | frozenset[str]) -> str | None:
    """The reading of ``token`` (itself or clitic-stripped) found in ``words``."""
    if token.text in words:
        return token.text
    for key in keys_longest_first(token.text):
        if key in words:
            return key
    return None


def _joined(text: str, left: Token, right: Token) -> bool:
    """Only spaces between two tokens (no comma, full stop or line break)."""
    gap = text[left.end:right.start]
    return not gap.strip() and "\n" not in gap


def annotate(text: str, hits: list[Hit]) -> list[Token]:
    """Attach cue words, directions and trailing ريف directions to each hit."""
    lex = lexicons()
    toks = tokens(text)
    starts = list(map(token_start, toks))
    for hit in hits:
        hit.token = max(0, bisect.bisect_right(starts, hit.word_start) - 1)
        hit.last_token = max(hit.token, bisect.bisect_left(starts, hit.end) - 1)
        hit.span_start, hit.span_end = hit.start, hit.end
        i = hit.token - 1
        if i >= 0 and _joined(text, toks[i], toks[hit.token]):
            cue = _key_in(toks[i], lex.cues)
            if cue and lex.cues[cue] not in ("function", "locative"):
                hit.cue, hit.cue_kind = cue, lex.cues[cue]
                hit.span_start = toks[i].end - len(cue) if toks[i].text.endswith(cue) \
                    else toks[i].start
                i -= 1
        _directions_before(text, toks, i, hit)
        if hit.cue_kind == "countryside":
            _direction_after(text, toks, hit)
    _mark_locative(text, toks, hits)
    return toks


def _mark_locative(text: str, toks: list[Token], hits: list[Hit]) -> None:
    """Flag hits in a place-like slot: after a preposition (في، من، قرب ...) or ب/ل, or
    listed right after another place ("ذيبان والشحيل"). Bare village names need it."""
    cues = lexicons().cues
    previous_end: int | None = None
    for hit in hits:
        prefix = text[hit.word_start:hit.start]
        before = hit.span_start if hit.span_start < hit.start else hit.word_start
        k = hit.token - 1
        prev_word = toks[k] if k >= 0 and hit.span_start == hit.start else None
        gap = text[previous_end:before] if previous_end is not None else "x"
        joined = "و" in gap or "," in gap or (prefix.startswith("و")
                                              and hit.span_start == hit.start)
        listed = joined and not gap.replace(",", "").replace("و", "").strip()
        # ب/ل before a bare indefinite word is as often "بجروح", "بأنه" as a place.
        named = hit.key.startswith("ال") or " " in hit.key
        hit.extra["locative"] = bool(
            (named and ("ب" in prefix or "ل" in prefix.replace("ال", "", 1)))
            or hit.cue or hit.direction
            or listed or (prev_word is not None and _joined(text, prev_word, toks[hit.token])
                          and cues.get(_key_in(prev_word, cues) or "") == "locative"))
        previous_end = hit.end


def _directions_before(text: str, toks: list[Token], i: int, hit: Hit) -> None:
    lex = lexicons()
    words: list[str] = []
    right = hit.token if hit.span_start == hit.start else i + 1
    while i >= 0 and len(words) < 3 and _joined(text, toks[i], toks[right]):
        word = _key_in(toks[i], lex.directions)
        if word is None and toks[i].text == "من" and not words:
            i, right = i - 1, i
            continue
        if word is None:
            break
        words.insert(0, word)
        hit.near = hit.near or lex.directions[word] == "near"
        hit.span_start = toks[i].start
        i, right = i - 1, i
    if words:
        hit.direction = " ".join(words)


def _direction_after(text: str, toks: list[Token], hit: Hit) -> None:
    lex = lexicons()
    words: list[str] = []
    j = hit.last_token + 1
    prev = toks[hit.last_token] if toks else None
    while j < len(toks) and len(words) < 2 and prev and _joined(text, prev, toks[j]):
        word = toks[j].text
        if lex.directions.get(word) != "direction" or not word.startswith("ال"):
            break
        words.append(word)
        hit.span_end = toks[j].end
        prev, j = toks[j], j + 1
    if words:
        hit.direction = " ".join(words)
