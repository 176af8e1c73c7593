"""Statistics from tally sentences: metric, value, period, region, perpetrator, who counted."""
from __future__ import annotations

import functools
from typing import Any

from rasad.detect.tallies import tally_figures
from rasad.lexicon import word_set
from rasad.records import Evidence, Statistic
from rasad.text.normalize import normalize_key
from rasad.text.segment import word_keys

_NON_STATE = {2, 3, 4}
_VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}


@functools.cache    # asked in per-token loops: a C-level cache hit, no Python call
def _words(role: str) -> frozenset[str]:
    """Function words of one role, from ``function_words.tsv``."""
    return word_set("function_words", role)


_ORG_MAX_WORDS = 8
_ORG_BREAKS = frozenset(',;:"()-.?!')


@functools.cache
def _org_forms() -> frozenset[str]:
    """Every way a counting body's head word may be written with its proclitics."""
    heads = _words("org_head")
    forms = set(heads)
    for h in heads:
        forms.update(p + h for p in ("و", "ب", "ل", "وب", "ول", "بل"))
        if h.startswith("ال"):
            forms.update(p + "ل" + h[1:] for p in ("", "و", "ب"))
    return frozenset(forms)


def _org_head(word: str) -> int | None:
    """How many proclitic letters stand before a counting body's name in ``word`` ("وفقاً
    لمنظمة" → 1), or None when it names none. "للمرصد" (ل + المرصد, the article's alef
    swallowed) gives 1 too; _org_name puts the alef back."""
    if word not in _org_forms():
        return None
    heads = _words("org_head")
    for skip in range(0, 2):
        rest = word[skip:]
        if all(c in "وب" for c in word[:skip]) and rest.startswith("لل") and \
                "ا" + rest[1:] in heads:
            return skip + 1
    for skip in range(0, 3):
        if all(c in "وبل" for c in word[:skip]) and word[skip:] in heads:
            return skip
    return None


def _org_name(sf: Any, nt: Any) -> str | None:
    """The body that counted, named in the sentence: "المرصد السوري لحقوق الإنسان",
    "وزارة الصحة في قطاع غزة", "منظمات حقوقية" (from the original text, as written)."""
    toks, text = sf.toks, nt.text
    for i, tok in enumerate(toks):
        skip = _org_head(tok.text)
        if skip is None:
            continue
        end = i + 1
        while end < min(len(toks), i + _ORG_MAX_WORDS):
            word = toks[end]
            gap = text[toks[end - 1].end:word.start]
            if _ORG_BREAKS & set(gap) or word.text[-1:].isdigit() or \
                    word.text in _words("org_stop") or word_keys(word.text) & _words("speech"):
                break
            if word.text in _words("org_last"):
                end += 1     # "المرصد السوري لحقوق الإنسان": the name ends here
                break
            if word.text == "في":
                following = toks[min(end + 1, len(toks) - 1)].start
                place = next((p for p in sf.places if p.start == following), None)
                if place is None or end + 1 >= len(toks):
                    break        # "وزارة الصحة في قطاع غزة", not "المرصد في بيان"
                end = max(t.index for t in toks if t.start < place.end) + 1
                break
            end += 1
        if toks[end - 1].text == "في":
            end -= 1
        name = nt.original_text(tok.start, toks[end - 1].end)
        if tok.text[skip:].startswith("ل") and tok.text[skip:] not in _words("org_head"):
            return "ا" + name[skip:]      # "للمرصد" → "المرصد"
        return name[skip:]
    return None


def _named_as_cause(sf: Any) -> set[str]:
    """Sides a tally names as the cause of its figures: by the attack itself ("الغارات
    الإسرائيلية", "عدوان الاحتلال") or after a word of cause ("جراء القصف التركي")."""
    causes = _words("cause")
    found: set[str] = set()
    for a in sf.actors:
        if a.actor == "civilians":
            continue
        first = next((t for t in sf.toks if t.start >= a.start), None)
        before = [t.text for t in sf.toks if t.end <= a.start][-2:]
        # an attack named by its author ("العدوان الإسرائيلي") never speaks, whatever the
        # speaker marks around it say
        if first is not None and word_keys(first.text) & causes or (
                not a.speaker and any(word_keys(w) & causes for w in before)):
            found.add(a.actor)
    return found


def _fuller(name: str | None, analysis: Any) -> str | None:
    """"الوزارة" after "وزارة الصحة اللبنانية" is that ministry: a bare head word takes the
    fuller name the article gave it first."""
    if name is None or len(name.split()) > 1:
        return name
    head = normalize_key(name).removeprefix("ال")
    for sf in analysis.sentences:
        full = _org_name(sf, analysis.nt)
        if full and len(full.split()) > 1 and \
                normalize_key(full.split()[0]).removeprefix("ال") == head:
            return full
    return name


