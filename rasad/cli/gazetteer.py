"""``rasad gazetteer import|info``. Owned by the geocoding work."""
from __future__ import annotations

import click


@click.group()
def gazetteer() -> None:
    """Manage the offline gazetteer used to geocode places."""
