"""Partitions on a Dask cluster, results back in input order: the ``--engine dask`` runner.

Dask (``distributed``) does the scheduling, retries and worker management; rasad only cuts
the input (``partitions.plan``), submits one task per partition with a bounded number in
flight, and takes the results strictly in plan order. Taking them in order is what makes the
run report exact: ``batch.RunReport`` sees the outcomes in the sequence a local run produces,
so "same URL / same text as an earlier article" and id clashes resolve the same way. When a
worker dies, Dask reruns its tasks elsewhere; because a partition's result is only admitted
once, when its turn comes, every article is written exactly once.

Each worker process loads the lexicons and the gazetteer once, in a worker plugin that runs
the pipeline on a warm-up article before the worker's first task (and again in a worker that
replaces a dead one). This module imports ``distributed``: import it only for the dask engine.
"""
from __future__ import annotations

import logging
import resource
import sys
import uuid
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from typing import Any

from distributed import CancelledError, Client, Future, KilledWorker, LocalCluster, WorkerPlugin

from rasad.batch import Outcome, RunReport, WorkerOptions, default_jobs, warm_up
from rasad.errors import RasadError
from rasad.ingest.readers import DEFAULT_MAX_BYTES
from rasad.records import Article, Result
from rasad.scale.output import PartitionWriter
from rasad.scale.partitions import LineShifter, Partition, PartitionResult, plan, process_partition

TASKS_PER_THREAD = 4  # default partitions per worker thread: keeps every worker busy


@dataclass(frozen=True, slots=True)
class Job:
    """What to extract and how to read it (the same meaning as for a local run)."""

    inputs: tuple[str, ...]
    published: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    options: WorkerOptions = WorkerOptions()
    partitions: int | None = None


class WarmUp(WorkerPlugin):
    """Loads the lexicons and the gazetteer once per worker process, before any task.

    A failure is not raised: the articles then fail one by one with the reason, as in a
    local run, instead of the worker refusing to start.
    """

    name = "rasad-warm-up"

    def setup(self, worker: Any) -> None:
        self.error = warm_up()


@contextmanager
def connect(scheduler: str | None = None, workers: int | None = None) -> Iterator[Client]:
    """A client of the cluster at ``scheduler``, or of a local cluster of ``workers``
    single-threaded processes (default: all cores), with every worker warmed up."""
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler)  # connect timeout: distributed.comm.timeouts.connect
        else:
            cluster = LocalCluster(n_workers=workers or default_jobs(), threads_per_worker=1,
                                   processes=True, host="127.0.0.1", dashboard_address=":0",
                                   silence_logs=logging.CRITICAL)
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        where = scheduler or "a local cluster"
        raise RasadError(f"{where}: cannot start or reach the Dask scheduler ({exc})") from exc
    try:
        client.register_plugin(WarmUp())
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def worker_threads(client: Client) -> int:
    """Task slots in the cluster now (at least 1, for a cluster that is still scaling up)."""
    return max(sum(client.nthreads().values()), 1)


def run(client: Client, partitions: Sequence[Partition], job: Job,
        window: int | None = None, workers: list[str] | None = None
        ) -> Generator[PartitionResult, None, None]:
    """Results of ``partitions`` in plan order, with file line numbers.

    At most ``window`` tasks are in flight (default: two per worker thread), so the client
    holds a bounded number of results however large the input. ``workers`` restricts the
    tasks to those worker addresses (the benchmark's one-worker run).
    """
    window = window or 2 * worker_threads(client)
    token = uuid.uuid4().hex[:12]
    shifter = LineShifter()
    pending: deque[Future[PartitionResult]] = deque()
    try:
        for partition in partitions:
            pending.append(client.submit(
                process_partition, partition, job.published, job.max_bytes, job.options,
                key=f"rasad-partition-{token}-{partition.index:06d}", pure=False,
                workers=workers, allow_other_workers=False))
            if len(pending) >= window:
                yield shifter.shift(_result(pending.popleft()))
        while pending:
            yield shifter.shift(_result(pending.popleft()))
    finally:  # stopped early (an error, ^C): drop the tasks nobody will collect
        if pending and client.status == "running":
            client.cancel(list(pending))


def _result(future: Future[PartitionResult]) -> PartitionResult:
    try:
        result: PartitionResult = future.result()
    except KilledWorker as exc:
        raise RasadError(f"{future.key}: workers died repeatedly running this partition "
                         "(out of memory? see the worker logs); no output was lost before "
                         "it") from exc
    except CancelledError as exc:
        raise RasadError(f"{future.key}: cancelled (the cluster shut down?)") from exc
    except RasadError:
        raise
    except Exception as exc:  # a task's own error arrives re-raised here, whatever its type
        raise RasadError(f"{future.key}: {type(exc).__name__}: {exc}") from exc
    return result


def extract(client: Client, job: Job, writer: PartitionWriter, store: Any,
            report: RunReport, say: Callable[[str], None],
            on_partition: Callable[[RunReport], None] | None = None) -> int:
    """Run ``job`` and write its partitions; ``report`` ends as a local run's would.

    Failures are announced through ``say`` as "FILE:LINE: reason", in input order. With a
    ``store``, each partition's admitted results are saved by the client, in batches of
    one transaction each. Returns the number of partitions.
    """
    partitions = plan(job.inputs, job.partitions, TASKS_PER_THREAD * worker_threads(client))
    writer.prepare()
    with closing(run(client, partitions, job)) as results:
        for result in results:
            records, pairs = admit(result.outcomes(), report, say)
            writer.write(result.index, records)
            if store is not None and pairs:
                store.save_results(pairs)
            if on_partition is not None:
                on_partition(report)
    return len(partitions)


def admit(outcomes: Iterator[Outcome], report: RunReport, say: Callable[[str], None]
          ) -> tuple[list[dict[str, Any]], list[tuple[Article, Result]]]:
    """Records (and store pairs) that ``report`` admits, as ``rasad extract`` does locally."""
    records: list[dict[str, Any]] = []
    pairs: list[tuple[Article, Result]] = []
    for outcome in outcomes:
        if report.admit(outcome):
            if outcome.record is not None:
                records.append(outcome.record)
            if outcome.article is not None and outcome.result is not None:
                pairs.append((outcome.article, outcome.result))
        elif outcome.status == "failed":
            say(f"{outcome.where}: {report.failures[-1]['reason']}")
    return records, pairs


def worker_peak_rss_mb(client: Client) -> float:
    """Largest peak resident set among the worker processes, in MB."""
    peaks = client.run(_peak_rss_kb)
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return max(peaks.values(), default=0) / scale


def _peak_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
