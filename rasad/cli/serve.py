"""``rasad serve`` and ``rasad user``. Owned by the review web app work."""
from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
