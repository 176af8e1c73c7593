"""``rasad bench speed --engine dask``: articles/s on a Dask cluster with 1 and N workers.

The synthetic articles of the local benchmark are written to a JSONL file, and the timed
path is the one ``rasad extract --engine dask`` takes: plan, tasks that read their byte
ranges, results admitted in order. The clock starts once the cluster is up and its workers
are warm (start-up is reported apart, as ``cluster_start_s``): on a real cluster it is paid
once per session, not per run. Without ``--scheduler`` each figure uses its own local
cluster (1 process, then N); with it, the one-worker run is pinned to one worker of the
user's cluster and the other uses them all.
"""
from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rasad.records import Article
from rasad.scale import engine
from rasad.scale.partitions import plan


def write_articles(articles: list[Article], path: Path) -> None:
    with path.open("w", encoding="utf-8") as stream:
        for article in articles:
            published = article.published.date().isoformat() if article.published else None
            stream.write(json.dumps({"id": article.id, "published": published,
                                     "text": article.text}, ensure_ascii=False) + "\n")


@contextmanager
def _cluster(workers: int, scheduler: str | None) -> Iterator[tuple[Any, list[str] | None]]:
    """A warm client, and the worker addresses to pin tasks to (``None``: any)."""
    with engine.connect(scheduler, workers) as client:
        if scheduler is None:
            client.wait_for_workers(workers)
            yield client, None
            return
        addresses = sorted(client.scheduler_info()["workers"])
        yield client, (addresses[:1] if workers == 1 else None)


def measure(path: Path, workers: int, scheduler: str | None,
            partitions: int | None) -> dict[str, float]:
    """Seconds, processed articles, start-up and worker peak memory for one cluster size."""
    started = time.perf_counter()
    with _cluster(workers, scheduler) as (client, pinned):
        start_up = time.perf_counter() - started
        threads = 1 if pinned else engine.worker_threads(client)
        job = engine.Job((str(path),), partitions=partitions)
        parts = plan(job.inputs, partitions, engine.TASKS_PER_THREAD * threads)
        began = time.perf_counter()
        processed = 0
        busy = 0.0  # seconds inside tasks: wall time minus this is scheduling and waiting
        for result in engine.run(client, parts, job, workers=pinned):
            busy += result.seconds
            processed += sum(1 for o in result.outcomes() if o.status == "processed")
        seconds = time.perf_counter() - began
        return {"seconds": seconds, "processed": processed, "start_up": start_up,
                "task_seconds": busy,
                "workers": len(pinned) if pinned else len(client.nthreads()),
                "peak_rss_mb": engine.worker_peak_rss_mb(client)}


def dask_speed(articles: list[Article], workers: int, scheduler: str | None,
               partitions: int | None, echo: Callable[[str], None]) -> dict[str, Any]:
    """Rates with one worker and with ``workers`` (or all of the scheduler's)."""
    megabytes = sum(len(a.text.encode("utf-8")) for a in articles) / 1e6
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="rasad-bench-") as folder:
        path = Path(folder) / "articles.jsonl"
        write_articles(articles, path)
        for label, count in (("1", 1), ("all", workers)):
            figure = measure(path, count, scheduler, partitions)
            figures[label] = figure
            rate = figure["processed"] / figure["seconds"]
            plural = "s" if figure["workers"] > 1 else ""
            echo(f"dask, {figure['workers']:.0f} worker{plural}: {rate:.1f} articles/s, "
                 f"{megabytes / figure['seconds']:.2f} MB/s ({figure['seconds']:.2f} s, "
                 f"{figure['task_seconds']:.2f} s in tasks; cluster start "
                 f"{figure['start_up']:.2f} s)")
    return figures
