"""Toponym matching and resolution over a tiny hand-written gazetteer (no disk, no packages)."""
from __future__ import annotations

import pickle

import pytest

from rasad.geo import Geocoder
from rasad.geo.sources import SourceRow, arabic_names
from rasad.text.normalize import normalize


def row(pid: str, name: str, names: str, cc: str, admin1: str, lat: float, lon: float,
        feature: str = "settlement", pop: int = 0, parent: str | None = None) -> SourceRow:
    keys = tuple(arabic_names(names.split("|")))
    return SourceRow(pid, name, keys[0], keys, cc, admin1, None, lat, lon, feature, pop,
                     "test", parent)


@pytest.fixture(scope="module")
def tiny_gazetteer() -> Geocoder:
    return Geocoder.from_rows([
        row("country:SY", "Syria", "سوريا|سورية", "SY", "", 33.5, 36.3, "country"),
        row("country:JO", "Jordan", "الأردن", "JO", "", 31.9, 35.9, "country"),
        row("country:LB", "Lebanon", "لبنان", "LB", "", 33.9, 35.5, "country"),
        row("admin1:SY:Ar-Raqqah", "Ar-Raqqah", "الرقة", "SY", "Ar-Raqqah", 35.95, 39.0,
            "admin1"),
        row("admin1:SY:Deir ez-Zor", "Deir ez-Zor", "دير الزور", "SY", "Deir ez-Zor",
            35.33, 40.14, "admin1"),
        row("admin1:JO:Madaba", "Madaba", "مادبا", "JO", "Madaba", 31.71, 35.79, "admin1"),
        row("admin1:SY:Hama", "Hama", "حماة", "SY", "Hama", 35.13, 36.75, "admin1"),
        row("gn:1", "Ar Raqqah", "الرقة|رقة", "SY", "Ar-Raqqah", 35.95283, 39.00788,
            pop=531952),
        row("gn:2", "Deir ez-Zor", "دير الزور", "SY", "Deir ez-Zor", 35.33588, 40.14084,
            pop=271800),
        row("gn:3", "Hama", "حماة", "SY", "Hama", 35.13179, 36.75783, pop=696863),
        row("gn:4", "Dhiban", "ذيبان", "SY", "Deir ez-Zor", 35.01498, 40.51028),
        row("gn:5", "Dhiban", "ذيبان", "JO", "Madaba", 31.49889, 35.78287, pop=300),
        row("gn:6", "Shahil", "شحيل", "SY", "Deir ez-Zor", 35.0865, 40.45232),
        row("gn:7", "Al Bahrah", "البحرة", "SY", "Deir ez-Zor", 34.74226, 40.76953),
        row("gn:8", "Al Bahrah", "البحرة", "SY", "Hama", 35.06468, 36.58086),
        row("gn:9", "Tyre", "صور|الصور", "LB", "South Governorate", 33.27333, 35.19389,
            pop=135000),
        row("gn:10", "Hasakah", "الحسكة", "SY", "Al-Hasakah", 36.50237, 40.74772, pop=188160),
        row("gn:11", "Ali", "علي", "SY", "Hama", 35.1, 36.7, pop=1500),
        row("gn:12", "Amman", "عمان", "JO", "Amman", 31.95522, 35.94503, pop=1275857),
        row("ocha:N1", "Sheikh Maqsoud", "الشيخ مقصود", "SY", "Aleppo", 36.23, 37.16,
            "sublocation", parent="gn:13"),
        row("gn:13", "Aleppo", "حلب", "SY", "Aleppo", 36.20124, 37.16117, pop=1602264),
    ])


def first(g: Geocoder, text: str):
    found = g.mentions(normalize(text))
    assert found, text
    return found[0]


@pytest.mark.parametrize("text", ["قصف على الرقة", "قصف على بالرقة", "اشتباكات والرقة",
                                  "وصل للرقة اليوم", "قصف على مدينة الرقة"])
def test_clitics_and_article_forms_match_the_city(tiny_gazetteer: Geocoder, text: str):
    assert first(tiny_gazetteer, text).place.id == "gn:1"


def test_name_listed_without_article_matches_with_it(tiny_gazetteer: Geocoder):
    m = first(tiny_gazetteer, "قصف على بلدة الشحيل في دير الزور")
    assert m.place.id == "gn:6" and m.cue == "بلده"


