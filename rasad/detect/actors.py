"""Actor mentions in normalised Arabic text, read from the actor dictionary.

The dictionary is data: ``actors.tsv`` (ids, names, ACLED inter codes), ``actor_aliases.tsv``
(Arabic names, abbreviations, adjectives, pejoratives, country- and date-dependent generic
words such as "الجيش", and anaphors such as "التنظيم") and ``actor_nouns.tsv`` (nouns for
people and forces and the side they imply). This module only compiles and applies it.

Matching is token based: the aliases form a trie of words, built once, and each word of the
text is looked up under all its readings (``rasad.text.segment.word_keys``: "لقسد", "والحوثيين",
"بداعش" find "قسد", "الحوثيين", "داعش"). Overlapping matches are settled longest first, so
"قوات الاحتلال التركي" is one mention of Turkish forces and not Israeli "قوات الاحتلال".
The same alias may mean different actors in different countries or periods; ``find_actors``
resolves it with the article's country and date, or drops it when these cannot decide.
"""
from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import is_not
from typing import NamedTuple

from rasad.errors import LexiconError
from rasad.lexicon import load_table
from rasad.text.segment import Token, strip_article, token_text, whole_text_tokens, word_keys

KINDS = frozenset({"name", "abbr", "adjective", "member", "pejorative", "generic", "anaphor"})
STATE = "@state"  # alias rows meaning "the state forces of the article's country"
ANAPHOR_INTER = frozenset({2, 3})  # anaphors point back to rebels and militias
UNNAMED = "unidentified_armed_group"
HEAD_SIDES = frozenset({"head", "state", "armed", "attacker", "member"})
_HEAD_LOOKBACK = 3  # words between a head noun and its adjective: "الطائرات المسيرة التركية"
# An article without a date is read as of this day (before the fall of Assad, after the rise
# of the Asayish): most undated Arabic conflict reporting is from those years.
UNDATED_AS_OF = datetime.date(2020, 1, 1)
# Settles equally long overlapping matches: a name beats an adjective reading, etc.
_KIND_RANK = {"name": 0, "abbr": 0, "member": 1, "pejorative": 1, "generic": 2,
              "adjective": 3, "anaphor": 4, "noun": 5}
# Words of one alias may be separated by spaces, quotes or hyphens, never by punctuation.
_JOIN = re.compile(r"[\s\"'\-]*")


@dataclass(frozen=True, slots=True)
class ActorInfo:
    """One row of ``actors.tsv``; ``where`` is empty when the actor may appear anywhere."""

    id: str
    name: str
    inter: int
    where: tuple[str, ...]


# made by the thousand: not frozen (a frozen __init__ is 7x slower), never changed
@dataclass(slots=True, unsafe_hash=True)
class ActorMention:
    """An actor named in the text; ``start``/``end`` index the NORMALISED text."""

    start: int
    end: int
    actor: str | None  # actor id or "other:...", None for an anaphor with no antecedent
    kind: str  # name|abbr|adjective|member|pejorative|generic|anaphor
    alias: str  # the normalised alias (or noun) that matched


@dataclass(frozen=True, slots=True)
class _Alias:
    actor: str  # an id, STATE, or "" for anaphors
    alias: str
    kind: str
    countries: frozenset[str]
    valid_from: datetime.date | None
    valid_to: datetime.date | None


@dataclass(slots=True)
class _Node:
    """A word of the alias trie: the rows of the alias ending here, and the words that follow."""

    children: dict[str, _Node] = field(default_factory=dict)
    rows: tuple[_Alias, ...] = ()


class _Found(NamedTuple):
    """A match before overlaps are settled; ``first``/``last`` are word indexes."""

    first: int
    last: int
    start: int
    end: int
    actor: str | None
    kind: str
    alias: str


