"""Partitioned output of a distributed run: ``DIR/part-00000.jsonl`` (or ``.parquet``).

Partition ``i`` of the plan is written to ``part-{i:05d}``, every partition even when it holds
no records, so the names depend only on the input and ``--partitions`` and reading the files
in name order gives the records in input order: the same sequence a local run writes to one
file. Each file appears whole (written beside, then renamed), so a reader never sees half a
partition. Part files left in DIR by an earlier run are removed first, as a local run
overwrites its output file.

Parquet holds one row per article with the SCHEMA record's parts as JSON text: ``id``,
``events`` and ``statistics`` (JSON arrays), ``text`` (with ``--include-text`` or HTML input)
and ``extra`` (any other record keys, as a JSON object). JSON columns keep the records exactly
as in JSONL while the schema evolves, and every part has the same Arrow schema, so the folder
reads as one dataset (``pyarrow.dataset.dataset(DIR)``, ``pandas.read_parquet(DIR)``).
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from rasad.errors import InputError

FORMATS = ("jsonl", "parquet")
PARQUET_COLUMNS = ("id", "events", "statistics", "text", "extra")
_PART = re.compile(r"part-\d{5,}\.(jsonl|parquet)")


def part_name(index: int, output_format: str) -> str:
    return f"part-{index:05d}.{output_format}"


class PartitionWriter:
    """Writes each partition's admitted records, to DIR or (JSONL only) a stream."""

    def __init__(self, directory: Path | None, output_format: str = "jsonl",
                 stream: IO[str] | None = None) -> None:
        if output_format not in FORMATS:
            raise InputError(f"unknown output format {output_format!r} "
                             f"(use {' or '.join(FORMATS)})")
        if directory is None and output_format != "jsonl":
            raise InputError(f"{output_format} output needs a folder: add -o DIR")
        self.directory = directory
        self.format = output_format
        self.stream = stream
        self.written: list[Path] = []

    def prepare(self) -> None:
        """Create DIR, or empty it of part files from an earlier run."""
        if self.directory is None:
            return
        if self.directory.exists() and not self.directory.is_dir():
            raise InputError(f"{self.directory}: exists and is not a folder; the dask engine "
                             "writes one file per partition into -o DIR")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            for old in self.directory.iterdir():
                if _PART.fullmatch(old.name):
                    old.unlink()
        except OSError as exc:
            raise InputError(f"{self.directory}: cannot write: {exc.strerror}") from exc

    def write(self, index: int, records: list[dict[str, Any]]) -> None:
        if self.directory is None:
            stream = self.stream
            assert stream is not None, "a writer without a folder needs a stream"
            stream.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
            stream.flush()
            return
        path = self.directory / part_name(index, self.format)
        partial = path.with_name(f".{path.name}.partial")
        if self.format == "parquet":
            _write_parquet(partial, records)
        else:
            with partial.open("w", encoding="utf-8") as stream:
                stream.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        os.replace(partial, path)
        self.written.append(path)


def _parquet_schema() -> Any:
    import pyarrow as pa

    return pa.schema([pa.field("id", pa.string(), nullable=False)]
                     + [pa.field(name, pa.string()) for name in PARQUET_COLUMNS[1:]],
                     metadata={"rasad.format": "result-json-columns.v1"})


def _write_parquet(path: Path, records: list[dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns: dict[str, list[str | None]] = {name: [] for name in PARQUET_COLUMNS}
    for record in records:
        rest = {k: v for k, v in record.items() if k not in ("id", "events", "statistics", "text")}
        columns["id"].append(str(record["id"]))
        columns["events"].append(_json(record.get("events", [])))
        columns["statistics"].append(_json(record.get("statistics", [])))
        columns["text"].append(record.get("text"))
        columns["extra"].append(_json(rest) if rest else None)
    pq.write_table(pa.table(columns, schema=_parquet_schema()), path)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def read_output(directory: Path) -> Iterator[dict[str, Any]]:
    """The records of a partitioned output folder, in input order (JSONL or Parquet parts)."""
    for path in sorted(p for p in directory.iterdir() if _PART.fullmatch(p.name)):
        if path.suffix == ".jsonl":
            with path.open(encoding="utf-8") as stream:
                yield from (json.loads(line) for line in stream if line.strip())
        else:
            yield from _parquet_records(path)


def _parquet_records(path: Path) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    for row in pq.read_table(path).to_pylist():
        record: dict[str, Any] = {"id": row["id"], "events": json.loads(row["events"]),
                                  "statistics": json.loads(row["statistics"])}
        if row.get("text") is not None:
            record["text"] = row["text"]
        if row.get("extra"):
            record.update(json.loads(row["extra"]))
        yield record