def _perpetrator(sf: Any) -> str | None:
    """The armed group whose actions are counted: the one named as doing them."""
    from rasad.detect.actors import actor_info
    from rasad.detect.roles import actor_votes

    named = _named_as_cause(sf)
    if len(named) == 1:
        return named.pop()
    attack, target, order = actor_votes([sf], speakers_count=False)
    # a state force counts too when the figures are its doing ("جراء الغارات الإسرائيلية",
    # "منذ بدء عدوان الاحتلال"); one that only speaks ("وزارة الداخلية") does not
    armed = [a for a in order if (info := actor_info(a)) is not None and a != "civilians"
             and (info.inter in _NON_STATE or attack.get(a, 0) >= 1)]
    if not armed:
        return None
    best = max(armed, key=lambda a: (attack.get(a, 0) - target.get(a, 0), -order.index(a)))
    return best if attack.get(best, 0) > target.get(best, 0) else None


def _country(sf: Any) -> str | None:
    """"وفي مالي بلغت حصيلة العنف 1190": a regional report's figure counts the one country
    its sentence names (the article's country otherwise)."""
    named = {p.place.country for p in sf.places if p.place is not None}
    countries = {p.place.country for p in sf.places
                 if p.place is not None and p.place.feature == "country"}
    return countries.pop() if len(countries) == 1 and len(named) == 1 else None


def _region(sf: Any, original: Any) -> str | None:
    """The places a tally covers, as written: its governorates and towns, or else the
    country it names ("سوريا")."""
    named = [p for p in sf.places if p.place is not None]
    inside = [p for p in named if p.place.feature != "country"]
    names: dict[str, str] = {}
    for p in inside or named:          # one name a place, as first written
        names.setdefault(p.place.id, original.original_text(p.start, p.end))
    return " و".join(names.values()) or None


def _date_range(sf: Any, text: str) -> tuple[Any, Any] | None:
    """"خلال الفترة من يوليو إلى أكتوبر 2024": from the first day of one named date to the
    last day of the next."""
    known = [d for d in sf.dates if d.date is not None]
    for first, second in zip(known, known[1:], strict=False):
        between = text[first.end:second.start].split()
        if between and between[0] in _words("range_link") and len(between) <= 2 \
                and "من" in text[max(0, first.start - 4):first.start].split():
            start, _ = _calendar_span(first, text)
            _, end = _calendar_span(second, text)
            if start > end and first.precision == 3:   # "من يوليو إلى أكتوبر 2024": same year
                start = start.replace(year=end.year)
            return (start, end) if start <= end else None
    return None


_START_REACH = 60     # characters after "منذ بدء الحرب" where its start date may be told


def _completed(period: Any, sf: Any, text: str) -> tuple[Any, Any]:
    """A "since" period with the dates told around it: "منذ بدء العدوان في السابع من تشرين
    الأول 2023" starts on that day; "... وحتى 20 أغسطس الجاري" ends on that one."""
    start, end = period.period_start, period.period_end
    known = [d for d in sf.dates if d.date is not None and d.precision in (1, 3)]
    if start is None:
        after = [d for d in known if period.start <= d.start <= period.end + _START_REACH]
        if after:
            start = _calendar_span(after[0], text)[0]
    for d in known:
        before = text[max(0, d.start - 12):d.start].split()
        if d.start >= period.end and before and before[-1] in _words("range_link"):
            end = _calendar_span(d, text)[1]
            break
    return start, end


def _calendar_span(day: Any, text: str) -> tuple[Any, Any]:
    """The days a named date covers: one day, its month, or its year ("2012", "عام 2012")."""
    import calendar
    import datetime as dt

    d = day.date
    if day.precision == 1:
        return d, d
    words = text[day.start:day.end].split()
    if all(w.isdigit() or w in _words("year_word") for w in words):
        return dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)
    last = calendar.monthrange(d.year, d.month)[1]
    return dt.date(d.year, d.month, 1), dt.date(d.year, d.month, last)


_INCIDENT_REACH = 80     # characters before a figure where its own incident is told


def _incident_figure(sf: Any, number: Any, periods: list[Any]) -> bool:
    """"... أبرزها هجوم ناسوغو في 9 أغسطس الذي أودى بحياة 148 شخصاً": inside a tally, the
    toll of one dated attack is that incident's, not a count over the period."""
    window = range(number.start - _INCIDENT_REACH, number.start)
    since = [t.start for t in sf.toks if t.start in window and t.text == "منذ"]
    days = [d.start for d in sf.dates if d.start in window and d.precision == 1
            and d.date is not None and not any(p.start <= d.start < p.end for p in periods)
            and not any(s < d.start for s in since)]
    # the attack, then its day, then its toll
    return any(t.start in window and t.value.event_type in _VIOLENT and t.start < day
               for t in sf.triggers for day in days)