def test_match_inside_a_longer_word_is_not_a_place(tiny_gazetteer: Geocoder):
    assert tiny_gazetteer.mentions(normalize("تحدث المسؤول عن الرقةالية")) == []


def test_span_indexes_the_normalised_text(tiny_gazetteer: Geocoder):
    nt = normalize("قُتِلَ شخصٌ في حماةَ أمس")
    m = first(tiny_gazetteer, nt.original)
    assert nt.text[m.start:m.end] == m.text == "حماه"


def test_stoplisted_common_word_needs_a_cue(tiny_gazetteer: Geocoder):
    assert tiny_gazetteer.mentions(normalize("قال علي إن الوضع هادئ")) == []
    assert first(tiny_gazetteer, "قصف على قرية علي قرب حماة").place.id == "gn:11"


@pytest.mark.parametrize(("text", "expected"), [
    ("اشتباكات في ذيبان بريف دير الزور الشرقي", "SY"),
    ("احتفال في ذيبان بمحافظة مادبا في الأردن", "JO"),
])
def test_homonym_follows_the_article_context(tiny_gazetteer: Geocoder, text: str, expected):
    found = [m for m in tiny_gazetteer.mentions(normalize(text)) if "ذيبان" in m.text]
    assert found and found[0].place.country == expected


@pytest.mark.parametrize(("text", "admin1"), [
    ("قصف على البحرة وذيبان في دير الزور", "Deir ez-Zor"),
    ("قصف على البحرة في ريف حماة", "Hama"),
])
def test_homonym_follows_the_governorate_named(tiny_gazetteer: Geocoder, text: str, admin1):
    assert first(tiny_gazetteer, text).place.admin1 == admin1


def test_bare_village_without_any_context_is_dropped(tiny_gazetteer: Geocoder):
    assert tiny_gazetteer.mentions(normalize("ذيبان")) == []


@pytest.mark.parametrize(("text", "feature", "precision", "direction"), [
    ("قصف على مدينة دير الزور", "settlement", 1, None),
    ("قصف شرق دير الزور", "settlement", 2, "شرق"),
    ("قصف في ريف دير الزور الشرقي", "admin1", 3, "الشرقي"),
    ("قصف في محافظة الرقة", "admin1", 3, None),
    ("قصف شمال غربي محافظة الرقة", "admin1", 3, "شمال غربي"),
    ("قصف بالقرب من مدينة حماة", "settlement", 2, "قرب"),
    ("غارات على سوريا", "country", 3, None),
])
def test_cues_and_directions_code_precision(tiny_gazetteer: Geocoder, text: str, feature: str,
                                            precision: int, direction: str | None):
    m = first(tiny_gazetteer, text)
    assert (m.place.feature, m.precision, m.direction) == (feature, precision, direction)


def test_countryside_span_covers_cue_and_direction(tiny_gazetteer: Geocoder):
    assert first(tiny_gazetteer, "قصف في ريف دير الزور الشرقي").text == "ريف دير الزور الشرقي"


@pytest.mark.parametrize(("text", "sub"), [
    ("هجوم على حي الانتفاضة بمدينة الرقة", "حي الانتفاضة"),
    ("هجوم على حيِّ الانتفاضة في الرقة", "حيِّ الانتفاضة"),
    ("في الرقة، هجوم على حي الدرعية", "حي الدرعية"),
    ("هجوم على سجن غويران في الحسكة", "سجن غويران"),
])
def test_sublocation_keeps_the_settlement_as_place(tiny_gazetteer: Geocoder, text: str, sub):
    m = [m for m in tiny_gazetteer.mentions(normalize(text)) if m.sublocation_ar][0]
    assert m.sublocation_ar == sub and m.place.feature == "settlement" and m.precision == 1


def test_standalone_sublocation_takes_the_article_settlement(tiny_gazetteer: Geocoder):
    found = tiny_gazetteer.mentions(normalize("انفجار في الرقة. واستهدف الهجوم المربع الأمني"))
    sub = [m for m in found if m.sublocation_ar == "المربع الأمني"]
    assert sub and sub[0].place.id == "gn:1"


def test_standalone_sublocation_stays_in_the_article_country(tiny_gazetteer: Geocoder):
    text = ("مراسلنا في عمان عاصمة الأردن. انفجار سيارة مفخخة في مدينة الرقة شمال سوريا قرب "
            "الحسكة. وقع الانفجار في المربع الأمني")
    found = tiny_gazetteer.mentions(normalize(text))
    sub = [m for m in found if m.sublocation_ar == "المربع الأمني"]
    assert sub and sub[0].place.country == "SY"


