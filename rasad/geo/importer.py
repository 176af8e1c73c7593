"""Readers for the gazetteer files a user brings: GeoNames dumps, WOF and OCHA CSVs.

Each reader yields ``SourceRow``s named the way the default gazetteer names places:
admin1 is the GeoNames English name (from the admin1 code, the WOF region's Arabic name, or
else the nearest default town), so imported villages and default towns agree.
"""
from __future__ import annotations

import gzip
import io
import math
import zipfile
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

from rasad.errors import GazetteerError
from rasad.geo.sources import SourceRow, admin1_by_arabic, arabic_names, display_name, iter_csv

_GEONAMES_FEATURES = {"ADM1": "admin1", "ADM2": "admin2", "ADM3": "admin3", "PCLI": "country"}
_WOF_FEATURES = {"locality": "settlement", "county": "admin2", "localadmin": "admin3",
                 "neighbourhood": "sublocation", "campus": "sublocation",
                 "macrohood": "sublocation", "borough": "admin3"}


class AdminLocator:
    """Names admin1 for imported rows: by code, by Arabic region name, or by nearest town."""

    def __init__(self, towns: list[SourceRow], codes: dict[str, str]) -> None:
        self.codes = codes
        self._grid: dict[tuple[str, int, int], list[SourceRow]] = {}
        for row in towns:
            if row.feature == "settlement" and row.admin1:
                self._grid.setdefault(self._cell(row.country, row.lat, row.lon), []).append(row)

    @staticmethod
    def _cell(cc: str, lat: float, lon: float) -> tuple[str, int, int]:
        return cc, math.floor(lat * 2), math.floor(lon * 2)

    def nearest(self, cc: str, lat: float, lon: float) -> SourceRow | None:
        """The closest default town of the same country within about 1.5 degrees."""
        best, best_d = None, math.inf
        _, ci, cj = self._cell(cc, lat, lon)
        for di in range(-3, 4):
            for dj in range(-3, 4):
                for row in self._grid.get((cc, ci + di, cj + dj), ()):
                    d = (row.lat - lat) ** 2 + ((row.lon - lon) * math.cos(math.radians(lat))) ** 2
                    if d < best_d:
                        best, best_d = row, d
        return best

    def admin1(self, cc: str, lat: float, lon: float, region_ar: str = "") -> str | None:
        for name in arabic_names(region_ar.split("|"), strip_admin=True):
            found = admin1_by_arabic().get((cc, name))
            if found:
                return found
        town = self.nearest(cc, lat, lon)
        return town.admin1 if town else None


