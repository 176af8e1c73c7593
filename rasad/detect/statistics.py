"""Statistics from tally sentences: metric, value, period, region, perpetrator, who counted."""
from __future__ import annotations

from typing import Any

from rasad.detect.tallies import tally_figures
from rasad.lexicon import word_set
from rasad.text.segment import word_keys
from rasad.records import Evidence, Statistic

_NON_STATE = {2, 3, 4}


def _words(role: str) -> frozenset[str]:
    """Function words of one role, from ``function_words.tsv``."""
    return word_set("function_words", role)


_ORG_MAX_WORDS = 8
_ORG_BREAKS = frozenset(',;:"()-.?!')


def _org_head(word: str) -> int | None:
    """How many proclitic letters stand before a counting body's name in ``word`` ("وفقاً
    لمنظمة" → 1), or None when it names none. "للمرصد" (ل + المرصد, the article's alef
    swallowed) gives 1 too; _org_name puts the alef back."""
    heads = _words("org_head")
    for skip in range(0, 2):
        rest = word[skip:]
        if all(c in "وب" for c in word[:skip]) and rest.startswith("لل") and "ا" + rest[1:] in heads:
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
                place = next((p for p in sf.places if p.start == toks[min(end + 1, len(toks) - 1)].start), None)
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


def _perpetrator(sf: Any) -> str | None:
    """The armed group whose actions are counted: the one named as doing them."""
    from rasad.detect.actors import actor_info
    from rasad.detect.roles import actor_votes

    attack, target, order = actor_votes([sf])
    armed = [a for a in order if (info := actor_info(a)) is not None and info.inter in _NON_STATE]
    if not armed:
        return None
    best = max(armed, key=lambda a: (attack.get(a, 0) - target.get(a, 0), -order.index(a)))
    return best if attack.get(best, 0) > target.get(best, 0) else None


def _region(sf: Any, original: Any) -> str | None:
    names = [original.original_text(p.start, p.end) for p in sf.places
             if p.place is not None and p.place.feature != "country"]
    return " و".join(dict.fromkeys(names)) or None


def _calendar_span(day: Any, text: str) -> tuple[Any, Any]:
    """The days a named date covers: one day, its month, or its year ("2012", "عام 2012")."""
    import calendar
    import datetime as dt

    d = day.date
    if day.precision == 1:
        return d, d
    words = text[day.start:day.end].split()
    if all(w.isdigit() or w in ("عام", "العام", "سنه") for w in words):
        return dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)
    last = calendar.monthrange(d.year, d.month)[1]
    return dt.date(d.year, d.month, 1), dt.date(d.year, d.month, last)


def build_statistics(analysis: Any) -> list[Statistic]:
    """Statistics of every tally sentence, each with the period it covers."""
    from rasad.dates import find_periods

    published = analysis.article.published_date
    text = analysis.nt.text
    out: list[Statistic] = []
    last_period: tuple[Any, Any] | None = None
    for sf in analysis.sentences:
        for toll in sf.running_tolls:
            s, e = analysis.nt.original_span(toll.start, toll.end)
            out.append(Statistic(metric=toll.kind, value=toll.value, period_start=None,
                                 period_end=published.isoformat() if published else None,
                                 country=analysis.country, region=_region(sf, analysis.nt),
                                 evidence=[Evidence("value", s, e)]))
        if not sf.tally or sf.negated:
            continue
        periods = find_periods(text, published, sf.start, sf.end)
        numbers = [n for n in sf.numbers
                   if not any(p.start <= n.start and n.end <= p.end for p in periods)]
        figures = tally_figures(sf.toks, numbers, sf.casualties)
        if not figures:
            continue
        day = sf.incident_date
        if periods:
            last_period = (periods[0].period_start, periods[0].period_end)
            period = last_period
        elif day is not None and day.date is not None and day.precision in (1, 3):
            # "أما اليوم الأكثر دموية فكان 26 أيلول مع 305 قتلى": the count of one named day;
            # "ويعد أغسطس أكثر الأشهر دموية إذ قتل خلاله 5440": of one named month or year
            period = _calendar_span(day, text)
        else:
            period = last_period or (None, published)
        org = _org_name(sf, analysis.nt) or next(
            (name for prev in reversed(analysis.sentences[max(0, sf.index - 2):sf.index])
             if (name := _org_name(prev, analysis.nt))), None)
        perpetrator = _perpetrator(sf)
        region = _region(sf, analysis.nt)
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
                country=analysis.country, region=region, perpetrator=perpetrator,
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
            seen[key].evidence.extend(stat.evidence)
            continue
        seen[key] = stat
        out.append(stat)
    return out
