"""The default gazetteer built from package data, and the 24 test-coverage names of
../shared/data/gazetteer/SOURCES.md resolved with the WOF and OCHA files imported.

Building the real index takes ~20 s, so it is built once per module into a temp RASAD_HOME.
"""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from rasad.geo import Geocoder
from rasad.geo.manage import import_files
from rasad.text.normalize import normalize

SHARED = Path(__file__).resolve().parents[2] / "shared"
RAW = SHARED / "data" / "gazetteer" / "raw"

pytestmark = pytest.mark.slow


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dlat = (lat1 - lat2) * 111.2
    dlon = (lon1 - lon2) * 111.2 * math.cos(math.radians(lat1))
    return math.hypot(dlat, dlon)


@pytest.fixture(scope="module")
def default_geocoder(tmp_path_factory: pytest.TempPathFactory) -> Geocoder:
    return Geocoder.load(tmp_path_factory.mktemp("default-home"))


@pytest.fixture(scope="module")
def imported_geocoder(tmp_path_factory: pytest.TempPathFactory) -> Geocoder:
    if not RAW.is_dir():
        pytest.skip("../shared gazetteer files are absent")
    home = tmp_path_factory.mktemp("wof-home")
    import_files([*sorted((RAW / "wof").glob("*.csv.gz")),
                  RAW / "ocha" / "aleppo_city_neighbourhoods_ocha.csv"], home)
    return Geocoder.load(home)


def test_default_index_names_governorates_in_geonames_spelling(default_geocoder: Geocoder):
    raqqa = default_geocoder.mentions(normalize("قتل شخصان في مدينة الرقة"))[0].place
    assert raqqa is not None
    assert (raqqa.country, raqqa.admin1, raqqa.feature) == ("SY", "Ar-Raqqah", "settlement")


def test_default_index_has_countries_and_governorates(default_geocoder: Geocoder):
    counts = default_geocoder.index.counts()["feature"]
    assert counts["country"] > 150 and counts["admin1"] > 150 and counts["settlement"] > 5000


# (sentence, the name, expected point or None when the place must be absent/other)
COVERAGE = [
    ("هجوم في مدينة الرقة شمال سوريا", "الرقه", (35.95283, 39.00788)),
    ("قتل عنصران في حي الانتفاضة في الرقة", "الرقه", (35.95283, 39.00788)),
    ("قصف على مدينة دير الزور", "دير الزور", (35.33588, 40.14084)),
    ("انفجار في مدينة الحسكة", "الحسكه", (36.50237, 40.74772)),
    ("اشتباكات في بلدة ذيبان بريف دير الزور الشرقي", "ذيبان", (35.01498, 40.51028)),
    ("قصف على البصيرة في ريف دير الزور", "البصيره", (35.15618, 40.42716)),
    ("هجوم على بلدة هجين في دير الزور", "هجين", (34.69508, 40.83138)),
    ("مداهمات في بلدة الشحيل بريف دير الزور", "شحيل", (35.0865, 40.45232)),
    ("قصف على بلدة البحرة في ريف دير الزور الشرقي", "البحره", (34.74226, 40.76953)),
    ("غارة على مدينة مأرب في اليمن", "مارب", (15.46253, 45.32581)),
    ("قصف حوثي على مدينة تعز", "تعز", (13.57952, 44.02091)),
    ("غارات على ميناء الحديدة غرب اليمن", "الحديده", (14.79781, 42.95452)),
    ("قصف على مدينة الفاشر في شمال دارفور", "الفاشر", (13.62793, 25.34936)),
    ("اشتباكات في مدينة نيالا بجنوب دارفور", "نيالا", (12.04888, 24.88069)),
    ("اشتباكات في مدينة سرت الليبية", "سرت", (31.20892, 16.58866)),
    ("قصف على مدينة درنة في ليبيا", "درنه", (32.76704, 22.63669)),
    ("انفجار في العاصمة الصومالية مقديشو", "مقديشو", (2.03711, 45.34375)),
    ("هجوم في مدينة العريش بشمال سيناء", "العريش", (31.13159, 33.79844)),
    ("اقتحام مخيم جنين في الضفة الغربية", "جنين", (32.45943, 35.30086)),
    ("تفجير في مدينة الموصل شمال العراق", "الموصل", (36.335, 43.11889)),
    ("هجوم في مدينة بعقوبة بمحافظة ديالى", "بعقوبه", (33.75403, 44.60518)),
    ("اشتباكات في مدينة الرمادي بمحافظة الأنبار", "الرمادي", (33.42056, 43.30778)),
    ("انفجار في مدينة كركوك العراقية", "كركوك", (35.46806, 44.39222)),
]


@pytest.mark.parametrize(("sentence", "name", "point"), COVERAGE)
def test_coverage_name_resolves_near_its_referent(imported_geocoder: Geocoder, sentence: str,
                                                  name: str, point: tuple[float, float]):
    found = [m for m in imported_geocoder.mentions(normalize(sentence))
             if m.place and name in m.text]
    assert found, f"{name} not found in {sentence}"
    place = found[0].place
    assert _km(place.lat, place.lon, *point) < 10, place


def test_raqqa_neighbourhood_is_a_sublocation_of_the_city(imported_geocoder: Geocoder):
    m = imported_geocoder.mentions(normalize("قتل عنصران في حي الانتفاضة في الرقة"))[0]
    assert (m.place.name, m.sublocation_ar, m.precision) == ("Ar Raqqah", "حي الانتفاضة", 1)


def test_suwar_has_no_arabic_name_so_alsuwar_is_tyre_only_in_lebanon(imported_geocoder):
    lebanon = imported_geocoder.mentions(normalize("غارة إسرائيلية على مدينة الصور في لبنان"))
    assert any(m.place and m.place.country == "LB" for m in lebanon)


def test_aleppo_neighbourhood_from_ocha_resolves_to_aleppo(imported_geocoder: Geocoder):
    m = imported_geocoder.mentions(normalize("قصف على حي الشيخ مقصود"))[0]
    assert m.place is not None and m.place.name_ar == "حلب"
    assert m.sublocation_ar is not None and "الشيخ مقصود" in m.sublocation_ar


@pytest.mark.parametrize(("text", "word"), [
    ("قتل شخصان في حي عطان جنوب العاصمة وان الوضع متوتر", "وان"),
    ("وأكدت الحكومة أن البلاد تمر بمرحلة صعبة", "البلاد"),
    ("ونقلت وكالة سبأ عن مصدر عسكري قوله", "سبا"),
    ("وصلت التعزيزات إلى عاصمة ولاية شمال دارفور", "لايه"),
])
def test_common_words_are_not_places(default_geocoder: Geocoder, text: str, word: str):
    assert not [m for m in default_geocoder.mentions(normalize(text)) if m.text.endswith(word)]


@pytest.mark.parametrize(("text", "name_ar"), [
    ("قصف على مدينة دير الزور", "دير الزور"),
    ("قصف على مدينة إدلب", "إدلب"),
    ("قصف على مدينة صعدة", "صعدة"),
])
def test_place_keeps_its_written_arabic_spelling(default_geocoder: Geocoder, text: str,
                                                 name_ar: str):
    assert first_place(default_geocoder, text).name_ar == name_ar


def first_place(g: Geocoder, text: str):
    found = [m.place for m in g.mentions(normalize(text)) if m.place]
    assert found, text
    return found[0]
