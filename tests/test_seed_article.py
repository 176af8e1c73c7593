"""The reference article end to end, scored by the shared scorer (skips without ../shared)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV = SHARED / "eval" / "dev"
pytestmark = pytest.mark.skipif(not DEV.is_dir(), reason="../shared is not present")


def _score(tmp_path: Path, *extract_args: str) -> dict:
    pred = tmp_path / "seed.pred.jsonl"
    subprocess.run([sys.executable, "-m", "rasad", "extract", *extract_args, "-o", str(pred)],
                   check=True, capture_output=True)
    out = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"),
                          str(DEV / "seed.gold.jsonl"), str(pred), "--articles",
                          str(DEV / "seed.articles.jsonl"), "--json"],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def _assert_perfect(result: dict) -> None:
    assert result["event_f1"] == 1.0
    assert result["statistic_f1"] == 1.0
    assert result["schema_problems"] == 0
    assert all(v in (None, 1.0) for v in result["field_accuracy"].values())


def test_seed_jsonl_scores_perfectly(tmp_path: Path) -> None:
    _assert_perfect(_score(tmp_path, str(DEV / "seed.articles.jsonl")))


def test_seed_as_text_file_scores_perfectly(tmp_path: Path) -> None:
    text = tmp_path / "seed.txt"
    text.write_text((SHARED / "seed_article.txt").read_text(encoding="utf-8"), encoding="utf-8")
    _assert_perfect(_score(tmp_path, str(text), "--published", "2022-12-27"))
