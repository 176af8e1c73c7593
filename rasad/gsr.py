"""Sentence-level detection check on the Arabic PLOVER gold sentences (``arabic_event_gsr``).

Each labelled sentence is coded alone, as a one-sentence article published on the day its
Gigaword id names (``AAW_ARB_YYYYMMDD``), as the benchmark's README asks.
A sentence counts as "event detected" when rasad yields at least one event of the family's
types (ASSAULT: Battles, Explosions/Remote violence, Violence against civilians; PROTEST:
Protests, Riots). Recall is measured on ``yes`` sentences and false-positive rates on
``easy no`` and ``difficult no``; ``ambiguous`` sentences are left out. ``contested`` is the
part of ``difficult no`` where annotators split evenly or leaned to "yes" — a reject there is
not clear-cut, so it is reported on its own.

PLOVER is not ACLED: PLOVER ASSAULT excludes conventional military force (air strikes,
shelling, clashes are PLOVER FIGHT), so some ``easy no`` sentences describe what ACLED codes as
Battles or Explosions. Read false positives before counting them all as errors.
"""
from __future__ import annotations

import csv
import re
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rasad.errors import InputError
from rasad.pipeline import make_article, process_article
from rasad.records import Article, Result
from rasad.settings import Settings

Extractor = Callable[[Article], Result]

VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence",
                           "Violence against civilians"})
PROTEST_TYPES = frozenset({"Protests", "Riots"})
FAMILY_TYPES: dict[str, frozenset[str]] = {"ASSAULT": VIOLENT_TYPES, "PROTEST": PROTEST_TYPES}

POSITIVE = "yes"
NEGATIVES = ("easy no", "difficult no")
CONTESTED = "contested"
ROW_ORDER = (POSITIVE, *NEGATIVES, CONTESTED)
FILES = ("assault_gsr.csv", "protest_gsr.csv")
REQUIRED_COLUMNS = frozenset({"id", "label", "text", "event_type", "accept", "reject"})
EXAMPLES_KEPT = 5


@dataclass(frozen=True, slots=True)
class GoldSentence:
    """One labelled row of a GSR file."""

    id: str
    family: str
    label: str
    accept: int
    reject: int
    text: str

    @property
    def contested(self) -> bool:
        """A ``difficult no`` that most annotators did not actually reject."""
        return self.label == "difficult no" and self.accept >= self.reject


@dataclass(slots=True)
class LabelRow:
    """Detections among the sentences of one label."""

    label: str
    sentences: int = 0
    detected: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return round(self.detected / self.sentences, 4) if self.sentences else None

    def add(self, sentence_id: str, hit: bool) -> None:
        self.sentences += 1
        if hit:
            self.detected += 1
            if len(self.examples) < EXAMPLES_KEPT:
                self.examples.append(sentence_id)

    def to_dict(self) -> dict[str, Any]:
        return {"sentences": self.sentences, "detected": self.detected, "rate": self.rate,
                "detected_examples": list(self.examples)}


@dataclass(slots=True)
class GsrReport:
    """Figures of one GSR file: recall on ``yes``, false-positive rates on the negatives."""

    file: str
    family: str
    rows: dict[str, LabelRow]
    seconds: float = 0.0

    @property
    def recall_yes(self) -> float | None:
        return self.rows[POSITIVE].rate

    @property
    def fp_rate_easy_no(self) -> float | None:
        return self.rows["easy no"].rate

    @property
    def fp_rate_difficult_no(self) -> float | None:
        return self.rows["difficult no"].rate

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "family": self.family,
                "event_types": sorted(FAMILY_TYPES[self.family]),
                "recall_yes": self.recall_yes, "fp_rate_easy_no": self.fp_rate_easy_no,
                "fp_rate_difficult_no": self.fp_rate_difficult_no,
                "fp_rate_contested": self.rows[CONTESTED].rate,
                "rows": {label: row.to_dict() for label, row in self.rows.items()},
                "seconds": round(self.seconds, 1)}


