"""Score extracted records against hand-coded gold records.

The rules are the project's reference conventions (``shared/eval/score.py``), written again so
that the scorer ships with rasad and a user can measure extraction on their own sample:

* two events can pair when they agree on the country, their dates are at most three days
  apart (or one is unknown) and they agree on the place (at least the first-level unit) or on
  the event type; the pair's score weighs place, date, type, actors and fatalities, and pairs
  are taken greedily, best first, one to one;
* gold events marked ``"optional": true`` are neither required nor held against a prediction
  that matches them;
* fields are compared only on matched required events, and only where the gold states them;
* statistics match as a multiset of (metric, value);
* a quiet article (no required gold event) raises a false alarm when any prediction in it is
  left unmatched.

Figures are rounded exactly as the reference scorer rounds them, so both give the same numbers.
Raw counts live in ``Tally``, which adds up over sets, so pooled figures are the figures of the
sets scored together.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from rasad.errors import InputError

Record = Mapping[str, Any]

EVENT_TYPES: dict[str, frozenset[str]] = {
    "Battles": frozenset({"Armed clash", "Government regains territory",
                          "Non-state actor overtakes territory"}),
    "Explosions/Remote violence": frozenset({
        "Chemical weapon", "Air/drone strike", "Suicide bomb",
        "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"}),
    "Violence against civilians": frozenset({"Sexual violence", "Attack",
                                             "Abduction/forced disappearance"}),
    "Protests": frozenset({"Peaceful protest", "Protest with intervention",
                           "Excessive force against protesters"}),
    "Riots": frozenset({"Violent demonstration", "Mob violence"}),
    "Strategic developments": frozenset({
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction",
        "Non-violent transfer of territory", "Other"}),
}

FIELDS: tuple[str, ...] = ("event_type", "sub_event_type", "date", "admin1", "location",
                           "actors", "fatalities", "killed_by_side", "injured", "arrested")

# Fields that must all be right (where gold states them) for an event to count as strictly right.
STRICT_FIELDS: tuple[str, ...] = ("event_type", "date", "admin1", "fatalities")

# Forces counted under their parent side when killed-by-side breakdowns are compared.
PARENT_SIDE: dict[str, str] = {"asayish": "sdf"}

# Place-name keys: settlement-class words and directions carry no identity of their own, so
# "مدينة الرقة" and "الرقة" meet. This is a scoring convention shared with the reference
# scorer, not a lexicon: changing it changes every published figure.
_GENERIC_PLACE_WORDS = frozenset({
    "مدينه", "بلده", "قريه", "حي", "مخيم", "ناحيه", "منطقه", "محافظه", "ريف", "مركز", "قضاء",
    "ولايه", "مديريه", "شرقي", "غربي", "شمالي", "جنوبي", "الشرقي", "الغربي", "الشمالي",
    "الجنوبي"})
_LATIN_PLACE_PARTICLES = frozenset({
    "al", "el", "ar", "as", "ad", "az", "ez", "ash", "at", "an", "ed", "es", "et", "governorate",
    "province", "muhafazat", "wilayat", "district", "city", "town", "village", "camp",
    "neighbourhood", "neighborhood"})
# First-level units whose common Latin spellings a consonant skeleton cannot join.
_ADMIN1_SPELLINGS = {
    "ladhiqiyah": "latakia", "lattakia": "latakia", "halab": "aleppo", "dimashq": "damascus",
    "rifdimashq": "ruraldamascus", "damascuscountryside": "ruraldamascus",
    "rifdimashk": "ruraldamascus", "reefdamascus": "ruraldamascus",
    "ninawa": "nineveh", "ninewa": "nineveh", "ninawah": "nineveh", "saladin": "salahaldin",
    "salahuddin": "salahaldin", "salahaddin": "salahaldin", "tamim": "kirkuk",
    "arbil": "erbil", "hawler": "erbil", "dohuk": "duhok", "dahuk": "duhok",
    "sulaymaniyah": "sulaymaniyah", "sulaimaniya": "sulaymaniyah",
    "hodeidah": "hudaydah", "hodeida": "hudaydah", "alhudaydah": "hudaydah",
    "sadah": "saada", "sada": "saada", "taizz": "taiz", "tazz": "taiz",
    "amanatalasimah": "sanaa", "sanaacity": "sanaa", "hadhramaut": "hadramawt",
    "hadramout": "hadramawt", "northsinai": "northsinai", "shamalsina": "northsinai",
    "banghazi": "benghazi", "tarabulus": "tripoli", "northdarfur": "northdarfur",
    "shamaldarfur": "northdarfur", "southdarfur": "southdarfur", "januubdarfur": "southdarfur",
    "banaadir": "banadir", "benadir": "banadir",
}

_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_WORD = re.compile("[\u0621-\u064a]+")
_HAS_ARABIC = re.compile("[\u0621-\u064a]")
_ALEF_FORMS = re.compile("[أإآٱ]")
_LETTER_FOLDS = str.maketrans({"ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
EARTH_RADIUS_KM = 6371.0
SAME_PLACE_KM = 10.0
MIN_PAIR_SCORE = 2.5


# ---------------------------------------------------------------- value readers

def as_int(value: Any) -> int | None:
    """An integer from a JSON value; ``None`` when absent or not a whole number."""
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def as_date(value: Any) -> dt.date | None:
    """The calendar day of an ISO date or date-time; ``None`` when absent or unreadable."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def place_key(text: str | None) -> str:
    """An Arabic place name folded to a comparable key (no marks, article or class words)."""
    if not text:
        return ""
    folded = _ALEF_FORMS.sub("ا", _ARABIC_MARKS.sub("", text)).translate(_LETTER_FOLDS)
    kept = []
    for word in _ARABIC_WORD.findall(folded):
        if word in _GENERIC_PLACE_WORDS:
            continue
        if word.startswith("ال") and len(word) > 3:
            word = word[2:]
        kept.append(word)
    return "".join(kept)


