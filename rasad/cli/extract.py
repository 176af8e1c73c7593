"""``rasad extract``: the main job. Reads articles, writes one SCHEMA result record each.

The command only wires library pieces together: ``rasad.ingest.readers`` turns the inputs
into an ordered stream of items, ``rasad.batch.run`` processes them on all cores, and the
``RunReport`` decides what is written and what is reported. Bad inputs are one-line errors
on stderr, never tracebacks; the run goes on with the other articles.
"""
from __future__ import annotations

import dataclasses
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click

from rasad import batch
from rasad.errors import RasadError, SettingsError
from rasad.ingest.readers import iter_inputs
from rasad.pipeline import parse_published
from rasad.settings import Settings, load_settings

EXAMPLES = """
\b
Examples:
  rasad extract examples/articles.jsonl                   results to the terminal
  rasad extract news.jsonl -o results.jsonl               results to a file
  rasad extract report.txt --published 2022-12-27         one plain-text article
  rasad extract saved_pages/ -o results.jsonl             a folder of .html/.txt/.jsonl
  cat news.jsonl | rasad extract - > results.jsonl        standard input
  rasad extract big.jsonl -o out.jsonl -j 4 --resume      continue an interrupted run
  rasad extract news.jsonl --db sqlite:///events.db       also store the results
  rasad extract archive/ --engine dask -o out/ --format parquet
                                                          on a local Dask cluster
  rasad extract big.jsonl --engine dask --scheduler tcp://head:8786 -o /shared/out/
                                                          on your Dask cluster

\b
Inputs:
  FILE.jsonl   one article per line: {"id", "url", "outlet", "published", "title", "text"}
               (only "text" is required; the README shows a full record)
  FILE.txt     one article as plain text (id = file name without .txt)
  FILE.html    a saved news page: the main text, title, date, URL and outlet are taken
               from the page, menus, share bars, related links and comments are dropped
  FOLDER       every .jsonl, .txt, .html and .htm file inside, recursively, in path order
  -            standard input (JSON lines if it starts with a JSON object, else text/HTML)

\b
Output: one JSON line per article, {"id", "events": [...], "statistics": [...]}, in input
order. Evidence offsets point into the article text; for HTML pages that is the extracted
text, included in the record as "text" (--include-text adds it for every article).

\b
Every input is accounted for: bad files and lines are reported on stderr as
"rasad: FILE:LINE: reason" and skipped, articles with the same URL or text as an earlier
one are skipped as duplicates, and a summary ends the run. Exit status: 0 when at least
one article was processed (1 with --strict if any input failed), 2 when none could be.

\b
--engine dask runs the same pipeline on a Dask cluster (pip install 'rasad[dask]'): a
local one of -j N processes, or yours with --scheduler. The workers read the inputs
themselves (paths must be the same for them), -o DIR receives part-00000.jsonl (or
.parquet), ... in input order, and the run report is the one a local run gives.
See docs/scale-out.md.
"""


def _settings(path: str | None, background: bool) -> Settings:
    """The packaged defaults, a user's file over them, then the flags."""
    try:
        settings = load_settings(path)
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from exc
    if background:
        settings = dataclasses.replace(settings, background_events=True)
    return settings


@click.command(epilog=EXAMPLES)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", default="-", metavar="FILE",
              help="Write results to FILE (JSON lines). Default: standard output. With "
                   "--engine dask: a folder DIR of one file per partition.")
@click.option("--format", "output_format", type=click.Choice(["jsonl", "parquet"]),
              default="jsonl", show_default=True,
              help="Output format (parquet: --engine dask with -o DIR).")
@click.option("--published", default=None, metavar="DATE",
              help="Publication date (YYYY-MM-DD) for articles that do not give one: plain "
                   "text, pages without a date. Relative dates like 'أمس' resolve against it.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes. Default: all cores.")
@click.option("--resume", is_flag=True,
              help="Continue an interrupted run: keep the complete records already in "
                   "-o FILE and process only the rest.")
@click.option("--failures", "failures_path", default=None, metavar="FILE",
              help="Write failed inputs with reasons as JSON lines. Default: "
                   "OUT.failures.jsonl beside -o FILE, when something failed.")
@click.option("--report", "report_path", default=None, metavar="FILE",
              help="Also write the run report (counts, failures) as JSON to FILE.")
@click.option("--db", "db_url", default=None, metavar="URL",
              help="Also store results in a database: sqlite:///events.db or postgresql://...")
