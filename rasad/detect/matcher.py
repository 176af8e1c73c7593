"""A token-phrase matcher for lexicon entries, aware of proclitics and word stems.

Entries are normalised phrases of one or more words. A word ending in ``*`` matches any word
beginning with it (``اشتباك*`` covers اشتباكات، اشتباكا). A text word matches an entry word
when one of its readings (``word_keys``: as written, without proclitics, without the article)
equals it, so "وأسفرت" matches "اسفرت" and "بالرقة" matches "رقه". Matching is a dictionary
lookup per word reading, fast enough for every sentence of every article.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Generic, TypeVar

from rasad.text.segment import Token, strip_article, token_text, word_keys

T = TypeVar("T")


# made by the thousand: not frozen (a frozen __init__ is 7x slower), never changed
@dataclass(slots=True, unsafe_hash=True)
class Match(Generic[T]):
    start: int          # normalised-text offsets
    end: int
    first_token: int    # token indexes, end exclusive
    last_token: int
    value: T
    phrase: str


def _word_matches(pattern: str, keys: frozenset[str]) -> bool:
    if pattern.endswith("*"):
        stem = pattern[:-1]
        return any(k.startswith(stem) for k in keys)
    return pattern in keys


class PhraseMatcher(Generic[T]):
    """Finds lexicon phrases in a token list; longest match at each position wins."""

    cache_limit = 500_000     # words whose candidates are remembered (a bound on memory)

    def __init__(self, entries: Iterable[tuple[str, T]]) -> None:
        self._exact: dict[str, list[tuple[tuple[str, ...], T, str]]] = {}
        self._prefix: dict[str, list[tuple[tuple[str, ...], T, str]]] = {}
        self._prefix_lengths: set[int] = set()
        for phrase, value in entries:
            words = tuple(strip_article(w) if not w.endswith("*") else w
                          for w in phrase.split())
            if not words:
                continue
            head = words[0]
            if head.endswith("*"):
                self._prefix.setdefault(head[:-1], []).append((words, value, phrase))
                self._prefix_lengths.add(len(head) - 1)
            else:
                self._exact.setdefault(head, []).append((words, value, phrase))
        for table in (self._exact, self._prefix):
            for candidates in table.values():
                candidates.sort(key=lambda c: -len(c[0]))
        self._cache: dict[str, list[tuple[tuple[str, ...], T, str]]] = {}
        # the words looked up so far, and those of them that can start an entry: most
        # sentences hold none of the latter, and are done with two set tests
        self._seen: set[str] = set()
        self._live: set[str] = set()

    def _candidates(self, keys: frozenset[str]) -> list[tuple[tuple[str, ...], T, str]]:
        out: list[tuple[tuple[str, ...], T, str]] = []
        for key in keys:
            out.extend(self._exact.get(key, ()))
            for n in self._prefix_lengths:
                if len(key) >= n:
                    out.extend(self._prefix.get(key[:n], ()))
        out.sort(key=lambda c: -len(c[0]))
        return out

    def _word_candidates(self, word: str) -> list[tuple[tuple[str, ...], T, str]]:
        found = self._cache.get(word)
        if found is None:
            if len(self._cache) >= self.cache_limit:
                self._forget()
            found = self._remember(word)
        return found

    def _remember(self, word: str) -> list[tuple[tuple[str, ...], T, str]]:
        found = self._cache[word] = self._candidates(word_keys(word))
        self._seen.add(word)
        if found:
            self._live.add(word)
        return found

    def _forget(self) -> None:
        """A full cache starts afresh: memory stays bounded, and the words of the current
        texts come back at once."""
        self._cache.clear()
        self._seen.clear()
        self._live.clear()

    def match_at(self, toks: Sequence[Token], i: int) -> Match[T] | None:
        return self._match_with(toks, i, self._word_candidates(toks[i].text))

    def _match_with(self, toks: Sequence[Token], i: int,
                    candidates: list[tuple[tuple[str, ...], T, str]]) -> Match[T] | None:
        """The first (longest) candidate whose later words match the tokens after ``i``;
        the head word matched already, so a one-word candidate matches outright.

        A word such as "في" heads a score of phrases: the readings of the words after it
        are looked up once for all of them, and an exact entry word is one set test.
        """
        n = len(toks)
        following: list[frozenset[str]] = []    # readings of toks[i + 1], toks[i + 2] ...
        for words, value, phrase in candidates:
            size = len(words)
            if size == 1:
                return Match(toks[i].start, toks[i].end, i, i + 1, value, phrase)
            if i + size > n:
                continue
            for j in range(1, size):
                if j > len(following):
                    following.append(word_keys(toks[i + j].text))
                pattern = words[j]
                # readings never end in "*": only a stem pattern needs the prefix test
                if pattern not in following[j - 1] and not (
                        pattern[-1] == "*" and _word_matches(pattern, following[j - 1])):
                    break
            else:
                return Match(toks[i].start, toks[i + size - 1].end, i, i + size, value, phrase)
        return None

    def find_all(self, toks: Sequence[Token], overlapping: bool = False) -> list[Match[T]]:
        """Matches left to right.

        This runs for every lexicon on every sentence and most words match nothing, so
        the words are tested against the set of words that can start an entry (C speed);
        only words not seen before, and the few that can start an entry, reach Python code.
        """
        texts = list(map(token_text, toks))
        if not self._seen.issuperset(texts):
            if len(self._cache) + len(texts) > self.cache_limit:
                self._forget()      # room for this sentence's words
            for word in texts:      # new words: their candidates, once
                if word not in self._cache:
                    self._remember(word)
        live = self._live
        if live.isdisjoint(texts):
            return []
        cache = self._cache
        out: list[Match[T]] = []
        free = 0        # first token a further match may start at
        for i in compress(range(len(texts)), map(live.__contains__, texts)):
            if i < free:
                continue
            m = self._match_with(toks, i, cache[texts[i]])
            if m is not None:
                out.append(m)
                if not overlapping:
                    free = m.last_token
        return out
