"""``Geocoder``: place mentions of an article, resolved, with precision and sublocations."""
from __future__ import annotations

import functools
import os
import re
import threading
from collections import Counter
from pathlib import Path

from rasad.geo.index import GazetteerIndex, compile_index, gazetteer_home, load_index
from rasad.geo.match import Hit, annotate, find_hits
from rasad.geo.places import Place, PlaceMention
from rasad.geo.resolve import _filter, _precision, actor_votes, resolve
from rasad.geo.sources import SourceRow
from rasad.geo.sublocation import attach, find_sublocations
from rasad.geo.unlisted import find_unlisted
from rasad.lexicon import word_set
from rasad.text.normalize import NormalizedText, normalize_key
from rasad.text.segment import sentences

_LOCK = threading.Lock()
_HARAKAT = re.compile("[\u064b-\u065f\u0670\u0640]")


class Geocoder:
    """Finds and resolves the places an article names. Load once per process."""

    def __init__(self, index: GazetteerIndex, home: Path | None = None,
                 use_actors: bool = True) -> None:
        self.index = index
        self.home = home
        self.use_actors = use_actors
        self._last: tuple[NormalizedText, tuple[list[Hit], object]] | None = None

    @classmethod
    def load(cls, home: Path | None = None) -> Geocoder:
        """The geocoder over the default index plus the user's imported places (cached)."""
        directory = gazetteer_home(home)
        with _LOCK:
            return _load(str(directory), home)

    @classmethod
    def from_rows(cls, rows: list[SourceRow]) -> Geocoder:
        """An in-memory geocoder over hand-written rows (tests, experiments)."""
        return cls(GazetteerIndex(compile_index(rows, {"format": "memory"})))

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Workers reload from disk (or their own cache) instead of pickling the automaton.
        return (Geocoder.load, (self.home,))

    def _resolved(self, nt: NormalizedText) -> tuple[list[Hit], object]:
        text = nt.text
        last = self._last
        if last is not None and last[0] is nt:
            return last[1]
        hits = find_hits(text, self.index)
        toks = annotate(text, hits)
        hits = _filter(hits, self.index, text)
        alone = attach(text, find_sublocations(text, toks, hits, self.index), hits)
        live = [h for h in hits if not h.dropped]
        ctx = resolve(self.index, text, live, actor_votes(text) if self.use_actors else None)
        kept = [h for h in live if not h.dropped] + alone
        kept += find_unlisted(text, toks, kept)
        kept.sort(key=lambda h: h.span_start)
        # The pipeline asks for mentions() then country_of() of the same text.
        self._last = (nt, (kept, ctx))
        return kept, ctx

    def mentions(self, nt: NormalizedText) -> list[PlaceMention]:
        """All place mentions in document order, homonyms resolved by the whole article."""
        hits, ctx = self._resolved(nt)
        out: list[PlaceMention] = []
        for hit in hits:
            if hit.extra.get("unlisted"):
                continue
            place = self._place_of(hit)
            if hit.candidates and place is None and hit.sublocation is None:
                continue
            out.append(self._mention(nt, hit, place))
        bounds = [(s.start, s.end) for s in sentences(nt.text)]
        out = [_town_of_facility(nt, m, out, bounds, ctx.dominant())  # type: ignore[attr-defined]
               if m.place is None and m.sublocation_ar else m for m in out]
        out = self._fill_alone(nt, out)
        known = list(out)
        for hit in hits:
            if hit.extra.get("unlisted"):
                found = _unlisted_mention(nt, hit, known, bounds,
                                          ctx.dominant())  # type: ignore[attr-defined]
                if found is not None:
                    out.append(found)
        out.sort(key=lambda m: m.start)
        return out

    def country_of(self, nt: NormalizedText) -> str | None:
        """The article's dominant country (ISO2) from its places, country names, demonyms."""
        _, ctx = self._resolved(nt)
        return ctx.dominant()  # type: ignore[attr-defined]

    def _place_of(self, hit: Hit) -> Place | None:
        if hit.choice is None:
            return None
        index, i = self.index, hit.choice
        place = index.place(i)
        if place.feature == "sublocation":
            parent = index.parent(i)
            if hit.sublocation is None:
                hit.sublocation = (hit.span_start, hit.end)
            return index.place(parent) if parent is not None else None
        if hit.cue_kind in ("admin1", "countryside") and place.feature == "settlement":
            admin = index.admin1_place(place.country, place.admin1)
            if admin is not None and (hit.cue_kind == "admin1" or normalize_key(
                    place.name_ar) == normalize_key(index.place(admin).name_ar)):
                return index.place(admin)
        return place

    @staticmethod
    def _mention(nt: NormalizedText, hit: Hit, place: Place | None) -> PlaceMention:
        sub = nt.original_text(*hit.sublocation) if hit.sublocation else None
        precision = _precision(hit, place) if place else 3
        if place is not None and sub and place.feature == "settlement" and not hit.cue_kind:
            precision = 2 if hit.direction or hit.near else 1
        start, end = hit.span_start, max(hit.span_end, hit.end)
        return PlaceMention(start=start, end=end, text=nt.text[start:end], place=place,
                            precision=precision, sublocation_ar=sub, cue=hit.cue,
                            direction=hit.direction,
                            candidates=max(1, len(set(hit.candidates))))

    @staticmethod
    def _fill_alone(nt: NormalizedText, found: list[PlaceMention]) -> list[PlaceMention]:
        """Stand-alone sublocations get the settlement of their sentence, else the article's."""
        towns = [m for m in found if m.place is not None and m.place.feature == "settlement"]
        if not towns:
            return found
        # the article's main settlement is in the country most of its places are in ("حي
        # الصناعة" of a Syrian story is not in Tunis because an outlet line reads "تونس اليوم")
        countries = Counter(m.place.country for m in found if m.place is not None)
        home = [m for m in towns if m.place and m.place.country == countries.most_common(1)[0][0]]
        counts = Counter(m.place.id for m in home or towns if m.place)
        main = next(m.place for m in towns if m.place and m.place.id == counts.most_common(1)[0][0])
        bounds = [(s.start, s.end) for s in sentences(nt.text)]
        out = []
        for m in found:
            if m.place is None and m.sublocation_ar:
                sentence = next(((s, e) for s, e in bounds if s <= m.start < e), (0, 0))
                before = [t for t in towns if sentence[0] <= t.start < m.start]
                after = [t for t in towns if m.start < t.start < sentence[1]]
                place = (before[-1].place if before else after[0].place if after else main)
                m = PlaceMention(m.start, m.end, m.text, place, 1, m.sublocation_ar, m.cue,
                                 m.direction, m.candidates)
            out.append(m)
        return out