def _latin_words(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    for mark in ("'", "\u2019", "\u02bf", "\u02be"):
        plain = plain.replace(mark, "")
    return [w for w in re.split(r"[^a-z0-9]+", plain) if w and w not in _LATIN_PLACE_PARTICLES]


def name_skeleton(text: str | None) -> str:
    """A place name reduced so spellings meet: Raqqa / Ar-Raqqah, Idleb / Idlib."""
    if not text:
        return ""
    if _HAS_ARABIC.search(text):
        return "ar:" + place_key(text)
    joined = "".join(_latin_words(text))
    joined = _ADMIN1_SPELLINGS.get(joined, joined)
    consonants = re.sub(r"[aeiouyhw]", "", joined)
    return re.sub(r"(.)\1+", r"\1", consonants)


def actor_ids(event: Record) -> set[str]:
    """All actors of an event (both sides and associates), case-folded."""
    ids = [event.get("actor1"), event.get("actor2"), *(event.get("assoc_actors") or [])]
    return {str(a).strip().lower() for a in ids if a}


def set_f1(gold: set[str], pred: set[str]) -> float:
    """F1 of two sets; two empty sets agree fully."""
    if not gold and not pred:
        return 1.0
    hits = len(gold & pred)
    if hits == 0:
        return 0.0
    precision, recall = hits / len(pred), hits / len(gold)
    return 2 * precision * recall / (precision + recall)


def distance_km(a: Record, b: Record) -> float | None:
    """Great-circle distance between two locations; ``None`` when either lacks coordinates."""
    try:
        lat1, lon1, lat2, lon2 = (math.radians(float(x))
                                  for x in (a["lat"], a["lon"], b["lat"], b["lon"]))
    except (KeyError, TypeError, ValueError):
        return None
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


# ---------------------------------------------------------------- event comparison

def same_admin1(gold: Record, pred: Record) -> bool:
    key = name_skeleton(gold.get("admin1"))
    return bool(key) and key == name_skeleton(pred.get("admin1"))


def _arabic_place_keys(event: Record) -> set[str]:
    loc = event.get("location") or {}
    names = (loc.get("name_ar"), loc.get("sublocation_ar"), event.get("sublocation_ar"))
    return {place_key(n) for n in names} - {""}


def same_location(gold: Record, pred: Record) -> bool:
    """Same place by Arabic name, by Latin name or by coordinates within 10 km."""
    if _arabic_place_keys(gold) & _arabic_place_keys(pred):
        return True
    gloc, ploc = gold.get("location") or {}, pred.get("location") or {}
    gname = name_skeleton(gloc.get("name"))
    if gname and gname == name_skeleton(ploc.get("name")):
        return True
    km = distance_km(gloc, ploc)
    return km is not None and km <= SAME_PLACE_KM


def date_agreement(gold: Record, pred: Record) -> float | None:
    """1 same day, 0.8 a day apart, 0.3 up to three days, 0.5 unknown, None contradictory."""
    gday, pday = as_date(gold.get("date")), as_date(pred.get("date"))
    if gday is None or pday is None:
        return 0.5
    gap = abs((gday - pday).days)
    if gap == 0:
        return 1.0
    if gap == 1:
        return 0.8
    if gap <= 3:
        return 0.3
    return None


def place_agreement(gold: Record, pred: Record) -> float:
    if same_location(gold, pred):
        return 1.0
    if same_admin1(gold, pred):
        return 0.5
    return 0.1


def pair_score(gold: Record, pred: Record) -> float | None:
    """How well a prediction fits a gold event; ``None`` when they cannot be the same event."""
    if (gold.get("country") or "").upper() != (pred.get("country") or "").upper():
        return None
    when = date_agreement(gold, pred)
    if when is None:
        return None
    where = place_agreement(gold, pred)
    same_type = gold.get("event_type") == pred.get("event_type")
    score = 2 * where + 2 * when
    score += 1.0 if same_type else 0.0
    score += set_f1(actor_ids(gold), actor_ids(pred))
    score += 0.5 if as_int(gold.get("fatalities")) == as_int(pred.get("fatalities")) else 0.0
    if where < 0.5 and not same_type:
        return None
    return score if score >= MIN_PAIR_SCORE else None


def match_events(gold: list[Record], pred: list[Record]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching, best-scoring pair first; (gold index, pred index) pairs."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            score = pair_score(g, p)
            if score is not None:
                candidates.append((score, gi, pi))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        pairs.append((gi, pi))
    return pairs


def by_parent_side(breakdown: Mapping[str, Any] | None) -> dict[str, int]:
    """A killed-by-side breakdown with sub-forces counted under their parent side."""
    out: dict[str, int] = {}
    for side, count in (breakdown or {}).items():
        key = str(side).lower()
        key = PARENT_SIDE.get(key, key)
        out[key] = out.get(key, 0) + (as_int(count) or 0)
    return out


def same_count(gold: Any, pred: Any) -> bool:
    """Counts agree; an unstated figure (null) equals zero."""
    return (as_int(gold) or 0) == (as_int(pred) or 0)


def _killed_by_side(gold: Record, pred: Record) -> float | None:
    if not gold.get("killed"):
        return None
    pred_sides = by_parent_side(pred.get("killed"))
    return float(all(same_count(n, pred_sides.get(side))
                     for side, n in by_parent_side(gold["killed"]).items()))


def _optional_count(gold: Record, pred: Record, key: str) -> float | None:
    if gold.get(key) is None:
        return None
    return float(same_count(gold.get(key), pred.get(key)))


def compare_fields(gold: Record, pred: Record) -> dict[str, float | None]:
    """Per-field agreement (0..1) of a matched pair; ``None`` where gold leaves the field open."""
    gday = as_date(gold.get("date"))
    return {
        "event_type": float(gold.get("event_type") == pred.get("event_type")),
        "sub_event_type": float(gold.get("sub_event_type") == pred.get("sub_event_type")),
        "date": float(gday == as_date(pred.get("date"))) if gday else None,
        "admin1": float(same_admin1(gold, pred)) if gold.get("admin1") else None,
        "location": float(same_location(gold, pred)) if (gold.get("location") or {}) else None,
        "actors": set_f1(actor_ids(gold), actor_ids(pred)),
        "fatalities": float(same_count(gold.get("fatalities"), pred.get("fatalities"))),
        "killed_by_side": _killed_by_side(gold, pred),
        "injured": _optional_count(gold, pred, "injured"),
        "arrested": _optional_count(gold, pred, "arrested"),
    }


def strictly_right(fields: Mapping[str, float | None]) -> bool:
    return all(fields[k] in (None, 1.0) for k in STRICT_FIELDS)


def statistic_key(stat: Record) -> tuple[str, int | None]:
    return (str(stat.get("metric", "")).lower(), as_int(stat.get("value")))


# ---------------------------------------------------------------- schema check

def _span_problems(where: str, event: Record, text: str) -> list[str]:
    spans = event.get("evidence") or []
    if not spans:
        return [f"{where}: no evidence spans"]
    problems = []
    for span in spans:
        start, end = as_int(span.get("start")), as_int(span.get("end"))
        if start is None or end is None or not 0 <= start < end <= len(text):
            problems.append(f"{where}: evidence span {span} outside the text")
    return problems


def schema_problems(pred: Record, texts: Mapping[str, str]) -> list[str]:
    """What in one predicted record breaks SCHEMA.md: types, dates, counts, evidence offsets.

    Evidence is checked only for articles whose text is known.
    """
    problems = []
    text = texts.get(pred.get("id"))  # type: ignore[arg-type]
    for i, event in enumerate(pred.get("events") or []):
        where = f"{pred.get('id')} event {i}"
        etype, subtype = event.get("event_type"), event.get("sub_event_type")
        if etype not in EVENT_TYPES:
            problems.append(f"{where}: unknown event_type {etype!r}")
        elif subtype not in EVENT_TYPES[etype]:
            problems.append(f"{where}: sub_event_type {subtype!r} not under {etype!r}")
        if event.get("date") and as_date(event["date"]) is None:
            problems.append(f"{where}: bad date {event['date']!r}")
        if as_int(event.get("fatalities")) is None:
            problems.append(f"{where}: fatalities must be an integer")
        if text is not None:
            problems += _span_problems(where, event, text)
    return problems


# ---------------------------------------------------------------- tallies and reports

@dataclass(frozen=True, slots=True)
class ScoringError:
    """One difference between gold and prediction, for error analysis and ``--diff``.

    ``kind`` groups alike differences: "missed Armed clash", "invented Air/drone strike",
    "miscoded fatalities", "missed statistic killed", "invented statistic events".
    """

    kind: str
    article: str
    gold: Any
    pred: Any

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "article": self.article, "gold": self.gold,
                "pred": self.pred}


@dataclass(slots=True)
class Tally:
    """Raw counts behind the figures; tallies of several sets add up to the pooled tally."""

    articles: int = 0
    missing_predictions: int = 0
    required_events: int = 0
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    strict_events: int = 0
    field_values: dict[str, list[float]] = field(
        default_factory=lambda: {name: [] for name in FIELDS})
    statistic_hits: int = 0
    statistic_invented: int = 0
    statistic_missed: int = 0
    quiet_articles: int = 0
    quiet_false_alarms: int = 0
    gold_fatalities: int = 0
    pred_fatalities: int = 0
    problems: list[str] = field(default_factory=list)

    def merge(self, other: Tally) -> None:
        """Add another tally's counts to this one (field values keep their order)."""
        for spec in fields(self):
            mine, theirs = getattr(self, spec.name), getattr(other, spec.name)
            if isinstance(mine, dict):
                for key, values in theirs.items():
                    mine.setdefault(key, []).extend(values)
            elif isinstance(mine, list):
                mine.extend(theirs)
            else:
                setattr(self, spec.name, mine + theirs)

    def report(self) -> Report:
        return Report.from_tally(self)


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _harmonic(precision: float | None, recall: float | None) -> float:
    """F1 from the rounded precision and recall, as the reference scorer computes it."""
    if not precision or not recall:
        return 0.0
    return round(2 * precision * recall / (precision + recall), 4)


@dataclass(frozen=True, slots=True)
class Report:
    """The published figures; ``to_dict`` has the reference scorer's keys and values."""

    articles: int
    articles_missing_from_prediction: int
    gold_events: int
    event_precision: float | None
    event_recall: float | None
    event_f1: float
    strict_event_accuracy: float | None
    field_accuracy: dict[str, float | None]
    statistic_precision: float | None
    statistic_recall: float | None
    statistic_f1: float
    quiet_articles: int
    quiet_article_false_alarm_rate: float | None
    fatalities_gold_total: int
    fatalities_pred_total: int
    schema_problems: int
    schema_problem_examples: list[str]

    @classmethod
    def from_tally(cls, t: Tally) -> Report:
        precision = _ratio(t.true_positives, t.true_positives + t.false_positives)
        recall = _ratio(t.true_positives, t.true_positives + t.false_negatives)
        s_precision = _ratio(t.statistic_hits, t.statistic_hits + t.statistic_invented)
        s_recall = _ratio(t.statistic_hits, t.statistic_hits + t.statistic_missed)
        return cls(
            articles=t.articles,
            articles_missing_from_prediction=t.missing_predictions,
            gold_events=t.required_events,
            event_precision=precision, event_recall=recall,
            event_f1=_harmonic(precision, recall),
            strict_event_accuracy=_ratio(t.strict_events, t.required_events),
            field_accuracy={k: _ratio(sum(v), len(v)) for k, v in t.field_values.items()},
            statistic_precision=s_precision, statistic_recall=s_recall,
            statistic_f1=_harmonic(s_precision, s_recall),
            quiet_articles=t.quiet_articles,
            quiet_article_false_alarm_rate=_ratio(t.quiet_false_alarms, t.quiet_articles),
            fatalities_gold_total=t.gold_fatalities,
            fatalities_pred_total=t.pred_fatalities,
            schema_problems=len(t.problems),
            schema_problem_examples=t.problems[:10],
        )

    def to_dict(self) -> dict[str, Any]:
        return {spec.name: getattr(self, spec.name) for spec in fields(self)}


@dataclass(slots=True)
class SetScore:
    """The tally of one set of articles and every difference found in it."""

    tally: Tally = field(default_factory=Tally)
    errors: list[ScoringError] = field(default_factory=list)

    def merge(self, other: SetScore) -> None:
        self.tally.merge(other.tally)
        self.errors.extend(other.errors)


# ---------------------------------------------------------------- scoring

def describe_event(event: Record) -> str:
    """A one-line summary of an event for error listings."""
    loc = event.get("location") or {}
    return (f"{event.get('date')} {event.get('sub_event_type')} @ "
            f"{loc.get('name_ar') or loc.get('name')} ({event.get('admin1')}) "
            f"{sorted(actor_ids(event))} killed={event.get('fatalities')}")


def field_value(event: Record, name: str) -> Any:
    """What an event says for a compared field, as shown in error listings."""
    if name == "actors":
        return sorted(actor_ids(event))
    if name == "location":
        loc = event.get("location") or {}
        return loc.get("name_ar") or loc.get("name")
    if name == "killed_by_side":
        return by_parent_side(event.get("killed")) or None
    return event.get(name)


def _score_pairs(aid: str, gold: list[Record], pred: list[Record],
                 pairs: list[tuple[int, int]], out: SetScore) -> None:
    t = out.tally
    for gi, pi in pairs:
        if gold[gi].get("optional"):
            continue
        t.true_positives += 1
        agreement = compare_fields(gold[gi], pred[pi])
        for name, value in agreement.items():
            if value is not None:
                t.field_values[name].append(value)
        t.strict_events += strictly_right(agreement)
        for name, value in agreement.items():
            if value is not None and value < 1.0:
                out.errors.append(ScoringError(f"miscoded {name}", aid,
                                               field_value(gold[gi], name),
                                               field_value(pred[pi], name)))


def _score_events(aid: str, gold: list[Record], pred: list[Record], out: SetScore) -> None:
    t = out.tally
    pairs = match_events(gold, pred)
    _score_pairs(aid, gold, pred, pairs, out)
    matched_gold = {gi for gi, _ in pairs}
    matched_pred = {pi for _, pi in pairs}
    on_optional = {pi for gi, pi in pairs if gold[gi].get("optional")}
    required = [gi for gi, g in enumerate(gold) if not g.get("optional")]
    t.required_events += len(required)
    for gi in required:
        if gi not in matched_gold:
            t.false_negatives += 1
            out.errors.append(ScoringError(f"missed {gold[gi].get('sub_event_type')}", aid,
                                           describe_event(gold[gi]), None))
    unmatched = [pi for pi in range(len(pred)) if pi not in matched_pred]
    for pi in unmatched:
        t.false_positives += 1
        out.errors.append(ScoringError(f"invented {pred[pi].get('sub_event_type')}", aid,
                                       None, describe_event(pred[pi])))
    t.gold_fatalities += sum(as_int(gold[gi].get("fatalities")) or 0 for gi in required)
    t.pred_fatalities += sum(as_int(p.get("fatalities")) or 0
                             for pi, p in enumerate(pred) if pi not in on_optional)
    if not required:
        t.quiet_articles += 1
        t.quiet_false_alarms += bool(unmatched)


def _score_statistics(aid: str, gold: list[Record], pred: list[Record], out: SetScore) -> None:
    remaining = [statistic_key(s) for s in gold]
    for key in (statistic_key(s) for s in pred):
        if key in remaining:
            remaining.remove(key)
            out.tally.statistic_hits += 1
        else:
            out.tally.statistic_invented += 1
            out.errors.append(ScoringError(f"invented statistic {key[0]}", aid, None, key[1]))
    out.tally.statistic_missed += len(remaining)
    for metric, value in remaining:
        out.errors.append(ScoringError(f"missed statistic {metric}", aid, value, None))


def score(gold: Mapping[str, Record], pred: Mapping[str, Record],
          texts: Mapping[str, str] | None = None) -> SetScore:
    """Score predicted records against gold records, both keyed by article id.

    Articles absent from ``pred`` count as predicting nothing; predictions for articles absent
    from ``gold`` are ignored. With ``texts`` (article id → text) evidence offsets are checked.
    """
    out = SetScore()
    for aid, g in gold.items():
        out.tally.articles += 1
        if aid not in pred:
            out.tally.missing_predictions += 1
        p = pred.get(aid, {"events": [], "statistics": []})
        if texts is not None:
            out.tally.problems += schema_problems(p, texts)
        _score_events(aid, list(g.get("events") or []), list(p.get("events") or []), out)
        _score_statistics(aid, list(g.get("statistics") or []),
                          list(p.get("statistics") or []), out)
    return out


def pool(scores: Iterable[SetScore]) -> SetScore:
    """All sets scored together."""
    total = SetScore()
    for one in scores:
        total.merge(one)
    return total


# ---------------------------------------------------------------- files

def read_records(path: str | Path) -> dict[str, dict[str, Any]]:
    """JSONL records keyed by their ``id`` (a later duplicate replaces an earlier one)."""
    records: dict[str, dict[str, Any]] = {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise InputError(f"{path}:{number}: a record must be a JSON object")
        records[str(record.get("id"))] = record
    return records
