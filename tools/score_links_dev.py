#!/usr/bin/env python3
"""Score event linking on the development set (../shared/eval/dev), read in place.

Two modes:

    tools/score_links_dev.py gold [--set news]
        Links the GOLD events of <set>.gold.jsonl with rasad.link (no extraction involved) and
        scores the clusters with score_links.py: the linker's own quality.

    tools/score_links_dev.py pipeline [--set news] [--workdir DIR]
        The acceptance run: `rasad extract <set>.articles.jsonl --db sqlite:///DIR/links.db`,
        `rasad export --db ... --format jsonl -o DIR/pred.jsonl`, then score_links.py.

Never copies the evaluation files anywhere; prints the scorer's figures.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from rasad.link import assign_ids, cluster, item_from_event

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV = SHARED / "eval" / "dev"


def _scorer():
    spec = importlib.util.spec_from_file_location("score_links", SHARED / "eval" / "score_links.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def link_gold(set_name: str) -> dict[str, dict]:
    """Gold records of ``set_name`` with a ``link_id`` on every non-background event."""
    articles = {a["id"]: a for a in _read(DEV / f"{set_name}.articles.jsonl")}
    gold = _read(DEV / f"{set_name}.gold.jsonl")
    items, order = [], []
    for record in gold:
        published = articles.get(record["id"], {}).get("published") or record.get("published")
        for n, event in enumerate(record["events"]):
            if event.get("background"):
                continue
            key = f"{record['id']}#{n}"
            items.append(item_from_event(key, record["id"], event, published))
            order.append((published or "9999", key))
    clusters = cluster(items)
    first = dict((key, rank) for rank, (_, key) in enumerate(sorted(order)))
    founders = [min(members, key=first.__getitem__) for members in clusters]
    ids = assign_ids(clusters, {}, founders).ids
    link_of = {k: link_id for link_id, members in zip(ids, clusters, strict=True) for k in members}
    for record in gold:
        for n, event in enumerate(record["events"]):
            event["link_id"] = link_of.get(f"{record['id']}#{n}")
    return {r["id"]: r for r in gold}


def run_pipeline(set_name: str, workdir: Path) -> dict[str, dict]:
    db = f"sqlite:///{workdir / 'links.db'}"
    pred = workdir / "pred.jsonl"
    (workdir / "links.db").unlink(missing_ok=True)
    subprocess.run(["rasad", "extract", str(DEV / f"{set_name}.articles.jsonl"), "--db", db,
                    "-o", str(workdir / "extract.jsonl")], check=True)
    subprocess.run(["rasad", "export", "--db", db, "--format", "jsonl", "-o", str(pred)],
                   check=True)
    return _scorer().load(str(pred))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["gold", "pipeline"])
    parser.add_argument("--set", default="news", help="dev set name (news, news2, news3)")
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    clusters_path = DEV / f"{args.set}.clusters.jsonl"
    if not clusters_path.exists():
        print(f"no {clusters_path}: the shared evaluation data is not here", file=sys.stderr)
        return 2
    scorer = _scorer()
    if args.mode == "gold":
        pred = link_gold(args.set)
    else:
        workdir = Path(args.workdir or tempfile.mkdtemp(prefix="rasad-links-"))
        workdir.mkdir(parents=True, exist_ok=True)
        pred = run_pipeline(args.set, workdir)
    result = scorer.score(scorer.load(str(clusters_path)), pred)
    result["mode"] = args.mode
    result["set"] = args.set
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:16} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
