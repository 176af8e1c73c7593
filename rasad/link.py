"""Link reports of the same real event across articles, and fuse them into one linked event.

Many outlets report one attack with different districts, tolls and dates. The linker:

1. **blocks** candidates by country and by a date window: the event date (±3 days when only
   the week is known, ±15 when only the month), or, when the article gives no date, the three
   days up to its publication. Windows must meet within one day. An event with neither an
   event date nor a publication date is never linked (it could be any time).
2. **scores** each candidate pair on event type, place (same settlement name, distance, or same
   governorate when one report only names that), actors (with "unidentified" as a wildcard and
   Asayish counted with the SDF), date agreement and fatality figures. Conflicting figures
   lower the score only a little: outlets disagree on tolls all the time.
3. **clusters** pairs best-first (single link) under three guards: two events of one article are
   never one linked event (the article already said they differ), a cluster's dated reports
   span at most two days (so a battle reported day after day does not chain into one), and
   analysts' *cannot-link* decisions hold; analysts' *must-link* decisions are applied first.
4. **names** clusters stably: a new clustering inherits the id of the old cluster it overlaps
   most, so ids survive re-runs and new reports; merges and splits are reported as changes.

Everything here is pure (plain values in, plain values out) so the same code links gold
events for evaluation (``tools/score_links_dev.py``) and the store's rows.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import statistics as stats
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rasad.records import as_date

THRESHOLD = 0.75
MAX_SPAN_DAYS = 2
WEIGHTS = {"type": 0.30, "place": 0.30, "actors": 0.20, "date": 0.15, "fatalities": 0.05}
VIOLENT = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
DEMONSTRATIONS = frozenset({"Protests", "Riots"})
ACTOR_ALIASES = {"asayish": "sdf", "syrian_gov_forces_2024": "syrian_gov_forces"}
WILDCARD_ACTORS = frozenset({"unidentified_armed_group", "unidentified_military"})
_ARTICLE_PREFIX = re.compile(r"^(?:al|ar|as|ad|at|az|an|ash|el|ad-|as-)[\s\-']+")


@dataclass(frozen=True, slots=True)
class LinkItem:
    """What the linker needs to know about one extracted event."""

    key: str
    article_id: str
    country: str | None
    event_type: str
    sub_event_type: str
    date: dt.date | None = None
    date_precision: int | None = None
    published: dt.date | None = None
    place: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: int | None = None
    actor1: str | None = None
    actor2: str | None = None
    actors: frozenset[str] = frozenset()
    fatalities: int = 0


def place_key(name: str | None) -> str | None:
    """A folded settlement name: 'Ar Raqqah', 'al-Raqqa' and 'Raqqa' give the same key."""
    if not name:
        return None
    text = _ARTICLE_PREFIX.sub("", name.strip().lower())
    text = re.sub(r"[^a-z0-9\u0600-\u06ff]+", "", text)
    return text.rstrip("h") or None


def actor_key(actor: str | None) -> str | None:
    if not actor:
        return None
    actor = actor.strip().lower()
    return ACTOR_ALIASES.get(actor, actor)


def item_from_event(key: str, article_id: str, event: Mapping[str, Any],
                    published: Any = None) -> LinkItem:
    """A ``LinkItem`` from a SCHEMA event dict (``location`` nested) or a flat store row."""
    loc = event.get("location") or {}
    names = [actor_key(event.get("actor1")), actor_key(event.get("actor2"))]
    names += [actor_key(a) for a in event.get("assoc_actors") or ()]
    return LinkItem(
        key=key, article_id=str(article_id), country=event.get("country"),
        event_type=event.get("event_type") or "", sub_event_type=event.get("sub_event_type") or "",
        date=as_date(event.get("date")), date_precision=event.get("date_precision"),
        published=as_date(published),
        place=place_key(loc.get("name", event.get("location_name"))),
        admin1=event.get("admin1"), lat=loc.get("lat", event.get("lat")),
        lon=loc.get("lon", event.get("lon")),
        geo_precision=loc.get("geo_precision", event.get("geo_precision")),
        actor1=names[0], actor2=names[1], actors=frozenset(n for n in names if n),
        fatalities=int(event.get("fatalities") or 0))


def window(item: LinkItem) -> tuple[dt.date, dt.date] | None:
    """The days the event may have happened on; ``None`` when nothing anchors it in time."""
    if item.date is not None:
        spread = {2: 3, 3: 15}.get(item.date_precision or 1, 0)
        return item.date - dt.timedelta(spread), item.date + dt.timedelta(spread)
    if item.published is not None:
        return item.published - dt.timedelta(3), item.published
    return None


def _distance_km(a: LinkItem, b: LinkItem) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)  # type: ignore[arg-type]
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)  # type: ignore[operator]
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


def type_score(a: LinkItem, b: LinkItem) -> float:
    if a.sub_event_type == b.sub_event_type and a.event_type == b.event_type:
        return 1.0
    if a.event_type == b.event_type:
        return 0.75
    if {a.event_type, b.event_type} <= VIOLENT or {a.event_type, b.event_type} <= DEMONSTRATIONS:
        return 0.5
    return 0.0


def place_score(a: LinkItem, b: LinkItem) -> float:
    """1 same settlement; less for nearby or governorate-only reports; 0 different places."""
    if a.place and a.place == b.place:
        return 1.0
    coarse = (a.geo_precision or 3) >= 3 or (b.geo_precision or 3) >= 3 or not (a.place and b.place)
    if coarse:
        if a.admin1 and b.admin1:
            return 0.6 if a.admin1 == b.admin1 else 0.0
        return 0.4
    distance = _distance_km(a, b)
    if distance is None:
        return 0.0
    if max(a.geo_precision or 1, b.geo_precision or 1) == 1:
        return 0.9 if distance <= 3 else 0.0
    return 0.7 if distance <= 15 else 0.0


def actor_score(a: LinkItem, b: LinkItem) -> float:
    if not a.actors or not b.actors:
        return 0.5
    if a.actor1 == b.actor1 and a.actor2 == b.actor2:
        return 1.0
    if a.actor1 == b.actor2 and a.actor2 == b.actor1:
        return 0.9
    named_a, named_b = a.actors - WILDCARD_ACTORS, b.actors - WILDCARD_ACTORS
    if named_a & named_b:
        return 0.7
    if a.actors & WILDCARD_ACTORS or b.actors & WILDCARD_ACTORS:
        return 0.5
    return 0.1


def date_score(a: LinkItem, b: LinkItem) -> float:
    wa, wb = window(a), window(b)
    if wa is None or wb is None:
        return 0.0
    if wa == wb and wa[0] == wa[1]:
        return 1.0
    gap = max(wa[0], wb[0]) - min(wa[1], wb[1])
    if gap.days <= 0:
        return 0.8 if a.date and b.date else 0.6
    return 0.5 if gap.days <= 1 else 0.0


def fatality_score(a: LinkItem, b: LinkItem) -> float:
    if not a.fatalities or not b.fatalities:
        return 0.6
    ratio = min(a.fatalities, b.fatalities) / max(a.fatalities, b.fatalities)
    return 1.0 if ratio >= 0.5 else 0.7 if ratio >= 0.2 else 0.4


def score_pair(a: LinkItem, b: LinkItem) -> float:
    """How likely two reports describe one event: 0 when a hard condition fails."""
    if a.country != b.country or a.country is None or a.article_id == b.article_id:
        return 0.0
    parts = {"type": type_score(a, b), "place": place_score(a, b), "date": date_score(a, b)}
    if parts["type"] == 0 or parts["place"] < 0.4 or parts["date"] == 0:
        return 0.0
    parts["actors"] = actor_score(a, b)
    parts["fatalities"] = fatality_score(a, b)
    return round(sum(WEIGHTS[k] * v for k, v in parts.items()), 4)


def candidate_pairs(items: Sequence[LinkItem]) -> list[tuple[float, str, str]]:
    """Scored pairs above the threshold, blocked by country and a sorted sweep over windows."""
    by_country: dict[str, list[tuple[dt.date, dt.date, LinkItem]]] = {}
    for item in items:
        span = window(item)
        if span is not None and item.country:
            by_country.setdefault(item.country, []).append((span[0], span[1], item))
    pairs = []
    for block in by_country.values():
        block.sort(key=lambda t: (t[0], t[2].key))
        for i, (_, hi, a) in enumerate(block):
            for lo_b, _, b in block[i + 1:]:
                if (lo_b - hi).days > 1:
                    break
                score = score_pair(a, b)
                if score >= THRESHOLD:
                    first, second = sorted((a.key, b.key))
                    pairs.append((score, first, second))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return pairs


@dataclass(slots=True)
class _Group:
    members: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    dates: list[dt.date] = field(default_factory=list)


def cluster(items: Sequence[LinkItem], must: Iterable[tuple[str, str]] = (),
            cannot: Iterable[tuple[str, str]] = ()) -> list[list[str]]:
    """Partition item keys into clusters (each sorted; singletons included)."""
    index = {item.key: item for item in items}
    groups = {k: _Group({k}, {i.article_id}, [i.date] if i.date else []) for k, i in index.items()}
    owner = {k: k for k in index}
    forbidden: dict[str, set[str]] = {}
    for x, y in cannot:
        forbidden.setdefault(x, set()).add(y)
        forbidden.setdefault(y, set()).add(x)

    def join(x: str, y: str, checked: bool, same_article: bool = False) -> None:
        gx, gy = owner[x], owner[y]
        if gx == gy:
            return
        a, b = groups[gx], groups[gy]
        if checked and not _may_join(a, b, forbidden, same_article):
            return
        if len(a.members) < len(b.members) or (len(a.members) == len(b.members) and gy < gx):
            gx, gy, a, b = gy, gx, b, a
        a.members |= b.members
        a.articles |= b.articles
        a.dates += b.dates
        for k in b.members:
            owner[k] = gx
        del groups[gy]

    for x, y in must:
        if x in index and y in index:
            join(x, y, checked=False)
    for x, y in same_incident_pairs(items):
        join(x, y, checked=True, same_article=True)
    for _, x, y in candidate_pairs(items):
        join(x, y, checked=True)
    return sorted((sorted(g.members) for g in groups.values()), key=lambda m: m[0])


def _dyads_agree(a: LinkItem, b: LinkItem) -> bool:
    sides_a, sides_b = a.actors - WILDCARD_ACTORS, b.actors - WILDCARD_ACTORS
    return not sides_a or not sides_b or sides_a <= sides_b or sides_b <= sides_a


def same_incident_pairs(items: Sequence[LinkItem]) -> list[tuple[str, str]]:
    """Pairs of one article's events that are one incident coded twice.

    An article often codes one attack as two events (a suicide bombing and the clash that
    followed; an IED and the gunfire): same settlement, same day, both violent (or both
    demonstrations) and the same sides. Other outlets report the same attack as either, so
    both go into one linked event; events with other sides, days or places stay apart.
    """
    by_article: dict[str, list[LinkItem]] = {}
    for item in items:
        if item.place and item.date:
            by_article.setdefault(item.article_id, []).append(item)
    pairs = []
    for group in by_article.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if (a.place == b.place and a.date == b.date and a.event_type != b.event_type
                        and type_score(a, b) >= 0.5 and _dyads_agree(a, b)):
                    pairs.append((a.key, b.key))
    return pairs


def _may_join(a: _Group, b: _Group, forbidden: Mapping[str, set[str]],
              same_article: bool = False) -> bool:
    if a.articles & b.articles and not same_article:
        return False
    dates = a.dates + b.dates
    if dates and (max(dates) - min(dates)).days > MAX_SPAN_DAYS:
        return False
    small, big = (a, b) if len(a.members) <= len(b.members) else (b, a)
    return not any(forbidden.get(k, set()) & big.members for k in small.members)


def new_link_id(founder: str, is_taken: Callable[[str], bool] = lambda _: False) -> str:
    """A link id derived from the key of the cluster's earliest report (not yet taken)."""
    salt = 0
    while True:
        seed = founder if salt == 0 else f"{founder}#{salt}"
        candidate = "L" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:12]
        if not is_taken(candidate):
            return candidate
        salt += 1


