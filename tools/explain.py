"""Print what each sentence of an article contributed: trigger, actors, places, dates, figures.

Usage: python3 tools/explain.py ARTICLES.jsonl ID [GOLD.jsonl]
"""
from __future__ import annotations

import json
import sys

from rasad.detect.article import analyse
from rasad.pipeline import make_article, process_article


def main() -> None:
    path, wanted = sys.argv[1], sys.argv[2]
    gold = {}
    if len(sys.argv) > 3:
        gold = {json.loads(l)["id"]: json.loads(l) for l in open(sys.argv[3], encoding="utf-8")}
    for line in open(path, encoding="utf-8"):
        rec = json.loads(line)
        if rec["id"] != wanted:
            continue
        art = make_article(rec["id"], rec["text"], rec.get("published"))
        an = analyse(art)
        print("country", an.country, "published", art.published)
        for sf in an.sentences:
            t = an.nt.text[sf.start:sf.end].strip()
            flags = [k for k in ("negated", "background", "update", "sourced", "tally", "vague")
                     if getattr(sf, k)]
            print(f"[{sf.index}] {t[:160]}")
            if sf.trigger:
                print("   TRIG", sf.trigger.phrase, sf.trigger.value.sub_event_type, flags)
            elif flags:
                print("   flags", flags)
            if sf.actors:
                print("   ACT", [(an.nt.text[a.start:a.end], a.actor) for a in sf.actors])
            if sf.places:
                print("   PLC", [(p.text, p.place and p.place.name, p.precision) for p in sf.places])
            if sf.dates:
                print("   DAT", [(an.nt.text[d.start:d.end], str(d.date)) for d in sf.dates])
            for c in sf.casualties:
                print("   CAS", c.kind, c.value, c.side, c.category, "subset" if c.subset else "")
        res = process_article(art).to_dict()
        for e in res["events"]:
            e.pop("evidence")
            print("PRED", json.dumps(e, ensure_ascii=False))
        for s in res["statistics"]:
            s.pop("evidence")
            print("PSTAT", json.dumps(s, ensure_ascii=False))
        for e in gold.get(wanted, {}).get("events", []):
            print("GOLD", json.dumps(e, ensure_ascii=False))
        for s in gold.get(wanted, {}).get("statistics", []):
            print("GSTAT", json.dumps(s, ensure_ascii=False))


if __name__ == "__main__":
    main()
