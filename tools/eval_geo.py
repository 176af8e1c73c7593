"""Rough geocoding accuracy on ../shared/eval/dev, before event assembly exists.

For every required gold event: is its location (name_ar, sublocation, or coordinates within
10 km, as score.py compares them) among the article's place mentions ("any"), and is it the
article's first settlement-level mention ("first", a proxy for what the assembler picks)?
Likewise admin1 (score.py's skeleton comparison). The dev texts are read at run time.

    python tools/eval_geo.py [--shared ../shared] [--home DIR] [--misses]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
from pathlib import Path

from rasad.geo import Geocoder, PlaceMention
from rasad.text.normalize import normalize


def _scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("score", shared / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _as_event(m: PlaceMention) -> dict:
    p = m.place
    return {"admin1": p.admin1 if p else None,
            "location": {"name_ar": p.name_ar if p else None, "name": p.name if p else None,
                         "lat": p.lat if p else None, "lon": p.lon if p else None,
                         "sublocation_ar": m.sublocation_ar}}


def evaluate(shared: Path, geocoder: Geocoder, misses: bool = False) -> dict[str, float]:
    score = _scorer(shared)
    totals = {"events": 0, "loc_any": 0, "loc_first": 0, "admin1_n": 0, "admin1_any": 0,
              "admin1_first": 0}
    for gold_path in sorted((shared / "eval" / "dev").glob("*.gold.jsonl")):
        texts = {json.loads(line)["id"]: json.loads(line)["text"] for line in
                 gold_path.with_name(gold_path.name.replace("gold", "articles")).open()}
        for line in gold_path.open():
            gold = json.loads(line)
            mentions = [m for m in geocoder.mentions(normalize(texts[gold["id"]]))
                        if m.place is not None]
            found = [_as_event(m) for m in mentions]
            towns = [m for m in mentions if m.place.feature == "settlement" and m.precision < 3]
            first = _as_event(towns[0]) if towns else (found[0] if found else None)
            for g in gold.get("events") or []:
                if g.get("optional"):
                    continue
                totals["events"] += 1
                any_loc = any(score.same_location(g, e) for e in found)
                first_loc = first is not None and score.same_location(g, first)
                totals["loc_any"] += any_loc
                totals["loc_first"] += first_loc
                if g.get("admin1"):
                    totals["admin1_n"] += 1
                    totals["admin1_any"] += any(score.same_admin1(g, e) for e in found)
                    totals["admin1_first"] += first is not None and score.same_admin1(g, first)
                if misses and not first_loc:
                    print(gold["id"], "gold:", g["location"].get("name_ar"), g.get("admin1"),
                          "| first:", first and first["location"]["name_ar"],
                          first and first["admin1"], "| any:", any_loc)
    n, a = totals["events"], totals["admin1_n"]
    return {"events": n, "location_any": round(totals["loc_any"] / n, 3),
            "location_first": round(totals["loc_first"] / n, 3),
            "admin1_any": round(totals["admin1_any"] / a, 3),
            "admin1_first": round(totals["admin1_first"] / a, 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    ap.add_argument("--home", type=Path, default=None)
    ap.add_argument("--misses", action="store_true")
    args = ap.parse_args()
    print(json.dumps(evaluate(args.shared, Geocoder.load(args.home), args.misses)))


if __name__ == "__main__":
    main()
