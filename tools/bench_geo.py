"""Geocoder speed: index load time and toponym matching throughput (not a test).

    python tools/bench_geo.py [--home DIR] [--articles 1000] [--dev ../shared/eval/dev]

Articles are generated from our own sentence templates and gazetteer names; with --dev the
dev texts are read at run time instead (cycled to the requested count, never copied).
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

TEMPLATES = [
    "قصفت طائرات مسيرة مواقع في {a} و{b} صباح اليوم ما أدى إلى مقتل {n} مدنيين.",
    "أفاد مصدر محلي بأن اشتباكات عنيفة اندلعت في مدينة {a} شرق {b} بين فصائل مسلحة.",
    "انفجرت عبوة ناسفة في حي السوق وسط {a}، وأصيب {n} أشخاص بجروح متفاوتة.",
    "شنت القوات حملة مداهمات في ريف {a} الشرقي واعتقلت {n} أشخاص بتهمة الانتماء لخلية.",
    "وقالت مصادر طبية إن حصيلة القتلى ارتفعت إلى {n} بعد الهجوم على بلدة {b}.",
    "وتشهد المنطقة توترا أمنيا منذ أسابيع وسط مخاوف من تصعيد جديد قرب {a}.",
]
NAMES = ["الرقة", "دير الزور", "الحسكة", "ذيبان", "البصيرة", "هجين", "مأرب", "تعز", "الحديدة",
         "الفاشر", "نيالا", "سرت", "درنة", "مقديشو", "العريش", "جنين", "الموصل", "بعقوبة",
         "الرمادي", "كركوك", "حلب", "إدلب", "حماة", "صنعاء", "عدن", "بنغازي", "طرابلس"]


def generated(count: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(count):
        sentences = [rnd.choice(TEMPLATES).format(a=rnd.choice(NAMES), b=rnd.choice(NAMES),
                                                  n=rnd.randint(2, 40)) for _ in range(8)]
        out.append(" ".join(sentences))
    return out


def dev_texts(directory: Path, count: int) -> list[str]:
    texts = [json.loads(line)["text"] for path in sorted(directory.glob("*.articles.jsonl"))
             for line in path.open(encoding="utf-8")]
    return [texts[i % len(texts)] for i in range(count)]


def cold_load_seconds(home: Path | None) -> float:
    """Index load in a fresh process (what every worker pays), excluding interpreter start."""
    code = ("import time; t=time.perf_counter(); from rasad.geo import Geocoder; "
            f"Geocoder.load({str(home)!r} if {home is not None} else None); "
            "print(time.perf_counter()-t)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path, default=None)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--dev", type=Path, default=None)
    args = ap.parse_args()
    from rasad.geo import Geocoder
    from rasad.text.normalize import normalize

    Geocoder.load(args.home)                      # build the index first if it is stale
    loads = [cold_load_seconds(args.home) for _ in range(3)]
    geocoder = Geocoder.load(args.home)
    texts = dev_texts(args.dev, args.articles) if args.dev else generated(args.articles)
    normalised = [normalize(t) for t in texts]
    chars = sum(len(t) for t in texts)
    start = time.perf_counter()
    mentions = sum(len(geocoder.mentions(nt)) for nt in normalised)
    seconds = time.perf_counter() - start
    print(json.dumps({
        "places": len(geocoder.index), "names": len(geocoder.index.keys),
        "index_load_s_cold_process": round(min(loads), 3),
        "articles": len(texts), "chars": chars, "mentions": mentions,
        "seconds": round(seconds, 2), "chars_per_s": round(chars / seconds),
        "articles_per_s": round(len(texts) / seconds, 1)}))


if __name__ == "__main__":
    main()
