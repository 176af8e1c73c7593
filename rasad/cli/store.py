"""``rasad export``, ``rasad events`` and ``rasad link``: thin commands over the store.

Each opens the store named by ``--db`` (or ``$RASAD_DB``; default ``./rasad.db``), calls one
library function and formats the answer; a ``RasadError`` becomes a one-line error, exit 1.
"""
from __future__ import annotations

import functools
import json
import shutil
import sys
from collections.abc import Callable
from typing import Any

import click

from rasad.errors import RasadError

DB_HELP = "Store URL: sqlite:///PATH or postgresql://USER@HOST/DB (default ./rasad.db)."


def _store_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """--db and the event filters every store command shares."""
    options = [
        click.option("--db", envvar="RASAD_DB", default=None, help=DB_HELP),
        click.option("--country", default=None, help="ISO alpha-2 code, e.g. SY."),
        click.option("--from", "date_from", default=None, help="First event date (YYYY-MM-DD)."),
        click.option("--to", "date_to", default=None, help="Last event date (YYYY-MM-DD)."),
        click.option("--event-type", default=None, help="ACLED event or sub-event type."),
        click.option("--actor", default=None, help="Actor id, e.g. islamic_state."),
        click.option("--admin1", default=None, help="First-level unit, e.g. Ar-Raqqah."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _guard(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except RasadError as exc:
            raise click.ClickException(str(exc)) from exc
    return wrapper


def _filters(kwargs: dict[str, Any]) -> dict[str, Any]:
    keys = ("country", "date_from", "date_to", "event_type", "actor", "admin1")
    return {k: kwargs[k] for k in keys if kwargs.get(k)}


@click.command("export")
@_store_options
@click.option("--format", "fmt", required=True,
              type=click.Choice(["acled", "ucdp", "geojson", "parquet", "jsonl"]),
              help="acled/ucdp CSV, geojson, parquet (ACLED columns), jsonl (per-article "
                   "results with link_id).")
@click.option("-o", "--output", default="-", help="Output file (default: stdout).")
@click.option("--per-article", is_flag=True,
              help="One row per article's event instead of per linked event.")
@_guard
def export_command(db: str | None, fmt: str, output: str, per_article: bool,
                   **kwargs: Any) -> None:
    """Export events: ACLED or UCDP-GED CSV, GeoJSON, Parquet or per-article JSONL."""
    from rasad.export import export
    from rasad.store import open_store

    with open_store(db) as store:
        target = sys.stdout if output == "-" and fmt != "parquet" else output
        counts = export(store, fmt, target, linked=not per_article, **_filters(kwargs))
    if output != "-":
        click.echo(f"wrote {counts['written']} rows to {output}"
                   + (f" ({counts['skipped']} skipped)" if counts["skipped"] else ""), err=True)


@click.command("events")
@_store_options
@click.option("--per-article", is_flag=True, help="List each article's events, not linked events.")
@click.option("--reviewed/--unreviewed", default=None, help="Only reviewed / unreviewed events.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1))
@click.option("--offset", default=0, type=click.IntRange(0))
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
@_guard
def events_command(db: str | None, per_article: bool, reviewed: bool | None, limit: int,
                   offset: int, as_json: bool, **kwargs: Any) -> None:
    """List events (linked events by default) as a table, newest first."""
    from rasad.store import open_store

    with open_store(db) as store:
        filters = _filters(kwargs)
        rows = store.events(linked=not per_article, reviewed=reviewed, limit=limit,
                            offset=offset, **filters)
        total = store.count_events(linked=not per_article, reviewed=reviewed, **filters)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    click.echo(format_table(rows, linked=not per_article))
    click.echo(f"{offset + len(rows) if rows else 0} of {total} "
               f"{'linked events' if not per_article else 'events'}", err=True)


@click.command("link")
@click.option("--db", envvar="RASAD_DB", default=None, help=DB_HELP)
@_guard
def link_command(db: str | None) -> None:
    """Recompute every linked event (ids are kept; merges and splits are recorded)."""
    from rasad.store import open_store

    with open_store(db) as store:
        click.echo(json.dumps(store.relink()))


def _cell(value: Any, width: int) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= width else text[:width - 1] + "…"


def format_table(rows: list[dict[str, Any]], linked: bool) -> str:
    """A fixed-width table: date, place, type, sides, fatalities (range), sources."""
    width = shutil.get_terminal_size((120, 20)).columns
    columns = [("id", 13 if linked else 20), ("date", 10), ("cc", 2), ("place", 16),
               ("type", 20), ("actors", 30), ("killed", 6),
               ("sources", 7) if linked else ("outlet", 14)]
    lines = ["  ".join(name.ljust(w) for name, w in columns)]
    for row in rows:
        low, high = row.get("fatalities_low"), row.get("fatalities_high")
        killed = str(row["fatalities"])
        if high and high != row["fatalities"]:
            killed += f"-{high}" if (low or row["fatalities"]) <= high else ""
        sides = " → ".join(a for a in (row.get("actor1"), row.get("actor2")) if a)
        values = [row["id"], row["date"] or "?", row["country"] or "",
                  row["location"].get("name") or row.get("admin1"), row["sub_event_type"], sides,
                  killed, row.get("n_sources") if linked else row.get("outlet")]
        cells = zip(values, columns, strict=True)
        lines.append("  ".join(_cell(v, w).ljust(w) for v, (_, w) in cells))
    return "\n".join(line[:width].rstrip() for line in lines)


COMMANDS: list[click.Command] = [export_command, events_command, link_command]
