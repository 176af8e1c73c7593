"""Readers: every input becomes an article or a one-line reason, with stable ids."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from rasad.ingest.readers import Item, iter_inputs, read_stdin, text_hash

TEXT = "قتل شخصان في هجوم مسلح على حاجز قرب بلدة الشحيل مساء أمس."


def _jsonl(path: Path, lines: list[str | bytes]) -> Path:
    path.write_bytes(b"".join((x if isinstance(x, bytes) else x.encode("utf-8")) + b"\n"
                              for x in lines))
    return path


def _items(*inputs: str, **options: object) -> list[Item]:
    return list(iter_inputs(list(inputs), **options))  # type: ignore[arg-type]


@pytest.mark.parametrize(("line", "reason"), [
    ("not json", "not JSON (Expecting value at column 1)"),
    ('{"id": "x", "text": "قتل"', "not JSON (Expecting ',' delimiter at column 26)"),
    ('{"id": "x"}', "no 'text' field"),
    ('{"id": "x", "text": 5}', "'text' is not a string (it is a number)"),
    ('{"id": "x", "text": null}', "'text' is not a string (it is null)"),
    ('{"id": "x", "text": "  "}', "'text' is empty"),
    ('["a list"]', "not an article object (a JSON list)"),
    ('{"id": "x", "text": "قتل", "published": "أمس"}', "not an ISO date"),
    (b'{"id": "x", "text": "\xff\xfe"}', "undecodable bytes: not valid UTF-8 (byte 0xff at "
                                         "column 22)"),
], ids=["not-json", "truncated", "no-text", "text-number", "text-null", "text-blank",
        "not-object", "bad-date", "bad-bytes"])
def test_bad_jsonl_line_is_one_failure_naming_the_line(tmp_path: Path, line: str | bytes,
                                                       reason: str) -> None:
    path = _jsonl(tmp_path / "news.jsonl", [json.dumps({"id": "a1", "text": TEXT}), line,
                                            json.dumps({"id": "a3", "text": TEXT + "!"})])
    items = _items(str(path))
    assert [i.article is not None for i in items] == [True, False, True]
    assert items[1].where == f"{path}:2"
    assert reason in str(items[1].error)


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty file"),
    (b"  \n\n ", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", "binary file"),
], ids=["empty", "blank", "binary"])
@pytest.mark.parametrize("suffix", [".txt", ".html", ".jsonl"])
def test_empty_and_binary_files_fail_with_a_reason(tmp_path: Path, content: bytes, reason: str,
                                                    suffix: str) -> None:
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(content)
    (item,) = _items(str(path))
    assert item.article is None and item.html is None
    assert reason in str(item.error)


def test_file_over_the_size_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    with path.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)
    (item,) = _items(str(path))
    assert item.error == "file is 50.0 MB, over the size limit of 10.0 MB (see --max-size)"


def test_jsonl_line_over_the_size_limit_fails_alone(tmp_path: Path) -> None:
    long_line = json.dumps({"id": "big", "text": "ب" * 3000})
    path = _jsonl(tmp_path / "n.jsonl", [long_line, json.dumps({"id": "ok", "text": TEXT})])
    first, second = _items(str(path), max_bytes=2000)
    assert first.error is not None and "line longer than the size limit" in first.error
    assert second.article is not None and second.id == "ok"


def test_missing_input_is_a_failure_not_an_exception(tmp_path: Path) -> None:
    (item,) = _items(str(tmp_path / "nope.txt"))
    assert item.error == "no such file or directory"


@pytest.mark.parametrize(("record", "expected"), [
    ({"id": "a7", "url": "https://x.example/1", "text": TEXT}, "a7"),
    ({"id": 42, "text": TEXT}, "42"),
    ({"url": "https://x.example/1", "text": TEXT}, "https://x.example/1"),
    ({"text": TEXT}, "sha1:" + text_hash(TEXT)[:16]),
])
def test_jsonl_id_is_its_own_id_else_url_else_text_hash(tmp_path: Path, record: dict[str, object],
                                                        expected: str) -> None:
    (item,) = _items(str(_jsonl(tmp_path / "n.jsonl", [json.dumps(record)])))
    assert item.id == expected


def test_folder_ids_are_relative_paths_and_order_is_sorted(tmp_path: Path) -> None:
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / "b" / "deep" / "x.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.html").write_text(f"<html><body><p>{TEXT}</p></body></html>", "utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "j1", "text": TEXT}) + "\n", "utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    assert [i.id for i in _items(str(tmp_path))] == ["a", "b/deep/x", "j1"]


def test_text_file_id_is_its_stem_and_published_applies(tmp_path: Path) -> None:
    path = tmp_path / "seed.txt"
    path.write_text(TEXT, encoding="utf-8")
    (item,) = _items(str(path), published="2022-12-27")
    assert item.id == "seed" and item.article is not None
    assert item.article.published is not None
    assert item.article.published.date().isoformat() == "2022-12-27"


def test_windows_1256_text_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes(TEXT.encode("cp1256"))
    (item,) = _items(str(path))
    assert item.article is not None and item.article.text == TEXT


def test_windows_1256_jsonl_is_read(tmp_path: Path) -> None:
    line = json.dumps({"id": "w", "text": TEXT}, ensure_ascii=False).encode("cp1256")
    (item,) = _items(str(_jsonl(tmp_path / "w.jsonl", [line])))
    assert item.article is not None and item.article.text == TEXT


@pytest.mark.parametrize(("data", "kind"), [
    (json.dumps({"id": "s1", "text": TEXT}).encode() + b"\n", "jsonl"),
    (TEXT.encode("utf-8"), "text"),
    (b"<!DOCTYPE html><html><body><p>" + TEXT.encode() + b"</p></body></html>", "html"),
    (b"{not json at all", "text"),
])
def test_stdin_is_jsonl_when_it_parses_else_html_or_text(data: bytes, kind: str) -> None:
    (item,) = list(read_stdin(io.BytesIO(data), None, 10_000_000))
    got = "html" if item.html else ("jsonl" if item.id == "s1" else "text")
    assert got == kind
