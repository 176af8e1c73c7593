"""The ``rasad`` command. Each sub-command lives in its own module and only calls library
functions; this module wires them into one click group."""
from __future__ import annotations

import click

from rasad import __version__
from rasad.cli import bench, extract, gazetteer, ingest, serve, store


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="rasad")
def main() -> None:
    """rasad (رصد): code Arabic conflict news into ACLED/UCDP-style event data.

    Every coded field carries the character offsets of the text that supports it.
    Start with:  rasad extract examples/articles.jsonl
    """


main.add_command(extract.extract)
main.add_command(gazetteer.gazetteer)
main.add_command(bench.bench)
for _module in (ingest, store, serve):
    for _command in getattr(_module, "COMMANDS", ()):
        main.add_command(_command)
