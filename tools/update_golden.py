"""Regenerate tests/golden/*.expected.jsonl from the example articles.

Run after a deliberate change in detection, then read the diff before committing it:
    python3 tools/update_golden.py && git diff tests/golden
"""
from __future__ import annotations

import json
from pathlib import Path

from rasad.pipeline import make_article, process_article

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    source = ROOT / "examples" / "articles.jsonl"
    out = ROOT / "tests" / "golden" / "examples.expected.jsonl"
    lines = []
    for line in source.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        article = make_article(rec["id"], rec["text"], rec.get("published"))
        lines.append(json.dumps(process_article(article).to_dict(), ensure_ascii=False,
                                sort_keys=True))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
