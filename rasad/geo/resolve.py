"""Choosing among homonyms and coding precision.

Each hit's candidates are scored against the whole article: its country (from places that
are unambiguous once villages are set aside, country names, demonyms and the actors named),
the governorates named, the distance to other places, population, and the feature the cue
words ask for (محافظة → governorate, قرية → settlement). Two passes: the first with only
unambiguous context, the second with every first-pass choice. Then three filters:

- a gazetteer neighbourhood named bare counts only when its city is named too;
- a place outside the article's country counts only when that country is named (or the
  place lies next to the article's places): "وان" is not Van, "الرياض" in a Sudan article
  is not Riyadh;
- weak hits (short names of villages) are kept only when the context supports them.
"""
from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Set as AbstractSet

from rasad.geo.index import GazetteerIndex
from rasad.geo.match import MIN_LETTERS, Hit, lexicons
from rasad.geo.places import Place
from rasad.geo.sources import core, demonyms, region
from rasad.geo.unlisted import name_heads
from rasad.lexicon import word_set
from rasad.text.segment import sentences, token_text, tokens

_CUE_FEATURE = {"settlement": "settlement", "capital": "settlement", "admin1": "admin1",
                "countryside": "admin1", "district": "admin2"}
_WEAK_POPULATION = 1000
_NEIGHBOUR_POPULATION = 100_000
_FOREIGN_POPULATION = 1_000_000
_CAPITAL_POPULATION = 20_000
_BIG_CITY = 500_000
_BORDER_KM = 25.0
_NAMED_NEAR = 300       # characters: about the same or the next sentence
_ACTOR_VOTE, _ACTOR_CAP = 0.5, 2.0
_NONE: frozenset[tuple[str, str | None]] = frozenset()     # no governorate named near


def _km(a: Place, b: Place) -> float:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return math.inf      # a place named but not in the gazetteer
    dlat = (a.lat - b.lat) * 111.2
    dlon = (a.lon - b.lon) * 111.2 * math.cos(math.radians((a.lat + b.lat) / 2))
    return math.hypot(dlat, dlon)


def _nearest_km(place: Place, points: list[tuple[float, float]]) -> float:
    """Distance to the nearest of ``points`` (lat, lon): one cosine for all, one square
    root at the end (scoring asks this for every candidate of every name)."""
    if place.lat is None or place.lon is None:
        return math.inf
    lat, lon = place.lat, place.lon
    shrink = math.cos(math.radians(lat))
    best = math.inf
    for plat, plon in points:
        dlat = lat - plat
        dlon = (lon - plon) * shrink
        d = dlat * dlat + dlon * dlon
        if d < best:
            best = d
    return 111.2 * math.sqrt(best) if best != math.inf else math.inf


def actor_votes(text: str) -> dict[str, float]:
    """Countries the article's actors belong to ("قسد" → SY, "الحوثيين" → YE), as votes.

    Imported lazily: actor detection is a sibling component, and the geocoder works
    (with less context) wherever the actor lexicon is absent.
    """
    from rasad.detect.actors import actor_info, find_actors

    votes: defaultdict[str, float] = defaultdict(float)
    for m in find_actors(text):
        info = actor_info(m.actor) if m.actor and m.kind != "anaphor" else None
        if info is not None and len(info.where) == 1:
            country = info.where[0]
            votes[country] = min(_ACTOR_CAP, votes[country] + _ACTOR_VOTE)
    return votes


