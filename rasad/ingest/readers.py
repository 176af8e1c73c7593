"""Inputs → an ordered stream of ``Item``s: articles, HTML pages to extract, or failures.

Readers never raise for a bad input: a file or line that cannot be read becomes a failed
``Item`` carrying a one-line reason, so a batch accounts for every input and goes on with
the rest. Files are streamed (a JSONL of millions of lines never sits in memory) and every
whole-file read is bounded by ``max_bytes``, so a 50 MB page is refused, not parsed.

Ids are stable: a JSONL record's own ``id`` (else its URL, else a hash of its text); a file
given by name is its stem ("seed.txt" → "seed"); a file found in a folder is its path inside
the folder without the suffix ("2022/12/raqqa.html" → "2022/12/raqqa"), so the same article
as ``.html`` and as ``.txt`` gets the same id.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from rasad.errors import InputError
from rasad.ingest.encoding import (
    check_not_binary,
    declared_charset,
    decode_bytes,
    decode_line,
    detect_encoding,
)
from rasad.pipeline import make_article
from rasad.records import Article

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html",
                 ".xhtml": "html", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}
FOLDER_KINDS = ("text", "html", "jsonl")
SIDECAR_KEYS = ("id", "url", "outlet", "title", "published", "charset")


@dataclass(frozen=True, slots=True)
class Item:
    """One input, in input order. Exactly one of ``article``, ``html`` or ``error`` is set.

    ``html`` pages are extracted in the worker (it is the costly part); ``meta`` holds what
    is known about the page beforehand (a fetch sidecar, ``--published``).
    """

    source: str
    line: int | None = None
    id: str | None = None
    article: Article | None = None
    html: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line else self.source


def text_hash(text: str) -> str:
    """Hash of the text with whitespace collapsed: the "same text" of duplicate detection."""
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()


def iter_inputs(inputs: Sequence[str], published: str | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES, stdin: IO[bytes] | None = None
                ) -> Iterator[Item]:
    """Every article of every input, in order; ``-`` is standard input."""
    for name in inputs:
        if name == "-":
            yield from read_stdin(stdin or sys.stdin.buffer, published, max_bytes)
            continue
        path = Path(name)
        if path.is_dir():
            yield from read_folder(path, name, published, max_bytes)
        elif not path.exists():
            yield Item(source=name, error="no such file or directory")
        else:
            yield from read_file(path, name, path.stem, published, max_bytes)


def read_folder(folder: Path, display: str, published: str | None,
                max_bytes: int) -> Iterator[Item]:
    """Supported files under ``folder`` in sorted path order; hidden entries skipped."""
    found = False
    for path, shown, article_id, kind in folder_files(folder, display):
        found = True
        yield from read_file(path, shown, article_id, published, max_bytes, kind)
    if not found:
        yield Item(source=display, error=NO_FILES)


NO_FILES = "no .jsonl, .txt or .html files in folder"


def folder_files(folder: Path, display: str) -> Iterator[tuple[Path, str, str, str]]:
    """(path, name shown in reports, article id, kind) of every supported file under
    ``folder``, in sorted path order, hidden entries skipped; the id is the relative path
    without its suffix."""
    for path in sorted(_walk(folder)):
        kind = TEXT_SUFFIXES.get(path.suffix.lower())
        if kind not in FOLDER_KINDS:
            continue
        relative = path.relative_to(folder)
        yield (path, os.path.join(display, str(relative)), relative.with_suffix("").as_posix(),
               kind)


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith("."):
                yield Path(root) / name


def read_file(path: Path, display: str, article_id: str, published: str | None,
              max_bytes: int, kind: str | None = None) -> Iterator[Item]:
    """One file of any supported kind; the kind is sniffed when the suffix does not say."""
    try:
        kind = kind or TEXT_SUFFIXES.get(path.suffix.lower()) or _sniff_file(path)
        if kind == "jsonl":
            with path.open("rb") as stream:
                yield from read_jsonl(stream, display, max_bytes)
            return
        data = _read_bounded(path, display, max_bytes)
        if kind == "json":
            yield from _json_document(data, display, article_id, published)
        elif kind == "html":
            yield _html_item(data, display, article_id, published, _sidecar(path))
        else:
            yield _text_item(data, display, article_id, published)
    except InputError as exc:
        yield Item(source=display, id=article_id, error=_reason(exc, display))
    except OSError as exc:
        yield Item(source=display, id=article_id, error=f"cannot read: {exc.strerror}")


def _reason(exc: InputError, where: str) -> str:
    """The message without the location prefix (the item prints it)."""
    text = str(exc)
    return text[len(where) + 2:] if text.startswith(where + ": ") else text


def _read_bounded(path: Path, display: str, max_bytes: int) -> bytes:
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"{display}: file is {_mb(size)}, over the size limit of "
                         f"{_mb(max_bytes)} (see --max-size)")
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{display}: empty file")
    return data


def _mb(size: int) -> str:
    return f"{size / 1048576:.1f} MB"


def _sniff_file(path: Path) -> str:
    with path.open("rb") as stream:
        return sniff_kind(stream.read(4096))


def sniff_kind(head: bytes) -> str:
    """``jsonl``, ``html`` or ``text`` from the first bytes of an unnamed input."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return "jsonl"
    lowered = stripped[:2048].lower()
    if any(tag in lowered for tag in (b"<!doctype html", b"<html", b"<head", b"<body")):
        return "html"
    return "text"


