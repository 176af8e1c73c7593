"""Sentence-level analysis of one article: what each sentence says happened, to whom, where,
when, and how many. ``rasad.assemble`` turns these findings into ACLED-unit events.
"""
from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from rasad.dates import find_dates
from rasad.detect.actors import find_actors
from rasad.detect.casualties import (
    OWN,
    Casualty,
    SideHint,
    casualty_words,
    find_casualties,
    find_side_hints,
)
from rasad.detect.debris import debris_ranges, in_ranges, mask_datelines, mask_outlets
from rasad.detect.incidents import (
    Trigger,
    best_trigger,
    find_modality,
    find_triggers,
    off_topic,
    reads_as_verb,
    suicide_trigger,
)
from rasad.detect.matcher import Match
from rasad.detect.roles import mark_speakers
from rasad.detect.tallies import marker_words, tally_figures, tally_markers
from rasad.numbers import find_numbers
from rasad.records import Article, Result
from rasad.text.normalize import NormalizedText, normalize
from rasad.text.segment import Token, sentences, tokens

_NEGATION_REACH = 8
_BACKGROUND_DAYS = 10
# A toll ("حصيلة") in a sentence with a clear incident word is that incident's toll.
_TALLY_OVERRIDE = 45


@dataclass(slots=True)
class ActorSpan:
    start: int
    end: int
    actor: str
    kind: str
    speaker: bool = False


@dataclass(slots=True)
class SentenceFindings:
    index: int
    start: int
    end: int
    toks: list[Token]
    trigger: Match[Trigger] | None = None
    triggers: list[Match[Trigger]] = field(default_factory=list)
    casualties: list[Casualty] = field(default_factory=list)
    actors: list[ActorSpan] = field(default_factory=list)
    places: list[Any] = field(default_factory=list)
    dates: list[Any] = field(default_factory=list)
    numbers: list[Any] = field(default_factory=list)
    negated: bool = False
    background: bool = False
    update: bool = False
    superseded: bool = False      # "وكانت حصيلة سابقة أفادت بـ...": replaced by later figures
    sourced: bool = False
    tally: bool = False
    vague: bool = False
    anniversary: bool = False
    mention: bool = False       # names an incident without reporting one (see _unanchored)
    markers: set[str] = field(default_factory=set)

    speaker_spans: list[tuple[int, int]] = field(default_factory=list)
    running_tolls: list[Casualty] = field(default_factory=list)
    side_hints: list[SideHint] = field(default_factory=list)
    _modalities: list[Match[str]] | None = None

    @property
    def modalities(self) -> list[Match[str]]:
        """The sentence's modality words, read once (several rules ask for them)."""
        if self._modalities is None:
            self._modalities = find_modality(self.toks)
        return self._modalities

    @property
    def incident_date(self) -> Any | None:
        """A date told of the incident itself, never the day of a statement."""
        if not self.dates:
            return None        # most sentences: nothing to choose from
        known = [d for d in self.dates if d.date is not None]
        told = [d for d in known if not any(s <= d.start < e for s, e in self.speaker_spans)]
        return self.date if told else None

    @property
    def date(self) -> Any | None:
        """The incident's date in this sentence: not the day a statement was made
        ("قالت الجمعية اليوم الاثنين إن ... يوم السبت"), and the explicit weekday when a
        relative day and a weekday stand side by side ("فجر أمس (الجمعة)")."""
        if not self.dates:
            return None        # most sentences: nothing to choose from
        known = [d for d in self.dates if d.date is not None]
        said = [d for d in known if any(s <= d.start < e for s, e in self.speaker_spans)]
        told = [d for d in known if d not in said]
        for first, second in zip(told, told[1:], strict=False):
            if second.start - first.end <= 3 and second.date != first.date:
                return second
        if told:
            return told[0]
        return said[0] if said else None

    @property
    def is_incident(self) -> bool:
        return self.trigger is not None and not (self.negated or self.tally or self.vague)


@dataclass(slots=True)
class ArticleAnalysis:
    article: Article
    nt: NormalizedText
    country: str | None
    sentences: list[SentenceFindings]
    places: list[Any]