class _Context:
    """What the article says about where it is, for scoring candidates."""

    def __init__(self, index: GazetteerIndex, hits: list[Hit], text: str,
                 prior: dict[str, float], named: dict[str, list[int]],
                 fixed: dict[int, list[tuple[int, Place, float, bool, float, float]]] | None
                 = None,
                 sentence_of: dict[int, int] | None = None) -> None:
        self.index = index
        # The parts of a score that depend on the name and candidate alone, shared by the
        # contexts of one article (see ``_fixed_parts``).
        self.fixed = {} if fixed is None else fixed
        self.countries: defaultdict[str, float] = defaultdict(float, prior)
        self.named = named
        self.admin1s: defaultdict[tuple[str, str | None], float] = defaultdict(float)
        self.places: list[tuple[Hit, Place]] = []
        self.sentence_of = _sentence_of(text, hits) if sentence_of is None else sentence_of
        self._dominant: tuple[str | None] | None = None
        # Scoring asks, for every candidate of every name, about the places other names
        # resolved to; the answers depend only on the name (and its sentence) until add().
        self._others: dict[str, tuple[bool, list[tuple[float, float]]]] = {}
        self._nearest: dict[tuple[str, str], float] = {}
        self._admin1s_by_sentence: dict[int | None, list[tuple[str, str, str | None]]] | None \
            = None

    def add(self, hit: Hit, place: Place, weight: float = 1.0) -> None:
        self.countries[place.country] += weight
        if place.admin1:
            self.admin1s[(place.country, place.admin1)] += weight
        self.places.append((hit, place))
        self._dominant = None
        self._others.clear()
        self._nearest.clear()
        self._admin1s_by_sentence = None

    def others(self, key: str) -> tuple[bool, list[tuple[float, float]]]:
        """Whether names other than ``key`` have places, and where those lie (each place
        once, places without coordinates left out): what the distance term measures to."""
        found = self._others.get(key)
        if found is None:
            chosen = [p for h, p in self.places if h.key != key]
            points = {id(p): (p.lat, p.lon) for p in chosen
                      if p.lat is not None and p.lon is not None}
            found = self._others[key] = (bool(chosen), list(points.values()))
        return found

    def nearest_km(self, key: str, place: Place) -> float:
        """``_nearest_km`` from ``place`` to the places of names other than ``key``
        (repeats of a name score the same candidates against the same places)."""
        found = self._nearest.get((key, place.id))
        if found is None:
            found = self._nearest[(key, place.id)] = _nearest_km(place, self.others(key)[1])
        return found

    def admin1s_near(self, hit: Hit) -> AbstractSet[tuple[str, str | None]]:
        """The governorates (country, admin1) names other than ``hit``'s resolved to in its
        sentence."""
        by_sentence = self._admin1s_by_sentence
        if by_sentence is None:
            by_sentence = self._admin1s_by_sentence = defaultdict(list)
            for h, p in self.places:
                if p.feature == "admin1":
                    by_sentence[self.sentence_of.get(id(h))].append((h.key, p.country, p.admin1))
        here = by_sentence.get(self.sentence_of.get(id(hit)))
        if not here:
            return _NONE
        return {(country, admin1) for key, country, admin1 in here if key != hit.key}

    def dominant(self) -> str | None:
        if self._dominant is None:
            top = sorted(((k, v) for k, v in self.countries.items() if v > 0),
                         key=lambda kv: -kv[1])[:2]
            tie = not top or (len(top) > 1 and top[0][1] == top[1][1])
            self._dominant = (self._first_of(top) if tie else top[0][0],)
        return self._dominant[0]

    def _first_of(self, tied: list[tuple[str, float]]) -> str | None:
        """Of countries with equal weight, the one of the place named first: the lead names
        where the story happens ("بمدينة عدن" before "مديرية البريقة")."""
        if len(tied) < 2:
            return None
        countries = {k for k, _ in tied}
        firsts = sorted((h.start, p.country) for h, p in self.places if p.country in countries)
        return firsts[0][1] if firsts else None

    def _fixed_parts(self, hit: Hit) -> list[tuple[int, Place, float, bool, float, float]]:
        """Each candidate of ``hit`` with its place, population term, whether the
        small-place penalty applies, feature prior and namesake term: the same in both
        passes, so computed once per article (the hit's cue, candidates and sublocation are
        settled before resolving)."""
        found = self.fixed.get(id(hit))
        if found is None:
            index, small = self.index, hit.cue_kind not in ("settlement", "district")
            found = self.fixed[id(hit)] = [
                (i, place, 0.5 * math.log10(place.population + 10), small and _small(index, i),
                 _feature_prior(hit, place), _namesake(hit, place, index))
                for i, place in zip(hit.candidates, map(index.place, hit.candidates),
                                    strict=True)]
        return found

    def add_scores(self, hit: Hit, totals: defaultdict[int, float]) -> None:
        """Add to ``totals`` how well each candidate of ``hit`` fits the article. What
        depends on the hit alone (its name's neighbours, its sentence) is looked up once."""
        dominant = self.dominant()
        countries, admin1s = self.countries, self.admin1s
        key = hit.key
        others = self.others(key)[0]
        near = self.admin1s_near(hit)
        for i, place, population, small, feature, namesake in self._fixed_parts(hit):
            s = population
            if place.country == dominant:
                s += 4.0
            s += min(countries.get(place.country, 0.0), 3) * 0.3
            if place.admin1 and admin1s.get((place.country, place.admin1)):
                s += 1.5
            if others:
                s += 2.0 * math.exp(-self.nearest_km(key, place) / 30.0)
            if near and (place.country, place.admin1) in near:
                s += 2.0
            if small:
                s -= 3.0   # a village named like a country or town ("سوريه" in Dahuk)
            totals[i] += s + feature + namesake


