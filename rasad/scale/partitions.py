"""Partitions of a batch: what each Dask task reads, planned without reading the articles.

The client only lists folders and looks at file sizes and Parquet footers; each task opens its
own files, so the corpus never travels through the client. A large JSONL file is cut into
byte ranges: a range owns the lines that *start* inside it (the line straddling its end is
its own, the partial line at its start belongs to the range before), so the ranges of a file
read every line exactly once wherever the cuts fall. Line numbers are counted per range and
shifted by the client, which receives the ranges in order (``LineShifter``), so failures name
the same FILE:LINE as a local run. Files are expanded and named exactly as
``rasad.ingest.readers`` does, and each piece is read with its functions: the items, and hence
the run report, are the ones a local run sees.

Nothing here imports Dask: the plan and the per-partition work are plain functions that a
test can run and compare with ``iter_inputs`` directly.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from rasad.batch import Outcome, WorkerOptions, work_item
from rasad.errors import InputError
from rasad.ingest.encoding import check_not_binary, detect_encoding

# Private helpers of the local reader, shared on purpose: the same messages and the same
# folder walk are what make a distributed run report exactly what a local run reports.
from rasad.ingest.readers import (
    NO_FILES,
    TEXT_SUFFIXES,
    Item,
    _jsonl_item,
    _mb,
    _reason,
    folder_files,
    read_file,
    record_item,
)

PARTITION_BYTES = 8 * 1024 * 1024  # ~2,800 articles of 3 KB: about a minute on one core
ARTICLE_COLUMNS = ("id", "url", "outlet", "published", "title", "text")
_HEAD = 65536  # what read_jsonl sniffs for the encoding and binary content
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class Piece:
    """Part of one input: a whole file, a byte range of a JSONL file, Parquet rows, or an
    input that failed before reading (a missing path, an empty folder).

    ``start``/``end`` are bytes of a ``range`` and rows inside row group ``group`` of a
    ``parquet`` piece, whose first row in the file is ``first_row``; ``size`` is in bytes.
    """

    kind: str
    path: str
    display: str
    id: str | None = None
    file_kind: str | None = None
    start: int = 0
    end: int = 0
    group: int = 0
    first_row: int = 0
    size: int = 0
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Partition:
    """One task's worth of input: pieces in input order."""

    index: int
    pieces: tuple[Piece, ...]

    @property
    def size(self) -> int:
        return sum(piece.size for piece in self.pieces)


@dataclass(slots=True)
class PieceResult:
    """Outcomes of one piece; ``lines`` is how many lines a byte range owned."""

    piece: Piece
    lines: int
    outcomes: list[Outcome]


@dataclass(slots=True)
class PartitionResult:
    """What a task sends back: outcomes (records, no article texts unless asked), timing."""

    index: int
    pieces: list[PieceResult] = field(default_factory=list)
    seconds: float = 0.0

    def outcomes(self) -> Iterator[Outcome]:
        for piece in self.pieces:
            yield from piece.outcomes


# -- planning (client side) -------------------------------------------------------------------
def plan(inputs: Sequence[str], partitions: int | None = None,
         min_partitions: int = 1) -> list[Partition]:
    """Partitions of ``inputs`` in input order, about equal in bytes.

    ``partitions`` fixes the count (file names then depend on the input only); otherwise
    there is one per ``PARTITION_BYTES`` of input but at least ``min_partitions``, so every
    worker has work. A partition never holds less than one whole non-JSONL file.
    """
    units = list(_units(inputs))
    total = sum(unit.size for unit in units)
    count = partitions or max(math.ceil(total / PARTITION_BYTES), min_partitions, 1)
    return _pack(units, max(1, math.ceil(total / count)))


def _units(inputs: Sequence[str]) -> Iterator[Piece]:
    """One piece per input file, as ``iter_inputs`` would visit them."""
    for name in inputs:
        if name == "-":
            raise InputError("-: standard input cannot be read on the workers; save it to a "
                             "file first")
        path = Path(name)
        if path.is_dir():
            yield from _folder_units(path, name)
        elif not path.exists():
            yield Piece("error", name, name, error="no such file or directory")
        else:
            yield from _file_units(path, name, path.stem, None)