def _open_text(path: Path) -> Generator[str, None, None]:
    """Lines of a plain, gzip or zip (GeoNames ``SY.zip``) text file."""
    try:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as zf:
                member = next((n for n in zf.namelist() if n.endswith(".txt")
                               and not n.lower().startswith("readme")), None)
                if member is None:
                    raise GazetteerError(f"{path}: no .txt member in the zip file")
                with zf.open(member) as raw:
                    yield from io.TextIOWrapper(raw, encoding="utf-8")
            return
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as fh:  # type: ignore[operator]
            yield from fh
    except (OSError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
        raise GazetteerError(f"{path}: cannot read: {exc}") from exc


def read_geonames(path: Path, locate: AdminLocator) -> Iterator[SourceRow]:
    """A GeoNames country dump (19 tab-separated columns, alternatenames in column 4)."""
    for number, line in enumerate(_open_text(path), 1):
        cols = line.rstrip("\n").split("\t")
        if len(cols) != 19:
            raise GazetteerError(f"{path}:{number}: {len(cols)} columns, a GeoNames dump has 19")
        fclass, fcode, cc = cols[6], cols[7], cols[8]
        if fclass == "P":
            feature = "sublocation" if fcode == "PPLX" else "settlement"
        elif fclass == "A" and fcode in _GEONAMES_FEATURES:
            feature = _GEONAMES_FEATURES[fcode]
        else:
            continue
        names = arabic_names(cols[3].split(","), strip_admin=feature != "settlement",
                             ranked=True)
        if not names:
            continue
        try:
            lat, lon, pop = float(cols[4]), float(cols[5]), int(cols[14] or 0)
        except ValueError as exc:
            raise GazetteerError(f"{path}:{number}: bad number: {exc}") from exc
        admin1 = locate.codes.get(f"{cc}.{cols[10]}") or locate.admin1(cc, lat, lon)
        parent = None
        if feature == "sublocation":
            town = locate.nearest(cc, lat, lon)
            parent = town.id if town else None
        shown = display_name(cols[3].split(","), names[0], strip_admin=feature != "settlement")
        yield SourceRow(id=f"gn:{cols[0]}", name=cols[1], name_ar=shown, names=tuple(names),
                        country=cc, admin1=admin1, admin2=None, lat=lat, lon=lon,
                        feature=feature, population=pop, source="geonames", parent=parent)


# Trailing words of facility names that news often leaves out ("قاعدة عين الأسد [الجوية]").
_FACILITY_TAILS = ("الجويه", "الجوي", "الدولي", "العسكري", "العسكريه")
# A WOF neighbourhood with no parent locality is an urban quarter only near a big town;
# elsewhere (most Yemeni "neighbourhoods") it is a rural hamlet and left out.
_QUARTER_KM = 15.0
_QUARTER_TOWN = 100_000


def _wof_written(row: dict[str, str]) -> list[str]:
    return [*row["name_ar"].split("|"), *row["name_ar_variant"].split("|")]


def _wof_names(row: dict[str, str], feature: str) -> list[str]:
    names = arabic_names(_wof_written(row), strip_admin=feature != "settlement")
    if row["placetype"] == "campus":
        for name in list(names):
            words = name.split()
            while len(words) > 2 and words[-1] in _FACILITY_TAILS:
                words = words[:-1]
                names.append(" ".join(words))
    return list(dict.fromkeys(names))


def _quarter_parent(row: SourceRow, locate: AdminLocator) -> str | None:
    """The big town a parentless WOF neighbourhood lies in, if any."""
    town = locate.nearest(row.country, row.lat, row.lon)
    if town is None:
        return None
    km = math.hypot(town.lat - row.lat,
                    (town.lon - row.lon) * math.cos(math.radians(row.lat))) * 111.2
    return town.id if km <= _QUARTER_KM and town.population >= _QUARTER_TOWN else None


def read_wof(path: Path, locate: AdminLocator) -> Iterator[SourceRow]:
    """A Who's On First admin CSV: deprecated rows, regions and Latin-only names skipped.

    Regions are skipped because their variants are unreliable (تعز listed for Sana'a);
    admin1 comes from geo_admin1. Localities that carry a GeoNames id keep ``gn:<id>`` so
    they merge with the default gazetteer's record of the same place.
    """
    locality_ids: dict[str, str] = {}
    pending: list[SourceRow] = []
    for row in iter_csv(path):
        if "wof_id" not in row or "placetype" not in row:
            raise GazetteerError(f"{path}: not a WOF CSV (no wof_id/placetype columns)")
        feature = _WOF_FEATURES.get(row["placetype"])
        if feature is None or row.get("deprecated"):
            continue
        names = _wof_names(row, feature)
        if not names or not row["lat"] or not row["lon"]:
            continue
        lat, lon, cc = float(row["lat"]), float(row["lon"]), row["country"]
        gid = row.get("geonames_id") or ""
        pid = f"gn:{gid}" if gid and feature == "settlement" else f"wof:{row['wof_id']}"
        locality_ids[row["wof_id"]] = pid
        out = SourceRow(
            id=pid, name=row["name"], country=cc, names=tuple(names),
            name_ar=display_name(_wof_written(row), names[0], feature != "settlement"),
            admin1=locate.admin1(cc, lat, lon, row.get("region_ar", "")),
            admin2=row.get("county") or None, lat=lat, lon=lon, feature=feature,
            population=int(float(row["population"] or 0)), source=f"wof-{cc.lower()}",
            parent=row.get("locality_id") or None, extra={"placetype": row["placetype"]})
        if feature == "sublocation":
            pending.append(out)
        else:
            yield out
    for out in pending:
        parent = locality_ids.get(out.parent or "")
        if parent is None and out.extra.get("placetype") == "campus":
            town = locate.nearest(out.country, out.lat, out.lon)
            parent = town.id if town else None
        elif parent is None:
            parent = _quarter_parent(out, locate)
        if parent is not None:
            out.parent = parent
            yield out


def read_ocha(path: Path, locate: AdminLocator) -> Iterator[SourceRow]:
    """OCHA city neighbourhoods (pcode, name_ar, name_en, lat, lon, city, city_ar, country)."""
    for row in iter_csv(path):
        missing = {"pcode", "name_ar", "lat", "lon", "city_ar", "country"} - set(row)
        if missing:
            raise GazetteerError(f"{path}: not an OCHA neighbourhood CSV, missing {missing}")
        names = arabic_names([row["name_ar"]])
        if not names:
            continue
        lat, lon, cc = float(row["lat"]), float(row["lon"]), row["country"]
        city = arabic_names([row["city_ar"]])
        yield SourceRow(
            id=f"ocha:{row['pcode']}", name=row.get("name_en") or names[0],
            name_ar=display_name([row["name_ar"]], names[0]),
            names=tuple(names), country=cc, admin1=locate.admin1(cc, lat, lon), admin2=None,
            lat=lat, lon=lon, feature="sublocation", population=0, source="ocha",
            parent=f"name:{cc}:{city[0]}" if city else None)


def detect_reader(path: Path) -> Callable[[Path, AdminLocator], Iterator[SourceRow]]:
    """The reader for a file, chosen by its first line."""
    lines = _open_text(path)
    first = next(lines, "")
    lines.close()
    if first.count("\t") == 18:
        return read_geonames
    if first.startswith("wof_id,"):
        return read_wof
    if "pcode" in first and "city_ar" in first:
        return read_ocha
    raise GazetteerError(f"{path}: unknown gazetteer format (expected a GeoNames dump, "
                         "a WOF CSV or an OCHA neighbourhood CSV)")