def test_facility_named_after_a_city_locates_in_it(tiny_gazetteer: Geocoder):
    m = first(tiny_gazetteer, "قصف مطار حماة العسكري")
    assert m.place.id == "gn:3" and m.sublocation_ar == "مطار حماة"


def test_gazetteer_neighbourhood_resolves_to_its_city(tiny_gazetteer: Geocoder):
    m = first(tiny_gazetteer, "قصف على حي الشيخ مقصود")
    assert m.place.id == "gn:13" and m.sublocation_ar == "حي الشيخ مقصود"


@pytest.mark.parametrize(("text", "country"), [
    ("قتل جنديان سوريان في حماة والرقة", "SY"),
    ("قالت الحكومة السورية إن الهجوم وقع", "SY"),
    ("غارة إسرائيلية على صور في جنوب لبنان", "LB"),
    ("مقال عن الطقس", None),
])
def test_country_of_the_article(tiny_gazetteer: Geocoder, text: str, country: str | None):
    assert tiny_gazetteer.country_of(normalize(text)) == country


def test_mentions_are_in_document_order(tiny_gazetteer: Geocoder):
    found = tiny_gazetteer.mentions(normalize("من حماة إلى الرقة ثم دير الزور"))
    assert [m.place.id for m in found] == ["gn:3", "gn:1", "gn:2"]
    assert [m.start for m in found] == sorted(m.start for m in found)


def test_mentions_pickle(tiny_gazetteer: Geocoder):
    found = tiny_gazetteer.mentions(normalize("قصف على حي الانتفاضة بمدينة الرقة"))
    assert pickle.loads(pickle.dumps(found)) == found


@pytest.fixture(scope="module")
def wider_gazetteer() -> Geocoder:
    """Homonyms across countries, a governorate named like a far town, a hamlet named like
    a common word."""
    return Geocoder.from_rows([
        row("country:SD", "Sudan", "السودان", "SD", "", 15.5, 32.5, "country"),
        row("country:SA", "Saudi Arabia", "السعودية", "SA", "", 24.7, 46.7, "country"),
        row("country:IQ", "Iraq", "العراق", "IQ", "", 33.3, 44.4, "country"),
        row("gn:20", "Khartoum", "الخرطوم", "SD", "Khartoum", 15.55, 32.53, pop=1974647),
        row("gn:21", "Riyadh", "الرياض", "SA", "Ar Riyad", 24.69, 46.72, pop=4205961),
        row("gn:22", "Kassala", "كسلا", "SD", "Kassala", 15.45, 36.4, pop=401477),
        row("admin1:IQ:Salah ad Din", "Salah ad Din", "صلاح الدين", "IQ", "Salah ad Din",
            34.6, 43.7, "admin1"),
        row("gn:23", "Pirmam", "صلاح الدين", "IQ", "Arbīl", 36.38, 44.19, pop=38686),
        row("gn:24", "Tikrit", "تكريت", "IQ", "Salah ad Din", 34.6, 43.68, pop=160000),
        row("gn:25", "Muhayt", "محيط", "SD", "Kassala", 15.5, 36.3, pop=121),
        row("sub:1", "Karrada", "الكرادة", "IQ", "Baghdad", 33.3, 44.4, "sublocation",
            parent="gn:26"),
        row("gn:26", "Baghdad", "بغداد", "IQ", "Baghdad", 33.34, 44.4, pop=7216000),
        row("gn:27", "Tayma", "تيماء", "SA", "Tabuk", 27.63, 38.55, pop=8000),
    ])


@pytest.mark.parametrize(("text", "kept"), [
    ("اشتباكات في الخرطوم وأنباء عن نزوح إلى حي الرياض", False),
    ("اشتباكات في الخرطوم ووفد يصل إلى الرياض عاصمة السعودية", True),
])
def test_foreign_place_needs_its_country_named(wider_gazetteer: Geocoder, text: str,
                                              kept: bool):
    found = [m.place.id for m in wider_gazetteer.mentions(normalize(text)) if m.place]
    assert ("gn:21" in found) == kept


def ids(geocoder: Geocoder, text: str) -> list[str]:
    return [m.place.id for m in geocoder.mentions(normalize(text)) if m.place]


