"""``rasad extract``: the main job. Owned by the ingestion work (minimal version)."""
from __future__ import annotations

import json
import sys

import click

from rasad.pipeline import make_article, process_article


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", default="-", help="Output JSONL file (default: stdout).")
@click.option("--published", default=None, help="Publication date for plain-text input.")
def extract(inputs: tuple[str, ...], output: str, published: str | None) -> None:
    """Extract events and statistics from articles (JSONL, .txt or - for stdin)."""
    out = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")
    for path in inputs:
        if path.endswith(".jsonl"):
            for line in open(path, encoding="utf-8"):
                if line.strip():
                    rec = json.loads(line)
                    art = make_article(rec["id"], rec["text"], rec.get("published"))
                    out.write(json.dumps(process_article(art).to_dict(), ensure_ascii=False) + "\n")
        else:
            text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
            art = make_article(path, text, published)
            out.write(json.dumps(process_article(art).to_dict(), ensure_ascii=False) + "\n")
