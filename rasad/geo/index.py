"""The compiled gazetteer index and where it lives on disk.

Layout under ``<home>/gazetteer`` (home: ``RASAD_HOME`` or platformdirs' user data dir):

- ``imported.sqlite``: places from ``rasad gazetteer import`` (the user's own data);
- ``default-rows.pkl``: the default gazetteer read from package data (slow to read: cached);
- ``index.pkl`` + ``index.stamp.json``: default + imported places compiled into columns and
  an Aho-Corasick automaton over their normalised Arabic names. The stamp records the
  package versions, lexicon hashes and import generation it was built from; any change
  rebuilds it. Files are replaced atomically so parallel workers never read half a file.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import pickle
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import ahocorasick
import platformdirs

from rasad.errors import GazetteerError
from rasad.geo.places import Place
from rasad.geo.sources import ADMIN_PREFIXES, SourceRow, default_rows, package_versions
from rasad.lexicon import lexicon_dir

INDEX_FORMAT = 5
_LEXICONS = ("geo_admin1", "geo_countries")
_COLUMNS = ("id", "name", "name_ar", "names", "country", "admin1", "admin2", "lat", "lon",
            "feature", "population", "source", "parent")


def gazetteer_home(home: Path | None = None) -> Path:
    """The gazetteer directory: ``home``, else ``$RASAD_HOME``, else the user data dir."""
    if home is None:
        env = os.environ.get("RASAD_HOME")
        home = Path(env) if env else Path(platformdirs.user_data_dir("rasad"))
    return Path(home) / "gazetteer"


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class UserPlaces:
    """The SQLite store of imported places."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "imported.sqlite"

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = sqlite3.connect(self.path)
            db.executescript(
                "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
                "CREATE TABLE IF NOT EXISTS imports(file TEXT PRIMARY KEY, kind TEXT,"
                " rows INTEGER, imported_at TEXT);"
                "CREATE TABLE IF NOT EXISTS places(file TEXT, id TEXT, name TEXT, name_ar TEXT,"
                " names TEXT, country TEXT, admin1 TEXT, admin2 TEXT, lat REAL, lon REAL,"
                " feature TEXT, population INTEGER, source TEXT, parent TEXT);")
        except sqlite3.Error as exc:
            raise GazetteerError(f"{self.path}: cannot open the imported-places store: {exc}") \
                from exc
        return db

    def generation(self) -> int:
        """A counter bumped by every import; part of the index stamp."""
        if not self.path.exists():
            return 0
        with self._connect() as db:
            row = db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    def replace_file(self, file: str, kind: str, rows: list[SourceRow]) -> None:
        """Store ``rows`` as the content of ``file`` (re-importing a file replaces it)."""
        db = self._connect()
        try:
            with db:
                db.execute("DELETE FROM places WHERE file=?", (file,))
                db.executemany(
                    f"INSERT INTO places VALUES ({','.join('?' * 14)})",
                    [(file, r.id, r.name, r.name_ar, "|".join(r.names), r.country, r.admin1,
                      r.admin2, r.lat, r.lon, r.feature, r.population, r.source, r.parent)
                     for r in rows])
                db.execute("INSERT OR REPLACE INTO imports VALUES (?, ?, ?, datetime('now'))",
                           (file, kind, len(rows)))
                db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)",
                           (str(self.generation_in(db) + 1),))
        finally:
            db.close()

    @staticmethod
    def generation_in(db: sqlite3.Connection) -> int:
        row = db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    def rows(self) -> list[SourceRow]:
        if not self.path.exists():
            return []
        with self._connect() as db:
            cur = db.execute(f"SELECT {','.join(_COLUMNS)} FROM places ORDER BY rowid")
            return [SourceRow(r[0], r[1], r[2], tuple(r[3].split("|")), *r[4:]) for r in cur]

    def imports(self) -> list[tuple[str, str, int, str]]:
        if not self.path.exists():
            return []
        with self._connect() as db:
            return list(db.execute("SELECT file, kind, rows, imported_at FROM imports"))


def _lexicon_hash() -> str:
    digest = hashlib.sha256()
    for name in _LEXICONS:
        digest.update((lexicon_dir() / f"{name}.tsv").read_bytes())
    return digest.hexdigest()[:16]


def default_stamp() -> dict[str, Any]:
    return {"format": INDEX_FORMAT, "packages": package_versions(), "lexicons": _lexicon_hash()}


def cached_default_rows(directory: Path) -> tuple[list[SourceRow], dict[str, str]]:
    """The default gazetteer rows, read from packages once and cached as a pickle."""
    path, stamp = directory / "default-rows.pkl", default_stamp()
    if path.exists():
        with path.open("rb") as fh:
            cached = pickle.load(fh)
        if cached["stamp"] == stamp:
            return [SourceRow(*r) for r in cached["rows"]], cached["codes"]
    rows, codes = default_rows()
    _write_atomic(path, pickle.dumps({"stamp": stamp, "rows": [r.as_tuple() for r in rows],
                                      "codes": codes}, protocol=5))
    return rows, codes


def _km(a: SourceRow, b: SourceRow) -> float:
    dlat = (a.lat - b.lat) * 111.2
    dlon = (a.lon - b.lon) * 111.2 * math.cos(math.radians(a.lat))
    return math.hypot(dlat, dlon)


def _merge(rows: list[SourceRow]) -> list[SourceRow]:
    """One row per id: names united, admin names and population kept from the first."""
    by_id: dict[str, SourceRow] = {}
    for row in rows:
        old = by_id.get(row.id)
        if old is None:
            by_id[row.id] = SourceRow(*row.as_tuple())
            continue
        old.names = tuple(dict.fromkeys((*old.names, *row.names)))
        old.admin1 = old.admin1 or row.admin1
        old.admin2 = old.admin2 or row.admin2
        old.population = max(old.population, row.population)
        old.parent = old.parent or row.parent
    return list(by_id.values())


