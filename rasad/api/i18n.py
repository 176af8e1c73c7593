"""Interface strings in English and Arabic, read from ``templates/strings.tsv``.

The dictionary is data (translators edit the TSV, not code). A language comes from
``?lang=ar|en`` (remembered in a cookie) and sets the page's ``lang`` and ``dir``; article text
is always shown right-to-left whatever the interface language.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from rasad.errors import SettingsError

LANGUAGES = ("en", "ar")
DEFAULT_LANGUAGE = "en"
STRINGS_FILE = Path(__file__).parent / "templates" / "strings.tsv"


@functools.cache
def strings() -> dict[str, dict[str, str]]:
    """key -> {"en": text, "ar": text}; SettingsError when the file is malformed."""
    table: dict[str, dict[str, str]] = {}
    header: list[str] | None = None
    lines = STRINGS_FILE.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            if header != ["key", *LANGUAGES]:
                raise SettingsError(f"{STRINGS_FILE}: header must be key<TAB>en<TAB>ar")
            continue
        if len(cells) != len(header) or not all(c.strip() for c in cells):
            raise SettingsError(f"{STRINGS_FILE}:{number}: expected {len(header)} non-empty "
                                "tab-separated cells")
        if cells[0] in table:
            raise SettingsError(f"{STRINGS_FILE}:{number}: duplicate key {cells[0]!r}")
        table[cells[0]] = dict(zip(LANGUAGES, cells[1:], strict=True))
    return table


def translator(language: str) -> Callable[[str], str]:
    """``t(key)`` for one language; an unknown key renders as itself so a gap is visible."""
    table = strings()

    def translate(key: str) -> str:
        entry = table.get(key)
        return entry[language] if entry else key

    return translate


def pick_language(query_value: str | None, cookie_value: str | None) -> str:
    for value in (query_value, cookie_value):
        if value in LANGUAGES:
            return value
    return DEFAULT_LANGUAGE
