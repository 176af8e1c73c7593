"""``rasad fetch`` and ``rasad watch``: news feeds in, saved pages (and results) out."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import click

from rasad import batch
from rasad.cli.extract import open_result_store
from rasad.errors import RasadError
from rasad.ingest.feeds import FetchReport, Policy, fetch_feeds
from rasad.ingest.readers import DEFAULT_MAX_BYTES, read_file


def _policy_options(command: Any) -> Any:
    """The politeness options shared by fetch and watch."""
    options = [
        click.option("-o", "--output", "out_dir", default="pages", show_default=True,
                     metavar="DIR", help="Folder for the saved pages and their metadata."),
        click.option("--timeout", type=click.FloatRange(min=0.01), default=15.0,
                     show_default=True, metavar="S", help="Give up on a request after S s."),
        click.option("--retries", type=click.IntRange(min=0), default=2, show_default=True,
                     help="Retries after a timeout, 5xx or 429, with exponential backoff."),
        click.option("--delay", type=click.FloatRange(min=0), default=1.0, show_default=True,
                     metavar="S", help="Wait at least S s between requests to one host."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _policy(timeout: float, retries: int, delay: float) -> Policy:
    return Policy(timeout=timeout, retries=retries, backoff=min(1.0, timeout),
                  host_delay=delay)


def _say(message: str) -> None:
    click.echo(f"rasad: {message}", err=True)


def _summary(report: FetchReport) -> str:
    return (f"{len(report.saved)} new pages saved, {report.known} already saved, "
            f"{report.unchanged_feeds} feeds unchanged, {len(report.errors)} errors")


@click.command(epilog="""
\b
Examples:
  rasad fetch https://example.com/rss.xml -o pages/
  rasad extract pages/ -o results.jsonl
""")
@click.argument("feeds", nargs=-1, required=True, metavar="FEED_URL...")
@_policy_options
def fetch(feeds: tuple[str, ...], out_dir: str, timeout: float, retries: int,
          delay: float) -> None:
    """Download the articles linked from RSS/Atom feeds into a folder.

    Each page is saved as DIR/<host>/<hash>.html with a .json sidecar holding the URL,
    outlet, title and publication date from the feed; `rasad extract DIR` reads both.
    Requests identify as "rasad/VERSION (+https://github.com/rasad)", wait --delay between
    requests to one host, and feeds are asked for conditionally
    (ETag/Last-Modified), and pages already saved are not fetched again.
    """
    try:
        report = fetch_feeds(list(feeds), Path(out_dir), _policy(timeout, retries, delay),
                             log=_say)
    except RasadError as exc:
        _say(str(exc))
        sys.exit(2)
    _say(_summary(report))
    if report.errors and not (report.feeds_read or report.unchanged_feeds):
        sys.exit(2)


@click.command(epilog="""
\b
Examples:
  rasad watch https://example.com/rss.xml --interval 600 -o pages/
  rasad watch https://example.com/rss.xml --once --db sqlite:///events.db
""")
@click.argument("feeds", nargs=-1, required=True, metavar="FEED_URL...")
@click.option("--interval", type=click.FloatRange(min=1), default=900, show_default=True,
              metavar="S", help="Seconds between passes over the feeds.")
@click.option("--once", is_flag=True, help="Make one pass and stop.")
@click.option("--results", default=None, metavar="FILE",
              help="Append result records here. Default: DIR/results.jsonl.")
@click.option("--db", "db_url", default=None, metavar="URL",
              help="Also store results: sqlite:///events.db or postgresql://...")
@_policy_options
def watch(feeds: tuple[str, ...], interval: float, once: bool, results: str | None,
          db_url: str | None, out_dir: str, timeout: float, retries: int,
          delay: float) -> None:
    """Fetch feeds repeatedly and extract events from each new article as it comes.

    New pages are saved as with `rasad fetch`, then coded; their result records are
    appended to --results (and stored with --db). Stop with Ctrl-C.
    """
    folder = Path(out_dir)
    results_path = Path(results) if results else folder / "results.jsonl"
    policy = _policy(timeout, retries, delay)
    try:
        with open_result_store(db_url) as store:
            while True:
                report = fetch_feeds(list(feeds), folder, policy, log=_say)
                extracted = extract_pages(report.saved, folder, results_path, store)
                _say(f"{_summary(report)}; {extracted.summary()}")
                if once:
                    break
                time.sleep(interval)
    except RasadError as exc:
        _say(str(exc))
        sys.exit(2)
    except KeyboardInterrupt:
        _say("stopped")


def extract_pages(pages: list[Path], folder: Path, results_path: Path,
                  store: Any) -> batch.RunReport:
    """Code freshly saved pages in this process and append their records."""
    report = batch.RunReport()
    if not pages:
        return report
    items = (item for page in pages
             for item in read_file(page, str(page), page.relative_to(folder).with_suffix("")
                                   .as_posix(), None, DEFAULT_MAX_BYTES))
    options = batch.WorkerOptions(keep_article=store is not None)
    results_path.parent.mkdir(parents=True, exist_ok=True)
    with results_path.open("a", encoding="utf-8") as sink:
        for outcome in batch.run(items, jobs=1, options=options):
            if report.admit(outcome):
                if store is not None and outcome.article and outcome.result:
                    store.save_result(outcome.article, outcome.result)
                sink.write(json.dumps(outcome.record, ensure_ascii=False) + "\n")
            elif outcome.status == "failed":
                _say(f"{outcome.where}: {outcome.reason}")
    return report


COMMANDS: list[click.Command] = [fetch, watch]
