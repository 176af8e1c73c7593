"""Statistics from tally sentences: metric, value, period, region, perpetrator, who counted."""
from __future__ import annotations

from typing import Any

from rasad.detect.tallies import tally_figures
from rasad.lexicon import word_set
from rasad.records import Evidence, Statistic

_NON_STATE = {2, 3, 4}


def _words(role: str) -> frozenset[str]:
    """Function words of one role, from ``function_words.tsv``."""
    return word_set("function_words", role)


def _source_org(sf: Any, nt_text: str) -> str | None:
    toks = sf.toks
    for i, tok in enumerate(toks):
        word = tok.text[1:] if tok.text.startswith("و") and tok.text[1:] in _words("counter_verb") \
            else tok.text
        if word in _words("counter_verb") and i + 1 < len(toks) and not toks[i + 1].text.isdigit():
            end = i + 2
            while end < min(len(toks), i + 5) and not toks[end].text.isdigit() and \
                    toks[end].text not in ("مقتل", "اصابه", "من", "في", "منذ", "خلال"):
                end += 1
            return nt_text[toks[i + 1].start:toks[end - 1].end]
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
        if periods:
            last_period = (periods[0].period_start, periods[0].period_end)
        period = last_period or (None, published)
        org = _source_org(sf, text)
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