@click.option("--include-text", is_flag=True,
              help="Put the article text into every record (always done for HTML input).")
@click.option("--max-size", type=click.FloatRange(min=0.001), default=10.0, show_default=True,
              metavar="MB", help="Refuse files (and JSONL lines) larger than this.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Where the work runs: worker processes on this "
              "machine, or a Dask cluster.")
@click.option("--scheduler", default=None, metavar="URL",
              help="--engine dask: the cluster's scheduler, e.g. tcp://HOST:8786. Default: "
                   "start a local cluster of -j N worker processes.")
@click.option("--partitions", type=click.IntRange(min=1), default=None, metavar="N",
              help="--engine dask: cut the input into N partitions (output files). "
                   "Default: one per 8 MB of input, at least 4 per worker.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when any input failed.")
@click.option("--settings", "settings_path", default=None, metavar="FILE",
              type=click.Path(exists=True, dir_okay=False),
              help="A TOML file overriding keys of rasad's default settings "
                   "(rasad/data/settings.toml).")
@click.option("--background", is_flag=True,
              help="Also code incidents the article only recalls, with background: true.")
def extract(inputs: tuple[str, ...], output: str, output_format: str, published: str | None,
            jobs: int | None, resume: bool, failures_path: str | None,
            report_path: str | None, db_url: str | None, include_text: bool,
            max_size: float, engine: str, scheduler: str | None, partitions: int | None,
            strict: bool, settings_path: str | None, background: bool) -> None:
    """Code Arabic news articles into event records (ACLED/UCDP style) with evidence.

    INPUT is an article JSONL file, a .txt or .html file, a folder, or - for stdin.
    """
    _check_usage(output, resume, published)
    _check_engine(engine, inputs, output, output_format, resume, scheduler, partitions)
    out_path = None if output == "-" else Path(output)
    done = batch.resume_point(out_path) if resume and out_path else set()
    failures_file = failures_path or (str(_failures_default(out_path)) if out_path else None)
    items = iter_inputs(inputs, published=published, max_bytes=int(max_size * 1048576))
    settings = _settings(settings_path, background)
    options = batch.WorkerOptions(include_text=include_text, keep_article=db_url is not None,
                                  settings=settings)
    started = time.monotonic()
    report = batch.RunReport()
    if engine == "dask":
        _extract_dask(inputs, out_path, output_format, options, report,
                      dict(scheduler=scheduler, workers=jobs, partitions=partitions,
                           published=published, max_bytes=int(max_size * 1048576), db=db_url))
        _finish(report, time.monotonic() - started, failures_file, report_path)
        _exit(report, strict)
        return
    try:
        with _output(out_path, append=resume) as sink, open_result_store(db_url) as store:
            outcomes = batch.run(items, jobs or batch.default_jobs(), options, done)
            _consume(outcomes, report, sink, store, started)
    except RasadError as exc:
        _say(str(exc))
        sys.exit(2)
    except KeyboardInterrupt:
        _say("interrupted; the output so far is complete: rerun with --resume to continue")
        sys.exit(130)
    _finish(report, time.monotonic() - started, failures_file, report_path)
    _exit(report, strict)


def _exit(report: batch.RunReport, strict: bool) -> None:
    if report.processed == 0 and report.failures:
        sys.exit(2)
    if strict and report.failures:
        sys.exit(1)


def _check_engine(engine: str, inputs: tuple[str, ...], output: str, output_format: str,
                  resume: bool, scheduler: str | None, partitions: int | None) -> None:
    if engine == "local":
        for name, value in (("--scheduler", scheduler), ("--partitions", partitions),
                            ("--format parquet", output_format == "parquet" or None)):
            if value is not None:
                raise click.UsageError(f"{name} needs --engine dask")
        return
    if resume:
        raise click.UsageError("--resume is for the local engine; a dask run rewrites -o DIR")
    if "-" in inputs:
        raise click.UsageError("--engine dask: the workers read the inputs, so standard "
                               "input cannot be one; save it to a file")
    if output_format == "parquet" and output == "-":
        raise click.UsageError("--format parquet needs an output folder: add -o DIR")