def _modality(sf: SentenceFindings) -> None:
    trigger_at = sf.trigger.first_token if sf.trigger else None
    # a word inside the trigger's own phrase ("وقف" of "وقف إطلاق النار") modifies nothing
    mods = [m for m in sf.modalities if sf.trigger is None
            or m.last_token <= sf.trigger.first_token or m.first_token >= sf.trigger.last_token]
    for m in mods:
        if m.value == "anniversary":
            sf.anniversary = True
        if m.value == "frame" and trigger_at is not None and not any(
                t.first_token < m.first_token and t.value.event_type in _VIOLENT
                and reads_as_verb(sf.toks, t) for t in sf.triggers):
            # a trial frames what the sentence tells, but not a killing reported before
            # it: "قتلت القوات أربعة من المتهمين بالهجوم"
            sf.negated = True
        if m.value in ("negate", "undo", "anniversary") and trigger_at is not None and \
                0 <= trigger_at - m.first_token <= _NEGATION_REACH:
            sf.negated = True
        elif m.value == "undo" and sf.trigger is not None and \
                0 <= m.first_token - sf.trigger.last_token <= 2:
            # "بدأت طائرات مسيرة في التحليق": the word after undoes the trigger only; the
            # sentence's figures still belong to the incident around it
            sf.trigger = None
        elif m.value == "hypothetical" and trigger_at is not None and (
                0 <= trigger_at - m.first_token <= _NEGATION_REACH):
            sf.negated = True
        elif m.value == "background":
            sf.background = True
        elif m.value == "update":
            sf.update = True
        elif m.value == "superseded":
            sf.superseded = True
        elif m.value == "source":
            sf.sourced = True


def _context_ok(sf: SentenceFindings, trigger: Match[Trigger]) -> bool:
    if trigger.value.sub_event_type in _TERRITORY and \
            sf.toks[trigger.first_token].text.startswith("ل") and \
            not sf.toks[trigger.first_token].text.startswith("ال"):
        return False    # "في محاولة للسيطرة على البلاد": a purpose, not a takeover
    if not trigger.value.needs_context:
        return True
    return bool(sf.casualties or sf.actors or sf.places)


def _actor_spans(nt: NormalizedText, country: str | None,
                 published: dt.date | None) -> list[ActorSpan]:
    return [ActorSpan(m.start, m.end, m.actor, m.kind)
            for m in find_actors(nt.text, country=country, on=published) if m.actor]


_T = TypeVar("_T")


def _within(items: list[_T], starts: list[int], start: int, end: int) -> list[_T]:
    """The items (in text order, ``starts`` their offsets) that start in ``[start, end)``."""
    return items[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]


def analyse(article: Article) -> ArticleAnalysis:
    """Per-sentence findings of ``article``; nothing is assembled yet."""
    from rasad.geo import default_geocoder

    nt = normalize(article.text)
    text = nt.text
    published = article.published_date
    junk = debris_ranges(text)
    geocoder = default_geocoder()
    # the geocoder reads the text without datelines: "أربيل - " names the reporter's city,
    # and counted as a place it would pull the article's country away
    geo_nt = NormalizedText(mask_outlets(mask_datelines(text)), nt.offsets, nt.original)
    places = [p for p in geocoder.mentions(geo_nt) if not in_ranges(p.start, junk)]
    country = geocoder.country_of(geo_nt)
    # actors are read on the text the geocoder read (datelines and outlet names blanked:
    # "سوريا 24" reports, it does not fight), which also lets both share one alias scan
    actors = [a for a in _actor_spans(geo_nt, country, published) if not in_ranges(a.start, junk)]
    place_starts = [p.start for p in places]      # both lists are in text order
    actor_starts = [a.start for a in actors]
    found: list[SentenceFindings] = []
    for sent in sentences(text):
        if junk and (in_ranges(sent.start, junk) or
                     in_ranges(max(sent.start, sent.end - 1), junk)):
            continue
        toks = tokens(text, sent.start, sent.end)
        if not toks:
            continue
        sf = SentenceFindings(len(found), sent.start, sent.end, toks)
        # sport, markets, weather: no incident, unless people were killed or hurt there
        all_triggers = find_triggers(toks)
        if all_triggers and off_topic(toks) and not _harm(toks):
            all_triggers = []
        quiet = not all_triggers and not _may_count(toks)
        raw_numbers = [] if quiet else find_numbers(text, sent.start, sent.end)
        sf.places = _within(places, place_starts, sent.start, sent.end)
        if not all_triggers and not raw_numbers:
            # nothing happens and nothing is counted here: only context for neighbours
            # (its places still serve as the article's place when an incident names none)
            sf.markers = tally_markers(toks, all_triggers)
            if len(found) < 3:
                _modality(sf)
            if not quiet:     # a casualty word with no figure may still say whose dead
                sf.actors = _within(actors, actor_starts, sent.start, sent.end)
                sf.side_hints = find_side_hints(toks, [], _spans(sf.actors), sf.index)
            found.append(sf)
            continue
        sf.actors = _within(actors, actor_starts, sent.start, sent.end)
        sf.speaker_spans = mark_speakers(toks, sf.actors)
        sf.dates = find_dates(text, published, sent.start, sent.end)
        sf.numbers = [n for n in raw_numbers if not _inside_date(n, sf.dates)]
        actor_spans = _spans(sf.actors)
        sf.casualties = find_casualties(text, toks, sf.numbers, actor_spans, sf.index)
        sf.side_hints = find_side_hints(toks, sf.numbers, actor_spans, sf.index)
        _split_running_tolls(sf)
        _resolve_own_forces(sf, found)
        _classify(sf, all_triggers, published)
        found.append(sf)
    _spread_tally_context(found)
    _drop_bare_mentions(found)
    if any(sf.anniversary for sf in found[:3]):
        for sf in found:       # a commemoration piece recalls; it reports nothing new
            sf.background = True
    return ArticleAnalysis(article, nt, country, found, places)


