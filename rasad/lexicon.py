"""The one reader of the lexicon data files in ``rasad/data/lexicons``.

Lexicons are TSV files: a ``# version: N`` line, optional ``#`` comments, a header row, then
rows. Arabic cells are normalised with the same function that normalises input text, so a
lexicon written with hamza, diacritics or ta marbuta still matches folded text.
"""
from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from rasad.errors import LexiconError
from rasad.text.normalize import normalize_key

Row = dict[str, str]


def lexicon_dir() -> Path:
    return Path(str(resources.files("rasad") / "data" / "lexicons"))


@functools.cache
def load_table(name: str, arabic_columns: tuple[str, ...] = ()) -> tuple[Row, ...]:
    """Rows of ``data/lexicons/<name>.tsv``; ``arabic_columns`` are normalised."""
    path = lexicon_dir() / f"{name}.tsv"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read lexicon: {exc}") from exc
    header: list[str] | None = None
    rows: list[Row] = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = [c.strip() for c in cells]
            continue
        if len(cells) > len(header):
            raise LexiconError(f"{path}:{number}: {len(cells)} cells, header has {len(header)}")
        row = {k: (cells[i].strip() if i < len(cells) else "") for i, k in enumerate(header)}
        for col in arabic_columns:
            if col not in row:
                raise LexiconError(f"{path}:{number}: no column {col!r}")
            row[col] = normalize_key(row[col])
        rows.append(row)
    if header is None:
        raise LexiconError(f"{path}: empty lexicon")
    return tuple(rows)


@functools.cache
def load_words(name: str, column: str = "word") -> frozenset[str]:
    """The normalised set of one column of a lexicon."""
    return frozenset(r[column] for r in load_table(name, (column,)) if r[column])


@functools.cache
def word_set(name: str, role: str) -> frozenset[str]:
    """The normalised words of lexicon ``name`` whose ``role`` column is ``role``."""
    rows = load_table(name, ("word",))
    words = frozenset(r["word"] for r in rows if r["role"] == role)
    if not words:
        raise LexiconError(f"{lexicon_dir() / name}.tsv: no words with role {role!r}")
    return words
