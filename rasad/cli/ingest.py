"""``rasad fetch`` and ``rasad watch`` (feeds). Owned by the ingestion work."""
from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
