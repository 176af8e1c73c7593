"""``rasad serve`` (the review web app and REST API) and ``rasad user`` (reviewer accounts).

Both open the store named by ``--db`` (or ``$RASAD_DB``; default ``./rasad.db``). Passwords are
read from a prompt or, with ``--password-stdin``, from the first line of standard input (for
scripts); they never appear on the command line, where other users could see them.
"""
from __future__ import annotations

import sys

import click

from rasad.errors import RasadError

DB_HELP = "Store URL: sqlite:///PATH or postgresql://USER@HOST/DB (default ./rasad.db)."


@click.command("serve")
@click.option("--db", envvar="RASAD_DB", default=None, help=DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (keep 127.0.0.1 unless behind a proxy).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--read-only-public/--login-required", "public", default=True, show_default=True,
              help="Let visitors without a login read events (changes always need a login).")
@click.option("--tile-url", default=None,
              help="Map tile URL template, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png "
                   "(default: none, markers only, works offline).")
@click.option("--tile-attribution", default="", help="Attribution text for the map tiles.")
@click.option("--secure-cookies", is_flag=True,
              help="Mark the session cookie Secure (when served over HTTPS).")
@click.option("--max-body-kb", default=64, show_default=True, type=click.IntRange(1, 10240),
              help="Largest request body accepted.")
def serve(db: str | None, host: str, port: int, public: bool, tile_url: str | None,
          tile_attribution: str, secure_cookies: bool, max_body_kb: int) -> None:
    """Start the review web app and REST API (JSON under /api/, OpenAPI at /openapi.json)."""
    import uvicorn

    from rasad.api import ServeSettings, create_app

    settings = ServeSettings(login_required=not public, tile_url=tile_url,
                             tile_attribution=tile_attribution, secure_cookies=secure_cookies,
                             max_body_bytes=max_body_kb * 1024)
    try:
        app = create_app(db, settings)
    except RasadError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"rasad: serving {app.state.store!r} on http://{host}:{port}/", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                timeout_graceful_shutdown=5)


@click.group("user")
def user() -> None:
    """Reviewer accounts of the web app."""


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@user.command("add")
@click.argument("name")
@click.option("--db", envvar="RASAD_DB", default=None, help=DB_HELP)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--role", default="reviewer", show_default=True,
              type=click.Choice(["reviewer", "admin"]))
def user_add(name: str, db: str | None, password_stdin: bool, role: str) -> None:
    """Add a reviewer account NAME (password hashed with argon2)."""
    from rasad.api.auth import hash_password
    from rasad.store import open_store

    password = _read_password(password_stdin)
    try:
        password_hash = hash_password(password)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        with open_store(db) as store:
            store.add_user(name, password_hash, role=role, by="cli")
    except RasadError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"added user {name} ({role})", err=True)


@user.command("list")
@click.option("--db", envvar="RASAD_DB", default=None, help=DB_HELP)
def user_list(db: str | None) -> None:
    """List reviewer accounts (name, role, created)."""
    from rasad.store import open_store

    try:
        with open_store(db) as store:
            rows = store.list_users()
    except RasadError as exc:
        raise click.ClickException(str(exc)) from exc
    for row in rows:
        click.echo(f"{row['name']}\t{row['role']}\t{row['created_at']}")


COMMANDS: list[click.Command] = [serve, user]
