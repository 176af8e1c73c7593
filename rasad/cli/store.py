"""``rasad export`` and ``rasad events``. Owned by the store work."""
from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