def _sidecar(path: Path) -> dict[str, Any]:
    """Metadata saved beside a fetched page (``page.json`` next to ``page.html``)."""
    side = path.with_suffix(".json")
    if not side.is_file():
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{side}: unreadable metadata sidecar ({exc})") from exc
    return {k: data[k] for k in SIDECAR_KEYS if isinstance(data, dict) and data.get(k)}


def _text_item(data: bytes, display: str, article_id: str, published: str | None) -> Item:
    text = decode_bytes(data, display)
    article = make_article(article_id, text.lstrip("\ufeff"), published)
    return Item(source=display, id=article_id, article=article)


def _html_item(data: bytes, display: str, article_id: str, published: str | None,
               meta: dict[str, Any]) -> Item:
    html = decode_bytes(data, display, meta.get("charset") or declared_charset(data))
    meta = {"published_default": published, **meta}
    return Item(source=display, id=str(meta.get("id") or article_id), html=html, meta=meta)


def _json_document(data: bytes, display: str, article_id: str,
                   published: str | None) -> Iterator[Item]:
    """A ``.json`` file: one article object or a list of them."""
    text = decode_bytes(data, display)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{display}: not JSON ({exc.msg} at line {exc.lineno} "
                         f"column {exc.colno})") from exc
    records = value if isinstance(value, list) else [value]
    for number, record in enumerate(records, 1):
        where = display if len(records) == 1 else f"{display}[{number}]"
        yield record_item(record, where, None, default_id=article_id if len(records) == 1
                          else f"{article_id}:{number}", published=published)


def read_jsonl(stream: IO[bytes], display: str, max_bytes: int,
               first: bytes | None = None) -> Iterator[Item]:
    """Articles of a JSONL stream, one per line; each bad line is one failed item.

    ``stream`` is a seekable file (its head is sniffed, then it is rewound), or standard
    input whose ``first`` line has already been read.
    """
    if first is None:
        head = stream.read(65536)
        stream.seek(0)
    else:
        head = first
    if not head.strip():
        yield Item(source=display, error="empty file")
        return
    try:
        check_not_binary(head, display)
    except InputError as exc:
        yield Item(source=display, error=_reason(exc, display))
        return
    encoding = detect_encoding(head, guess_other=False)
    encoding = "utf-8" if encoding == "utf-8-sig" else encoding
    for number, raw in enumerate(_lines(stream, max_bytes, first), 1):
        if raw is None:
            yield Item(source=display, line=number,
                       error=f"line longer than the size limit of {_mb(max_bytes)}")
            continue
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if raw.strip():
            yield _jsonl_item(raw, encoding, display, number, f"{display}:{number}")