def _folder_units(folder: Path, display: str) -> Iterator[Piece]:
    found = False
    for path, shown, article_id, kind in folder_files(folder, display):
        found = True
        yield from _file_units(path, shown, article_id, kind)
    if not found:
        yield Piece("error", display, display, error=NO_FILES)


def _file_units(path: Path, display: str, article_id: str, kind: str | None) -> Iterator[Piece]:
    kind = kind or TEXT_SUFFIXES.get(path.suffix.lower())
    where = os.path.abspath(path)  # workers may run in another directory
    if kind is None and path.suffix.lower() == ".parquet":
        yield from _parquet_units(where, display, article_id)
        return
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # the worker reports why it cannot read the file
    if kind == "jsonl":
        yield Piece("range", where, display, article_id, kind, 0, size, size=size)
    else:
        yield Piece("file", where, display, article_id, kind, size=size)


def _parquet_units(path: str, display: str, article_id: str) -> Iterator[Piece]:
    """One piece per row group, from the footer alone."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        metadata = pq.ParquetFile(path).metadata
        names = metadata.schema.to_arrow_schema().names
    except (OSError, pa.ArrowException) as exc:
        yield Piece("error", path, display, article_id,
                    error=f"not a readable Parquet file ({exc})")
        return
    if "text" not in names:
        yield Piece("error", path, display, article_id,
                    error=f"no 'text' column (columns: {', '.join(names)})")
        return
    first = 0
    for group in range(metadata.num_row_groups):
        meta = metadata.row_group(group)
        yield Piece("parquet", path, display, article_id, "parquet", 0, meta.num_rows,
                    group=group, first_row=first, size=max(meta.total_byte_size, 1))
        first += meta.num_rows
    if first == 0:
        yield Piece("error", path, display, article_id, error="no rows")


def _pack(units: list[Piece], target: int) -> list[Partition]:
    """Fill partitions of ``target`` bytes, cutting JSONL files and row groups as needed."""
    partitions: list[Partition] = []
    current: list[Piece] = []
    fill = 0
    for unit in units:
        rest: Piece | None = unit
        while rest is not None:
            if fill >= target and rest.size:  # empty pieces join the partition before
                partitions.append(Partition(len(partitions), tuple(current)))
                current, fill = [], 0
            head, rest = _cut(rest, target - fill)
            current.append(head)
            fill += head.size
    if current:
        partitions.append(Partition(len(partitions), tuple(current)))
    return partitions


def _cut(piece: Piece, room: int) -> tuple[Piece, Piece | None]:
    """At most ``room`` bytes of ``piece`` and the rest (``None`` when it all fits)."""
    if piece.size <= room or piece.kind not in ("range", "parquet"):
        return piece, None
    if piece.kind == "range":
        cut = piece.start + room
        return (replace(piece, end=cut, size=room),
                replace(piece, start=cut, size=piece.size - room))
    rows = piece.end - piece.start
    take = max(1, room * rows // piece.size)
    if take >= rows:
        return piece, None
    size = piece.size * take // rows
    return (replace(piece, end=piece.start + take, size=size),
            replace(piece, start=piece.start + take, size=piece.size - size))


# -- reading and processing (worker side) -----------------------------------------------------
def process_partition(partition: Partition, published: str | None, max_bytes: int,
                      options: WorkerOptions) -> PartitionResult:
    """Read and process one partition where it runs; the body of every Dask task."""
    started = time.perf_counter()
    result = PartitionResult(partition.index)
    for piece in partition.pieces:
        items, lines = read_piece(piece, published, max_bytes)
        outcomes = [work_item(item, False, options) for item in items]
        result.pieces.append(PieceResult(piece, lines, outcomes))
    result.seconds = time.perf_counter() - started
    return result


def read_piece(piece: Piece, published: str | None, max_bytes: int) -> tuple[list[Item], int]:
    """The items of one piece and, for a byte range, how many lines it owned."""
    if piece.kind == "error":
        return [Item(source=piece.display, id=piece.id, error=piece.error)], 0
    if piece.kind == "range":
        return read_range(piece, max_bytes)
    if piece.kind == "parquet":
        return read_parquet_rows(piece), 0
    path = Path(piece.path)
    return list(read_file(path, piece.display, piece.id or path.stem, published, max_bytes,
                          piece.file_kind)), 0


def read_range(piece: Piece, max_bytes: int) -> tuple[list[Item], int]:
    """The lines starting in ``[start, end)`` of a JSONL file, numbered from 1.

    File-level problems (empty, binary, unreadable) are reported by the range at offset 0
    only, as the local reader reports them once per file.
    """
    first = piece.start == 0
    display = piece.display
    try:
        with open(piece.path, "rb") as stream:
            head = stream.read(_HEAD)
            if not head.strip():
                return ([Item(source=display, error="empty file")] if first else []), 0
            try:
                check_not_binary(head, display)
            except InputError as exc:
                return ([Item(source=display, error=_reason(exc, display))] if first else []), 0
            encoding = detect_encoding(head, guess_other=False)
            return _range_items(stream, piece, max_bytes,
                                "utf-8" if encoding == "utf-8-sig" else encoding)
    except OSError as exc:
        error = Item(source=display, id=piece.id, error=f"cannot read: {exc.strerror}")
        return ([error] if first else []), 0


def _range_items(stream: IO[bytes], piece: Piece, max_bytes: int,
                 encoding: str) -> tuple[list[Item], int]:
    items: list[Item] = []
    number = 0
    for number, raw in enumerate(_range_lines(stream, piece.start, piece.end, max_bytes), 1):
        if raw is None:
            items.append(Item(source=piece.display, line=number,
                              error=f"line longer than the size limit of {_mb(max_bytes)}"))
            continue
        if number == 1 and piece.start == 0:
            raw = raw.removeprefix(_BOM)
        if raw.strip():
            items.append(_jsonl_item(raw, encoding, piece.display, number,
                                     f"{piece.display}:{number}"))
    return items, number


def _range_lines(stream: IO[bytes], start: int, end: int,
                 max_bytes: int) -> Iterator[bytes | None]:
    """Lines (without their end) that start in ``[start, end)``; ``None`` for one over
    ``max_bytes``, skipped without holding it, as ``readers._lines`` does."""
    stream.seek(max(start - 1, 0))
    if start > 0:  # the line holding byte start-1 belongs to the range before
        skipped = stream.readline(1 << 20)
        while skipped and not skipped.endswith(b"\n"):
            skipped = stream.readline(1 << 20)
    position = stream.tell()
    while position < end:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = stream.readline(1 << 20)
            yield None
        else:
            yield line.rstrip(b"\r\n")
        position = stream.tell()


def read_parquet_rows(piece: Piece) -> list[Item]:
    """Rows ``[start, end)`` of one row group as article items; row N is "line" N."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(piece.path)
        names = [n for n in ARTICLE_COLUMNS if n in source.schema_arrow.names]
        table = source.read_row_group(piece.group, columns=names)
    except (OSError, pa.ArrowException) as exc:
        if piece.group or piece.start:
            return []
        return [Item(source=piece.display, id=piece.id, error=f"cannot read: {exc}")]
    rows = table.slice(piece.start, piece.end - piece.start).to_pylist()
    base = piece.first_row + piece.start
    return [record_item(_row_record(row), piece.display, base + number)
            for number, row in enumerate(rows, 1)]


def _row_record(row: dict[str, Any]) -> dict[str, Any]:
    """A Parquet row as the JSON record a JSONL line would give (dates as ISO text)."""
    published = row.get("published")
    if isinstance(published, dt.date):  # datetime too: its offset is dropped like JSON's
        row["published"] = published.isoformat()
    return row


# -- ordering (client side) -------------------------------------------------------------------
class LineShifter:
    """Turns per-range line numbers into file line numbers, partition by partition in order."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def shift(self, result: PartitionResult) -> PartitionResult:
        for piece_result in result.pieces:
            piece = piece_result.piece
            if piece.kind != "range":
                continue
            offset = self._seen.get(piece.path, 0)
            self._seen[piece.path] = offset + piece_result.lines
            if offset:
                prefix = piece.display + ":"
                for outcome in piece_result.outcomes:
                    line = outcome.where[len(prefix):]
                    if outcome.where.startswith(prefix) and line.isdigit():
                        outcome.where = f"{prefix}{int(line) + offset}"
        return result
