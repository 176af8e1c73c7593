"""``rasad bench quality``: extraction quality on a hand-coded sample, as a user runs it.

A sample is a folder of sets; set NAME is ``NAME.articles.jsonl`` (input records) plus
``NAME.gold.jsonl`` (the records a coder expects, SCHEMA output with optional
``"optional": true`` events). Every set is extracted with ``rasad.pipeline.process_article``,
scored with ``rasad.evaluate`` and reported alone and pooled, followed by the most frequent
kinds of error and, when the Arabic PLOVER sentences are at hand, the sentence-level check of
``rasad.gsr``. See docs/evaluation.md.
"""
from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

import click

from rasad import evaluate, gsr
from rasad.errors import RasadError
from rasad.pipeline import make_article, process_article
from rasad.records import Article, Result

Extractor = Callable[[Article], Result]

DEFAULT_SAMPLE = Path("..") / "shared" / "eval" / "dev"
GSR_FOLDER = Path("external") / "arabic_event_gsr"
TOP_ERRORS = 10


@dataclass(frozen=True, slots=True)
class SampleSet:
    name: str
    articles: Path
    gold: Path


@dataclass(slots=True)
class SetRun:
    """One set extracted and scored."""

    name: str
    score: evaluate.SetScore
    failures: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ErrorKind:
    kind: str
    count: int
    example: evaluate.ScoringError

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "count": self.count, "example": self.example.to_dict()}


@dataclass(slots=True)
class QualityRun:
    """Everything ``rasad bench quality`` measured."""

    sample: Path
    sets: list[SetRun]
    seconds: float
    skipped: list[str] = field(default_factory=list)
    gsr_reports: list[gsr.GsrReport] = field(default_factory=list)
    gsr_note: str | None = None

    @property
    def pooled(self) -> evaluate.SetScore:
        """All sets scored together; errors name their article as ``set/id``."""
        total = evaluate.pool(s.score for s in self.sets)
        total.errors = [replace(e, article=f"{s.name}/{e.article}")
                        for s in self.sets for e in s.score.errors]
        return total

    def to_dict(self, with_diff: bool = False) -> dict[str, Any]:
        pooled = self.pooled
        out: dict[str, Any] = {
            "sample": str(self.sample),
            "sets": {s.name: s.score.tally.report().to_dict() for s in self.sets},
            "overall": pooled.tally.report().to_dict(),
            "extraction": {"seconds": round(self.seconds, 1),
                           "failed": [f for s in self.sets for f in s.failures],
                           "skipped_sets": self.skipped},
            "top_errors": [k.to_dict() for k in top_error_kinds(pooled.errors)],
            "gsr": [r.to_dict() for r in self.gsr_reports],
            "gsr_note": self.gsr_note,
        }
        if with_diff:
            out["diff"] = {s.name: [e.to_dict() for e in s.score.errors] for s in self.sets}
        return out


# ---------------------------------------------------------------- running

def find_sets(sample: Path) -> tuple[list[SampleSet], list[str]]:
    """Sets in a sample folder, and notes on article files that have no gold beside them."""
    if not sample.is_dir():
        raise click.ClickException(f"{sample}: no such folder")
    sets, skipped = [], []
    for articles in sorted(sample.glob("*.articles.jsonl")):
        name = articles.name.removesuffix(".articles.jsonl")
        gold = sample / f"{name}.gold.jsonl"
        if gold.is_file():
            sets.append(SampleSet(name, articles, gold))
        else:
            skipped.append(f"{articles.name}: no {gold.name} beside it")
    if not sets:
        raise click.ClickException(
            f"{sample}: no NAME.articles.jsonl with a NAME.gold.jsonl beside it")
    return sets, skipped


def article_from_record(record: dict[str, Any], where: str) -> Article:
    """An input record (SCHEMA input format) as an Article, its publication date included."""
    if "text" not in record:
        raise click.ClickException(f"{where}: article {record.get('id')!r} has no 'text'")
    return make_article(str(record.get("id")), record["text"], record.get("published"),
                        title=record.get("title"), url=record.get("url"),
                        outlet=record.get("outlet"))


