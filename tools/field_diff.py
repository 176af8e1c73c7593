"""Matched gold/pred events whose FIELD differs, using the shared scorer's matching.

Usage: python3 tools/field_diff.py FIELD [GOLD PRED]   (defaults: /tmp/rasad-dev/all.*)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared" / "eval"))
import score  # noqa: E402

field = sys.argv[1]
gold_path = sys.argv[2] if len(sys.argv) > 2 else "/tmp/rasad-dev/all.gold.jsonl"
pred_path = sys.argv[3] if len(sys.argv) > 3 else "/tmp/rasad-dev/all.pred.jsonl"
gold, pred = score.load_jsonl(gold_path), score.load_jsonl(pred_path)
for aid, g in gold.items():
    p = pred.get(aid, {"events": []})
    for gi, pi in score.match_events(g["events"], p["events"]):
        ge, pe = g["events"][gi], p["events"][pi]
        if ge.get("optional"):
            continue
        f = score.compare_fields(ge, pe)
        if f.get(field) is not None and f[field] < 1:
            keys = {"killed_by_side": "killed", "actors": None, "location": "location"}
            k = keys.get(field, field)
            if k is None:
                print(aid, sorted(score.actor_set(ge)), "|", sorted(score.actor_set(pe)))
            elif k == "location":
                print(aid, ge["location"].get("name_ar"), ge.get("admin1"), "|",
                      pe["location"].get("name_ar"), pe.get("admin1"))
            else:
                print(aid, json.dumps(ge.get(k), ensure_ascii=False), ge.get("fatalities"), "|",
                      json.dumps(pe.get(k), ensure_ascii=False), pe.get("fatalities"))
