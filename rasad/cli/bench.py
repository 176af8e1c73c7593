"""``rasad bench``: figures a user can reproduce (quality on a hand-coded sample, speed)."""
from __future__ import annotations

import click


@click.group()
def bench() -> None:
    """Measure extraction quality or throughput."""


from rasad.bench_quality import quality  # noqa: E402

bench.add_command(quality)
from rasad.bench_speed import speed  # noqa: E402

bench.add_command(speed)