def run_set(one: SampleSet, extract: Extractor = process_article) -> SetRun:
    """Extract every article of a set and score the output against its gold."""
    try:
        articles = evaluate.read_records(one.articles)
        gold = evaluate.read_records(one.gold)
    except RasadError as exc:
        raise click.ClickException(str(exc)) from exc
    predictions: dict[str, dict[str, Any]] = {}
    failures = []
    for aid, record in articles.items():
        try:
            predictions[aid] = extract(article_from_record(record, one.articles.name)).to_dict()
        except RasadError as exc:
            failures.append(f"{one.name}/{aid}: {exc}")
    texts = {aid: str(r.get("text", "")) for aid, r in articles.items()}
    return SetRun(one.name, evaluate.score(gold, predictions, texts), failures)


def default_gsr_path(sample: Path) -> Path | None:
    """The ASSAULT sentences next to the sample (``<sample>/../external/arabic_event_gsr``).

    Only ASSAULT runs by default, to keep the bench quick; ``--gsr FOLDER`` runs PROTEST too.
    """
    candidate = sample.resolve().parent / GSR_FOLDER / gsr.FILES[0]
    return candidate if candidate.is_file() else None


def run_quality(sample: Path, gsr_path: Path | None, use_gsr: bool = True,
                extract: Extractor = process_article, workers: int = 1) -> QualityRun:
    """Measure extraction on every set of ``sample`` and, if wanted, on the GSR sentences."""
    sets, skipped = find_sets(sample)
    started = time.perf_counter()
    runs = [run_set(one, extract) for one in sets]
    run = QualityRun(sample, runs, time.perf_counter() - started, skipped)
    if not use_gsr:
        return run
    path = gsr_path or default_gsr_path(sample)
    if path is None:
        run.gsr_note = (f"sentence check skipped: no {GSR_FOLDER} beside {sample}; "
                        "pass --gsr PATH to run it")
        return run
    try:
        # the sentence check asks whether an assault is described at all, recalled ones too
        sentence_extract = gsr.recalled_too if extract is process_article else extract
        run.gsr_reports = gsr.run_gsr(path, sentence_extract, workers)
    except RasadError as exc:
        raise click.ClickException(str(exc)) from exc
    return run


def top_error_kinds(errors: Iterable[evaluate.ScoringError],
                    limit: int = TOP_ERRORS) -> list[ErrorKind]:
    """The most frequent kinds of error, each with its first example."""
    counts: Counter[str] = Counter()
    first: dict[str, evaluate.ScoringError] = {}
    for error in errors:
        counts[error.kind] += 1
        first.setdefault(error.kind, error)
    ranked = sorted(counts.items(), key=lambda kc: (-kc[1], kc[0]))[:limit]
    return [ErrorKind(kind, n, first[kind]) for kind, n in ranked]


# ---------------------------------------------------------------- printing

def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _table(rows: list[list[str]], out: TextIO) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in
                 enumerate(zip(row, widths, strict=True))]
        out.write("  " + "  ".join(cells).rstrip() + "\n")


SUMMARY_COLUMNS = (("articles", "articles"), ("events", "gold_events"),
                   ("P", "event_precision"), ("R", "event_recall"), ("F1", "event_f1"),
                   ("strict", "strict_event_accuracy"), ("stat F1", "statistic_f1"),
                   ("quiet FA", "quiet_article_false_alarm_rate"),
                   ("fatal gold", "fatalities_gold_total"),
                   ("fatal pred", "fatalities_pred_total"), ("problems", "schema_problems"))


def print_figures(named: list[tuple[str, dict[str, Any]]], out: TextIO) -> None:
    """Per-set and pooled summary, then field accuracies, one column per set."""
    rows = [["set", *(title for title, _ in SUMMARY_COLUMNS)]]
    rows += [[name, *(_fmt(r[key]) for _, key in SUMMARY_COLUMNS)] for name, r in named]
    _table(rows, out)
    out.write("\n  field accuracy on matched events\n")
    fields = [["field", *(name for name, _ in named)]]
    fields += [[f, *(_fmt(r["field_accuracy"][f]) for _, r in named)] for f in evaluate.FIELDS]
    _table(fields, out)


def _short(value: Any, limit: int = 110) -> str:
    text = _fmt(value) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 1] + "…"


def print_errors(kinds: list[ErrorKind], out: TextIO) -> None:
    out.write(f"\nmost frequent errors (top {TOP_ERRORS}, pooled)\n")
    if not kinds:
        out.write("  none\n")
    for k in kinds:
        e = k.example
        out.write(f"  {k.count:4d}  {k.kind}\n        e.g. {e.article}: gold={_short(e.gold)}"
                  f"  pred={_short(e.pred)}\n")