def _sentence_of(text: str, hits: list[Hit]) -> dict[int, int]:
    """The sentence number of each hit (by ``id``): the first sentence ending after its
    start, 0 past the last one. A binary search: three contexts per article ask for it."""
    ends = [s.end for s in sentences(text)] or [len(text)]
    last = len(ends)
    out = {}
    for h in hits:
        k = bisect.bisect_right(ends, h.start)
        out[id(h)] = k if k < last else 0
    return out


def _feature_prior(hit: Hit, place: Place) -> float:
    wanted = _CUE_FEATURE.get(hit.cue_kind or "")
    if wanted is not None:
        if place.feature == wanted or (wanted == "admin2" and place.feature == "admin3"):
            return 5.0
        return 0.0 if place.feature == "settlement" else -2.0
    if place.feature == "admin1":
        return 0.5 if hit.extra.get("capital_of") == (place.country, place.admin1) else 2.0
    return {"settlement": 1.0, "country": 2.0,
            "sublocation": 0.5 if hit.sublocation else -1.0}.get(place.feature, 0.2)


def _namesake(hit: Hit, place: Place, index: GazetteerIndex) -> float:
    """A town named like a governorate: its capital (الحديدة) gains, a town elsewhere that
    merely shares the name (صلاح الدين, a quarter of Erbil) loses."""
    if place.feature != "settlement":
        return 0.0
    c = index.columns
    units = {(c["country"][i], c["admin1"][i]) for i in hit.candidates
             if c["feature"][i] == "admin1" and c["country"][i] == place.country}
    if not units:
        return 0.0
    if (place.country, place.admin1) in units or place.population >= _BIG_CITY:
        return 1.5     # a big city named like a governorate is the city (صنعاء)
    return -2.0


def _small(index: GazetteerIndex, i: int) -> bool:
    """A place too small to trust on its name alone, given where it is.

    Kept per place in the index (``small_places``): resolving asks it some seventy times
    an article, for the same few candidates.
    """
    found = index.small_places.get(i)
    if found is None:
        found = index.small_places[i] = _is_small(index, i)
    return found


def _is_small(index: GazetteerIndex, i: int) -> bool:
    c = index.columns
    country, population = c["country"][i], c["population"][i]
    if country in core():
        limit = _WEAK_POPULATION
    elif country in region():
        limit = _NEIGHBOUR_POPULATION
    else:
        limit = _FOREIGN_POPULATION
    if c["feature"][i] in ("admin2", "admin3", "sublocation"):   # الحالي، المنصورة
        return True
    return c["feature"][i] == "settlement" and population < limit


def is_weak(hit: Hit, index: GazetteerIndex, dominant: str | None = None) -> bool:
    """A bare name of a village, of a town in a neighbouring country or of a foreign city:
    accepted only with support from the context (هاربين، بليون، بشري). A name of several
    words is weak only outside the article's country ("محمد حسين", a village in Iraq, is a
    man's name in a Somali article)."""
    if hit.cue or hit.inner:
        return False
    if not all(_small(index, i) for i in hit.candidates):
        return False
    if " " not in hit.key:
        return True
    return dominant is None or all(index.columns["country"][i] != dominant
                                   for i in hit.candidates)


def _supported(hit: Hit, ctx: _Context) -> bool:
    dominant = ctx.dominant()
    for i in hit.candidates:
        place = ctx.index.place(i)
        if ctx.admin1s.get((place.country, place.admin1)) or any(
                _km(place, p) < 40 for h, p in ctx.places if h is not hit):
            return True
        if place.country == dominant and place.population >= _WEAK_POPULATION:
            return True
    return False