def _date(value: str, where: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise LexiconError(f"{where}: bad date {value!r}: {exc}") from exc


@functools.cache
def _actors() -> dict[str, ActorInfo]:
    out: dict[str, ActorInfo] = {}
    for row in load_table("actors"):
        try:
            inter = int(row["inter"])
        except ValueError as exc:
            raise LexiconError(f"actors.tsv: {row['id']!r}: inter {row['inter']!r} "
                               "is not a number") from exc
        where = tuple(c for c in row["where"].split() if c != "*")
        out[row["id"]] = ActorInfo(row["id"], row["name"], inter, where)
    return out


def actor_info(actor_id: str) -> ActorInfo | None:
    """The dictionary entry of ``actor_id`` (an id of actors.tsv or an "other:" id), if any."""
    return _actors().get(actor_id)


@functools.cache
def _alias_rows() -> tuple[_Alias, ...]:
    actors = _actors()
    out: list[_Alias] = []
    for row in load_table("actor_aliases", ("alias",)):
        where = f"actor_aliases.tsv: {row['alias']!r}"
        actor, kind = row["actor"], row["kind"]
        if kind not in KINDS:
            raise LexiconError(f"{where}: unknown kind {kind!r}")
        if (kind == "anaphor") != (actor == ""):
            raise LexiconError(f"{where}: anaphors, and only they, have no actor")
        if actor and actor != STATE and actor not in actors:
            raise LexiconError(f"{where}: actor {actor!r} is not in actors.tsv")
        if not row["alias"]:
            raise LexiconError(f"{where}: empty alias")
        out.append(_Alias(actor, row["alias"].lower(), kind, frozenset(row["countries"].split()),
                          _date(row["valid_from"], where), _date(row["valid_to"], where)))
    return tuple(out)


@functools.cache
def _index() -> _Node:
    """A trie of alias words; all rows spelled alike (they differ by country, date or kind)
    share one node."""
    root = _Node()
    for alias in _alias_rows():
        node = root
        for word in alias.alias.split():
            node = node.children.setdefault(word, _Node())
        node.rows = (*node.rows, alias)
    return root


@functools.cache
def _nouns() -> dict[str, str]:
    return {r["word"]: r["side"] for r in load_table("actor_nouns", ("word",))}


@functools.cache
def _actor_words() -> dict[str, frozenset[str]]:
    """Every word (article stripped) of every alias of an actor, to match anaphors to it."""
    words: dict[str, set[str]] = {}
    for alias in _alias_rows():
        words.setdefault(alias.actor, set()).update(strip_article(w) for w in alias.alias.split())
    return {k: frozenset(v) for k, v in words.items()}


def noun_side(word: str) -> str | None:
    """The side ``word`` (normalised, clitics allowed) implies: civilians, state, armed, ..."""
    nouns = _nouns()
    for key in _readings(word):
        if key in nouns:
            return nouns[key]
    return None


@functools.lru_cache(maxsize=200_000)
def _readings(word: str) -> tuple[str, ...]:
    """Lookup forms of a text word: clitics stripped, and "للجيش" read as "الجيش"."""
    if word.isascii():
        return (word.lower(),)
    keys = set(word_keys(word))
    for clitic in ("لل", "ولل", "فلل"):
        if word.startswith(clitic) and len(word) - len(clitic) >= 2:
            keys.add("ال" + word[len(clitic):])
    return tuple(sorted(keys, key=len, reverse=True))


@functools.lru_cache(maxsize=200_000)
def _word_hits(word: str) -> tuple[tuple[_Node, ...], str | None]:
    """Trie nodes of aliases that may start at ``word``, and the noun side of ``word``."""
    first, nouns = _index().children, _nouns()
    nodes: list[_Node] = []
    side = None
    for key in _readings(word):
        if key in first:
            nodes.append(first[key])
        if side is None:
            side = nouns.get(key)
    if not nodes and side is None:
        return _NO_HITS
    return tuple(nodes), side


_NO_HITS: tuple[tuple[_Node, ...], str | None] = ((), None)


def _date_ok(alias: _Alias, on: datetime.date | None) -> bool:
    if on is None:
        return True
    return ((alias.valid_from is None or alias.valid_from <= on)
            and (alias.valid_to is None or on < alias.valid_to))


def _choose(rows: tuple[_Alias, ...], country: str | None,
            on: datetime.date | None) -> _Alias | None:
    """The row an alias stands for in ``country`` on ``on``; None when undecidable.

    A row naming the country beats a row valid anywhere. Without a country only rows valid
    anywhere count, unless every candidate names the same actor. Without a date the alias
    is read as of ``UNDATED_AS_OF``, or, when it had no meaning then, by its only meaning.
    """
    if on is None:
        chosen = _choose(rows, country, UNDATED_AS_OF)
        if chosen is not None:
            return chosen
    fit = [r for r in rows if _date_ok(r, on)]
    if country:
        pool = [r for r in fit if country in r.countries] or [r for r in fit if not r.countries]
    else:
        pool = [r for r in fit if not r.countries]
        if not pool and len({r.actor for r in fit}) == 1:
            pool = fit
    if len({r.actor for r in pool}) != 1:
        return None
    return pool[0]


@functools.lru_cache(maxsize=4096)
def state_actor(country: str | None, on: datetime.date | None = None) -> str | None:
    """The id of the state forces of ``country`` on ``on`` (what "الجيش" means there)."""
    if not country:
        return None
    country = country.upper()
    node = _index().children.get("الجيش")
    chosen = _choose(node.rows, country, on) if node else None
    return chosen.actor if chosen else None


def _conflicts() -> list[str]:
    """Alias spellings that name two actors in one country and period: a data error.

    Every period is probed through its first day (each ``valid_from``/``valid_to``), and an
    early date stands for "before all of them".
    """
    rows = _alias_rows()
    probes = [datetime.date(1900, 1, 1),
              *sorted({d for a in rows for d in (a.valid_from, a.valid_to) if d})]
    countries = sorted({c for a in rows for c in a.countries})
    out: list[str] = []
    stack = [_index()]
    while stack:
        node = stack.pop()
        stack.extend(node.children.values())
        for country in countries:
            for on in probes:
                fit = [r for r in node.rows if _date_ok(r, on)]
                pool = ([r for r in fit if country in r.countries]
                        or [r for r in fit if not r.countries])
                if len({r.actor for r in pool}) > 1:
                    out.append(f"{pool[0].alias!r} in {country} on {on}: "
                               f"{sorted({r.actor for r in pool})}")
    return out


@dataclass(slots=True)
class _Scan:
    """One text being matched: its words, their spans, and the article's country and date."""

    text: str
    forms: list[str]
    words: Sequence[Token]      # the whole-text tokens (``forms`` are their texts)
    country: str | None
    on: datetime.date | None
    chosen: dict[int, _Alias | None] = field(default_factory=dict)

    def joined(self, k: int) -> bool:
        """Whether only spaces, quotes or hyphens separate word ``k`` from word ``k + 1``."""
        return _JOIN.fullmatch(self.text, self.words[k].end, self.words[k + 1].start) is not None

    def choose(self, rows: tuple[_Alias, ...]) -> _Alias | None:
        key = id(rows)
        if key not in self.chosen:
            self.chosen[key] = _choose(rows, self.country, self.on)
        return self.chosen[key]

    def head_before(self, i: int) -> int | None:
        """Index of the head noun an adjective at word ``i`` qualifies, if one is close before."""
        nouns = _nouns()
        j = i - 1
        while j >= 0 and i - j <= _HEAD_LOOKBACK and self.joined(j):
            if any(nouns.get(k) in HEAD_SIDES for k in _readings(self.forms[j])):
                return j
            j -= 1
        return None

    def matches(self, i: int, node: _Node) -> list[tuple[int, tuple[_Alias, ...]]]:
        """(last word index, rows) of every alias that starts at word ``i`` with ``node``."""
        out: list[tuple[int, tuple[_Alias, ...]]] = []
        last = i
        while True:
            if node.rows:
                out.append((last, node.rows))
            if not node.children or last + 1 >= len(self.forms):
                return out
            following = node.children.get(self.forms[last + 1])
            if following is None or not self.joined(last):
                return out
            node, last = following, last + 1

    def found(self, i: int, last: int, rows: tuple[_Alias, ...]) -> _Found | None:
        """The mention words ``i..last`` make in this article, if any."""
        alias = self.choose(rows)
        if alias is None:
            return None
        first = i
        if alias.kind == "adjective":
            head = self.head_before(i)
            if head is None:
                return None
            first = head
        actor = state_actor(self.country, self.on) if alias.actor == STATE else alias.actor
        if actor is None and alias.kind != "anaphor":
            return None
        return _Found(first, last, self.words[first].start, self.words[last].end, actor,
                      alias.kind, alias.alias)

    def walk(self) -> tuple[list[tuple[int, int, tuple[_Alias, ...]]], list[tuple[int, str]]]:
        """The alias matches (first word, last word, rows) and the victim-noun sides of the
        text: they do not depend on the country or date, so ``_walked`` keeps them per text
        (the geocoder and the detector scan the same article)."""
        matches: list[tuple[int, int, tuple[_Alias, ...]]] = []
        sides: list[tuple[int, str]] = []
        found = list(map(_word_hits, self.forms))
        # most words start no alias: C-level map and compress leave the few that do
        for i in compress(range(len(found)), map(is_not, found, repeat(_NO_HITS))):
            nodes, side = found[i]
            for node in nodes:
                matches.extend((i, last, rows) for last, rows in self.matches(i, node))
            if side == "civilians" or side == "state":
                sides.append((i, side))
        return matches, sides

    def candidates(self) -> list[_Found]:
        """Every alias and noun match, overlapping ones included."""
        out: list[_Found] = []
        matches, sides = _walked(self.text)
        noun_at = dict(sides)
        for i, last, rows in matches:
            f = self.found(i, last, rows)
            if f is not None:
                out.append(f)
        for i, side in noun_at.items():
            actor = "civilians" if side == "civilians" else state_actor(self.country, self.on)
            if actor:
                start, end = self.words[i].start, self.words[i].end
                out.append(_Found(i, i, start, end, actor, "noun", self.forms[i]))
        return out


def _select(found: list[_Found]) -> list[_Found]:
    """Longest matches first (names before readings as adjectives and so on); a match
    overlapping a chosen one is dropped."""
    taken: set[int] = set()
    chosen: list[_Found] = []
    for f in sorted(found, key=lambda f: (f.start - f.end, _KIND_RANK[f.kind], f.start)):
        span = range(f.first, f.last + 1)
        if taken.isdisjoint(span):
            taken.update(span)
            chosen.append(f)
    return sorted(chosen, key=lambda f: f.start)


def _merge_vague(scan: _Scan, chosen: list[_Found]) -> list[_Found]:
    """An anaphor or unnamed group directly before a named actor is part of that name.

    "مرتزقة داعش" is IS, "الخلايا الإرهابية لداعش" is IS, not an unidentified group.
    """
    out: list[_Found] = []
    for f in chosen:
        prev = out[-1] if out else None
        if (prev is not None and f.kind != "anaphor" and f.actor != UNNAMED
                and (prev.kind == "anaphor" or prev.actor == UNNAMED)
                and prev.last + 1 == f.first and scan.joined(prev.last)):
            out[-1] = _Found(prev.first, f.last, prev.start, f.end, f.actor, f.kind,
                             f"{prev.alias} {f.alias}")
        else:
            out.append(f)
    return out


def _antecedent(named: list[str], anaphor: str) -> str | None:
    """The most recent armed non-state actor, preferring one whose names use the same word."""
    stem = strip_article(anaphor)
    words = _actor_words()
    for actor in reversed(named):
        if stem in words.get(actor, ()):
            return actor
    return named[-1] if named else None


def actor_country(mentions: list[ActorMention]) -> str | None:
    """The country most of the named actors belong to, when each names one country.

    A fallback for articles whose places give no country: "الحوثيين" and "الحشد الشعبي" say
    Yemen and Iraq. Run ``find_actors`` without a country, ask here, and run it again with
    the answer to resolve generic words such as "الجيش".
    """
    votes: dict[str, int] = {}
    for m in mentions:
        info = actor_info(m.actor) if m.actor and m.kind != "anaphor" else None
        if info is not None and len(info.where) == 1:
            votes[info.where[0]] = votes.get(info.where[0], 0) + 1
    if not votes:
        return None
    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
        return None
    return ranked[0][0]


def find_actors(text: str, country: str | None = None,
                on: datetime.date | None = None) -> list[ActorMention]:
    """Actor mentions in normalised ``text`` (cached: the geocoder asks for the same text)."""
    return list(_find_actors_cached(text, country, on))


@functools.lru_cache(maxsize=16)
def _find_actors_cached(text: str, country: str | None,
                        on: datetime.date | None) -> tuple[ActorMention, ...]:
    return tuple(_find_actors(text, country, on))


@functools.lru_cache(maxsize=4)
def _words_of(text: str) -> tuple[list[str], tuple[Token, ...]]:
    # the words of segment.tokens (same pattern), whose whole-text scan the geocoder made
    toks = whole_text_tokens(text)
    return list(map(token_text, toks)), toks


@functools.lru_cache(maxsize=4)
def _walked(text: str) -> tuple[list[tuple[int, int, tuple[_Alias, ...]]], list[tuple[int, str]]]:
    forms, words = _words_of(text)
    return _Scan(text, forms, words, None, None).walk()


def _find_actors(text: str, country: str | None = None,
                 on: datetime.date | None = None) -> list[ActorMention]:
    """Actor mentions in normalised ``text``, in text order.

    ``country`` (ISO2) and ``on`` (the article's date) decide generic and country-bound
    aliases ("الجيش" is the Sudanese army in SD, the Syrian army in SY before 8 Dec 2024);
    without them only aliases that mean one actor are kept. Victim and soldier nouns
    ("أطفال", "جنود") are reported as civilians and as the country's state forces. Anaphors
    ("التنظيم", "الميليشيا") point to the most recent named rebel or militia before them, or
    carry ``actor=None``.
    """
    country = country.upper() if country else None
    forms, words = _words_of(text)
    scan = _Scan(text, forms, words, country, on)
    chosen = _merge_vague(scan, _select(scan.candidates()))
    named: list[str] = []
    out: list[ActorMention] = []
    for f in chosen:
        actor = f.actor
        if f.kind == "anaphor":
            actor = _antecedent(named, f.alias)
        elif actor is not None and f.kind not in ("generic", "noun"):
            info = actor_info(actor)
            if info is not None and info.inter in ANAPHOR_INTER:
                named.append(actor)
        kind = f.kind
        if kind == "noun":
            kind = "member" if actor == "civilians" else "generic"
        out.append(ActorMention(f.start, f.end, actor, kind, f.alias))
    return out
