"""Sentences and tokens over normalised text, with proclitics split off for lookup.

Proclitic stripping is lexicon-guided, not blind: ``word_keys`` returns every reading of a
word (as written, and with each proclitic sequence and the article removed), and a matcher
accepts a word when one of those readings is in its lexicon. "وأسفرت" thus matches "اسفرت",
"بالرقة" matches "رقه", while "وزارة" still matches itself.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from itertools import chain, count, repeat
from operator import itemgetter
from typing import NamedTuple

from rasad.lexicon import load_table

_WORD = re.compile(r"[\u0621-\u064a]+|[0-9]+(?:[.,/][0-9]+)*|[A-Za-z]+")
# Sentence ends: . ! ? (not inside numbers such as 2022.12.27 or 3.5), and line breaks; a
# year typed against the next sentence ("أكتوبر 2023.وأضافت") ends one too. The leading
# look-ahead only says what every branch starts with; it lets the scan skip the other
# characters three times faster than trying each branch at each of them.
_SENTENCE_END = re.compile(r"(?=[.!?\n])(?:(?<![0-9])[.!?]+(?![0-9])|[.!?]+(?=\s)"
                           r"|(?<=[0-9])[.!?]+(?=[\u0621-\u064a])|\n+)")


_NEW = tuple.__new__
# A token's fields as C functions, for map() over thousands of tokens per article (a
# lambda or a comprehension would run Python code for each one).
token_text = itemgetter(0)
token_start = itemgetter(1)
token_end = itemgetter(2)

# Size of the per-word caches of lexicon questions asked for every token (is it a cue, a
# speaker verb ...): frequent words stay cached, and memory stays bounded (~1 MB each).
WORD_CACHE = 4096


class Token(NamedTuple):
    """A word of the normalised text; ``start``/``end`` index the normalised text.

    A named tuple rather than a dataclass: every article makes thousands of them.
    """

    text: str
    start: int
    end: int
    # the word's place in its sentence; it hides tuple.index, which no caller uses
    index: int  # type: ignore[assignment]

    @property
    def keys(self) -> frozenset[str]:
        return word_keys(self.text)


# made by the thousand: not frozen (a frozen __init__ is 7x slower), never changed
@dataclass(slots=True, unsafe_hash=True)
class Sentence:
    start: int
    end: int
    text: str
    index: int


@functools.cache
def _clitics() -> tuple[str, ...]:
    rows = load_table("proclitics", ("clitic",))
    return tuple(sorted({r["clitic"] for r in rows}, key=len, reverse=True))


def strip_article(word: str) -> str:
    """The word without a leading definite article, when enough stays behind."""
    if word.startswith("ال") and len(word) > 3:
        return word[2:]
    return word


@functools.lru_cache(maxsize=200_000)
def word_keys(word: str) -> frozenset[str]:
    """Every lookup form of ``word``: itself, and without proclitics and article."""
    keys = {word, strip_article(word)}
    for clitic in _clitics():
        if word.startswith(clitic) and len(word) - len(clitic) >= 2:
            rest = word[len(clitic):]
            keys.add(rest)
            keys.add(strip_article(rest))
    return frozenset(keys)


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words and numbers of ``text[start:end]`` with offsets into ``text``.

    The whole text is tokenized once (cached: the geocoder reads it whole, and the
    sentences are then asked one by one), sentence by sentence, each token numbered within
    its sentence: a sentence's tokens are then a copy of its shared list. Any other range
    takes its slice of the whole, renumbered from 0, unless a token crosses one of its ends
    (a range that cuts a word in two).
    """
    if start == 0 and (end is None or end == len(text)):
        return list(whole_text_tokens(text))     # several stages tokenize the whole text
    end = len(text) if end is None else end
    whole, starts, sentence_tokens = _whole_text_index(text)
    own = sentence_tokens.get((start, end))
    if own is not None:
        return list(own)
    first = bisect.bisect_left(starts, start)
    last = bisect.bisect_left(starts, end)
    if (first > 0 and whole[first - 1].end > start) or (last > 0 and whole[last - 1].end > end):
        return _tokens(text, start, end)
    part = whole[first:last]      # renumbered from 0: map/zip run in C, no Python per token
    return list(map(_NEW, repeat(Token), zip(map(token_text, part), map(token_start, part),
                                              map(token_end, part), count())))


def whole_text_tokens(text: str) -> tuple[Token, ...]:
    """The tokens of the whole text, shared (cached): do not change them.

    ``Token.index`` is the token's place in its sentence (``sentences``), not in the text.
    """
    return _whole_text_index(text)[0]


@functools.lru_cache(maxsize=8)
def _whole_text_index(text: str) -> tuple[tuple[Token, ...], list[int],
                                          dict[tuple[int, int], list[Token]]]:
    """The tokens of the whole text, their start offsets (for ``bisect``), and the tokens
    of each sentence by its (start, end).

    A word never spans a sentence end (full stops, ! ? and line breaks are no word
    characters, and a full stop inside a number ends no sentence), so the sentences'
    tokens, one after the other, are the tokens of the whole text.
    """
    per_sentence = {(sent.start, sent.end): _tokens(text, sent.start, sent.end)
                    for sent in _sentences_cached(text)}
    whole = tuple(chain.from_iterable(per_sentence.values()))
    return whole, list(map(token_start, whole)), per_sentence


def _tokens(text: str, start: int, end: int) -> list[Token]:
    # tuple.__new__ skips NamedTuple's argument parsing, and map/zip build the tokens
    # without a Python step per word: thousands per article
    found = list(_WORD.finditer(text, start, end))
    return list(map(_NEW, repeat(Token), zip(map(re.Match.group, found),
                                              map(re.Match.start, found),
                                              map(re.Match.end, found), count())))


def sentences(text: str) -> list[Sentence]:
    """Split normalised text into sentences at full stops, ! ? and line breaks."""
    return list(_sentences_cached(text))


@functools.lru_cache(maxsize=16)
def _sentences_cached(text: str) -> tuple[Sentence, ...]:
    return tuple(_split_sentences(text))


def _split_sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        if text[pos:m.start()].strip():
            out.append(Sentence(pos, m.start(), text[pos:m.start()], len(out)))
        pos = m.end()
    if text[pos:].strip():
        out.append(Sentence(pos, len(text), text[pos:], len(out)))
    return out