def _resolve_parents(rows: list[SourceRow]) -> dict[str, int]:
    """Index of each id; parents named "name:CC:<arabic>" become the biggest such town."""
    position = {r.id: i for i, r in enumerate(rows)}
    biggest: dict[tuple[str, str], SourceRow] = {}
    for row in rows:
        if row.feature == "settlement":
            for name in row.names:
                key = (row.country, name)
                if key not in biggest or row.population > biggest[key].population:
                    biggest[key] = row
    for row in rows:
        if row.parent and row.parent.startswith("name:"):
            _, cc, name = row.parent.split(":", 2)
            town = biggest.get((cc, name))
            row.parent = town.id if town else None
        if row.parent and row.parent not in position:
            row.parent = None
    return position


def compile_index(rows: list[SourceRow], stamp: dict[str, Any]) -> dict[str, Any]:
    """Columns, name keys and the automaton, ready to pickle."""
    rows = _merge(rows)
    position = _resolve_parents(rows)
    keys: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        for name in row.names:
            if row.feature == "settlement" and name.startswith(ADMIN_PREFIXES):
                continue   # "محافظة إدلب" names the unit, not the town
            bucket = keys.setdefault(name, [])
            if any(rows[j].country == row.country and rows[j].feature == row.feature
                   and _km(rows[j], row) < 3.0 for j in bucket):
                continue   # the same place from another source
            bucket.append(i)
    surfaces: dict[str, list[tuple[str, bool]]] = {}
    for key in keys:
        surfaces.setdefault(key, []).append((key, False))
        if key.startswith("ال") and len(key) >= 5:
            surfaces.setdefault(key[2:], []).append((key, True))
    automaton = ahocorasick.Automaton()
    for surface, entries in surfaces.items():
        automaton.add_word(surface, tuple(entries))
    automaton.make_automaton()
    columns = {c: [getattr(r, c) for r in rows] for c in _COLUMNS if c not in ("names",)}
    columns["parent"] = [position[r.parent] if r.parent else -1 for r in rows]
    return {"stamp": stamp, "columns": columns,
            "keys": {k: tuple(v) for k, v in keys.items()}, "automaton": automaton}


class GazetteerIndex:
    """Read-only view of a compiled index; ``place(i)`` builds Place values lazily."""

    def __init__(self, data: dict[str, Any], path: Path | None = None) -> None:
        self.path = path
        self.stamp = data["stamp"]
        self.columns: dict[str, list[Any]] = data["columns"]
        self.keys: dict[str, tuple[int, ...]] = data["keys"]
        self.automaton = data["automaton"]
        self._places: dict[int, Place] = {}
        self._admin1: dict[tuple[str, str], int] | None = None
        self._position: dict[str, int] | None = None
        # resolve's answer to "too small to trust on its name alone", filled as asked
        self.small_places: dict[int, bool] = {}

    def __len__(self) -> int:
        return len(self.columns["id"])

    def place(self, i: int) -> Place:
        found = self._places.get(i)
        if found is None:
            c = self.columns
            found = Place(c["id"][i], c["name"][i], c["name_ar"][i], c["country"][i],
                          c["admin1"][i], c["admin2"][i], c["lat"][i], c["lon"][i],
                          c["feature"][i], c["population"][i])
            self._places[i] = found
        return found

    def position(self, place_id: str) -> int | None:
        """The index of a place id."""
        if self._position is None:
            self._position = {pid: i for i, pid in enumerate(self.columns["id"])}
        return self._position.get(place_id)

    def parent(self, i: int) -> int | None:
        p = self.columns["parent"][i]
        return None if p < 0 else p

    def admin1_place(self, country: str, admin1: str | None) -> int | None:
        """The index of the admin1 row named ``admin1`` in ``country``."""
        if self._admin1 is None:
            c = self.columns
            self._admin1 = {(c["country"][i], c["admin1"][i]): i for i in range(len(self))
                            if c["feature"][i] == "admin1"}
        return self._admin1.get((country, admin1 or ""))

    def counts(self) -> dict[str, Counter[str]]:
        """Places per source, per country and per feature (for ``gazetteer info``)."""
        c = self.columns
        return {"source": Counter(c["source"]), "country": Counter(c["country"]),
                "feature": Counter(c["feature"])}


def build_index(directory: Path) -> GazetteerIndex:
    """Compile default + imported places and write the index files."""
    users = UserPlaces(directory)
    stamp = {**default_stamp(), "generation": users.generation()}
    rows, _ = cached_default_rows(directory)
    data = compile_index([*rows, *users.rows()], stamp)
    _write_atomic(directory / "index.pkl", pickle.dumps(data, protocol=5))
    _write_atomic(directory / "index.stamp.json", json.dumps(stamp).encode())
    return GazetteerIndex(data, directory / "index.pkl")


def load_index(directory: Path) -> GazetteerIndex:
    """The compiled index, rebuilt first when missing or stale."""
    stamp_path, path = directory / "index.stamp.json", directory / "index.pkl"
    want = {**default_stamp(), "generation": UserPlaces(directory).generation()}
    try:
        fresh = json.loads(stamp_path.read_text()) == want and path.exists()
    except (OSError, ValueError):
        fresh = False
    if not fresh:
        return build_index(directory)
    try:
        with path.open("rb") as fh:
            return GazetteerIndex(pickle.load(fh), path)
    except (OSError, pickle.UnpicklingError, EOFError) as exc:
        raise GazetteerError(f"{path}: cannot read the gazetteer index ({exc}); "
                             "delete it to rebuild") from exc
