"""Sentence findings → ACLED units: one event per day, place, type family and pair of sides.

The headline, the lead and later paragraphs often describe one incident in different words
("هجوم" in the title, "اشتباكات" in the body): findings merge when their place, day and type
family agree. The casualty fields of each event are fused from its sentences' figures in
``rasad.fatalities``.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from rasad.detect.actors import actor_info
from rasad.detect.article import ArticleAnalysis, SentenceFindings
from rasad.detect.casualties import Casualty
from rasad.detect.incidents import reads_as_verb, suicide_matcher
from rasad.detect.roles import assign_roles
from rasad.detect.statistics import build_statistics
from rasad.fatalities import casualty_fields, evidence, skip_summed_totals
from rasad.lexicon import word_set
from rasad.records import Event, Location, Statistic
from rasad.settings import Settings, default_settings

_VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
_WEAK_PRIORITY = 55
_KILLING_ONLY = 40
_STANDOFF = {"Air/drone strike", "Shelling/artillery/missile attack"}
# "قرب الرقة" names a governorate's city as a landmark; a village of that governorate named
# in another sentence is then the same incident's precise place.
_BIG_CITY = 100_000
_TOWN = 20_000      # "قرب الرقة" and a place this big are two places, not one incident


@dataclass(slots=True)
class Draft:
    """An event being assembled from one or more sentences."""

    sentences: list[SentenceFindings] = field(default_factory=list)
    event_type: str = ""
    sub_event_type: str = ""
    priority: int = 0
    weak: bool = True
    place: Any | None = None
    date: Any | None = None
    background: bool = False
    skip: set[tuple[int, int]] = field(default_factory=set)   # (sentence, figure start)
    shares: dict[tuple[int, int], int] = field(default_factory=dict)  # a split figure's part
    date_said: bool = False     # the date is only the day of a statement
    first_sub_type: str = ""    # what the first sentence of the incident called it


@functools.cache    # asked in per-token loops: a C-level cache hit, no Python call
def _words(role: str) -> frozenset[str]:
    """Function words of one role, from ``function_words.tsv``."""
    return word_set("function_words", role)


def _family(event_type: str) -> str:
    if event_type in _VIOLENT:
        return "violence"
    if event_type in ("Protests", "Riots"):
        return "protest"
    return event_type


def _sentence_place(sf: SentenceFindings, country: str | None = None) -> Any | None:
    """The sentence's place: a settlement first; a place abroad only when the sentence names
    nothing in the article's country (foreign capitals are mostly datelines and diplomacy)."""
    places = [p for p in sf.places if p.place is not None]
    if country:
        home = [p for p in places if p.place.country == country]
        places = home or places
    settled = [p for p in places if p.place.feature == "settlement"]
    if settled:
        return settled[0]
    known = [p for p in places if p.place.feature != "country"]
    return known[0] if known else None


def _same_place(a: Any | None, b: Any | None) -> bool:
    if a is None or b is None:
        return True
    pa, pb = a.place, b.place
    if pa.id == pb.id:
        return True
    if (any(m.cue in _words("district_cue") for m in (a, b)) or
            max(pa.population, pb.population) >= _BIG_CITY) and _km(pa, pb) <= _DISTRICT_KM:
        return True     # "مديرية المنصورة" of Aden, a district named as a town: one place
    vague = any(m.precision >= 2 and m.place.population >= _BIG_CITY for m in (a, b)) and \
        min(pa.population, pb.population) < _TOWN
    if vague or pa.feature != "settlement" or pb.feature != "settlement":
        # "قرب الرقة" or "ريف الرقة" and a village of that governorate: the same incident
        return (pa.admin1 or pa.name) == (pb.admin1 or pb.name)
    return False


_DISTRICT_KM = 12.0