def _town_of_facility(nt: NormalizedText, m: PlaceMention, known: list[PlaceMention],
                      bounds: list[tuple[int, int]], dominant: str | None) -> PlaceMention:
    """"بالقرب من ميناء هرارديري", "قاعدة عين الأسد": a port, airport or base is named after
    its town. When neither the gazetteer nor the article gives a settlement for it, that
    town is the place (without coordinates), not the article's capital."""
    words = m.sublocation_ar.split() if m.sublocation_ar else []
    if len(words) < 2 or normalize_key(words[0]) not in word_set("function_words",
                                                                 "town_facility"):
        return m
    start, end = next(((s, e) for s, e in bounds if s <= m.start < e), (0, len(nt.text)))
    near = [k for k in known if k.place is not None and k.place.feature not in ("country",)
            and start <= k.start < end]
    if near:
        return m
    if dominant is None:
        return m
    admin1s = Counter(k.place.admin1 for k in known if k.place is not None
                      and k.place.country == dominant and k.place.admin1)
    admin1 = admin1s.most_common(1)[0][0] if admin1s else None    # as for unlisted villages
    shown = " ".join(words[1:]).strip("\"'«»“”")
    place = Place(f"unlisted:{dominant}:{normalize_key(shown)}", shown, shown, dominant, admin1,
                  None, None, None, "settlement", 0)
    return PlaceMention(m.start, m.end, m.text, place, 1, m.sublocation_ar, m.cue,
                        m.direction, 0)


def _unlisted_mention(nt: NormalizedText, hit: Hit, known: list[PlaceMention],
                      bounds: list[tuple[int, int]],
                      dominant: str | None) -> PlaceMention | None:
    """A settlement the gazetteer lacks, placed in its sentence's governorate (the nearest
    known place there), else in the article's country and its most named governorate."""
    start, end = next(((s, e) for s, e in bounds if s <= hit.start < e), (0, len(nt.text)))
    near = [m for m in known if m.place is not None and m.place.feature != "country"
            and start <= m.start < end]
    if near:
        ref = min(near, key=lambda m: abs(m.start - hit.start)).place
        country, admin1 = ref.country, ref.admin1  # type: ignore[union-attr]
    elif dominant is not None:
        country = dominant
        admin1s = Counter(m.place.admin1 for m in known if m.place is not None
                          and m.place.country == dominant and m.place.admin1)
        admin1 = admin1s.most_common(1)[0][0] if admin1s else None
    else:
        return None
    shown = " ".join(_HARAKAT.sub("", nt.original_text(hit.start, hit.end)).split())
    shown = shown.strip("\"'«»“”")
    place = Place(f"unlisted:{country}:{hit.key}", shown, shown, country, admin1, None,
                  None, None, "settlement", 0)
    return PlaceMention(hit.span_start, hit.end, nt.text[hit.span_start:hit.end], place,
                        int(hit.extra["unlisted"]),  # type: ignore[call-overload]
                        cue=hit.cue, candidates=0)


@functools.lru_cache(maxsize=4)
def _load(directory: str, home: Path | None) -> Geocoder:
    return Geocoder(load_index(Path(directory)), home)


# The variables that decide the default gazetteer directory (``gazetteer_home``:
# RASAD_HOME, else platformdirs' user data dir).
_HOME_VARIABLES = ("RASAD_HOME", "XDG_DATA_HOME", "HOME", "USERPROFILE", "APPDATA",
                   "LOCALAPPDATA")


def default_geocoder() -> Geocoder:
    """``Geocoder.load()``, cached for the process.

    Every article asks for it, and resolving the directory through platformdirs and
    pathlib costs about as much as geocoding a sentence, so the answer is kept per value
    of the environment variables that decide the directory.
    """
    return _default_for(tuple(os.environ.get(name) for name in _HOME_VARIABLES))


@functools.lru_cache(maxsize=4)
def _default_for(environment: tuple[str | None, ...]) -> Geocoder:
    """``Geocoder.load()``; ``environment`` only keys the cache."""
    return Geocoder.load()