def _jsonl_item(raw: bytes, encoding: str, display: str, number: int, where: str) -> Item:
    try:
        line = decode_line(raw, encoding, where)
    except InputError as exc:
        return Item(source=display, line=number, error=_reason(exc, where))
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Item(source=display, line=number,
                    error=f"not JSON ({exc.msg} at column {exc.colno})")
    return record_item(record, display, number)


def _lines(stream: IO[bytes], max_bytes: int, first: bytes | None) -> Iterator[bytes | None]:
    """Lines without their end; ``None`` for a line over ``max_bytes``, whose bytes are
    skipped rather than held in memory."""
    line = first if first is not None else stream.readline(max_bytes + 1)
    while line:
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = stream.readline(1 << 20)
            yield None
        else:
            yield line.rstrip(b"\r\n")
        line = stream.readline(max_bytes + 1)


def record_item(record: Any, display: str, line: int | None, default_id: str | None = None,
                published: str | None = None) -> Item:
    """An article from one parsed JSON record (SCHEMA input format)."""
    if not isinstance(record, dict):
        return Item(source=display, line=line,
                    error=f"not an article object (a JSON {type(record).__name__})")
    text = record.get("text")
    raw_id = record.get("id")
    if "text" not in record:
        return Item(source=display, line=line, id=_str(raw_id), error="no 'text' field")
    if not isinstance(text, str):
        return Item(source=display, line=line, id=_str(raw_id),
                    error=f"'text' is not a string (it is {_json_type(text)})")
    if not text.strip():
        return Item(source=display, line=line, id=_str(raw_id), error="'text' is empty")
    article_id = _str(raw_id) or _str(record.get("url")) or default_id or \
        "sha1:" + text_hash(text)[:16]
    meta = {k: _str(record.get(k)) for k in ("title", "url", "outlet")}
    try:
        article = make_article(article_id, text, record.get("published") or published, **meta)
    except InputError as exc:
        return Item(source=display, line=line, id=article_id, error=str(exc))
    return Item(source=display, line=line, id=article_id, article=article)


def _str(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _json_type(value: Any) -> str:
    return {type(None): "null", bool: "a boolean", int: "a number", float: "a number",
            list: "a list", dict: "an object"}.get(type(value), type(value).__name__)


def read_stdin(stream: IO[bytes], published: str | None, max_bytes: int) -> Iterator[Item]:
    """Standard input: JSONL when its first line is a JSON object, else HTML or text."""
    first = stream.readline(max_bytes + 1)
    if sniff_kind(first) == "jsonl" and _parses_as_object(first):
        yield from read_jsonl(stream, "<stdin>", max_bytes, first=first)
        return
    data = first + stream.read(max_bytes + 1 - len(first))
    try:
        if len(data) > max_bytes:
            raise InputError(f"<stdin>: input over the size limit of {_mb(max_bytes)} "
                             "(see --max-size)")
        if not data.strip():
            raise InputError("<stdin>: empty input")
        if sniff_kind(data) == "html":
            yield _html_item(data, "<stdin>", "stdin", published, {})
        else:
            yield _text_item(data, "<stdin>", "stdin", published)
    except InputError as exc:
        yield Item(source="<stdin>", id="stdin", error=_reason(exc, "<stdin>"))


def _parses_as_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line.decode("utf-8-sig")), dict)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False


def item_article(item: Item) -> Article:
    """The article of an item, extracting it from its HTML page if need be.

    Metadata from a fetch sidecar wins over what the page says (the feed is the outlet's
    own record); ``--published`` only fills a date nobody gave.
    """
    if item.article is not None:
        return item.article
    if item.html is None:
        raise InputError(f"{item.where}: {item.error or 'no article'}")
    from rasad.ingest.html import extract_page

    meta = item.meta
    page = extract_page(item.html, url=meta.get("url"), source=item.where)
    published = meta.get("published") or page.published or meta.get("published_default")
    try:
        return make_article(str(item.id), page.text, published,
                            title=meta.get("title") or page.title,
                            url=meta.get("url") or page.url,
                            outlet=meta.get("outlet") or page.outlet)
    except InputError as exc:
        raise InputError(f"{item.where}: {exc}") from exc