def _classify(sf: SentenceFindings, all_triggers: list[Match[Trigger]],
              published: dt.date | None) -> None:
    """Decide what the sentence is: an incident (and which), a tally, vague or background."""
    suicide = suicide_trigger(sf.toks) if all_triggers else None
    if suicide is not None:
        all_triggers.append(suicide)
    sf.markers = tally_markers(sf.toks, all_triggers)
    sf.triggers = [t for t in all_triggers if _context_ok(sf, t)]
    summary_only = "summary" in sf.markers and not any(
        t.value.priority >= _TALLY_OVERRIDE for t in sf.triggers)
    sf.tally = bool(sf.numbers) and ("period" in sf.markers or summary_only
                                     or "claimed" in sf.markers)
    sf.vague = "vague" in sf.markers or ("period" in sf.markers and not sf.casualties)
    sf.trigger = best_trigger(sf.triggers)
    _modality(sf)
    if sf.running_tolls and sf.trigger is not None and not sf.negated:
        # the period belongs to the running toll split off above; the incident stays
        sf.tally = sf.vague = False
    sf.mention = sf.is_incident and _unanchored(sf)
    date = sf.date
    if date is not None and published is not None:
        age = (published - date.date).days
        if age > _BACKGROUND_DAYS:
            sf.background = True
        elif age <= 2:
            sf.background = False


_VIOLENT = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
_TERRITORY = frozenset({"Non-state actor overtakes territory", "Government regains territory"})
# "اشتباكات عنيفة بين ...", "غارة أميركية في الصومال": a sentence that opens with the
# incident word reports it (the headline and the verbless lead of a news report)
_OPENING = 2


def _unanchored(sf: SentenceFindings) -> bool:
    """A violent word that only names an incident, with nothing saying that one happened.

    "تبرير القتل والاغتيال السياسي", "الهجوم على الحريات", "صواريخ بالستية" talk about
    violence; "قتل مسلحون ثلاثة", "وقع انفجار في السوق", "قتلى في غارة" report it. A sentence
    whose violent words are all nouns is a mention when a word of reaction, inquiry, blame or
    abstraction stands shortly before its incident word ("أدان التفجير", "التحقيق في
    اغتيال"), or when it does not open with one and holds no verb of occurrence ("وقع",
    "استهدف", "أسفر"), no day-precise date and no one killed or hurt.
    """
    trigger = sf.trigger
    if trigger is None or trigger.value.event_type not in _VIOLENT or \
            trigger.value.sub_event_type in _TERRITORY:
        return False
    if any(reads_as_verb(sf.toks, t) for t in sf.triggers
           if t.value.event_type in _VIOLENT):
        return False
    mods = sf.modalities
    if any(m.value == "mention" and 0 <= trigger.first_token - m.first_token <= _NEGATION_REACH
           for m in mods):
        return True         # "أدان الهجوم", "التحقيق في اغتيال", "منذ اغتيال", "سياسة الاغتيالات"
    if any(t.first_token < _OPENING for t in sf.triggers):
        return False
    if any(m.value == "occurred" for m in mods):
        return False
    if any(d.precision == 1 and not d.relative for d in sf.dates):
        return False        # pinned to a day: "* 12 مايو 2005: اغتيال النائب ..."
    return not (any(c.kind in ("killed", "injured") for c in sf.casualties)
                or _harm_beside(sf))


def _drop_bare_mentions(found: list[SentenceFindings]) -> None:
    """Mentions of an incident describe one the article reports elsewhere (and then add
    their place and sides to it); in an article that reports none, they are no event. A
    sentence that mentions one incident and reports something else ("وتجددت المظاهرات ...
    وندد المتظاهرون باغتيال الناشطة") is read as what it reports, in any article."""
    reported = any(sf.is_incident and not sf.mention and sf.trigger is not None
                   and sf.trigger.value.event_type in _VIOLENT for sf in found)
    for sf in found:
        protest = any(t.value.event_type in ("Protests", "Riots") for t in sf.triggers)
        if sf.mention and (protest or not reported):
            # what else the sentence reports stays: "وتجددت المظاهرات ... وندد المتظاهرون
            # باغتيال الناشطة" is a protest
            mentioned = sf.trigger
            sf.trigger = best_trigger([t for t in sf.triggers
                                       if t.value.event_type not in _VIOLENT])
            sf.negated = sf.trigger is None
            sf.mention = sf.trigger is None      # what it reports now is no mention
            if sf.trigger is not None and mentioned is not None:
                # the sides named after the mention ("باغتيال الناشطة من قبل مسلحين") are
                # the mentioned incident's, not those of what the sentence reports
                sf.actors = [a for a in sf.actors if a.start < mentioned.start]


