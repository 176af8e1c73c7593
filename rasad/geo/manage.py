"""Library side of ``rasad gazetteer``: import files, rebuild, describe the index."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rasad.errors import GazetteerError
from rasad.geo.importer import AdminLocator, detect_reader
from rasad.geo.index import (
    GazetteerIndex,
    UserPlaces,
    build_index,
    cached_default_rows,
    gazetteer_home,
    load_index,
)


@dataclass(frozen=True, slots=True)
class ImportReport:
    file: str
    kind: str
    rows: int
    per_feature: dict[str, int]


def import_files(paths: list[Path], home: Path | None = None) -> list[ImportReport]:
    """Read gazetteer files into the user's store, then rebuild the index once."""
    directory = gazetteer_home(home)
    for path in paths:
        if not path.is_file():
            raise GazetteerError(f"{path}: no such file")
    readers = [(path, detect_reader(path)) for path in paths]   # fail before slow work
    towns, codes = cached_default_rows(directory)
    locate = AdminLocator(towns, codes)
    users = UserPlaces(directory)
    reports = []
    for path, reader in readers:
        rows = list(reader(path, locate))
        if not rows:
            raise GazetteerError(f"{path}: no place with an Arabic name in the file")
        kind = reader.__name__.removeprefix("read_")
        users.replace_file(path.name, kind, rows)
        reports.append(ImportReport(path.name, kind, len(rows),
                                    dict(Counter(r.feature for r in rows))))
    build_index(directory)
    return reports


def rebuild(home: Path | None = None) -> GazetteerIndex:
    """Compile the index again from package data and imported places."""
    return build_index(gazetteer_home(home))


def describe(home: Path | None = None) -> dict[str, object]:
    """What is loaded: paths, stamp, imports and counts per source, country and feature."""
    directory = gazetteer_home(home)
    index = load_index(directory)
    counts = index.counts()
    return {
        "directory": str(directory), "index": str(index.path), "places": len(index),
        "names": len(index.keys), "stamp": index.stamp,
        "imports": [{"file": f, "kind": k, "rows": n, "imported_at": t}
                    for f, k, n, t in UserPlaces(directory).imports()],
        "per_source": dict(counts["source"].most_common()),
        "per_feature": dict(counts["feature"].most_common()),
        "per_country": dict(counts["country"].most_common()),
    }