def _count(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


def read_gold_sentences(path: str | Path) -> list[GoldSentence]:
    """The rows of a GSR CSV file (columns as its README describes)."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = REQUIRED_COLUMNS - set(reader.fieldnames or ())
            if missing:
                raise InputError(f"{path}: not a GSR file, missing columns {sorted(missing)}")
            rows = list(reader)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    out = []
    for row in rows:
        family = (row["event_type"] or "").strip().upper()
        if family not in FAMILY_TYPES:
            raise InputError(f"{path}: row {row['id']!r} has unknown event_type {family!r}")
        out.append(GoldSentence(id=row["id"], family=family,
                                label=(row["label"] or "").strip().lower(),
                                accept=_count(row["accept"]), reject=_count(row["reject"]),
                                text=row["text"] or ""))
    return out


def recalled_too(article: Article) -> Result:
    """Extraction that keeps recalled incidents: the sentence check asks whether a sentence
    describes an assault at all, and "وكان ... قد قتلوا في هجوم" does."""
    return process_article(article, Settings(background_events=True))


_GIGAWORD_ID = re.compile(r"_(\d{4})(\d{2})(\d{2})\.")


def publication_date(sentence_id: str) -> str | None:
    """"AAW_ARB_20070906.0027-2" was published on 2007-09-06 (the benchmark's README asks for
    it, so that "أمس" resolves); hashed ids carry no date."""
    m = _GIGAWORD_ID.search(sentence_id)
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None


def event_types_found(sentence: GoldSentence, extract: Extractor = recalled_too) -> set[str]:
    """The event types rasad codes in one sentence read as a one-sentence article."""
    result = extract(make_article(sentence.id, sentence.text, publication_date(sentence.id)))
    return {event.event_type for event in result.events}


def _found_types(item: tuple[GoldSentence, Extractor]) -> set[str]:
    return event_types_found(*item)


def _detections(sentences: list[GoldSentence], extract: Extractor,
                workers: int) -> Iterator[set[str]]:
    jobs = [(s, extract) for s in sentences]
    if workers <= 1 or len(jobs) < 50:
        yield from map(_found_types, jobs)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_found_types, jobs, chunksize=64)


def score_sentences(sentences: Iterable[GoldSentence], extract: Extractor = recalled_too,
                    workers: int = 1, file: str = "") -> GsrReport:
    """Detection figures over labelled sentences of one family (``ambiguous`` left out)."""
    kept = [s for s in sentences if s.label in (POSITIVE, *NEGATIVES)]
    families = {s.family for s in kept}
    if len(families) > 1:
        raise InputError(f"{file or 'sentences'}: mixes event families {sorted(families)}")
    family = families.pop() if families else "ASSAULT"
    wanted = FAMILY_TYPES[family]
    rows = {label: LabelRow(label) for label in ROW_ORDER}
    started = time.perf_counter()
    for sentence, types in zip(kept, _detections(kept, extract, workers), strict=True):
        hit = bool(types & wanted)
        rows[sentence.label].add(sentence.id, hit)
        if sentence.contested:
            rows[CONTESTED].add(sentence.id, hit)
    return GsrReport(file=file, family=family, rows=rows,
                     seconds=time.perf_counter() - started)


def gsr_files(path: str | Path) -> list[Path]:
    """The GSR CSV files at ``path``: the file itself, or the known files in a folder."""
    where = Path(path)
    if where.is_file():
        return [where]
    if where.is_dir():
        found = [where / name for name in FILES if (where / name).is_file()]
        if found:
            return found
        raise InputError(f"{where}: holds none of {', '.join(FILES)}")
    raise InputError(f"{where}: no such GSR file or folder")


def run_gsr(path: str | Path, extract: Extractor = recalled_too,
            workers: int = 1) -> list[GsrReport]:
    """Score every GSR file at ``path`` (a CSV file or the ``arabic_event_gsr`` folder)."""
    return [score_sentences(read_gold_sentences(f), extract, workers, file=f.name)
            for f in gsr_files(path)]
