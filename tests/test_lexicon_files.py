"""Every lexicon data file is well formed, whoever wrote it.

Checks, per ``rasad/data/lexicons/*.tsv``: a ``# version: N`` first line, a header row of
distinct names, no row wider than the header, no duplicate rows once normalised (the notes
column aside), and none of the characters that make an entry look right but never match:
Arabic presentation forms (U+FB50–FDFF, U+FE70–FEFF), zero-width and direction marks, tatweel.
A file another part is still writing fails with a message that names it and the problem.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from rasad.lexicon import lexicon_dir, load_table
from rasad.text.normalize import normalize_key

FILES = sorted(lexicon_dir().glob("*.tsv"))
VERSION = re.compile(r"# version: [0-9]+\s*\Z")
NOTE_COLUMNS = frozenset({"note", "notes", "comment", "comments", "source"})
BAD_CHARS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff\u200b-\u200f\u202a-\u202e\u2060\u061c\u0640]")


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        pytest.fail(f"{path.name}: unreadable as UTF-8 text: {exc}")


def _header_and_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, line in enumerate(_lines(path), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if header is None:
            header = cells
        else:
            rows.append((number, cells))
    if header is None:
        pytest.fail(f"{path.name}: no header row (file empty or still being written?)")
    return header, rows


def test_there_are_lexicons() -> None:
    assert FILES, f"no lexicon files in {lexicon_dir()}"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_first_line_is_version(path: Path) -> None:
    lines = _lines(path)
    first = lines[0] if lines else ""
    assert VERSION.match(first), f"{path.name}: first line {first!r} is not '# version: N'"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_header_names_distinct_columns(path: Path) -> None:
    header, _ = _header_and_rows(path)
    assert all(header), f"{path.name}: empty column name in header {header}"
    assert len(set(header)) == len(header), f"{path.name}: repeated column in header {header}"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_rows_fit_the_header(path: Path) -> None:
    header, rows = _header_and_rows(path)
    wide = [n for n, cells in rows if len(cells) > len(header)]
    assert not wide, f"{path.name}: lines {wide[:10]} have more cells than the header"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_no_duplicate_rows_after_normalisation(path: Path) -> None:
    header, rows = _header_and_rows(path)
    keep = [i for i, name in enumerate(header) if name.lower() not in NOTE_COLUMNS]
    seen: dict[tuple[str, ...], int] = {}
    duplicates: list[str] = []
    for number, cells in rows:
        cells = cells + [""] * (len(header) - len(cells))
        key = tuple(normalize_key(cells[i]) for i in keep if i < len(cells))
        if key in seen:
            duplicates.append(f"line {number} repeats line {seen[key]}: {key}")
        else:
            seen[key] = number
    assert not duplicates, f"{path.name}: " + "; ".join(duplicates[:10])


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_no_presentation_forms_zero_width_or_tatweel(path: Path) -> None:
    """In data rows; comments may show such characters to explain what is folded."""
    bad = [f"line {n}: U+{ord(m.group()):04X}"
           for n, line in enumerate(_lines(path), 1) if not line.startswith("#")
           for m in BAD_CHARS.finditer(line)]
    assert not bad, f"{path.name}: " + ", ".join(bad[:10])


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_loader_reads_the_file(path: Path) -> None:
    assert load_table(path.stem) is not None