@dataclass(slots=True)
class Assignment:
    """Ids for a new clustering and what changed relative to the old one."""

    ids: list[str]
    changes: list[dict[str, Any]]
    retired: dict[str, str | None]  # old id no longer used -> the id that absorbed most of it


def assign_ids(clusters: Sequence[Sequence[str]], old: Mapping[str, str | None],
               founders: Sequence[str],
               is_taken: Callable[[str], bool] = lambda _: False) -> Assignment:
    """Give each cluster the old id it shares most members with (ids survive re-runs).

    ``old`` maps member key -> previous link id; ``founders[i]`` is the earliest report of
    cluster i (a new id derives from it); ``is_taken`` says whether an id was ever used
    (retired ids included), so an id never comes back with another meaning.
    """
    claims = []
    for index, members in enumerate(clusters):
        counts = Counter(v for v in (old.get(k) for k in members) if v)
        for link_id, n in counts.items():
            claims.append((-n, link_id, index))
    claims.sort()
    ids: list[str | None] = [None] * len(clusters)
    used: set[str] = set()
    for _, link_id, index in claims:
        if ids[index] is None and link_id not in used:
            ids[index] = link_id
            used.add(link_id)
    changes: list[dict[str, Any]] = []
    for index, members in enumerate(clusters):
        if ids[index] is None:
            fresh = new_link_id(founders[index], lambda c: c in used or is_taken(c))
            ids[index] = fresh
            used.add(fresh)
            changes.append({"kind": "create", "link_id": fresh, "event_ids": list(members)})
    final = [i for i in ids if i is not None]
    old_ids = {v for v in old.values() if v}
    retired: dict[str, str | None] = {}
    for gone in sorted(old_ids - used):
        hits = Counter(final[i] for i, m in enumerate(clusters) for k in m if old.get(k) == gone)
        retired[gone] = hits.most_common(1)[0][0] if hits else None
    changes += _merge_split_changes(clusters, final, old)
    return Assignment(final, changes, retired)