def _extract_dask(inputs: tuple[str, ...], out_path: Path | None, output_format: str,
                  options: batch.WorkerOptions, report: batch.RunReport,
                  settings: dict[str, Any]) -> None:
    """The same run on a Dask cluster (rasad.scale); Dask is imported only here."""
    try:
        from rasad.scale import engine
        from rasad.scale.output import PartitionWriter
    except ImportError as exc:
        raise click.UsageError("--engine dask needs Dask: pip install 'rasad[dask]' "
                               f"({exc})") from exc
    job = engine.Job(inputs, settings["published"], settings["max_bytes"], options,
                     settings["partitions"])
    progress = _Progress(time.monotonic()) if sys.stderr.isatty() else None

    def say(message: str) -> None:
        if progress:
            progress.clear()
        _say(message)

    try:
        writer = PartitionWriter(out_path, output_format, None if out_path else sys.stdout)
        with open_result_store(settings["db"]) as store, \
                engine.connect(settings["scheduler"], settings["workers"]) as client:
            engine.extract(client, job, writer, store, report, say,
                           progress.show if progress else None)
    except RasadError as exc:
        _say(str(exc))
        sys.exit(2)
    except KeyboardInterrupt:
        _say("interrupted; the part files written so far are complete")
        sys.exit(130)
    finally:
        if progress:
            progress.clear()


def _check_usage(output: str, resume: bool, published: str | None) -> None:
    if resume and output == "-":
        raise click.UsageError("--resume needs an output file: add -o FILE")
    if published is not None:
        try:
            parse_published(published)
        except RasadError as exc:
            raise click.BadParameter(str(exc), param_hint="--published") from exc


def _failures_default(out_path: Path) -> Path:
    name = out_path.name.removesuffix(".jsonl")
    return out_path.with_name(f"{name}.failures.jsonl")


@contextmanager
def _output(path: Path | None, append: bool) -> Iterator[IO[str]]:
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    try:
        stream = path.open("a" if append else "w", encoding="utf-8")
    except OSError as exc:
        raise click.UsageError(f"cannot write {path}: {exc.strerror}") from exc
    with stream:
        yield stream


@contextmanager
def open_result_store(url: str | None) -> Iterator[Any]:
    """The event store for ``--db``, imported only when asked for."""
    if url is None:
        yield None
        return
    try:
        from rasad.store import open_store  # type: ignore[attr-defined]
    except ImportError as exc:
        raise click.UsageError("--db: the event store (rasad.store) is not available in this "
                               f"installation ({exc})") from exc
    store = open_store(url)
    try:
        yield store
    finally:
        store.close()


def _consume(outcomes: Iterator[batch.Outcome], report: batch.RunReport, sink: IO[str],
             store: Any, started: float) -> None:
    """Write admitted records in order; report failures as they come."""
    progress = _Progress(started) if sys.stderr.isatty() else None
    for outcome in outcomes:
        if report.admit(outcome):
            if store is not None and outcome.article and outcome.result:
                store.save_result(outcome.article, outcome.result)
            sink.write(json.dumps(outcome.record, ensure_ascii=False) + "\n")
        elif outcome.status == "failed":
            if progress:
                progress.clear()
            _say(f"{outcome.where}: {report.failures[-1]['reason']}")
        if progress:
            progress.show(report)
    if progress:
        progress.clear()


class _Progress:
    """A one-line counter on a terminal, redrawn at most four times a second."""

    def __init__(self, started: float) -> None:
        self.started = started
        self.last = 0.0

    def show(self, report: batch.RunReport) -> None:
        now = time.monotonic()
        if now - self.last < 0.25:
            return
        self.last = now
        rate = report.processed / max(now - self.started, 1e-9)
        click.echo(f"\rrasad: {report.processed} processed, {report.duplicates} duplicates, "
                   f"{len(report.failures)} failed ({rate:.0f}/s)", err=True, nl=False)

    def clear(self) -> None:
        click.echo("\r\033[K", err=True, nl=False)


def _say(message: str) -> None:
    click.echo(f"rasad: {message}", err=True)


def _finish(report: batch.RunReport, seconds: float, failures_file: str | None,
            report_path: str | None) -> None:
    _say(report.summary(seconds))
    if failures_file and (report.failures or Path(failures_file).exists()):
        _write_jsonl(Path(failures_file), report.failures)
        if report.failures:
            _say(f"failures with reasons: {failures_file}")
    if report_path:
        data = {"processed": report.processed, "duplicates_same_url": report.duplicate_url,
                "duplicates_same_text": report.duplicate_text,
                "failed": len(report.failures), "resumed": report.resumed,
                "seconds": round(seconds, 3), "failures": report.failures}
        Path(report_path).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                                     encoding="utf-8")


def _write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as stream:
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