def _km(a: Any, b: Any) -> float:
    """Distance between two gazetteer places; infinite when one has no coordinates."""
    import math

    if a.lat is None or b.lat is None:
        return math.inf
    dy = a.lat - b.lat
    dx = (a.lon - b.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    return 111.2 * math.hypot(dx, dy)


def _same_day(a: Any | None, b: Any | None) -> bool:
    if a is None or b is None:
        return True
    return abs((a.date - b.date).days) <= 0


def _compatible(draft: Draft, sf: SentenceFindings, place: Any | None, weak: bool) -> bool:
    trig = sf.trigger.value if sf.trigger else None
    if trig is None:
        return False
    if _family(trig.event_type) != _family(draft.event_type):
        return False
    if (trig.event_type != draft.event_type and not weak and not draft.weak
            and trig.sub_event_type != draft.sub_event_type
            and not {trig.sub_event_type, draft.sub_event_type} <= _COMPLEX_ASSAULT):
        return False
    if sf.background != draft.background and (sf.date is not None or place is not None):
        return False
    draft_day = None if draft.date_said else draft.date
    return _same_place(draft.place, place) and _same_day(draft_day, sf.incident_date)


def _add(draft: Draft, sf: SentenceFindings, place: Any | None) -> None:
    trig = sf.trigger.value if sf.trigger else None
    draft.sentences.append(sf)
    if trig is not None and not draft.first_sub_type:
        draft.first_sub_type = trig.sub_event_type
    if trig is not None:
        weak = trig.needs_context or trig.priority < _WEAK_PRIORITY
        if (draft.event_type == "" or (draft.weak and not weak)
                or (weak == draft.weak and trig.priority > draft.priority)):
            draft.event_type, draft.sub_event_type = trig.event_type, trig.sub_event_type
            draft.priority = trig.priority
        draft.weak = draft.weak and weak
    if draft.place is None or (place is not None and (
            (draft.place.place.feature != "settlement" and place.place.feature == "settlement")
            or place.precision < draft.place.precision)):
        draft.place = place or draft.place
    if sf.incident_date is not None and (draft.date is None or draft.date_said):
        draft.date, draft.date_said = sf.incident_date, False
    elif draft.date is None and sf.date is not None:
        draft.date, draft.date_said = sf.date, True


_LIST_GAP = 14


def _elaborated(drafts: list[Draft], sf: SentenceFindings, place: Any | None) -> Draft | None:
    """"انفجرت عبوة ناسفة في نقطة تفتيش بعدن ... وقالت مصادر إن العبوة انفجرت بين المنصورة
    والبريقة": a sentence that tells no dead or wounded of its own and names a more precise
    place in the same governorate elaborates the incident of the same kind already told,
    unless it says it is another one ("عبوة ثانية")."""
    if place is None or sf.trigger is None or any(
            c.kind in ("killed", "injured") for c in sf.casualties) or any(
            t.text in _words("another") for t in sf.toks):
        return None
    for draft in drafts:
        if draft.sub_event_type == sf.trigger.value.sub_event_type and draft.place is not None \
                and draft.place.place.admin1 == place.place.admin1 \
                and draft.place.place.country == place.place.country \
                and draft.background == sf.background \
                and _same_day(None if draft.date_said else draft.date, sf.incident_date):
            return draft
    return None


def _best_draft(drafts: list[Draft], sf: SentenceFindings, place: Any | None,
                weak: bool) -> Draft | None:
    """The draft this sentence continues: same place and day first, then the main one."""
    best: tuple[int, int] | None = None
    chosen: Draft | None = None
    for order, draft in enumerate(drafts):
        if not _compatible(draft, sf, place, weak):
            continue
        same_place = (place is not None and draft.place is not None
                      and place.place.id == draft.place.place.id)
        same_day = (sf.incident_date is not None and draft.date is not None
                    and sf.incident_date.date == draft.date.date)
        rank = (2 * same_place + same_day, -order)
        if best is None or rank > best:
            best, chosen = rank, draft
    return chosen


_LIST_JOINERS = re.compile(r'^[\s,"\'()]*(?:و|او|ثم)?[\s"\']*$')


def listed_places(sf: SentenceFindings, text: str) -> list[Any]:
    """Settlements named as a list in one sentence ("قرى X وY وZ"): one event each."""
    settled = [p for p in sf.places if p.place is not None and p.place.feature == "settlement"
               and p.sublocation_ar is None]
    out: list[Any] = []
    for p in settled:
        if out and p.place.id == out[-1].place.id:
            continue
        if out and (p.start - out[-1].end > _LIST_GAP
                    or not _LIST_JOINERS.match(text[out[-1].end:p.start])):
            break
        out.append(p)
    distinct = {p.place.id for p in out}
    if len(distinct) < 2:
        return []
    before = text[max(0, out[0].start - 12):out[0].start]
    if "بين" in before.split():
        return []           # "بين بلدتي X وY": one incident between two places
    return out


_OWN_PLACE_REACH = 25     # characters from a figure to "في <place>" that owns it


def _place_of_figure(places: list[Any], figure: Casualty, text: str) -> Any | None:
    """The listed place a figure is told of ("قتل 3 في A و5 في B"), or None when it counts
    the whole list ("غارات على A وB أسفرت عن مقتل 8")."""
    for p in places:
        gap = text[figure.end:p.start]
        if 0 <= p.start - figure.end <= _OWN_PLACE_REACH and "في" in gap.split() and \
                not any(ch.isdigit() for ch in gap):
            return p
    return None


def _share_figures(draft: Draft, sf: SentenceFindings, listed: list[Any], place: Any,
                   text: str) -> None:
    """Figures of a sentence that lists places: a figure told of one place stays with it;
    one that counts the whole list is split evenly, the remainder to the first places
    (ACLED's practice when a toll covers several locations without a breakdown)."""
    for c in sf.casualties:
        owner = _place_of_figure(listed, c, text)
        if owner is not None:
            if owner is not place:
                draft.skip.add((sf.index, c.start))
            continue
        n, i = len(listed), listed.index(place)
        share = c.value // n + (1 if i < c.value % n else 0)
        if share == 0:
            draft.skip.add((sf.index, c.start))
        else:
            draft.shares[(sf.index, c.start)] = share


_TERRITORY = {"Non-state actor overtakes territory", "Government regains territory"}
# A car bomb or suicide bomber followed by gunmen storming the target: one armed clash.
_COMPLEX_ASSAULT = {"Armed clash", "Suicide bomb", "Remote explosive/landmine/IED", "Grenade"}


def _settle_territory(draft: Draft) -> None:
    """Fighting and a change of control in one incident: the lead decides which it is.

    "سيطرت الفصائل على المدينة بعد معارك" leads with the takeover; a prison attack in which
    the attackers briefly "took control" leads with the fighting and stays a clash.
    """
    subs = {sf.trigger.value.sub_event_type for sf in draft.sentences if sf.trigger}
    strong_clash = any(sf.trigger and sf.trigger.value.sub_event_type == "Armed clash"
                       and not sf.trigger.value.needs_context for sf in draft.sentences)
    if draft.sub_event_type in _COMPLEX_ASSAULT - {"Armed clash"} and strong_clash:
        draft.event_type, draft.sub_event_type = "Battles", "Armed clash"
    if draft.sub_event_type in _TERRITORY and draft.first_sub_type == "Armed clash":
        draft.event_type, draft.sub_event_type = "Battles", "Armed clash"
    elif draft.first_sub_type in _TERRITORY and draft.sub_event_type == "Armed clash" \
            and draft.first_sub_type in subs:
        draft.sub_event_type = draft.first_sub_type


def group_sentences(analysis: ArticleAnalysis) -> list[Draft]:
    """Incident sentences grouped into drafts; casualty-only sentences join the last one."""
    drafts: list[Draft] = []
    last: Draft | None = None
    for sf in analysis.sentences:
        if sf.is_incident:
            trig = sf.trigger.value  # type: ignore[union-attr]
            weak = trig.needs_context or trig.priority < _WEAK_PRIORITY
            listed = listed_places(sf, analysis.nt.text)
            for place in listed or [_sentence_place(sf, analysis.country)]:
                target = _best_draft(drafts, sf, place, weak) or (
                    None if listed else _elaborated(drafts, sf, place))
                if target is None and sf.mention:
                    continue    # a mention lends to an incident told elsewhere, makes none
                if target is None:
                    target = Draft(background=sf.background)
                    drafts.append(target)
                _add(target, sf, place)
                if listed:
                    _share_figures(target, sf, listed, place, analysis.nt.text)
                last = target
        elif (last is not None and (sf.casualties or sf.side_hints) and not sf.tally
              and not sf.negated and not sf.vague):
            last.sentences.append(sf)
    for draft in drafts:
        _settle_territory(draft)
    skip_summed_totals(drafts)
    return drafts


def _fallback_place(analysis: ArticleAnalysis) -> Any | None:
    for sf in analysis.sentences:
        if sf.tally or sf.vague:
            continue
        place = _sentence_place(sf, analysis.country)
        if place is not None and place.place.feature == "settlement":
            return place
    for sf in analysis.sentences:
        place = _sentence_place(sf, analysis.country)
        if place is not None:
            return place
    return None


def _fallback_date(analysis: ArticleAnalysis) -> Any | None:
    for sf in analysis.sentences:
        if sf.is_incident and not sf.background and sf.date is not None:
            return sf.date
    return None


def _adjust_type(event: Event, draft: Draft) -> None:
    info1 = actor_info(event.actor1) if event.actor1 else None
    state1 = info1 is not None and info1.inter in (1, 8)
    victims = set(event.killed)
    # "هاجم مسلحون القرية وقتلوا 69 شخصاً": an attack that names no armed target and
    # kills people of no named side is an attack on civilians
    unarmed_dead = event.fatalities > 0 and not victims and event.actor2 is None
    clash = event.event_type == "Battles" and event.sub_event_type == "Armed clash"
    raided = event.fatalities > 0 and victims <= {"civilians"} and _raided_settlement(draft)
    if clash and (raided or draft.weak and (
            event.actor2 == "civilians" or victims == {"civilians"} or unarmed_dead)):
        event.event_type, event.sub_event_type = "Violence against civilians", "Attack"
        event.actor2 = "civilians"
    elif (event.event_type == "Violence against civilians" and event.sub_event_type == "Attack"
          and victims and "civilians" not in victims and event.actor2 not in (None, "civilians")):
        event.event_type, event.sub_event_type = "Battles", "Armed clash"
    if event.sub_event_type == "Non-state actor overtakes territory" and state1:
        event.sub_event_type = "Government regains territory"
    elif event.sub_event_type == "Government regains territory" and info1 is not None \
            and not state1:
        event.sub_event_type = "Non-state actor overtakes territory"
    if event.sub_event_type in ("Remote explosive/landmine/IED", "Armed clash") and \
            _bombing_by_bomber(draft):
        # "تفجير مزدوج بساحة الطيران" and later "تبين أنه كان بواسطة انتحاريين اثنين"
        event.event_type, event.sub_event_type = "Explosions/Remote violence", "Suicide bomb"
    if "protesters" in (event.actor1, event.actor2) and event.event_type in _VIOLENT:
        # a crowd in a violent incident: it rioted, or force was used on it
        if event.actor1 == "protesters" or _crowd_stormed(draft):
            event.event_type, event.sub_event_type = "Riots", "Violent demonstration"
        else:
            event.event_type = "Protests"
            event.sub_event_type = ("Excessive force against protesters" if event.fatalities
                                    else "Protest with intervention")
        return
    if event.event_type == "Protests":
        if event.fatalities:
            event.sub_event_type = "Excessive force against protesters"
        elif event.injured or event.arrested:
            event.sub_event_type = "Protest with intervention"


_OBJECT_REACH = 6


def _raided_settlement(draft: Draft) -> bool:
    """"هاجم المسلحون قرية فادوما وقتلوا 69 شخصاً": an attack whose object is a village, with
    no armed side among its dead, is an attack on its people."""
    fights = _words("fight_trigger")
    fought = any(t.phrase in fights for sf in draft.sentences for t in sf.triggers)
    if fought:
        return False       # "واشتبكوا مع الجيش": a fight, whatever the village
    for sf in draft.sentences:
        for t in sf.triggers:
            after = sf.toks[t.last_token:t.last_token + _OBJECT_REACH]   # VSO: the subject first
            if t.value.sub_event_type == "Armed clash" and any(
                    tok.text in _words("settlement_word") for tok in after):
                return True
    return False


def _crowd_stormed(draft: Draft) -> bool:
    """"اقتحام متظاهرين للمنطقة الخضراء": the crowd named right after a storming or attack
    word did it, whoever fired on it afterwards (ACLED codes that a violent demonstration)."""
    for sf in draft.sentences:
        for t in sf.triggers:
            if t.value.event_type not in _VIOLENT:
                continue
            after = [a for a in sf.actors if a.actor == "protesters"
                     and 0 <= a.start - t.end <= 2]
            if after and t.value.sub_event_type == "Armed clash":
                return True
    return False


def _bombing_by_bomber(draft: Draft) -> bool:
    """A detonation told in one sentence of the incident and its suicide bomber in another
    (each sentence alone is a bombing, or a bomber who may have been stopped)."""
    bombed = any(sf.trigger is not None and sf.trigger.value.event_type ==
                 "Explosions/Remote violence" for sf in draft.sentences)
    if not bombed:
        return False        # most incidents: no sentence needs reading again
    kinds = {m.value for sf in draft.sentences if not sf.negated
             for m in suicide_matcher().find_all(sf.toks)}
    return "bomber" in kinds and "detonation" in kinds


_DEFAULT_ACTOR1 = {
    "Battles": "unidentified_armed_group",
    "Explosions/Remote violence": "unidentified_armed_group",
    "Violence against civilians": "unidentified_armed_group",
    "Protests": "protesters",
    "Riots": "rioters",
}


def _location(event: Event, place: Any | None, analysis: ArticleAnalysis) -> None:
    if place is None or place.place is None:
        event.country = analysis.country
        return
    p = place.place
    event.country = p.country
    event.admin1 = p.admin1 if p.feature != "admin1" else p.name
    event.admin2 = p.admin2
    precision = place.precision
    if p.feature == "admin1":
        precision = max(precision, 3)
    event.location = Location(name=p.name, name_ar=p.name_ar, lat=p.lat, lon=p.lon,
                              geo_precision=precision, sublocation_ar=place.sublocation_ar)
    event.evidence.append(evidence(analysis, "location", place.start, place.end))


def build_event(draft: Draft, analysis: ArticleAnalysis, place: Any | None,
                date: Any | None) -> Event:
    event = Event(event_type=draft.event_type, sub_event_type=draft.sub_event_type)
    trigger_sf = next(sf for sf in draft.sentences if sf.trigger is not None)
    trig = trigger_sf.trigger
    assert trig is not None
    event.evidence.append(evidence(analysis, "event_type", trig.start, trig.end))
    _location(event, place, analysis)
    if date is not None:
        event.date = date.date.isoformat()
        event.date_precision = date.precision
        event.evidence.append(evidence(analysis, "date", date.start, date.end))
    elif analysis.article.published_date is not None:
        event.date = analysis.article.published_date.isoformat()
        event.date_precision = 1
    actor1, actor2, assoc = assign_roles([sf for sf in draft.sentences if sf.trigger] or
                                         draft.sentences, event.sub_event_type)
    event.actor1 = actor1 or _DEFAULT_ACTOR1.get(event.event_type)
    event.actor2 = actor2
    event.assoc_actors = assoc
    for sf in draft.sentences:
        for a in sf.actors:
            event.evidence.append(evidence(analysis, "actor", a.start, a.end))
    casualty_fields(event, draft, analysis)
    harmed = {c.side for sf in draft.sentences for c in sf.casualties
              if c.kind in ("killed", "injured")}
    unnamed = bool(harmed) and harmed <= {None, "person", "civilians"}
    if event.actor2 is None and ("civilians" in harmed or (
            unnamed and event.event_type == "Explosions/Remote violence")):
        # the unnamed dead of a bombing or strike that hit no named force are civilians
        event.actor2 = "civilians"
    elif event.event_type == "Explosions/Remote violence" and event.killed and \
            set(event.killed) == {"civilians"} and event.actor2 != "civilians":
        # "قصف جوي على صعدة، معقل الحوثيين، قتل 21 مدنياً": the strike's victims were all
        # civilians; the group the text names around the place is not its target
        event.actor2 = "civilians"

    _adjust_type(event, draft)
    if event.event_type == "Violence against civilians" and event.actor2 is None:
        event.actor2 = "civilians"
    if event.sub_event_type == "Peaceful protest":
        event.actor2 = None
    if event.event_type == "Riots":
        event.actor1 = "rioters" if event.actor1 == "protesters" else event.actor1
        event.actor2 = "rioters" if event.actor2 == "protesters" else event.actor2
        if "protesters" in event.killed:
            event.killed["rioters"] = event.killed.pop("protesters")
    if event.country is None:
        info = actor_info(event.actor1) if event.actor1 else None
        if info is not None and len(info.where) == 1 and info.where[0] != "*":
            event.country = info.where[0]
    event.background = draft.background
    event.confidence = min(1.0, 0.4 + 0.1 * len(draft.sentences)
                           + (0.2 if place is not None else 0) + (0.1 if actor1 else 0))
    return event


def _grounded(event: Event, draft_priority: int = 100, dated: bool = True,
              reported: bool = False) -> bool:
    """An incident needs something concrete: a place, an actor named, or a figure."""
    figures = bool(event.fatalities or event.injured or event.arrested)
    if draft_priority < _KILLING_ONLY:
        # a bare "قتل" with no incident word needs a place to be an incident
        return event.location.name is not None
    if figures:
        return True
    # with no figure, a place alone is too little ("تفقد موقع التفجير في مدينة عالية"):
    # an incident report also says when, or who fought whom
    named = event.actor1 not in (None, *_DEFAULT_ACTOR1.values()) or event.actor2 is not None
    return event.location.name is not None and (named or dated or reported)


def _reports(draft: Draft) -> bool:
    """Whether a sentence of the draft says the incident happened with a verb ("انفجرت
    قنبلة", "وقع التفجير"), not only names it ("تفقد موقع التفجير")."""
    return any(sf.trigger is not None and not sf.mention and not sf.negated and (
        any(reads_as_verb(sf.toks, t) for t in sf.triggers if t.value.event_type in _VIOLENT)
        or any(m.value == "occurred" for m in sf.modalities))
        for sf in draft.sentences)


def _keep(event: Event, events: list[Event], settings: Settings) -> bool:
    if event.background and not settings.background_events:
        return False
    if (event.event_type == "Strategic developments" and event.sub_event_type != "Arrests"
            and not settings.standalone_strategic_developments):
        return any(other.event_type != "Strategic developments" and not other.background
                   and other.country == event.country and other.admin1 == event.admin1
                   for other in events)
    return True


def assemble(analysis: ArticleAnalysis,
             settings: Settings | None = None) -> tuple[list[Event], list[Statistic]]:
    """Events and statistics of an analysed article."""
    settings = settings or default_settings()
    drafts = group_sentences(analysis)
    fallback_place = _fallback_place(analysis)
    fallback_date = _fallback_date(analysis)
    events: list[Event] = []
    for draft in drafts:
        place = draft.place or fallback_place
        date = draft.date or (None if draft.background else fallback_date)
        events.append(build_event(draft, analysis, place, date))
    events = [e for e, d in zip(events, drafts, strict=True) if _keep(e, events, settings)
              and _grounded(e, d.priority, any(sf.dates for sf in d.sentences), _reports(d))]
    _inherit_attacker(events)
    return events, build_statistics(analysis)


def _inherit_attacker(events: list[Event]) -> None:
    """"وقتل ثلاثة في غارتين جويتين على مدينة غزة" after "غارة إسرائيلية على رفح": a strike
    or shelling told without its author, in an article whose other strikes of that kind all
    have one author, is that author's (armed forces strike from the air and with artillery;
    a bomb or an ambush without a claim stays unidentified)."""
    for event in events:
        if event.sub_event_type not in _STANDOFF or \
                event.actor1 != _DEFAULT_ACTOR1.get(event.event_type):
            continue
        authors = {other.actor1 for other in events if other is not event
                   and other.sub_event_type == event.sub_event_type
                   and other.actor1 not in (None, *_DEFAULT_ACTOR1.values(), "civilians")}
        if len(authors) == 1 and event.actor2 not in authors:
            event.actor1 = authors.pop()