def _harm_beside(sf: SentenceFindings) -> bool:
    """Someone killed or hurt, said by a word that is not itself the incident word
    ("قتلى في انفجار", "تخلف ضحايا"; not "تبرير القتل")."""
    taken = {i for t in sf.triggers for i in range(t.first_token, t.last_token)}
    return any(m.value.kind in ("killed", "injured", "combined") and m.first_token not in taken
               for m in casualty_words(tuple(sf.toks)))


def _split_running_tolls(sf: SentenceFindings) -> None:
    """"قتل أربعة ... لترتفع حصيلة القصف إلى 24": beside the incident's own figure, a toll
    that "rises to" a different figure counts many incidents and becomes a Statistic."""
    tolls = [c for c in sf.casualties if c.toll and not c.subset]
    own = [c for c in sf.casualties if not c.toll and not c.subset]
    if tolls and own and {c.value for c in tolls}.isdisjoint({c.value for c in own}):
        sf.running_tolls = tolls
        sf.casualties = [c for c in sf.casualties if c not in tolls]


def _resolve_own_forces(sf: SentenceFindings, before: list[SentenceFindings]) -> None:
    """"من عناصرها" counts the dead of the side that speaks ("بيان الأسايش كشف عن فقدان
    أربعة من قواتهم") or, failing that, of the clause's subject: the first side the sentence
    names ("صدت قوات قسد هجوماً لداعش كلّفها 6 قتلى من عناصرها" counts Qasad's dead)."""
    if not any(c.side == OWN for c in sf.casualties):
        return
    speakers = [a.actor for a in sf.actors if a.speaker and a.actor != "civilians"]
    fixed = []
    for c in sf.casualties:
        if c.side == OWN:
            earlier = [a.actor for a in sf.actors if a.start < c.start
                       and a.actor != "civilians"]
            owner: str | None = speakers[0] if speakers else (
                earlier[0] if earlier else None)
            if owner is None:
                # "وذكر مسؤول عسكري في هذه القوات أن 7 من جنودنا قتلوا": the forces of the
                # sentences before, their speaker first, else the side they named last
                earlier_sides = [a for prev in before[-2:] for a in prev.actors
                                 if a.actor != "civilians"]
                owner = next((a.actor for a in reversed(earlier_sides) if a.speaker),
                             earlier_sides[-1].actor if earlier_sides else None)
            c = replace(c, side=owner)
        fixed.append(c)
    sf.casualties = fixed


def _spans(actors: list[ActorSpan]) -> list[tuple[int, int, str]]:
    return [(a.start, a.end, a.actor) for a in actors]


def _harm(toks: list[Token]) -> bool:
    """Someone killed or wounded ("مقتل 3 أطفال في ملعب"), not "خطف الفوز"."""
    return any(m.value.kind in ("killed", "injured") for m in casualty_words(tuple(toks)))


def _may_count(toks: list[Token]) -> bool:
    """Whether a sentence with no incident word can still hold a casualty figure or a tally:
    both need a casualty or tally word, so other sentences are skipped unread, for speed."""
    return bool(casualty_words(tuple(toks))) or bool(marker_words(tuple(toks)))


def _spread_tally_context(found: list[SentenceFindings]) -> None:
    """A count by an observatory ("وثّقنا مقتل 372 مدنياً") or a summary ("بإجمالي 1535")
    next to a tally or its period is a tally too."""
    for i, sf in enumerate(found):
        # "أما في النيجر فقد ارتفع عدد الضحايا إلى 467": a rising toll with no incident of
        # its own, among tallies, is one of them
        toll_only = sf.update and sf.trigger is None
        if sf.tally or not (sf.markers & {"counter", "summary"} or toll_only) or not (
                sf.casualties or tally_figures(sf.toks, sf.numbers, sf.casualties)):
            continue
        near = found[max(0, i - 2):i] + found[i + 1:i + 3]
        if any(other.tally or "period" in other.markers for other in near):
            sf.tally = True


def _inside_date(number: Any, dates: Sequence[Any]) -> bool:
    return any(d.start <= number.start and number.end <= d.end for d in dates)


def extract_article(article: Article, settings: Any = None) -> Result:
    """Events and statistics of one article."""
    from rasad.assemble import assemble

    analysis = analyse(article)
    events, statistics = assemble(analysis, settings)
    return Result(id=article.id, events=events, statistics=statistics, text=article.text)
