"""Whole articles against golden files: any change in their coding shows up here.

After a deliberate change: `python3 tools/update_golden.py` and review the diff.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasad.pipeline import make_article, process_article

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = [json.loads(line) for line in
            (ROOT / "examples" / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
EXPECTED = {rec["id"]: rec for rec in
            (json.loads(line) for line in
             (ROOT / "tests" / "golden" / "examples.expected.jsonl")
             .read_text(encoding="utf-8").splitlines())}


@pytest.mark.parametrize("record", ARTICLES, ids=[a["id"] for a in ARTICLES])
def test_article_matches_golden(record: dict) -> None:
    article = make_article(record["id"], record["text"], record.get("published"))
    got = json.loads(json.dumps(process_article(article).to_dict(), ensure_ascii=False))
    assert got == EXPECTED[record["id"]]


def test_golden_quiet_article_has_no_events() -> None:
    assert EXPECTED["ex-quiet"]["events"] == []