def _merge_split_changes(clusters: Sequence[Sequence[str]], ids: Sequence[str],
                         old: Mapping[str, str | None]) -> list[dict[str, Any]]:
    changes = []
    spread: dict[str, set[str]] = {}
    for link_id, members in zip(ids, clusters, strict=True):
        before = {v for v in (old.get(k) for k in members) if v}
        sources = sorted(before - {link_id})
        for source in before:
            spread.setdefault(source, set()).add(link_id)
        if len(before) >= 2:  # one old id only, under a new id, is a piece split off
            changes.append({"kind": "merge", "link_id": link_id, "other_ids": sources,
                            "event_ids": [k for k in members if old.get(k) in sources]})
    for source, targets in sorted(spread.items()):
        if len(targets) > 1:
            changes.append({"kind": "split", "link_id": source,
                            "other_ids": sorted(targets - {source})})
    return changes


def lowest_credible(values: Iterable[int | None]) -> int | None:
    """The smallest reported figure that is not an outlier (at least half the median).

    Zeros are "no figure given" in most reports, so they count only when nothing else is
    reported; a lone low figure (one outlet reporting 1 dead where the rest say 6-8) is
    usually a partial count and is passed over.
    """
    figures = [v for v in values if v is not None]
    positive = [v for v in figures if v > 0]
    if not positive:
        return 0 if figures else None
    floor = stats.median(positive) / 2
    return min(v for v in positive if v >= floor)


