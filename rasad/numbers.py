"""Counts in Arabic news text: digits, number words, duals, singulars and vague quantities.

Casualty coding needs every way Arabic writes "how many": digits ("6", "1,200"), number
words in both genders and all cases with و-compounds ("ثلاثة وعشرون", "مئة وخمسون",
"ثلاثمئة ألف"), a dual noun ("عنصرين" = 2), a bare singular ("وطفل", "واعتقال آخر" = 1), and
vague words that ACLED codes by policy ("عشرات" = 10, "عدة" = 3). Each finding is a
``NumberMatch`` over *normalised* text (``rasad.text.normalize``), keeping a hedge such as
"نحو" or "أكثر من" as ``qualifier``. Dates, times, years and ordinals are not counts.

All word lists live in ``data/lexicons`` (number_words, number_vague, number_qualifiers,
number_context, number_casualty_heads, number_false_friends, counted_nouns, months); they are
compiled once per process.
"""
from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import accumulate, compress
from typing import NamedTuple, TypeVar

from rasad.lexicon import load_table
from rasad.text.normalize import normalize_key

AR = "\u0621-\u064a"
# Proclitics a number word may carry in a list ("وثلاثة", "بنحو", "لعشرة"); not the article.
_PREFIXES = ("", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل")
_TOKEN = re.compile(rf"[{AR}]+|[0-9]+(?:[.,/:\-][0-9]+)*")
_DIGIT = re.compile("[0-9]")   # a digit can only belong to a token that starts with one
_DIGIT_START = _DIGIT.match
_BEGIN, _END = re.Match.start, re.Match.end
Offsets = tuple[list[int], list[int]]    # where each word begins, where each ends
_NOT_PLAIN = re.compile(rf"[^ {AR}]")   # anything but an Arabic letter or a space
_THOUSANDS_COMMA = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
_THOUSANDS_DOT = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_DECIMAL = re.compile(r"[0-9]+\.[0-9]+")
_NEXT_WORD = re.compile(rf"\s+([{AR}]+)")
_ANOTHER = frozenset({"اخر", "اخري"})
_ONE = frozenset({"واحد", "واحده"})
_TWO = frozenset({"اثنين", "اثنان", "اثنتين", "اثنتان"})


# made by the thousand: not frozen (a frozen __init__ is 7x slower), never changed
@dataclass(slots=True, unsafe_hash=True)
class NumberMatch:
    """One count in normalised text.

    ``start``/``end`` cover the qualifier (when present), the number, and for duals and
    singulars the counted noun. ``basis`` is "reported" for anything the text states and
    "estimated" for a vague word coded by policy.
    """

    start: int
    end: int
    value: int
    basis: str
    qualifier: str | None
    kind: str
    noun: str | None = None


@dataclass(frozen=True, slots=True)
class _Word:
    value: int
    kind: str


class _Words(NamedTuple):
    """The ``_TOKEN`` words of a sentence and their offsets, as lists made in C.

    The count finders look at the few words a count can start at and their neighbours;
    whether two words are only spaced apart is worked out for those alone (``_spaced``).
    """

    text: str
    words: list[str]
    begins: list[int]
    ends: list[int]


@dataclass(frozen=True, slots=True)
class _Lexicon:
    words: dict[str, tuple[int, _Word]]          # surface -> (prefix length, word)
    duals: dict[str, tuple[int, str]]            # surface -> (prefix length, lemma)
    singulars: dict[str, str]                    # bare form -> lemma
    after_wa: frozenset[str]                     # bare forms counted after و
    heads: frozenset[str]                        # one-word casualty heads (bare)
    head_forms: dict[str, int]                   # head with proclitics -> prefix length
    wa_singulars: frozenset[str]                 # "و" + a form counted after و
    relevant: frozenset[str]                     # any token that can start a count
    head_pairs: frozenset[tuple[str, str]]       # two-word heads
    vague: re.Pattern[str]
    vague_values: dict[str, tuple[int, str]]
    # first words (with proclitics) a vague match starts with; None: not derivable
    vague_heads: frozenset[str] | None
    qualifier_before: re.Pattern[str]
    qualifier_ends: tuple[str, ...]              # last words of qualifier_before phrases
    qualifier_after: re.Pattern[str]
    context_before: re.Pattern[str]
    context_ends: tuple[str, ...]                # last words of context_before phrases
    context_after: re.Pattern[str]
    ordinal_prefixes: frozenset[str]
    ordinal_teens: frozenset[str]


def _alternation(phrases: list[str]) -> str:
    """Regex alternation, longest first, with any whitespace between words."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in ordered)


T = TypeVar("T")


def _with_prefixes(forms: Mapping[str, T],
                   false_friends: frozenset[str]) -> dict[str, tuple[int, T]]:
    """Every proclitic spelling of each form -> (prefix length, value); bare forms win."""
    out: dict[str, tuple[int, T]] = {}
    for prefix in _PREFIXES:
        for form, value in forms.items():
            surface = prefix + form
            if surface not in out and surface not in false_friends:
                out[surface] = (len(prefix), value)
    return out


def _month_names() -> list[str]:
    return [r["name"] for r in load_table("months", ("name",))]


@functools.cache
def _lexicon() -> _Lexicon:
    """The compiled lexicon, with the set of tokens worth a closer look."""
    lex = _build_lexicon()
    relevant = (set(lex.words) | set(lex.duals) | set(lex.singulars) | lex.wa_singulars
                | set(lex.head_forms) | {"احد", "احدي"})
    return dataclasses.replace(lex, relevant=frozenset(relevant),
                               vague_heads=_vague_heads(lex.vague_values))


# What ``vague`` allows before a vague word ("وبعشرات", "للعشرات").
_VAGUE_PREFIXES = ("", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل")


def _vague_heads(values: Mapping[str, object]) -> frozenset[str] | None:
    """Every first word a match of ``vague`` can have, as ``_TOKEN`` cuts it: a proclitic
    sequence and the first word of a spelling. A sentence with none of them needs no
    scan; ``None`` when a spelling's first word is not all letters (no shortcut then)."""
    spellings = list(values) + ["ل" + p[1:] for p in values if p.startswith("ال")]
    firsts = {p.split()[0] for p in spellings}
    if not all(re.fullmatch(f"[{AR}]+", w) for w in firsts):
        return None
    return frozenset(prefix + w for prefix in _VAGUE_PREFIXES for w in firsts)


def _build_lexicon() -> _Lexicon:
    false_friends = frozenset(r["word"] for r in load_table("number_false_friends", ("word",)))
    words = {r["word"]: _Word(int(r["value"]), r["kind"])
             for r in load_table("number_words", ("word",))}
    nouns = load_table("counted_nouns", ("lemma", "forms", "dual", "plural"))
    duals = {d: r["lemma"] for r in nouns for d in r["dual"].split()}
    singulars = {f: r["lemma"] for r in nouns for f in r["forms"].split()}
    after_wa = frozenset(f for r in nouns if r["after_wa"] == "yes" for f in r["forms"].split())
    heads = [r["head"] for r in load_table("number_casualty_heads", ("head",))]
    vague_rows = load_table("number_vague", ("phrase",))
    vague_values = {r["phrase"]: (int(r["value"]), r["next"]) for r in vague_rows}
    spellings = []
    for phrase in vague_values:
        spellings.append(phrase)
        if phrase.startswith("ال"):
            spellings.append("ل" + phrase[1:])  # لل + stem: "للعشرات"
    vague = re.compile(
        rf"(?<![{AR}])(?P<pre>[وف]?[بل]?)(?P<v>{_alternation(spellings)})(?![{AR}])"
        rf"(?P<mult>\s+(?:ال)?الاف(?![{AR}]))?")
    quals = load_table("number_qualifiers", ("phrase",))
    before = [r["phrase"] for r in quals if r["position"] in ("before", "both")]
    after = [r["phrase"] for r in quals if r["position"] in ("after", "both")]
    context = load_table("number_context", ("word",))
    marks = [r["word"] for r in context
             if r["role"] in ("year_before", "time_before", "label_before")]
    eras = [r["word"] for r in context if r["role"] == "era_after"]
    months = _alternation(_month_names())
    return _Lexicon(
        words=_with_prefixes(words, false_friends),
        duals=_with_prefixes(duals, false_friends),
        singulars=singulars,
        after_wa=after_wa,
        heads=frozenset(h for h in heads if " " not in h),
        head_forms={k: v[0] for k, v in _with_prefixes(
            {h: True for h in heads if " " not in h}, false_friends).items()},
        wa_singulars=frozenset("و" + f for f in after_wa),
        relevant=frozenset(),
        head_pairs=frozenset((h.split()[0], h.split()[1]) for h in heads if len(h.split()) == 2),
        vague=vague,
        vague_values=vague_values,
        vague_heads=None,
        qualifier_before=re.compile(
            rf"(?<![{AR}])(?:[وفبل]|وب|ول)?(?P<q>{_alternation(before)})\s+\Z"),
        qualifier_after=re.compile(rf"\s+(?P<q>{_alternation(after)})(?![{AR}])"),
        qualifier_ends=tuple({p.split()[-1] for p in before}),
        context_ends=tuple({p.split()[-1] for p in marks + _month_names()}),
        context_before=re.compile(rf"(?<![{AR}])(?:{_alternation(marks + _month_names())})"
                                  rf"\s*[,/]?\s*\Z"),
        context_after=re.compile(
            rf"\s*(?:%|(?:(?:من\s+)?(?:شهر\s+)?(?:{months})|{_alternation(eras)})(?![{AR}]))"),
        ordinal_prefixes=frozenset(r["word"] for r in context if r["role"] == "ordinal_prefix"),
        ordinal_teens=frozenset(r["word"] for r in context if r["role"] == "ordinal_teen"),
    )


def _plain_words(text: str, start: int, end: int) -> tuple[list[str], int] | None:
    """The words of ``text[start:end]`` and where the first begins, when it is Arabic words
    and single spaces only (most sentences), else None.

    ``str.split`` cuts such a sentence into the very words ``_TOKEN`` would, for half the
    instructions: the regex engine sets up its state afresh for every word it finds.
    """
    if _NOT_PLAIN.search(text, start, end) is not None:
        return None
    body = text[start:end]
    rest = body.lstrip(" ")
    words = rest.rstrip(" ").split(" ")
    if "" in words:
        return None     # two spaces in a row, or no word at all
    return words, end - len(rest)


def _plain_offsets(first: int, words: list[str]) -> Offsets:
    """Offsets of ``words`` that begin at ``first`` and are one space apart."""
    steps = [1] * (2 * len(words))     # word, space, word, ...: summed in C
    steps[::2] = map(len, words)
    bounds = list(accumulate(steps, initial=first))
    return bounds[:-1:2], bounds[1::2]


def _offsets(pattern: re.Pattern[str], text: str, start: int, end: int) -> Offsets:
    """Offsets of the words ``pattern`` finds in ``text[start:end]``."""
    found = list(pattern.finditer(text, start, end))
    return list(map(_BEGIN, found)), list(map(_END, found))


def _spaced(s: _Words, k: int) -> bool:
    """Word ``k`` follows word ``k - 1`` after one to three spaces (only): a comma, a full
    stop or a line of dashes between them ends a number."""
    if k == 0:
        return False
    last, begin = s.ends[k - 1], s.begins[k]
    return 0 < begin - last <= 3 and s.text[last:begin].isspace()


def _starts(lex: _Lexicon, words: list[str], has_digit: bool) -> list[int]:
    """Indices of the words a count can start at: figures and ``lex.relevant`` words (one in
    ten words; about half the sentences have none). Without a figure the test runs in C."""
    if has_digit:
        relevant = lex.relevant
        return [k for k, w in enumerate(words) if w in relevant or _DIGIT_START(w)]
    return list(compress(range(len(words)), map(lex.relevant.__contains__, words)))


def _may_end_with(text: str, start: int, end: int, words: tuple[str, ...]) -> bool:
    """Whether ``text[start:end]`` ends with one of ``words`` once trailing spaces, commas
    and slashes are dropped. A phrase that ``context_before`` or ``qualifier_before`` finds
    right before ``end`` must, and this test costs a few percent of their search, which
    tries its whole alternation at every offset of the window."""
    return text[start:end].rstrip().rstrip(",/").rstrip().endswith(words)


def _dated(lex: _Lexicon, text: str, begin: int) -> bool:
    """A year, month or time word right before offset ``begin``: "عام 2022", "الساعة 10"."""
    start = max(0, begin - 40)
    return _may_end_with(text, start, begin, lex.context_ends) \
        and lex.context_before.search(text, start, begin) is not None


# --- number words -------------------------------------------------------------------------

@dataclass(slots=True)
class _Group:
    """Running state of a number-word phrase: finished thousands plus the current group."""

    total: int = 0
    group: int = 0
    tens: bool = False
    last: str = ""
    last_value: int = 0

    @property
    def value(self) -> int:
        return self.total + self.group


def _juxtaposed(state: _Group, word: _Word) -> bool:
    """Apply a word that follows without و ("ثلاثة عشر", "ثلاث مئة", "عشرون ألفا")."""
    if word.kind == "unit" and word.value == 10 and state.last in ("unit", "teen_head") \
            and 1 <= state.last_value <= 9 and not state.tens:
        state.group += 10
        state.tens = True
    elif word.kind == "hundred" and word.value == 100 and state.last == "unit" \
            and 3 <= state.last_value <= 9 and state.group == state.last_value:
        state.group = state.last_value * 100
    elif word.kind == "scale" and state.group > 0:
        state.total += state.group * word.value
        state.group, state.tens = 0, False
    elif word.kind == "scale_plural" and 3 <= state.group % 100 <= 10 and state.last == "unit":
        state.total += state.group * word.value
        state.group, state.tens = 0, False
    else:
        return False
    state.last, state.last_value = word.kind, word.value
    return True


def _conjoined(state: _Group, word: _Word) -> bool:
    """Apply a word joined by و ("وعشرون" after a unit, "وخمسون" after مئة, "ومئتان" after ألف)."""
    small = state.group % 100
    if word.kind in ("unit", "teen_head") and small == 0:
        state.group += word.value
    elif word.kind == "ten" and not state.tens and (small == 0 or state.last == "unit"):
        state.group += word.value
        state.tens = True
    elif word.kind == "hundred" and state.group == 0 and state.total > 0:
        state.group = word.value
    else:
        return False
    state.last, state.last_value = word.kind, word.value
    return True


def _is_teen_marker(lex: _Lexicon, word: str | None) -> bool:
    hit = lex.words.get(word) if word else None
    return bool(hit and hit[0] == 0 and hit[1].kind == "unit" and hit[1].value == 10)


def _parse_words(lex: _Lexicon, s: _Words, i: int) -> tuple[int, int, int] | None:
    """Number words starting at word ``i``: (value, prefix length, index after the last)."""
    words = s.words
    hit = lex.words.get(words[i])
    if hit is None:
        return None
    prefix_len, first = hit
    n = len(words)
    nxt = words[i + 1] if i + 1 < n else None
    if first.kind == "scale_plural":
        return None
    if first.kind == "teen_head" and not _is_teen_marker(lex, nxt):
        return None
    if i > 0 and words[i - 1] in lex.ordinal_teens and _spaced(s, i) \
            and _is_teen_marker(lex, words[i]):
        return None  # "الثالث عشر", "الثانية عشرة": an ordinal teen
    state = _Group()
    if first.kind in ("scale", "scale_dual"):
        state.total = first.value
    else:
        state.group = first.value
        state.tens = first.kind == "ten"
    state.last, state.last_value = first.kind, first.value
    j = i + 1
    while j < n:
        text = words[j]
        joined = text.startswith("و")
        hit = lex.words.get(text[1:] if joined else text)  # "واحد عشر" = و + أحد عشر
        if hit is None or hit[0] != 0 or not _spaced(s, j):
            break
        word = hit[1]
        after = words[j + 1] if j + 1 < n else None
        if word.kind == "teen_head" and not _is_teen_marker(lex, after):
            break
        applied = _conjoined(state, word) if joined else _juxtaposed(state, word)
        if not applied:
            break
        j += 1
    return (state.value, prefix_len, j) if state.value > 0 else None


# --- digits -------------------------------------------------------------------------------

def _digit_value(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    if _THOUSANDS_COMMA.fullmatch(token):
        return int(token.replace(",", ""))
    if _THOUSANDS_DOT.fullmatch(token):
        return int(token.replace(".", ""))
    return None


def _scale_after(lex: _Lexicon, s: _Words, i: int) -> int | None:
    """Value of a scale word right after word ``i`` ("3 آلاف", "2 مليون")."""
    if i + 1 >= len(s.words) or not _spaced(s, i + 1):
        return None
    hit = lex.words.get(s.words[i + 1])
    if hit and hit[0] == 0 and hit[1].kind in ("scale", "scale_plural"):
        return hit[1].value
    return None


def _digits(lex: _Lexicon, s: _Words, i: int) -> tuple[int, int] | None:
    """(value, end) of a digit count at word ``i``, or None for dates, times, years, days."""
    text, word = s.text, s.words[i]
    begin, stop = s.begins[i], s.ends[i]
    if i > 0 and s.words[i - 1] in lex.ordinal_prefixes \
            and (s.ends[i - 1] == begin or _spaced(s, i)):
        return None  # "الـ26": a day of the month or an ordinal
    if _dated(lex, text, begin):
        return None  # "عام 2022", "كانون الأول 2022", "الساعة 10"
    value = _digit_value(word)
    scale = _scale_after(lex, s, i)
    if value is None:
        if scale is None or not _DECIMAL.fullmatch(word):
            return None  # "2022.12.27", "12:18", "3-4", "2.5"
        return round(float(word) * scale), s.ends[i + 1]
    if value == 0 or word.startswith("0"):
        return None  # "0", "05": no count
    if scale is not None:
        return value * scale, s.ends[i + 1]
    if lex.context_after.match(text, stop):
        return None  # "26 ديسمبر", "2022 م", "50%"
    return value, stop


# --- nouns: duals and singulars -----------------------------------------------------------

def _is_head(lex: _Lexicon, words: list[str], i: int) -> bool:
    """Word ``i`` (or ``i-1, i``) is a casualty head such as "مقتل", "واصابة", "القبض على"."""
    if i < 0:
        return False
    text = words[i]
    if text in lex.head_forms:
        return True
    if i >= 1 and lex.head_pairs:
        prev = words[i - 1]
        return (prev, text) in lex.head_pairs or (prev[1:], text) in lex.head_pairs
    return False


def _extension(s: _Words, j: int, words: frozenset[str]) -> int:
    """End offset after an optional "آخر"/"واحد" at word ``j``, else end of word ``j-1``."""
    if j < len(s.words) and s.words[j] in words and _spaced(s, j):
        return s.ends[j]
    return s.ends[j - 1]


def _noun_count(lex: _Lexicon, s: _Words, i: int,
                prev_is_number: bool) -> NumberMatch | None:
    """A dual ("عنصرين"), a singular after و or after a casualty head, or head + "آخر"."""
    words = s.words
    text = words[i]
    begin = s.begins[i]
    dual = lex.duals.get(text)
    if dual is not None:
        if prev_is_number:
            return None
        end = _extension(s, i + 1, _TWO)
        return NumberMatch(begin + dual[0], end, 2, "reported", None, "dual", dual[1])
    if text in lex.singulars and i > 0 and _spaced(s, i) and _is_head(lex, words, i - 1):
        lemma, start = lex.singulars[text], begin
    elif text in lex.wa_singulars and not prev_is_number:
        lemma, start = lex.singulars[text[1:]], begin + 1
    elif i + 1 < len(words) and words[i + 1] in _ANOTHER and _spaced(s, i + 1) \
            and _is_head(lex, words, i):
        start = begin + lex.head_forms.get(text, 0)
        return NumberMatch(start, s.ends[i + 1], 1, "reported", None, "singular", None)
    else:
        return None
    end = _extension(s, i + 1, _ANOTHER | _ONE)
    return NumberMatch(start, end, 1, "reported", None, "singular", lemma)


def _one_of(lex: _Lexicon, s: _Words, i: int) -> NumberMatch | None:
    """"أحد العناصر" / "إحدى السيدات": one, when a definite genitive follows."""
    words = s.words
    if words[i] not in ("احد", "احدي") or i + 1 >= len(words):
        return None
    nxt = words[i + 1]
    if _spaced(s, i + 1) and nxt.startswith("ال") and len(nxt) > 3:
        return NumberMatch(s.begins[i], s.ends[i], 1, "reported", None, "words", None)
    return None


# --- assembly -----------------------------------------------------------------------------

def _counts(lex: _Lexicon, s: _Words, starts: list[int]) -> list[NumberMatch]:
    """Counts starting at the words ``starts`` (in order); a count's words start no other."""
    text, words, begins, ends = s
    found: list[NumberMatch] = []
    prev_number_end = -1
    i = 0
    for at in starts:
        if at < i:
            continue        # inside the count found last
        i = at
        word = words[i]
        begin, stop = begins[i], ends[i]
        prev_is_number = i > 0 and ends[i - 1] == prev_number_end
        match: NumberMatch | None = None
        nxt = i + 1
        if word[0].isdigit():
            hit = _digits(lex, s, i)
            if hit is not None:
                match = NumberMatch(begin, hit[1], hit[0], "reported", None, "digits")
                nxt = i + 2 if hit[1] > stop else i + 1
        else:
            parsed = _parse_words(lex, s, i)
            if parsed is not None:
                value, prefix_len, nxt = parsed
                if _dated(lex, text, begin):
                    i = nxt  # a year in words: "كانون الثاني الفين واثنين"
                    continue
                match = NumberMatch(begin + prefix_len, ends[nxt - 1], value,
                                    "reported", None, "words")
            else:
                match = _noun_count(lex, s, i, prev_is_number) or _one_of(lex, s, i)
        if match is not None:
            found.append(match)
            prev_number_end = ends[nxt - 1] if match.kind in ("digits", "words") else -1
            i = nxt
    return found


def _vague(lex: _Lexicon, text: str, start: int, end: int) -> list[NumberMatch]:
    found = []
    for m in lex.vague.finditer(text, start, end):
        phrase = m.group("v")
        key = " ".join(phrase.split())
        value, needs = lex.vague_values.get(key) or lex.vague_values["ا" + key[1:]]
        if needs == "indefinite" and not m.group("mult"):
            after = _NEXT_WORD.match(text, m.end(), end)
            if after is None or after.group(1).startswith("ال"):
                continue
        if m.group("mult"):
            value *= 1000
        begin = m.start("v") + (1 if phrase.startswith("لل") else 0)
        found.append(NumberMatch(begin, m.end(), value, "estimated", None, "vague"))
    return found


def _qualify(lex: _Lexicon, text: str, match: NumberMatch, floor: int,
             ceiling: int) -> NumberMatch:
    """Widen ``match`` over a hedge before it ("نحو 200") or right after it ("5 على الأقل")."""
    after = lex.qualifier_after.match(text, match.end, ceiling)
    if after:
        return NumberMatch(match.start, after.end(), match.value, match.basis,
                           " ".join(after.group("q").split()), match.kind, match.noun)
    if match.kind in ("dual", "singular"):
        return match
    token_start = match.start - 1 if match.start > 0 and text[match.start - 1] in "وفبل" \
        and (match.start < 2 or not text[match.start - 2].isalpha()) else match.start
    low = max(floor, token_start - 30)
    before = lex.qualifier_before.search(text, low, token_start) \
        if _may_end_with(text, low, token_start, lex.qualifier_ends) else None
    if before:
        return NumberMatch(before.start("q"), match.end, match.value, match.basis,
                           " ".join(before.group("q").split()), match.kind, match.noun)
    return match


_AND_BETWEEN = re.compile(r"\s*و\s*$")


def _join_thousands(text: str, matches: list[NumberMatch]) -> list[NumberMatch]:
    """"خمسة آلاف و440" and "25 ألفاً و667" are one count: thousands + و + the rest."""
    out: list[NumberMatch] = []
    for match in matches:
        prev = out[-1] if out else None
        if (prev is not None and prev.value >= 1000 and prev.value % 1000 == 0
                and match.value < 1000 and match.kind in ("digits", "words")
                and prev.kind in ("digits", "words") and match.basis == "reported"
                and _AND_BETWEEN.match(text[prev.end:match.start])):
            out[-1] = NumberMatch(prev.start, match.end, prev.value + match.value, prev.basis,
                                  prev.qualifier, prev.kind, None)
            continue
        out.append(match)
    return out


class SentenceWords(NamedTuple):
    """The ``_TOKEN`` words of a sentence, whether it has a digit, and the words' offsets
    (None when no word could start a count, as they were not needed)."""

    words: list[str]
    has_digit: bool
    offsets: Offsets | None
    first: int | None = None   # where the first word begins, if all are one space apart

    def word_offsets(self) -> Offsets | None:
        """The words' offsets when known or cheap to work out, else None."""
        if self.offsets is None and self.first is not None:
            return _plain_offsets(self.first, self.words)
        return self.offsets


# (text, start, end, its words) of the sentence read last; see ``last_words``
_last: tuple[str, int, int, SentenceWords] = ("", 0, 0, SentenceWords([], False, None))


def last_words(text: str, start: int, end: int) -> SentenceWords | None:
    """The words of ``text[start:end]`` when that is the sentence ``find_numbers`` read
    last (else None).

    The date reader reads each sentence right after the number reader and cuts the same
    words when there is no figure; this spares it a second scan of every sentence.
    """
    last_text, last_start, last_end, words = _last
    if last_text is text and last_start == start and last_end == end:
        return words
    return None


def find_numbers(text: str, start: int = 0, end: int | None = None) -> list[NumberMatch]:
    """Every count in ``text[start:end]`` (normalised text), in order, without overlaps."""
    global _last
    lex = _lexicon()
    end = len(text) if end is None else end
    plain = _plain_words(text, start, end)
    if plain is not None:
        (words, first), has_digit = plain, False
    else:
        words, first = _TOKEN.findall(text, start, end), None
        has_digit = _DIGIT.search(text, start, end) is not None
    starts = _starts(lex, words, has_digit)
    offsets = None
    if starts:       # offsets only for a sentence where a count can start
        offsets = _offsets(_TOKEN, text, start, end) if first is None \
            else _plain_offsets(first, words)
    _last = (text, start, end, SentenceWords(words, has_digit, offsets, first))
    vague = [] if lex.vague_heads is not None and lex.vague_heads.isdisjoint(words) \
        else _vague(lex, text, start, end)
    if not starts and not vague:
        return []     # most sentences: nothing can start a count
    counts: list[NumberMatch] = []
    if offsets is not None:
        counts = _counts(lex, _Words(text, words, *offsets), starts)
    candidates = counts + vague
    candidates.sort(key=lambda m: (m.start, m.start - m.end))
    kept: list[NumberMatch] = []
    last_end = start
    for match in candidates:
        if match.start >= last_end:
            kept.append(match)
            last_end = match.end
    kept = _join_thousands(text, kept)
    out: list[NumberMatch] = []
    for i, match in enumerate(kept):
        floor = out[-1].end if out else start
        ceiling = kept[i + 1].start if i + 1 < len(kept) else end
        out.append(_qualify(lex, text, match, floor, ceiling))
    return out


def parse_number(phrase: str) -> int | None:
    """The value of a whole phrase that is one count ("ثلاثة وعشرون" -> 23), else None."""
    text = normalize_key(phrase)
    matches = find_numbers(text)
    if len(matches) != 1:
        return None
    match = matches[0]
    if text[:match.start].strip(" وفبل") or text[match.end:].strip():
        return None
    return match.value
