"""``rasad bench speed``: throughput a user can reproduce on their own machine.

Articles are synthetic: about 3 KB each (UTF-8), assembled from our own example sentences
(``data/bench_sentences.txt``) with a fixed seed, so every run measures the same input. The
timed path is the one ``rasad extract`` uses (``rasad.batch.run``), once with one worker
in-process and once with a pool of all cores, pool start-up included: that is what a user
pays. Start-up (import + lexicons + gazetteer) is measured in a fresh interpreter, because
this one has already loaded everything.
"""
from __future__ import annotations

import json
import platform
import random
import resource
import subprocess
import sys
import time
from importlib import resources

import click

from rasad import batch
from rasad.errors import RasadError
from rasad.ingest.readers import Item
from rasad.pipeline import make_article
from rasad.records import Article

ARTICLE_BYTES = 3000
_STARTUP_SCRIPT = ("import time; t = time.perf_counter(); from rasad.batch import warm_up; "
                   "error = warm_up(); print(time.perf_counter() - t); "
                   "raise SystemExit(1 if error else 0)")


def bench_sentences() -> list[str]:
    text = (resources.files("rasad") / "data" / "bench_sentences.txt").read_text("utf-8")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.startswith("#")]


def synthetic_articles(count: int, size: int = ARTICLE_BYTES, seed: int = 7) -> list[Article]:
    """``count`` articles of about ``size`` UTF-8 bytes, paragraphs of 2-4 sentences."""
    sentences = bench_sentences()
    chooser = random.Random(seed)
    articles = []
    for number in range(count):
        paragraphs: list[str] = []
        length = 0
        while length < size:
            paragraph = " ".join(chooser.choice(sentences) for _ in range(chooser.randint(2, 4)))
            paragraphs.append(paragraph)
            length += len(paragraph.encode("utf-8")) + 1
        day = f"2023-{1 + number % 12:02d}-{1 + number % 28:02d}"
        articles.append(make_article(f"bench-{number:05d}", "\n".join(paragraphs), day))
    return articles


def measure(articles: list[Article], jobs: int) -> tuple[float, int]:
    """Seconds to process ``articles`` with ``jobs`` workers, and how many succeeded."""
    items = [Item(source="bench", line=n, id=a.id, article=a) for n, a in enumerate(articles, 1)]
    started = time.perf_counter()
    processed = sum(1 for outcome in batch.run(items, jobs=jobs)
                    if outcome.status == "processed")
    return time.perf_counter() - started, processed