def _mode(values: Iterable[Any]) -> Any:
    """Most common non-empty value; ties go to the first seen (members come oldest first)."""
    counts = Counter(v for v in values if v not in (None, ""))
    if not counts:
        return None
    best = max(counts.values())
    return next(v for v in counts if counts[v] == best)


def fuse(members: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One linked event from its reports (flat store rows with ``published`` and ``outlet``)."""
    ordered = sorted(members, key=lambda m: (m.get("published") or dt.datetime.max, m["id"]))
    dates = sorted(d for d in (as_date(m.get("date")) for m in ordered) if d)
    date_counts = Counter(dates)
    date = min(date_counts, key=lambda d: (-date_counts[d], d)) if dates else None
    precise = min((m.get("geo_precision") or 3 for m in ordered), default=3)
    place_name = _mode(m.get("location_name") for m in ordered
                       if (m.get("geo_precision") or 3) == precise)
    where = next((m for m in ordered if m.get("location_name") == place_name), ordered[0])
    dyad = _mode((m.get("actor1"), m.get("actor2")) for m in ordered) or (None, None)
    fatalities = lowest_credible(m.get("fatalities") for m in ordered) or 0
    source_of = next((m for m in ordered if (m.get("fatalities") or 0) == fatalities), ordered[0])
    positive = [m.get("fatalities") or 0 for m in ordered if m.get("fatalities")]
    assoc = sorted({a for m in ordered for a in (m.get("assoc_actors") or ())} - set(dyad))
    sources = sorted({m.get("outlet") or m["article_id"] for m in ordered})
    published = [m["published"] for m in ordered if m.get("published")]
    return {
        "event_type": _mode(m.get("event_type") for m in ordered),
        "sub_event_type": _mode(m.get("sub_event_type") for m in ordered
                                if m.get("event_type") == _mode(x.get("event_type")
                                                                for x in ordered)),
        "date": date, "date_low": dates[0] if dates else None,
        "date_high": dates[-1] if dates else None,
        "country": _mode(m.get("country") for m in ordered),
        "admin1": where.get("admin1"), "admin2": where.get("admin2"),
        "location_name": where.get("location_name"),
        "location_name_ar": where.get("location_name_ar"),
        "lat": where.get("lat"), "lon": where.get("lon"),
        "geo_precision": where.get("geo_precision"),
        "actor1": dyad[0], "actor2": dyad[1], "assoc_actors": assoc,
        "fatalities": fatalities, "fatalities_low": min(positive) if positive else 0,
        "fatalities_high": max(positive) if positive else 0,
        "killed": source_of.get("killed") or None,
        "injured": lowest_credible(m.get("injured") for m in ordered),
        "arrested": lowest_credible(m.get("arrested") for m in ordered),
        "n_reports": len(ordered), "n_sources": len(sources), "sources": sources,
        "first_reported": min(published) if published else None,
        "last_reported": max(published) if published else None,
    }
