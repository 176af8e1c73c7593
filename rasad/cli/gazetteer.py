"""``rasad gazetteer import|info|build``: thin wrappers over ``rasad.geo.manage``."""
from __future__ import annotations

import json
from pathlib import Path

import click

from rasad.errors import RasadError
from rasad.geo import manage

_HOME = click.option("--home", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="Data directory (default: $RASAD_HOME or the user data dir).")


@click.group()
def gazetteer() -> None:
    """Manage the offline gazetteer used to geocode places."""


@gazetteer.command("import")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_HOME
def import_(files: tuple[Path, ...], home: Path | None) -> None:
    """Import GeoNames dumps (SY.txt, SY.zip), Who's On First CSVs (.csv/.csv.gz) or OCHA
    neighbourhood CSVs into your gazetteer; re-importing a file replaces it."""
    try:
        reports = manage.import_files(list(files), home)
    except RasadError as exc:
        raise click.ClickException(str(exc)) from exc
    for r in reports:
        features = ", ".join(f"{k} {v}" for k, v in sorted(r.per_feature.items()))
        click.echo(f"{r.file}: {r.rows} places ({r.kind}: {features})")


@gazetteer.command("info")
@_HOME
@click.option("--json", "as_json", is_flag=True, help="Print the description as JSON.")
def info(home: Path | None, as_json: bool) -> None:
    """Show where the gazetteer lives and what it holds."""
    try:
        desc = manage.describe(home)
    except RasadError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(desc, ensure_ascii=False, indent=1))
        return
    click.echo(f"directory: {desc['directory']}")
    click.echo(f"places: {desc['places']}  names: {desc['names']}")
    click.echo(f"built from: {json.dumps(desc['stamp'], ensure_ascii=False)}")
    for item in desc["imports"]:  # type: ignore[attr-defined]
        click.echo(f"imported: {item['file']} ({item['kind']}, {item['rows']} rows, "
                   f"{item['imported_at']})")
    for title in ("per_source", "per_feature"):
        pairs = ", ".join(f"{k} {v}" for k, v in desc[title].items())  # type: ignore[attr-defined]
        click.echo(f"{title.replace('_', ' ')}: {pairs}")
    top = list(desc["per_country"].items())[:25]  # type: ignore[attr-defined]
    click.echo("per country: " + ", ".join(f"{k} {v}" for k, v in top) + " ...")


@gazetteer.command("build")
@_HOME
def build(home: Path | None) -> None:
    """Rebuild the index now (it is otherwise rebuilt on first use when stale)."""
    try:
        index = manage.rebuild(home)
    except RasadError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{index.path}: {len(index)} places, {len(index.keys)} names")
