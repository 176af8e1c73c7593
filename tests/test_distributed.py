"""``--engine dask``: a real Dask cluster gives what a local ``-j 1`` run gives, record for record.

The corpus is a few hundred generated articles (our own benchmark sentences) with the bad
inputs users have: broken JSON lines, a record without text, a reused id, duplicates by URL
and by text, a binary file, an empty page, a windows-1256 JSONL, a missing path. Planning is
checked without Dask; the cluster tests use real worker processes on 127.0.0.1.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from rasad import batch
from rasad.bench_speed import bench_sentences
from rasad.cli import main
from rasad.ingest import readers
from rasad.ingest.readers import iter_inputs
from rasad.scale.output import PartitionWriter, read_output
from rasad.scale.partitions import LineShifter, Piece, plan, process_partition

HTML_PAGES = Path(__file__).parent / "fixtures" / "html" / "pages"
MAX_BYTES = 10 * 1024 * 1024


def _article_lines(prefix: str, count: int, seed: int) -> list[str]:
    sentences = bench_sentences()
    chooser = random.Random(seed)
    lines = []
    for number in range(count):
        record: dict[str, Any] = {"id": f"{prefix}-{number:03d}",
                                  "published": f"2023-05-{1 + number % 28:02d}",
                                  "text": " ".join(chooser.choice(sentences) for _ in range(2))}
        if number % 9 == 0:
            record["url"] = f"https://news.example/{prefix}/{number % 45}"
        lines.append(json.dumps(record, ensure_ascii=False))
    return lines


def write_corpus(root: Path) -> list[str]:
    """A JSONL of 260 articles with planted problems, a folder of mixed files, a missing path."""
    lines = _article_lines("big", 260, seed=11)
    lines[30] = '{"id": "broken", "text": '
    lines[151] = json.dumps({"id": "no-text", "title": "عنوان بلا نص"}, ensure_ascii=False)
    lines[200] = lines[10]  # the same article again: a duplicate by text
    lines[230] = json.dumps({"id": "big-005", "text": "نص مختلف يحمل معرفا مستعملا من قبل."},
                            ensure_ascii=False)  # a reused id
    lines[240] = "[1, 2]"
    lines.insert(120, "")
    big = root / "big.jsonl"
    big.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8") + b"\n")
    folder = root / "pages"
    (folder / "2023" / "05").mkdir(parents=True)
    for number, sentence in enumerate(bench_sentences()[:12]):
        (folder / "2023" / "05" / f"note{number:02d}.txt").write_text(sentence, "utf-8")
    for name in ("01.html", "02.html", "03.html"):
        shutil.copy(HTML_PAGES / name, folder / name)
    (folder / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" * 40)
    (folder / "empty.html").write_bytes(b"")
    legacy = _article_lines("cp", 30, seed=12)
    (folder / "legacy.jsonl").write_bytes(("\r\n".join(legacy) + "\r\n").encode("cp1256"))
    return [str(big), str(folder), str(root / "missing.jsonl")]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


def _view(outcomes: Iterator[batch.Outcome]) -> list[tuple[Any, ...]]:
    return [(o.status, o.where, o.id, o.record, o.reason, o.url, o.text_hash) for o in outcomes]


@pytest.fixture(scope="module")
def local_outcomes(corpus: list[str]) -> list[batch.Outcome]:
    return list(batch.run(iter_inputs(corpus), jobs=1))


# -- planning and reading, no Dask ------------------------------------------------------------
@pytest.mark.parametrize("count", [1, 3, 17, 400])
def test_partitions_read_back_what_the_local_reader_reads(
        corpus: list[str], local_outcomes: list[batch.Outcome], count: int) -> None:
    local = _view(iter(local_outcomes))
    shifter = LineShifter()
    options = batch.WorkerOptions()
    distributed = _view(outcome for partition in plan(corpus, count)
                        for outcome in shifter.shift(process_partition(
                            partition, None, MAX_BYTES, options)).outcomes())
    assert distributed == local


def test_plan_ships_paths_and_ranges_not_texts(corpus: list[str]) -> None:
    partitions = plan(corpus, 9)
    assert len(partitions) == 9
    kinds = {piece.kind for partition in partitions for piece in partition.pieces}
    assert kinds == {"range", "file", "error"}
    assert all(len(repr(partition)) < 6000 for partition in partitions)


_LINE = st.one_of(st.just(b""), st.just(b"   "), st.binary(max_size=40).map(
    lambda b: b.replace(b"\n", b"")), st.just(b"x" * 90))


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(_LINE, max_size=12), cuts=st.lists(st.integers(0, 600), max_size=5),
       final_newline=st.booleans())
def test_byte_ranges_own_every_line_exactly_once(tmp_path_factory: pytest.TempPathFactory,
                                                 lines: list[bytes], cuts: list[int],
                                                 final_newline: bool) -> None:
    from rasad.scale.partitions import _range_lines

    data = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    path = tmp_path_factory.mktemp("ranges") / "f.jsonl"
    path.write_bytes(data)
    bounds = sorted({0, len(data), *(c for c in cuts if c < len(data))})
    with path.open("rb") as stream:
        whole = list(readers._lines(stream, 64, None))
        pieces = [line for start, end in zip(bounds, bounds[1:], strict=False)
                  for line in _range_lines(stream, start, end, 64)]
    assert pieces == whole


@pytest.mark.parametrize("suffix", ["jsonl", "parquet"])
def test_partition_writer_round_trips_records(tmp_path: Path, suffix: str) -> None:
    records: list[dict[str, Any]] = [
        {"id": "a", "events": [{"event_type": "Battles", "fatalities": 3}], "statistics": []},
        {"id": "b", "events": [], "statistics": [], "text": "نص المقال", "note": "x"}]
    writer = PartitionWriter(tmp_path / "out", suffix)
    writer.prepare()
    writer.write(0, records[:1])
    writer.write(1, [])
    writer.write(2, records[1:])
    assert [p.name for p in sorted((tmp_path / "out").iterdir())] == \
        [f"part-0000{n}.{suffix}" for n in range(3)]
    assert list(read_output(tmp_path / "out")) == records


def test_rasad_imports_and_explains_without_dask(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("قتل شخصان في قصف على بلدة.", encoding="utf-8")
    script = ("import sys\n"
              "class Block:\n"
              "    def find_spec(self, name, path=None, target=None):\n"
              "        if name.split('.')[0] in ('dask', 'distributed'):\n"
              "            raise ImportError('No module named ' + name)\n"
              "sys.meta_path.insert(0, Block())\n"
              "import rasad, rasad.cli, rasad.scale.partitions, rasad.scale.output\n"
              "from rasad.cli import main\n"
              "main(['extract', sys.argv[1], '--engine', 'dask'])\n")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "a.txt")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert "pip install 'rasad[dask]'" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("args", [
    ["-", "--engine", "dask"],
    ["x.jsonl", "--engine", "dask", "--resume", "-o", "out"],
    ["x.jsonl", "--engine", "dask", "--format", "parquet"],
    ["x.jsonl", "--scheduler", "tcp://127.0.0.1:1"],
    ["x.jsonl", "--partitions", "4"],
    ["x.jsonl", "--format", "parquet", "-o", "out"],
    ["x.jsonl", "--engine", "dask", "--partitions", "0"],
], ids=["stdin", "resume", "parquet-stdout", "scheduler-local", "partitions-local",
        "parquet-local", "zero-partitions"])
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = CliRunner().invoke(main, ["extract", *args])
    assert result.exit_code == 2, result.output


# -- on a real cluster ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    engine = pytest.importorskip("rasad.scale.engine")
    with engine.connect(workers=2) as client:
        yield client


def _extract(*args: str) -> Result:
    return CliRunner().invoke(main, ["extract", *args])


def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def _report(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text("utf-8"))
    data.pop("seconds")
    return dict(data)


def _failure_lines(result: Result, corpus: list[str]) -> list[str]:
    root = f"rasad: {Path(corpus[0]).parent}"
    return [line for line in result.stderr.splitlines() if line.startswith(root)]


@pytest.fixture(scope="module")
def local_run(corpus: list[str], tmp_path_factory: pytest.TempPathFactory
              ) -> tuple[Path, Result]:
    out = tmp_path_factory.mktemp("local")
    result = _extract(*corpus, "-o", str(out / "out.jsonl"), "-j", "1",
                      "--report", str(out / "report.json"))
    assert result.exit_code == 0, result.output
    return out, result


def test_dask_run_equals_local_run_record_for_record(cluster: Any, corpus: list[str],
                                                      local_run: tuple[Path, Result],
                                                      tmp_path: Path) -> None:
    local, local_result = local_run
    result = _extract(*corpus, "--engine", "dask", "--scheduler", cluster.scheduler.address,
                      "--partitions", "7", "-o", str(tmp_path / "out"),
                      "--report", str(tmp_path / "report.json"))
    assert result.exit_code == 0, result.output
    expected = _records(local / "out.jsonl")
    got = list(read_output(tmp_path / "out"))
    assert got == expected  # in input order, so also sorted by id
    assert sorted(got, key=lambda r: r["id"]) == sorted(expected, key=lambda r: r["id"])
    assert _report(tmp_path / "report.json") == _report(local / "report.json")
    assert _records(tmp_path / "out.failures.jsonl") == _records(local / "out.failures.jsonl")
    assert _failure_lines(result, corpus) == _failure_lines(local_result, corpus)
    assert len(_failure_lines(result, corpus)) == 6


def test_resources_load_once_per_worker_not_per_task(cluster: Any, corpus: list[str],
                                                     tmp_path: Path) -> None:
    def loads() -> tuple[int, int]:
        from rasad import lexicon
        from rasad.geo import geocoder

        return lexicon.load_table.cache_info().misses, geocoder._load.cache_info().misses

    before = cluster.run(loads)
    assert len(before) == 2 and all(tables and gazetteer for tables, gazetteer in before.values())
    result = _extract(corpus[0], "--engine", "dask", "--scheduler", cluster.scheduler.address,
                      "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert cluster.run(loads) == before


def test_run_report_counts_every_planted_problem(local_run: tuple[Path, Result]) -> None:
    report = _report(local_run[0] / "report.json")
    reasons = {(f["source"].rsplit("/", 1)[-1], f["line"]): f["reason"].split(" (")[0]
               for f in report["failures"]}
    assert reasons == {("big.jsonl", 31): "not JSON", ("big.jsonl", 153): "no 'text' field",
                       ("big.jsonl", 232): "id 'big-005' already used by an earlier article",
                       ("big.jsonl", 242): "not an article object",
                       ("scan.txt", None): "binary file", ("empty.html", None): "empty file",
                       ("missing.jsonl", None): "no such file or directory"}
    assert report["duplicates_same_url"] > 0 and report["duplicates_same_text"] > 0


def test_parquet_output_holds_the_same_records(cluster: Any, corpus: list[str],
                                               local_run: tuple[Path, Result],
                                               tmp_path: Path) -> None:
    result = _extract(*corpus, "--engine", "dask", "--scheduler", cluster.scheduler.address,
                      "--format", "parquet", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert list(read_output(tmp_path / "out")) == _records(local_run[0] / "out.jsonl")


def test_parquet_input_gives_the_records_of_the_same_rows_as_jsonl(cluster: Any,
                                                                   tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [json.loads(line) for line in _article_lines("pq", 90, seed=13)]
    (tmp_path / "rows.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                                 for r in rows), encoding="utf-8")
    table = pa.Table.from_pylist([{**r, "url": r.get("url")} for r in rows])
    pq.write_table(table, tmp_path / "rows.parquet", row_group_size=25)
    outputs = []
    for name in ("rows.jsonl", "rows.parquet"):
        result = _extract(str(tmp_path / name), "--engine", "dask", "--scheduler",
                          cluster.scheduler.address, "--partitions", "6",
                          "-o", str(tmp_path / f"out-{name}"))
        assert result.exit_code == 0, result.output
        outputs.append(list(read_output(tmp_path / f"out-{name}")))
    assert outputs[0] == outputs[1] and len(outputs[0]) > 60


def test_db_option_loads_every_admitted_result(cluster: Any, corpus: list[str],
                                               tmp_path: Path) -> None:
    from rasad.store import open_store

    database = tmp_path / "events.db"
    result = _extract(*corpus, "--engine", "dask", "--scheduler", cluster.scheduler.address,
                      "-o", str(tmp_path / "out"), "--db", f"sqlite:///{database}",
                      "--report", str(tmp_path / "report.json"))
    assert result.exit_code == 0, result.output
    with open_store(f"sqlite:///{database}") as store:
        stored = store.counts()["articles"]
    assert stored == _report(tmp_path / "report.json")["processed"]


def test_an_unreachable_scheduler_is_a_one_line_error(corpus: list[str]) -> None:
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = _extract(corpus[0], "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9")
    assert result.exit_code == 2
    assert "tcp://127.0.0.1:9: cannot start or reach the Dask scheduler" in result.stderr
    assert "Traceback" not in result.output


def test_killing_a_worker_mid_run_still_yields_every_article_once(
        corpus: list[str], local_outcomes: list[batch.Outcome]) -> None:
    engine = pytest.importorskip("rasad.scale.engine")
    job = engine.Job((corpus[0],))
    expected = [o.id for o in local_outcomes if o.where.startswith(corpus[0])]
    with engine.connect(workers=2) as client:
        results = engine.run(client, plan(job.inputs, 24), job)
        seen = [o.id for o in next(results).outcomes()]
        # a worker running tasks, else one holding results not yet collected: either way
        # its partitions must be computed again
        busy = [address for address, keys in client.processing().items() if keys] or \
            [address for address, keys in client.has_what().items() if keys]
        assert busy, "no worker had work when the kill came"
        victim = sorted(busy)[0]
        pid = client.run(os.getpid, workers=[victim])[victim]
        os.kill(pid, signal.SIGKILL)  # as the kernel's out-of-memory killer does
        seen += [o.id for result in results for o in result.outcomes()]
        assert victim not in client.scheduler_info()["workers"]
        assert client.run_on_scheduler(_recomputed_tasks), "the kill cost no work"
    assert seen == expected


def _recomputed_tasks(dask_scheduler: Any) -> list[str]:
    """Tasks the scheduler sent to a worker more than once (its log of transitions)."""
    sent = Counter(entry[0] for entry in dask_scheduler.transition_log
                   if entry[2] == "processing")
    return sorted(str(key) for key, count in sent.items() if count > 1)


def test_bench_speed_dask_prints_rates_for_1_and_2_workers() -> None:
    pytest.importorskip("rasad.scale.engine")
    result = CliRunner().invoke(main, ["bench", "speed", "--engine", "dask", "--articles", "16",
                                       "-j", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert any(line.startswith("dask, 1 worker:") for line in lines)
    assert any(line.startswith("dask, 2 workers:") for line in lines)
    figures = json.loads(lines[-1])
    assert figures["engine"] == "dask" and figures["workers"] == 2
    assert figures["articles_per_s_1"] > 0 and figures["articles_per_s_all"] > 0
    for key in ("speedup", "peak_rss_mb", "startup_s", "cluster_start_s"):
        assert key in figures


def test_a_piece_names_its_input_like_the_local_reader() -> None:
    piece = Piece("error", "gone", "gone", error="no such file or directory")
    (partition,) = plan(["gone"])
    assert partition.pieces == (piece,)