def print_gsr(reports: list[gsr.GsrReport], note: str | None, out: TextIO) -> None:
    out.write("\nsentence-level check (arabic_event_gsr)\n")
    if note:
        out.write(f"  {note}\n")
    names = {"yes": "recall on yes", "easy no": "false positives, easy no",
             "difficult no": "false positives, difficult no",
             "contested": "  of which contested (accept >= reject)"}
    for report in reports:
        types = ", ".join(sorted(gsr.FAMILY_TYPES[report.family]))
        out.write(f"  {report.file}: {report.family} = {types} ({report.seconds:.0f} s)\n")
        for label, row in report.rows.items():
            out.write(f"    {names[label]:40} {_fmt(row.rate):>6}"
                      f"  ({row.detected}/{row.sentences})\n")


def print_diff(run: QualityRun, out: TextIO) -> None:
    """Article by article, what was missed, invented or miscoded."""
    for one in run.sets:
        by_article: dict[str, list[evaluate.ScoringError]] = {}
        for error in one.score.errors:
            by_article.setdefault(error.article, []).append(error)
        for aid, errors in by_article.items():
            out.write(f"{one.name}/{aid}\n")
            for e in errors:
                out.write(f"  {e.kind}: gold={_fmt(e.gold)} pred={_fmt(e.pred)}\n")
    out.write("\n")


def print_run(run: QualityRun, diff: bool, out: TextIO) -> None:
    if diff:
        print_diff(run, out)
    pooled = run.pooled
    n = pooled.tally.articles
    out.write(f"quality on {run.sample} ({n} articles in {len(run.sets)} sets; "
              f"extraction {run.seconds:.1f} s)\n")
    for note in run.skipped:
        out.write(f"  skipped {note}\n")
    failed = [f for s in run.sets for f in s.failures]
    for failure in failed:
        out.write(f"  extraction failed: {failure}\n")
    named = [(s.name, s.score.tally.report().to_dict()) for s in run.sets]
    named.append(("overall", pooled.tally.report().to_dict()))
    print_figures(named, out)
    for problem in named[-1][1]["schema_problem_examples"]:
        out.write(f"  problem: {problem}\n")
    print_errors(top_error_kinds(pooled.errors), out)
    if run.gsr_reports or run.gsr_note:
        print_gsr(run.gsr_reports, run.gsr_note, out)


# ---------------------------------------------------------------- command

def resolve_sample(directory: Path | None) -> Path:
    if directory is not None:
        return directory
    if DEFAULT_SAMPLE.is_dir():
        return DEFAULT_SAMPLE
    raise click.UsageError(
        f"no DIR given and {DEFAULT_SAMPLE} does not exist from {Path.cwd()}: pass the folder "
        "that holds NAME.articles.jsonl and NAME.gold.jsonl (e.g. rasad bench quality "
        "path/to/shared/eval/dev)")


@click.command("quality")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option("--diff", is_flag=True,
              help="Also list, article by article, what was missed, invented or miscoded.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--gsr", "gsr_path", type=click.Path(exists=True, path_type=Path), default=None,
              help="A GSR CSV file, or the arabic_event_gsr folder for ASSAULT and PROTEST "
                   "(default: DIR/../external/arabic_event_gsr/assault_gsr.csv if present).")
@click.option("--no-gsr", is_flag=True, help="Skip the sentence-level check.")
@click.option("--workers", type=click.IntRange(min=1), default=min(2, os.cpu_count() or 1),
              show_default=True, help="Processes for the sentence-level check.")
def quality(directory: Path | None, diff: bool, as_json: bool, gsr_path: Path | None,
            no_gsr: bool, workers: int) -> None:
    """Score extraction on a hand-coded sample: every NAME.articles.jsonl in DIR against
    NAME.gold.jsonl (default DIR: ../shared/eval/dev).

    Prints event precision/recall/F1, field accuracies, statistic F1, the false-alarm rate on
    quiet articles and schema problems per set and pooled, the ten most frequent kinds of
    error with an example each, and the sentence-level check on the Arabic PLOVER sentences.
    """
    if gsr_path is not None and no_gsr:
        raise click.UsageError("--gsr and --no-gsr exclude each other")
    run = run_quality(resolve_sample(directory), gsr_path, not no_gsr, workers=workers)
    if as_json:
        click.echo(json.dumps(run.to_dict(with_diff=diff), ensure_ascii=False))
    else:
        print_run(run, diff, sys.stdout)
