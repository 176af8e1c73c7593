"""Events and fatalities per week, by type and by governorate, for the current filter.

The numbers come from one GROUP BY (day, type, governorate) over the same filtered query the
list uses, folded into ISO weeks in Python (week arithmetic differs between SQLite and
PostgreSQL; days are few). Charts are inline SVG written here, every label escaped, so the
page needs no chart library and no network.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from markupsafe import Markup, escape

from rasad.store import Store
from rasad.store.query import Filters, events_select, linked_select
from rasad.store.rows import iso

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")
MAX_SERIES = 7
OTHER = "other"


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weekly(store: Store, filters: dict[str, Any], linked: bool = False) -> dict[str, Any]:
    """``{"weeks": [...], "by_type": {...}, "by_admin1": {...}, "totals": {...}}``.

    Each of ``by_type``/``by_admin1`` maps a series name to ``{"events": [n per week],
    "fatalities": [n per week]}``; weeks start on Monday and run without gaps.
    """
    select = (linked_select if linked else events_select)(Filters(**filters))
    sub = select.subquery()
    grouped = (sa.select(sub.c.date, sub.c.event_type, sub.c.admin1, sa.func.count(),
                         sa.func.coalesce(sa.func.sum(sub.c.fatalities), 0))
               .where(sub.c.date.is_not(None))
               .group_by(sub.c.date, sub.c.event_type, sub.c.admin1))
    with store.read() as conn:
        rows = [tuple(r) for r in conn.execute(grouped)]
        undated = conn.execute(sa.select(sa.func.count()).select_from(sub)
                               .where(sub.c.date.is_(None))).scalar_one()
    return fold_weeks(rows, int(undated))


def fold_weeks(rows: list[tuple[Any, ...]], undated: int = 0) -> dict[str, Any]:
    """Per-day groups ``(date, type, admin1, events, fatalities)`` → per-week series."""
    if not rows:
        return {"weeks": [], "by_type": {}, "by_admin1": {},
                "totals": {"events": 0, "fatalities": 0, "undated": undated}}
    days = [d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)[:10])
            for d, *_ in rows]
    first, last = week_start(min(days)), week_start(max(days))
    weeks = [first + dt.timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
    position = {w: n for n, w in enumerate(weeks)}
    by: dict[str, dict[str, dict[str, list[int]]]] = {"by_type": {}, "by_admin1": {}}
    totals = {"events": 0, "fatalities": 0, "undated": undated}
    for day, (_, event_type, admin1, count, deaths) in zip(days, rows, strict=True):
        n = position[week_start(day)]
        for kind, name in (("by_type", event_type), ("by_admin1", admin1 or "unknown")):
            series = by[kind].setdefault(name, {"events": [0] * len(weeks),
                                                "fatalities": [0] * len(weeks)})
            series["events"][n] += int(count)
            series["fatalities"][n] += int(deaths)
        totals["events"] += int(count)
        totals["fatalities"] += int(deaths)
    return {"weeks": [iso(w) for w in weeks],
            "by_type": _top(by["by_type"]), "by_admin1": _top(by["by_admin1"]),
            "totals": totals}


def _top(series: dict[str, dict[str, list[int]]]) -> dict[str, dict[str, list[int]]]:
    """The biggest series by events; the rest summed into ``other`` so a chart stays legible."""
    ranked = sorted(series, key=lambda k: (-sum(series[k]["events"]), k))
    out = {k: series[k] for k in ranked[:MAX_SERIES]}
    rest = ranked[MAX_SERIES:]
    if rest:
        length = len(series[rest[0]]["events"])
        out[OTHER] = {m: [sum(series[k][m][i] for k in rest) for i in range(length)]
                      for m in ("events", "fatalities")}
    return out


def stacked_bars(weeks: list[str], series: dict[str, list[int]], title: str,
                 width: int = 640, height: int = 240) -> Markup:
    """A stacked bar chart (one bar per week) with a legend, as an SVG element."""
    left, top, bottom = 40, 24, 40
    legend_rows = (len(series) + 2) // 3
    plot_h = height - top - bottom
    total_h = height + 16 * legend_rows
    peak = max([sum(v[i] for v in series.values()) for i in range(len(weeks))] or [0]) or 1
    bar_w = (width - left - 10) / max(len(weeks), 1)
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {total_h}" width="{width}" '
             f'height="{total_h}" xmlns="http://www.w3.org/2000/svg">',
             f'<title>{escape(title)}</title>',
             f'<text x="{left}" y="14" class="chart-title">{escape(title)}</text>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 5}" y2="{top + plot_h}" '
             'stroke="#888"/>',
             f'<text x="{left - 4}" y="{top + 8}" text-anchor="end" class="tick">{peak}</text>',
             f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" class="tick">0</text>']
    for i, week in enumerate(weeks):
        base = float(top + plot_h)
        x = left + i * bar_w
        for n, (name, values) in enumerate(series.items()):
            if not values[i]:
                continue
            h = plot_h * values[i] / peak
            base -= h
            parts.append(f'<rect x="{x + 1:.1f}" y="{base:.1f}" width="{max(bar_w - 2, 1):.1f}" '
                         f'height="{h:.1f}" fill="{PALETTE[n % len(PALETTE)]}">'
                         f'<title>{escape(week)} {escape(name)}: {values[i]}</title></rect>')
        if len(weeks) <= 12 or i % max(len(weeks) // 8, 1) == 0:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 14}" '
                         f'text-anchor="middle" class="tick">{escape(week[5:])}</text>')
    for n, name in enumerate(series):
        lx, ly = left + (n % 3) * 200, height + 16 * (n // 3) - 8
        parts.append(f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" '
                     f'fill="{PALETTE[n % len(PALETTE)]}"/>'
                     f'<text x="{lx + 14}" y="{ly}" class="legend">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def charts(data: dict[str, Any], translate: Any) -> list[Markup]:
    """The four charts of the list page (empty when nothing is dated)."""
    if not data["weeks"]:
        return []
    out = []
    for kind, label in (("by_type", "type"), ("by_admin1", "admin1")):
        for metric in ("events", "fatalities"):
            series = {name: values[metric] for name, values in data[kind].items()}
            out.append(stacked_bars(data["weeks"], series,
                                    translate(f"chart_{metric}_{label}")))
    return out