def build_statistics(analysis: Any) -> list[Statistic]:
    """Statistics of every tally sentence, each with the period it covers."""
    from rasad.dates import find_periods

    published = analysis.article.published_date
    text = analysis.nt.text
    out: list[Statistic] = []
    last_period: tuple[Any, Any] | None = None
    last_org: str | None = None
    last_perpetrator: str | None = None      # a report's later figures are of the same war
    last_region: str | None = None
    last_org_seen: str | None = None
    for sf in analysis.sentences:
        # in a tally sentence a running toll is one of the tally's figures (below)
        counted = sf.tally and not (sf.negated and not sf.mention)   # a mention still counts
        for toll in ([] if counted else sf.running_tolls):
            s, e = analysis.nt.original_span(toll.start, toll.end)
            out.append(Statistic(metric=toll.kind, value=toll.value, period_start=None,
                                 period_end=published.isoformat() if published else None,
                                 country=analysis.country, region=_region(sf, analysis.nt),
                                 evidence=[Evidence("value", s, e)]))
        if not counted:
            continue
        periods = find_periods(text, published, sf.start, sf.end)
        numbers = [n for n in sf.numbers
                   if not any(p.start <= n.start and n.end <= p.end for p in periods)
                   and not _incident_figure(sf, n, periods)]
        figures = tally_figures(sf.toks, numbers,
                                sorted([*sf.casualties, *sf.running_tolls], key=lambda c: c.start))
        if not figures:
            continue
        day = sf.incident_date
        span = _date_range(sf, text)
        if not periods and span is not None:
            period = last_period = span
        elif periods:
            start, end = _completed(periods[0], sf, text)
            if start is None and last_period is not None:
                start = last_period[0]     # "منذ بدء العدوان" again: the war dated before
            period = last_period = (start, end)
        elif day is not None and day.date is not None and day.precision in (1, 3) and \
                not any(t.value.event_type in _VIOLENT and t.start < day.start
                        for t in sf.triggers):     # not "هجوم ناسوغو في 9 أغسطس"
            # "أما اليوم الأكثر دموية فكان 26 أيلول مع 305 قتلى": the count of one named day;
            # "ويعد أغسطس أكثر الأشهر دموية إذ قتل خلاله 5440": of one named month or year
            period = _calendar_span(day, text)
        else:
            period = last_period or (None, published)
        # a report's later figures ("وسجلت بوركينا فاسو ...") are still the report's
        org = _fuller(_org_name(sf, analysis.nt), analysis) or next(
            (name for prev in reversed(analysis.sentences[max(0, sf.index - 2):sf.index])
             if (name := _org_name(prev, analysis.nt))), None) or last_org
        last_org = org
        same_report = org == last_org_seen
        perpetrator = _perpetrator(sf) or (last_perpetrator if same_report else None)
        region = _region(sf, analysis.nt) or (last_region if same_report else None)
        last_perpetrator, last_region, last_org_seen = perpetrator, region, org
        country = _country(sf) or analysis.country
        for fig in figures:
            s, e = analysis.nt.original_span(fig.start, fig.end)
            evidence = [Evidence("value", s, e)]
            if periods:
                ps, pe = analysis.nt.original_span(periods[0].start, periods[0].end)
                evidence.append(Evidence("period", ps, pe))
            out.append(Statistic(
                metric=fig.metric, value=fig.value,
                period_start=period[0].isoformat() if period[0] else None,
                period_end=period[1].isoformat() if period[1] else None,
                country=country, region=region, perpetrator=perpetrator,
                breakdown=fig.breakdown, source_org=org, evidence=evidence))
    return _dedupe(out)


def _dedupe(stats: list[Statistic]) -> list[Statistic]:
    """A headline repeats the body's tally: one Statistic per metric and value in an article
    (the body's, which usually states the period more exactly, fills in what is missing)."""
    seen: dict[tuple[str, int], Statistic] = {}
    out: list[Statistic] = []
    for stat in stats:
        key = (stat.metric, stat.value)
        if key in seen:
            kept = seen[key]
            kept.evidence.extend(stat.evidence)
            if stat.period_start and (kept.period_start is None or (
                    kept.period_start[:7] == stat.period_start[:7]
                    and kept.period_start < stat.period_start)):
                # "منذ أكتوبر الماضي" in the headline, "منذ الثامن من أكتوبر" in the body
                kept.period_start = stat.period_start
                kept.period_end = stat.period_end or kept.period_end
            for name in ("source_org", "region", "perpetrator"):
                if getattr(kept, name) is None:
                    setattr(kept, name, getattr(stat, name))
            if not kept.breakdown and stat.breakdown:
                kept.breakdown = stat.breakdown
            continue
        seen[key] = stat
        out.append(stat)
    return out