def test_foreign_town_needs_its_country_named_near_it(wider_gazetteer: Geocoder):
    text = ("اشتباكات في مدينة الخرطوم عاصمة السودان امتدت إلى بلدة تيماء. "
            + "وتواصلت المعارك. " * 20 + "وفي خبر آخر زار وفد سعودي المنطقة.")
    assert "gn:27" not in ids(wider_gazetteer, text)


def test_tie_between_countries_goes_to_the_place_named_first(wider_gazetteer: Geocoder):
    text = "قتل ثلاثة أشخاص في انفجار بمدينة الخرطوم، وقالت مصادر إن الانفجار وقع في بلدة تيماء."
    found = ids(wider_gazetteer, text)
    assert found[0] == "gn:20" and "gn:27" not in found


def test_name_before_an_adjective_of_things_is_a_common_noun(tiny_gazetteer: Geocoder):
    text = "غارة على جنوب لبنان، ونشرت الوكالة الصور الرئيسية للغارة"
    assert "gn:9" not in [m.place.id for m in tiny_gazetteer.mentions(normalize(text)) if m.place]


def test_governorate_name_beats_a_far_town_of_that_name(wider_gazetteer: Geocoder):
    m = first(wider_gazetteer, "هجوم في صلاح الدين شمال العراق")
    assert m.place.id == "admin1:IQ:Salah ad Din"


def test_common_word_is_not_a_place(wider_gazetteer: Geocoder):
    found = wider_gazetteer.mentions(normalize("انتشروا في محيط كسلا بعد الهجوم"))
    assert [m.place.id for m in found] == ["gn:22"]


@pytest.mark.parametrize(("text", "kept"), [
    ("وقع انفجار في الكرادة ليلة أمس", False),
    ("وقع انفجار في الكرادة وسط بغداد", True),
])
def test_bare_neighbourhood_needs_its_city(wider_gazetteer: Geocoder, text: str, kept: bool):
    subs = [m for m in wider_gazetteer.mentions(normalize(text)) if m.sublocation_ar]
    assert bool(subs) == kept


@pytest.mark.parametrize(("text", "sub"), [
    ("هجوم على سجن غويران بلغت حصيلته عشرة قتلى في الحسكة", "سجن غويران"),
    ("هجوم على سجن غويران بالحسكة", "سجن غويران"),
    ("هجوم على مقر لقوى الأمن في الحسكة", None),
    ("فرار سجناء من السجن وآخرين حاولوا الهرب في الحسكة", None),
    ("هجوم على قاعدة اقتحموا محيطها في الحسكة", None),
])
def test_sublocation_name_stops_at_non_names(tiny_gazetteer: Geocoder, text: str,
                                             sub: str | None):
    subs = [m.sublocation_ar for m in tiny_gazetteer.mentions(normalize(text))
            if m.sublocation_ar]
    assert subs == ([sub] if sub else [])


def test_unlisted_village_after_a_cue_is_kept_without_coordinates(tiny_gazetteer: Geocoder):
    m = first(tiny_gazetteer, "قصف على قرية بلشون في ريف حماة الجنوبي")
    assert (m.place.name_ar, m.place.feature, m.place.admin1, m.place.lat) == (
        "بلشون", "settlement", "Hama", None)


def test_unlisted_villages_listed_after_a_dual_cue(tiny_gazetteer: Geocoder):
    found = tiny_gazetteer.mentions(normalize("غارة بين بلدتي الشعيتية والقليلية في لبنان"))
    assert [m.place.name_ar for m in found if m.place.country == "LB"
            and m.place.feature == "settlement"] == ["الشعيتية", "القليلية"]


@pytest.mark.parametrize("text", ["قصف على قرية صغيرة قرب حماة", "وصل إلى مدينة كبيرة",
                                  "أقيم مخيم للنازحين قرب حماة"])
def test_cue_before_a_common_word_names_no_village(tiny_gazetteer: Geocoder, text: str):
    assert not [m for m in tiny_gazetteer.mentions(normalize(text))
                if m.place and m.place.id.startswith("unlisted:")]


def test_actors_point_to_the_article_country(tiny_gazetteer: Geocoder):
    text = "قالت قوات سوريا الديمقراطية إن مقاتليها صدوا هجوما في البحرة"
    assert tiny_gazetteer.country_of(normalize(text)) == "SY"