def startup_seconds() -> float:
    """Import + resource load time in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", _STARTUP_SCRIPT], capture_output=True,
                          text=True, timeout=600, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        raise click.ClickException("the pipeline does not start: "
                                   + (done.stderr.strip().splitlines() or ["no output"])[-1])
    return float(done.stdout.strip())


def peak_rss_mb() -> float:
    """Largest resident set of this process or any finished worker, in MB (Linux: KB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return max(own, children) / scale


@click.command()
@click.option("--articles", "count", type=click.IntRange(min=10), default=2000,
              show_default=True, help="How many synthetic ~3 KB articles to process.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Workers for the parallel run. Default: all cores.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Worker processes on this machine, or a Dask cluster "
              "(the path of rasad extract --engine dask).")
@click.option("--scheduler", default=None, metavar="URL",
              help="--engine dask: measure on this cluster (tcp://HOST:8786) instead of "
                   "local clusters of 1 and -j N workers.")
@click.option("--partitions", type=click.IntRange(min=1), default=None, metavar="N",
              help="--engine dask: partitions per run. Default: 4 per worker.")
def speed(count: int, jobs: int | None, engine: str, scheduler: str | None,
          partitions: int | None) -> None:
    """Articles per second and MB per second, one worker vs all cores.

    The last line is one JSON object with the keys articles_per_s_1, articles_per_s_all,
    speedup, peak_rss_mb and startup_s, for scripts and CI logs (with --engine dask also
    engine and cluster_start_s).
    """
    if engine == "local" and (scheduler or partitions):
        raise click.UsageError("--scheduler and --partitions need --engine dask")
    workers = jobs or batch.default_jobs()
    startup = startup_seconds()
    articles = synthetic_articles(count)
    megabytes = sum(len(a.text.encode("utf-8")) for a in articles) / 1e6
    click.echo(f"{count} synthetic articles, {megabytes * 1000 / count:.1f} KB each "
               f"({megabytes:.1f} MB); start-up (import + lexicons + gazetteer) {startup:.2f} s")
    # the interpreter's build matters as much as our code: the same machine runs rasad
    # 20-30 % faster on Debian's python3 (built with PGO and LTO) than on a default
    # pyenv build (see docs/performance.md)
    click.echo(f"Python {platform.python_version()} ({sys.executable})")
    if error := batch.warm_up():
        raise click.ClickException(f"the pipeline fails: {error}")
    if engine == "dask":
        _dask(articles, workers, scheduler, partitions, startup, megabytes)
        return
    rates = {}
    for label, n in (("1", 1), ("all", workers)):
        seconds, processed = measure(articles, n)
        if processed != count:
            raise click.ClickException(f"{count - processed} articles failed with {n} workers")
        rates[label] = count / seconds
        click.echo(f"{n} worker{'s' if n > 1 else ''}: {rates[label]:.1f} articles/s, "
                   f"{megabytes / seconds:.2f} MB/s ({seconds:.2f} s)")
    speedup = rates["all"] / rates["1"]
    peak = peak_rss_mb()
    click.echo(f"speedup {speedup:.2f}x with {workers} workers; peak memory {peak:.0f} MB "
               "per process")
    click.echo(json.dumps({"articles_per_s_1": round(rates["1"], 1),
                           "articles_per_s_all": round(rates["all"], 1),
                           "speedup": round(speedup, 2), "peak_rss_mb": round(peak, 1),
                           "startup_s": round(startup, 3), "workers": workers,
                           "articles": count,
                           "mb_per_s_1": round(megabytes * rates["1"] / count, 3),
                           "mb_per_s_all": round(megabytes * rates["all"] / count, 3),
                           "python": platform.python_version()}))


def _dask(articles: list[Article], workers: int, scheduler: str | None,
          partitions: int | None, startup: float, megabytes: float) -> None:
    try:
        from rasad.scale.bench import dask_speed
    except ImportError as exc:
        raise click.UsageError(f"--engine dask needs Dask: pip install 'rasad[dask]' ({exc})"
                               ) from exc
    count = len(articles)
    try:
        figures = dask_speed(articles, workers, scheduler, partitions, click.echo)
    except RasadError as exc:
        raise click.ClickException(str(exc)) from exc
    for figure in figures.values():
        if figure["processed"] != count:
            raise click.ClickException(f"{count - figure['processed']:.0f} articles failed with "
                                       f"{figure['workers']:.0f} dask workers")
    rates = {label: count / figure["seconds"] for label, figure in figures.items()}
    speedup = rates["all"] / rates["1"]
    peak = max(figure["peak_rss_mb"] for figure in figures.values())
    used = int(figures["all"]["workers"])
    click.echo(f"speedup {speedup:.2f}x with {used} dask workers; peak memory {peak:.0f} MB "
               "per worker process")
    click.echo(json.dumps({"articles_per_s_1": round(rates["1"], 1),
                           "articles_per_s_all": round(rates["all"], 1),
                           "speedup": round(speedup, 2), "peak_rss_mb": round(peak, 1),
                           "startup_s": round(startup, 3), "workers": used,
                           "articles": count,
                           "mb_per_s_1": round(megabytes * rates["1"] / count, 3),
                           "mb_per_s_all": round(megabytes * rates["all"] / count, 3),
                           "engine": "dask", "python": platform.python_version(),
                           "cluster_start_s": round(figures["all"]["start_up"], 3)}))