def _head_before(text: str, start: int) -> bool:
    """The word right before a name is the head of a compound toponym ("كفر", "تل", "عين")."""
    before = text[max(0, start - 12):start].split()
    if not before or text[start - 1:start] != " ":
        return False
    word = before[-1]
    word = word[1:] if word.startswith("و") and word[1:] in name_heads() else word
    # heads that also describe a place ("سوق حلب" is Aleppo's market) do not count
    return word in name_heads() and word not in word_set("function_words", "descriptive_head")


def _object_follows(text: str, end: int) -> bool:
    """The word after a name is an adjective of things ("الرئيسي", "الخلفي"), which no
    place name takes: the name is a common noun here."""
    after = text[end:end + 16].split(maxsplit=1)
    return bool(after) and after[0] in word_set("function_words", "object_adjective")


def _filter(hits: list[Hit], index: GazetteerIndex, text: str = "") -> list[Hit]:
    """Hits that may be places: stoplisted words, two-letter names and common words
    (cue words, directions, demonyms: "محيط", "الشرقي", "ولاية" read as و+لاية) dropped."""
    lex = lexicons()
    stop, words = lex.stoplist, lex.words
    features = index.columns["feature"]
    out = []
    for hit in hits:
        rule = stop.get(hit.key)
        if rule == "never" or (rule == "cue" and not hit.cue):
            continue
        if hit.extra.get("bare") and not hit.cue:
            continue
        if len(hit.key.replace(" ", "")) < MIN_LETTERS and not hit.cue:
            continue
        if not hit.cue and _object_follows(text, hit.end):
            continue       # "بالقرب من الباب الرئيسي للسجن": a gate, not the town of al-Bab
        if _head_before(text, hit.word_start):
            continue       # "قرية كفر حلب" is a village, not Aleppo: the head makes the name
        token = text[hit.word_start:hit.end]
        common = (token != hit.key and token in words) or (hit.key in words and not hit.cue)
        if common and not any(features[i] in ("country", "admin1") for i in hit.candidates):
            continue
        out.append(hit)
    return out


def _mark_capital(hit: Hit, index: GazetteerIndex) -> None:
    """Note when a name is both a governorate and its big town (الرقة, دير الزور): bare, it
    means the town; a governorate whose namesake is a village (صلاح الدين) means the unit."""
    c = index.columns
    towns = {(c["country"][i], c["admin1"][i]) for i in hit.candidates
             if c["feature"][i] == "settlement" and c["population"][i] >= _CAPITAL_POPULATION}
    cities = {c["country"][i] for i in hit.candidates
              if c["feature"][i] == "settlement" and c["population"][i] >= _BIG_CITY}
    for i in hit.candidates:
        if c["feature"][i] == "admin1" and ((c["country"][i], c["admin1"][i]) in towns
                                            or c["country"][i] in cities):
            hit.extra["capital_of"] = (c["country"][i], c["admin1"][i])


def _evidence(hit: Hit, index: GazetteerIndex) -> int | None:
    """The candidate a first pass may trust: the only country left once villages,
    districts and neighbourhoods are set aside ("العراق" the country, not a hamlet)."""
    strong = [i for i in hit.candidates if not _small(index, i)]
    if not strong or len({index.columns["country"][i] for i in strong}) != 1:
        return None
    rank = {"country": 2, "admin1": 1}
    return max(strong, key=lambda i: (rank.get(index.columns["feature"][i], 0),
                                      index.columns["population"][i]))


def _self_described(key: str) -> bool:
    """A facility named with its kind and a name ("قاعدة عين الأسد", not "القاعدة الجوية")."""
    lex = lexicons()
    first, *rest = key.split()
    return first in lex.sublocation_cues and any(
        w not in lex.sublocation_stops and w not in lex.words for w in rest)


def _prune_quarters(hits: list[Hit], index: GazetteerIndex) -> None:
    """A neighbourhood named bare ("كانون", "الفرات" in Baghdad) counts only when its city
    is named in the article too and the name stands where a place can."""
    named = {i for h in hits for i in h.candidates if index.columns["feature"][i] != "sublocation"}
    for hit in hits:
        subs = [i for i in hit.candidates if index.columns["feature"][i] == "sublocation"]
        if not subs or hit.inner or _self_described(hit.key):
            continue   # "قاعدة عين الأسد" says what it is
        keep = {i for i in subs if index.parent(i) in named and hit.extra.get("locative")}
        hit.candidates = tuple(i for i in hit.candidates if i not in subs or i in keep)
        if not hit.candidates:
            hit.dropped = True


