"""Choosing among homonyms and coding precision; the ``Geocoder`` the pipeline calls.

Each hit's candidates are scored against the whole article: its dominant country (from
unambiguous places, country names and demonyms), the governorates named, the distance to
other places, population, and the feature the cue words ask for (محافظة → governorate,
قرية → settlement). Two passes: the first with only unambiguous context, the second with
every first-pass choice. Weak hits (short single-word names of villages) are kept only when
the context supports them or a cue word introduces them.
"""
from __future__ import annotations

import math
from collections import defaultdict

from rasad.geo.index import GazetteerIndex
from rasad.geo.match import MIN_LETTERS, Hit, lexicons
from rasad.geo.places import Place
from rasad.geo.sources import core, demonyms, region
from rasad.text.segment import sentences, tokens

_CUE_FEATURE = {"settlement": "settlement", "capital": "settlement", "admin1": "admin1",
                "countryside": "admin1", "district": "admin2"}
_WEAK_POPULATION = 1000
_NEIGHBOUR_POPULATION = 100_000
_FOREIGN_POPULATION = 1_000_000
_CAPITAL_POPULATION = 20_000


def _km(a: Place, b: Place) -> float:
    dlat = (a.lat - b.lat) * 111.2
    dlon = (a.lon - b.lon) * 111.2 * math.cos(math.radians((a.lat + b.lat) / 2))
    return math.hypot(dlat, dlon)


class _Context:
    """What the article says about where it is, for scoring candidates."""

    def __init__(self, index: GazetteerIndex, hits: list[Hit], text: str) -> None:
        self.index = index
        self.countries: defaultdict[str, float] = defaultdict(float)
        self.admin1s: defaultdict[tuple[str, str | None], float] = defaultdict(float)
        self.places: list[tuple[Hit, Place]] = []
        ends = [s.end for s in sentences(text)] or [len(text)]
        self.sentence_of = {id(h): next((k for k, e in enumerate(ends) if h.start < e), 0)
                            for h in hits}
        for word in tokens(text):
            country = demonyms().get(word.text)
            if country:
                self.countries[country] += 0.5

    def small(self, place: Place) -> bool:
        i = self.index.position(place.id)
        return i is not None and _small(self.index, i)

    def add(self, hit: Hit, place: Place, weight: float = 1.0) -> None:
        self.countries[place.country] += weight
        if place.admin1:
            self.admin1s[(place.country, place.admin1)] += weight
        self.places.append((hit, place))

    def dominant(self) -> str | None:
        top = sorted(((k, v) for k, v in self.countries.items() if v > 0),
                     key=lambda kv: -kv[1])[:2]
        if not top or (len(top) > 1 and top[0][1] == top[1][1]):
            return None
        return top[0][0]

    def score(self, hit: Hit, place: Place) -> float:
        s = 0.3 * math.log10(place.population + 10)
        if place.country == self.dominant():
            s += 4.0
        s += min(self.countries.get(place.country, 0.0), 3) * 0.3
        if place.admin1 and self.admin1s.get((place.country, place.admin1)):
            s += 1.5
        sentence = self.sentence_of.get(id(hit))
        near = [p for h, p in self.places if h.key != hit.key]
        if near:
            s += 2.0 * math.exp(-min(_km(place, p) for p in near) / 30.0)
        same = [p for h, p in self.places if h.key != hit.key and p.feature == "admin1"
                and self.sentence_of.get(id(h)) == sentence]
        if any(p.admin1 == place.admin1 and p.country == place.country for p in same):
            s += 2.0
        if hit.cue_kind not in ("settlement", "district") and self.small(place):
            s -= 3.0   # a village named like a country or town ("سوريه" in Dahuk)
        return s + _feature_prior(hit, place)


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


def _small(index: GazetteerIndex, i: int) -> bool:
    """A place too small to trust on its name alone, given where it is."""
    c = index.columns
    country, population = c["country"][i], c["population"][i]
    if country in core():
        limit = _WEAK_POPULATION
    elif country in region():
        limit = _NEIGHBOUR_POPULATION
    else:
        limit = _FOREIGN_POPULATION
    if c["feature"][i] in ("admin2", "admin3"):   # bare district names: الحالي، المنصورة
        return True
    return c["feature"][i] == "settlement" and population < limit


def _is_weak(hit: Hit, index: GazetteerIndex) -> bool:
    """A bare one-word name of a village, of a town in a neighbouring country or of a
    foreign city: accepted only with support from the context (هاربين، بليون، بشري)."""
    if hit.cue or " " in hit.key or hit.inner or hit.sublocation:
        return False
    return all(_small(index, i) for i in hit.candidates)


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


def _filter(hits: list[Hit], index: GazetteerIndex) -> list[Hit]:
    stop = lexicons().stoplist
    out = []
    for hit in hits:
        rule = stop.get(hit.key)
        if rule == "never" or (rule == "cue" and not hit.cue):
            continue
        if len(hit.key.replace(" ", "")) < MIN_LETTERS and not hit.cue:
            continue
        out.append(hit)
    return out


def _mark_capital(hit: Hit, index: GazetteerIndex) -> None:
    """Note when a name is both a governorate and its big town (الرقة, دير الزور): bare, it
    means the town; a governorate whose namesake is a village (صلاح الدين) means the unit."""
    c = index.columns
    towns = {(c["country"][i], c["admin1"][i]) for i in hit.candidates
             if c["feature"][i] == "settlement" and c["population"][i] >= _CAPITAL_POPULATION}
    for i in hit.candidates:
        if c["feature"][i] == "admin1" and (c["country"][i], c["admin1"][i]) in towns:
            hit.extra["capital_of"] = (c["country"][i], c["admin1"][i])


def resolve(index: GazetteerIndex, text: str, hits: list[Hit]) -> _Context:
    """Set ``hit.choice`` for every hit; drop weak hits the context does not support."""
    ctx = _Context(index, hits, text)
    for hit in hits:
        _mark_capital(hit, index)
    for hit in hits:
        countries = {index.columns["country"][i] for i in hit.candidates}
        if len(countries) == 1 and not _is_weak(hit, index):
            ctx.add(hit, index.place(hit.candidates[0]),
                    0.5 if index.columns["feature"][hit.candidates[0]] == "country" else 1.0)
    for _ in range(2):
        chosen = []
        for hit in hits:
            best = max(hit.candidates, key=lambda i: ctx.score(hit, index.place(i)))
            chosen.append((hit, best))
        fresh = _Context(index, hits, text)
        for hit, best in chosen:
            hit.choice = best
            if not _is_weak(hit, index):
                fresh.add(hit, index.place(best))
        ctx = fresh
    for hit in hits:
        if _is_weak(hit, index) and not (hit.extra.get("locative") and _supported(hit, ctx)):
            hit.dropped = True
        elif hit.choice is not None and _is_weak(hit, index):
            ctx.add(hit, index.place(hit.choice))
    return ctx


def _precision(hit: Hit, place: Place) -> int:
    if place.feature in ("admin1", "country"):
        return 3
    if place.feature in ("admin2", "admin3"):
        return 2
    if hit.direction or hit.near or hit.cue_kind in ("countryside", "district"):
        return 2
    return 1