def _country_prior(index: GazetteerIndex, text: str, hits: list[Hit],
                   votes: dict[str, float]) -> tuple[dict[str, float], dict[str, list[int]]]:
    """Country weights from demonyms and actors; countries the article names, with where."""
    prior: defaultdict[str, float] = defaultdict(float, votes)
    named: defaultdict[str, list[int]] = defaultdict(list)
    toks = tokens(text)
    for tok, country in zip(toks, map(demonyms().get, map(token_text, toks)), strict=True):
        if country:
            prior[country] += 0.5
            named[country].append(tok.start)
    for hit in hits:
        for i in hit.candidates:
            if index.columns["feature"][i] == "country":
                named[index.columns["country"][i]].append(hit.start)
    return prior, dict(named)


def _foreign(hit: Hit, place: Place, ctx: _Context) -> bool:
    """Outside the article's country, which is not named, and far from its places."""
    dominant = ctx.dominant()
    if dominant is None or place.country == dominant:
        return False
    # a foreign country named anywhere licenses its big cities; a smaller place only when the
    # country is named near it ("أودلا" in a Libya article is not the West Bank village
    # because a related-article line far below speaks of Palestinian refugees)
    near = [pos for pos in ctx.named.get(place.country, ()) if abs(pos - hit.start) <= _NAMED_NEAR]
    if near or (place.country in ctx.named and place.population >= _BIG_CITY):
        return False
    if place.feature == "country":
        return False
    return not any(p.country == dominant and _km(place, p) < _BORDER_KM
                   for h, p in ctx.places if h is not hit)


def resolve(index: GazetteerIndex, text: str, hits: list[Hit],
            votes: dict[str, float] | None = None) -> _Context:
    """Set ``hit.choice`` for every hit; drop the hits the context does not support."""
    _prune_quarters(hits, index)
    hits = [h for h in hits if not h.dropped]
    prior, named = _country_prior(index, text, hits, votes or {})
    ctx = _Context(index, hits, text, prior, named)
    for hit in hits:
        _mark_capital(hit, index)
    for hit in hits:
        best = _evidence(hit, index)
        if best is not None:
            ctx.add(hit, index.place(best),
                    0.5 if index.columns["feature"][best] == "country" else 1.0)
    for _ in range(2):
        chosen = _choose(hits, ctx)
        fresh = _Context(index, hits, text, prior, named, ctx.fixed, ctx.sentence_of)
        dominant = ctx.dominant()
        for hit, best in chosen:
            hit.choice = best
            if not is_weak(hit, index, dominant) and not _small(index, best) or hit.cue:
                fresh.add(hit, index.place(best))
        ctx = fresh
    dominant = ctx.dominant()
    for hit in hits:
        place = index.place(hit.choice)  # type: ignore[arg-type]
        weak = is_weak(hit, index, dominant)
        if _foreign(hit, place, ctx) or (
                weak and not (hit.extra.get("locative") and _supported(hit, ctx))):
            hit.dropped = True
        elif weak:
            ctx.add(hit, place)
    return ctx


def _choose(hits: list[Hit], ctx: _Context) -> list[tuple[Hit, int]]:
    """The best candidate of every hit; repeats of a name asking for the same kind of
    place share one choice, scored over all of them ("رأس العين" bare and "مدينة رأس
    العين بريف الحسكة" are the same town)."""
    groups: defaultdict[tuple[str, str | None], list[Hit]] = defaultdict(list)
    for hit in hits:
        groups[(hit.key, _CUE_FEATURE.get(hit.cue_kind or "", "settlement"))].append(hit)
    out: list[tuple[Hit, int]] = []
    for group in groups.values():
        choices = group[0].candidates
        if len(choices) == 1:
            best = choices[0]     # nothing to choose: scoring (side-effect free) is skipped
        else:
            totals: defaultdict[int, float] = defaultdict(float)
            for hit in group:
                ctx.add_scores(hit, totals)
            best = max(choices, key=lambda i: totals[i])
        out.extend((hit, best) for hit in group)
    return out


def _precision(hit: Hit, place: Place) -> int:
    if place.feature in ("admin1", "country"):
        return 3
    if place.feature in ("admin2", "admin3"):
        return 2
    if hit.direction or hit.near or hit.cue_kind in ("countryside", "district"):
        return 2
    return 1
