"""Detection, one behaviour per test, on sentences written for these tests."""
from __future__ import annotations

import pytest

import rasad
from rasad.settings import Settings

PUB = "2023-03-10"


def events(text: str, published: str | None = PUB) -> list[dict]:
    return rasad.extract(text, published).to_dict()["events"]


def only_event(text: str, published: str | None = PUB) -> dict:
    found = events(text, published)
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------- trigger families

@pytest.mark.parametrize("text, event_type, sub_event_type", [
    ("اندلعت اشتباكات عنيفة بين قوات الجيش السوري ومسلحين في بلدة الصنمين بريف درعا أمس.",
     "Battles", "Armed clash"),
    ("نصب مسلحون كميناً لدورية للجيش العراقي قرب قضاء الطارمية ما أدى إلى مقتل جنديين.",
     "Battles", "Armed clash"),
    ("قتل ثلاثة جنود عراقيين بانفجار عبوة ناسفة استهدفت دوريتهم في قضاء الطارمية اليوم.",
     "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("فجر انتحاري نفسه بحزام ناسف داخل سوق شعبي في مدينة مقديشو ما أدى إلى مقتل سبعة مدنيين.",
     "Explosions/Remote violence", "Suicide bomb"),
    ("شنت طائرات حربية روسية غارات جوية على بلدة كفرنبل، ما أسفر عن مقتل أربعة مدنيين.",
     "Explosions/Remote violence", "Air/drone strike"),
    ("سقطت قذائف هاون على مدينة أريحا صباح اليوم، ما أسفر عن إصابة خمسة أشخاص.",
     "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("أطلق مسلحون مجهولون النار على مدني في مدينة درعا ما أدى إلى مقتله.",
     "Violence against civilians", "Attack"),
    ("اختطف مسلحون مجهولون ثلاثة من عمال الإغاثة على طريق مدينة الفاشر أمس.",
     "Violence against civilians", "Abduction/forced disappearance"),
    ("سيطرت قوات الدعم السريع على مدينة الجنينة بعد معارك عنيفة.",
     "Battles", "Non-state actor overtakes territory"),
    ("خرج المئات من المتظاهرين في مدينة السويداء للمطالبة بإسقاط النظام اليوم.",
     "Protests", "Peaceful protest"),
    ("داهمت قوات الأمن العراقية منزلاً في حي الجهاد ببغداد واعتقلت أربعة مطلوبين.",
     "Strategic developments", "Arrests"),
])
def test_trigger_family(text: str, event_type: str, sub_event_type: str) -> None:
    event = only_event(text)
    assert (event["event_type"], event["sub_event_type"]) == (event_type, sub_event_type)


def test_suicide_attacker_without_detonation_is_a_clash() -> None:
    text = ("هاجم مسلحون يرتدون أحزمة ناسفة مقراً للشرطة في مدينة العريش واشتبكوا مع عناصره "
            "حتى قتل أحدهم.")
    assert only_event(text)["sub_event_type"] == "Armed clash"


# ---------------------------------------------------------------- non-events

@pytest.mark.parametrize("text", [
    "نفى الجيش اللبناني وقوع اشتباكات على الحدود الجنوبية.",
    "هدد تنظيم داعش بتنفيذ هجمات جديدة ضد قوات سوريا الديمقراطية في دير الزور.",
    "حذرت الأمم المتحدة من هجوم محتمل على مدينة الفاشر.",
    "ارتفعت أسعار الذهب في الأسواق السورية اليوم بنسبة 3 في المئة.",
    "فاز المنتخب العراقي على نظيره الإيراني بهدفين مقابل هدف في مباراة قوية.",
    "أحيا الأهالي الذكرى العاشرة لمجزرة القرية التي قتل فيها 40 مدنياً.",
])
def test_non_event_yields_nothing(text: str) -> None:
    assert events(text) == []


def test_foiled_bombing_is_never_a_bombing() -> None:
    text = ("أحبطت قوى الأمن الداخلي تفجير سيارة مفخخة في مدينة الحسكة بعد تفكيك العبوات "
            "التي كانت بداخلها.")
    assert all(e["event_type"] != "Explosions/Remote violence" for e in events(text))


def test_foiled_bombing_is_disrupted_weapons_use_when_coded_alone() -> None:
    from rasad.assemble import assemble
    from rasad.detect.article import analyse
    from rasad.pipeline import make_article

    text = "أحبطت قوى الأمن الداخلي تفجير سيارة مفخخة في مدينة الحسكة."
    analysis = analyse(make_article("t", text, PUB))
    found, _ = assemble(analysis, Settings(standalone_strategic_developments=True))
    assert [e.sub_event_type for e in found] == ["Disrupted weapons use"]


# ---------------------------------------------------------------- casualty frames

def test_number_before_victims_counts_killed() -> None:
    assert only_event("قتل 5 مدنيين في قصف مدفعي على مدينة أريحا.")["fatalities"] == 5


def test_victims_then_passive_verb_counts_killed() -> None:
    text = "أفادت مصادر أن سبعة عناصر من الشرطة قتلوا في كمين قرب مدينة العريش."
    assert only_event(text)["fatalities"] == 7


def test_subset_is_never_added() -> None:
    text = "قتل عشرة أشخاص بينهم ثلاثة أطفال في غارة جوية على بلدة كفرنبل."
    event = only_event(text)
    assert event["fatalities"] == 10
    assert event["children_killed"] == 3


def test_dual_noun_counts_two() -> None:
    assert only_event("أسفر الهجوم على حاجز في مدينة درعا عن مقتل عنصرين.")["fatalities"] == 2


def test_singular_after_casualty_word_counts_one() -> None:
    text = "اشتبك مسلحون مع الشرطة في مدينة العريش ما أدى إلى مقتل شرطي واعتقال آخر."
    event = only_event(text)
    assert (event["fatalities"], event["arrested"]) == (1, 1)


def test_sides_are_kept_apart() -> None:
    text = ("أسفرت الاشتباكات في بلدة الكرامة عن مقتل أربعة عناصر من قوات سوريا الديمقراطية "
            "واثنين من تنظيم داعش.")
    assert only_event(text)["killed"] == {"sdf": 4, "islamic_state": 2}


def test_civilians_killed_are_keyed_civilians() -> None:
    event = only_event("قتل ستة مدنيين في غارة جوية على بلدة كفرنبل.")
    assert event["killed"] == {"civilians": 6}
    assert event["actor2"] == "civilians"


def test_combined_killed_and_wounded_gives_no_death_count() -> None:
    text = "أسفر تفجير عبوة ناسفة في سوق مدينة الباب اليوم عن سقوط 12 بين قتيل وجريح."
    assert only_event(text)["fatalities"] == 0


def test_injured_and_arrested_are_counted() -> None:
    text = ("اندلعت اشتباكات في مدينة الزاوية أسفرت عن إصابة تسعة أشخاص واعتقال ثلاثة "
            "مسلحين.")
    event = only_event(text)
    assert (event["injured"], event["arrested"]) == (9, 3)


def test_vague_number_is_estimated_by_policy() -> None:
    event = only_event("قتل العشرات في قصف جوي على مدينة مأرب اليوم.")
    assert event["fatalities"] == 10
    assert event["fatalities_basis"] == "estimated"


def test_repeated_toll_is_not_added_across_sentences() -> None:
    text = ("مقتل ستة عناصر في هجوم على حاجز في مدينة الرقة.\n"
            "وأسفر الهجوم على الحاجز في مدينة الرقة عن مقتل ستة عناصر من قوات سوريا الديمقراطية.")
    assert only_event(text)["fatalities"] == 6


def test_rising_toll_replaces_the_earlier_one() -> None:
    text = ("قتل 20 شخصاً في تفجير سيارة مفخخة في مدينة الباب.\n"
            "وارتفعت حصيلة ضحايا التفجير إلى 32 قتيلاً.")
    assert only_event(text)["fatalities"] == 32


def test_captcha_arithmetic_is_not_a_figure() -> None:
    text = ("قتل شخصان في قصف على مدينة أريحا.\n\nFacebook Share\nطباعة\n"
            "* اكتب ناتج 7 + 7")
    assert only_event(text)["fatalities"] == 2


# ---------------------------------------------------------------- tallies

def test_tally_becomes_statistics_not_events() -> None:
    text = ("أحصى المرصد السوري لحقوق الإنسان مقتل 120 شخصاً بينهم 40 مدنياً منذ مطلع العام "
            "الجاري في محافظة درعا.")
    result = rasad.extract(text, PUB).to_dict()
    assert result["events"] == []
    assert [(s["metric"], s["value"]) for s in result["statistics"]] == [("killed", 120)]


def test_tally_period_runs_from_the_start_of_the_year() -> None:
    text = "وثق المرصد 35 هجوماً منذ مطلع العام الجاري في ريف دير الزور."
    stat = rasad.extract(text, PUB).to_dict()["statistics"][0]
    assert (stat["metric"], stat["value"]) == ("events", 35)
    assert (stat["period_start"], stat["period_end"]) == ("2023-01-01", "2023-03-10")


def test_tally_subset_goes_to_breakdown() -> None:
    text = "قتل 120 شخصاً بينهم 40 مدنياً منذ مطلع العام الجاري في محافظة درعا."
    stat = rasad.extract(text, PUB).to_dict()["statistics"][0]
    assert stat["breakdown"] == {"civilians": 40}


def stat_pairs(text: str) -> set[tuple[str, int]]:
    return {(s["metric"], s["value"]) for s in rasad.extract(text, PUB).to_dict()["statistics"]}


def test_tally_since_a_ceasefire_is_not_undone_by_the_word_stop() -> None:
    text = ("وبلغت حصيلة الشهداء منذ اتفاق وقف إطلاق النار في الأول من الشهر الجاري "
            "93 شهيداً في قطاع غزة.")
    assert ("killed", 93) in stat_pairs(text)


def test_injuries_counted_by_the_noun_after_the_figure() -> None:
    text = ("أعلنت وزارة الصحة وصول 40 شهيداً و120 إصابة إلى المستشفيات منذ مطلع الشهر الجاري "
            "في قطاع غزة.")
    assert ("injured", 120) in stat_pairs(text)


def test_figure_continuing_a_breakdown_stays_in_it() -> None:
    text = ("سجلت الوزارة منذ مطلع الشهر الجاري 150 إصابة (منها 30 طفلاً و25 امرأة)، فيما بلغت "
            "حصيلة الشهداء 60 شهيداً في قطاع غزة.")
    assert stat_pairs(text) == {("injured", 150), ("killed", 60)}


def test_year_typed_against_the_next_sentence_ends_it() -> None:
    text = ("قتل 70 شخصاً منذ بدء الحرب في السابع من أكتوبر 2023.وأضافت الوزارة أن حصيلة "
            "الإصابات ارتفعت إلى 300 منذ بدء الحرب.")
    assert stat_pairs(text) == {("killed", 70), ("injured", 300)}


def test_displaced_figure_beside_a_tally_is_a_statistic() -> None:
    text = ("أعلنت الوزارة مقتل 500 شخص منذ الثامن من تشرين الأول الماضي. وأوضحت في التقرير "
            "التراكمي أن أكثر من 90 ألف شخص نزحوا جراء القصف.")
    assert ("displaced", 90000) in stat_pairs(text)


def test_bloodiest_day_is_a_statistic_of_that_day() -> None:
    text = "وكان اليوم الأكثر دموية هو 12 شباط/فبراير 2023 مع 140 قتيلاً في أنحاء سوريا."
    stat = rasad.extract(text, PUB).to_dict()["statistics"][0]
    assert (stat["value"], stat["period_start"], stat["period_end"]) == (
        140, "2023-02-12", "2023-02-12")


def test_named_month_is_the_period_of_its_count() -> None:
    text = "ويعد كانون الثاني/يناير 2023 الشهر الأكثر دموية إذ قتل خلاله 900 شخص في سوريا."
    stat = rasad.extract(text, PUB).to_dict()["statistics"][0]
    assert (stat["period_start"], stat["period_end"]) == ("2023-01-01", "2023-01-31")


def test_average_is_not_a_count_even_far_from_its_figure() -> None:
    text = ("وأوضح مدير المرصد أن المعدل اليومي للضحايا منذ الأول من كانون الثاني/يناير الماضي "
            "بلغ 65 قتيلاً.")
    assert stat_pairs(text) == set()


def test_counting_body_is_named_as_written() -> None:
    text = ("وثق المرصد السوري لحقوق الإنسان رامي عبد الرحمن مقتل 120 شخصاً منذ مطلع العام "
            "الجاري في محافظة درعا.")
    stat = rasad.extract(text, PUB).to_dict()["statistics"][0]
    assert stat["source_org"] == "المرصد السوري لحقوق الإنسان"


def test_counting_body_after_a_preposition_keeps_its_article() -> None:
    text = "قتل 80 مدنياً منذ مطلع العام الجاري في محافظة إدلب، وفقاً للمرصد السوري لحقوق الإنسان."
    stat = rasad.extract(text, PUB).to_dict()["statistics"][0]
    assert stat["source_org"] == "المرصد السوري لحقوق الإنسان"


def test_counting_body_with_its_place() -> None:
    text = ("أعلنت وزارة الصحة في قطاع غزة ارتفاع حصيلة الشهداء منذ بدء الحرب إلى 500، "
            "بينهم 200 طفل.")
    stat = rasad.extract(text, PUB).to_dict()["statistics"][0]
    assert stat["source_org"] == "وزارة الصحة في قطاع غزة"


REPORT = ("كشف تقرير صادر عن مكتب الأمم المتحدة لغرب إفريقيا والساحل عن مقتل أكثر من 2000 شخص "
          "خلال الفترة من يوليو إلى سبتمبر 2023 في منطقة الساحل. "
          "وسجلت بوركينا فاسو العدد الأكبر من الضحايا بإجمالي 900 شخص، أبرزها هجوم بلدة "
          "جيبو في 5 أغسطس الذي أودى بحياة 120 شخصاً. "
          "أما في النيجر فقد ارتفع عدد الضحايا إلى 300 شخص.")


def report_stats() -> dict[int, dict]:
    return {s["value"]: s for s in rasad.extract(REPORT, "2023-12-01").to_dict()["statistics"]}


MINISTRY = ("أعلنت وزارة الصحة اللبنانية ارتفاع حصيلة الشهداء إلى 600 منذ بدء العدوان الإسرائيلي "
            "في الثامن من تشرين الأول 2023 وحتى 20 آب 2024. وأضافت الوزارة أن عدد الجرحى ارتفع "
            "إلى 1900 منذ بدء العدوان.")


def ministry_stats() -> dict[int, dict]:
    return {s["value"]: s for s in rasad.extract(MINISTRY, "2024-08-22").to_dict()["statistics"]}


def test_since_the_start_of_a_war_dated_after_it() -> None:
    stat = ministry_stats()[600]
    assert (stat["period_start"], stat["period_end"]) == ("2023-10-08", "2024-08-20")


def test_the_war_named_again_keeps_its_start() -> None:
    assert ministry_stats()[1900]["period_start"] == "2023-10-08"


def test_side_named_as_the_cause_is_the_perpetrator() -> None:
    assert ministry_stats()[600]["perpetrator"] == "israeli_forces"


def test_bare_ministry_is_the_one_named_before() -> None:
    assert ministry_stats()[1900]["source_org"] == "وزارة الصحة اللبنانية"


def test_nationwide_tally_has_its_country_as_region() -> None:
    text = "وثق المرصد السوري لحقوق الإنسان مقتل 1200 شخص في سوريا منذ مطلع العام الجاري."
    stat = rasad.extract(text, PUB).to_dict()["statistics"][0]
    assert stat["region"] == "سوريا"


def test_claim_of_several_attacks_is_a_statistic_of_attacks() -> None:
    text = "أعلن تنظيم داعش مسؤوليته عن 4 هجمات في ولاية بورنو أسفرت عن سقوط عشرات القتلى."
    assert ("events", 4) in stat_pairs(text)


def test_claim_of_one_attack_stays_an_incident() -> None:
    text = "أعلن تنظيم داعش مسؤوليته عن هجوم أسفر عن مقتل 5 جنود في مدينة الرقة اليوم."
    assert only_event(text)["fatalities"] == 5


def test_period_from_one_month_to_another() -> None:
    stat = report_stats()[2000]
    assert (stat["period_start"], stat["period_end"]) == ("2023-07-01", "2023-09-30")


def test_toll_of_one_dated_attack_inside_a_tally_is_no_statistic() -> None:
    assert 120 not in report_stats()


def test_rising_toll_among_tallies_is_a_tally() -> None:
    assert 300 in report_stats()


def test_report_figures_keep_the_report_period_and_source() -> None:
    stat = report_stats()[900]
    assert (stat["period_start"], stat["source_org"]) == (
        "2023-07-01", "مكتب الأمم المتحدة لغرب إفريقيا والساحل")


def test_figure_of_a_named_country_is_that_country_s() -> None:
    assert report_stats()[300]["country"] == "NE"


# ---------------------------------------------------------------- assembling units

def test_headline_and_body_are_one_event() -> None:
    text = ("هجوم على حاجز للجيش في مدينة العريش\n"
            "هاجم مسلحون حاجزاً للجيش المصري في مدينة العريش أمس واندلعت اشتباكات استمرت ساعة.")
    assert len(events(text)) == 1


def test_listed_villages_are_one_event_each() -> None:
    text = "شنت طائرات حربية غارات على بلدات كفرنبل وسراقب وأريحا في ريف إدلب اليوم."
    names = {e["location"]["name_ar"] for e in events(text)}
    assert len(names) == 3


def test_toll_of_a_list_of_places_is_split_evenly() -> None:
    text = ("شنت طائرات حربية غارات على بلدات كفرنبل وسراقب وأريحا في ريف إدلب اليوم ما أسفر "
            "عن مقتل 10 مدنيين.")
    shares = {e["location"]["name_ar"]: e["fatalities"] for e in events(text)}
    assert shares == {"كفرنبل": 4, "سراقب": 3, "أريحا": 3}


def test_town_named_like_a_foreign_city_alias_follows_the_article_country() -> None:
    text = "هاجم مسلحون من تنظيم القاعدة معسكراً للجيش اليمني في مدينة زنجبار اليوم."
    location = only_event(text)["location"]
    assert (location["name_ar"], location["lat"] is not None) == ("زنجبار", True)


def test_noun_with_their_after_a_camp_word_is_no_camp() -> None:
    text = "استشهد طفلان فلسطينيان أثناء تفقد أهالي جنين مخيم منازلهم بنيران قوات الاحتلال اليوم."
    assert [e["fatalities"] for e in events(text)] == [2]


def test_al_qaeda_is_no_base_of_the_place() -> None:
    text = "هاجم مسلحون من تنظيم القاعدة معسكراً للجيش اليمني في مدينة لودر اليوم."
    assert "sublocation_ar" not in only_event(text)["location"]


def test_port_of_an_unknown_town_is_that_town() -> None:
    text = ("أعلنت القيادة الأمريكية مقتل 20 مسلحاً من حركة الشباب في غارة جوية أمريكية في الصومال. "
            "وأوضحت أن الضربة نفذت يوم 12 أكتوبر بالقرب من ميناء هرارديري.")
    event = only_event(text, "2023-10-16")
    assert (event["location"]["name_ar"], event["date"]) == ("هرارديري", "2023-10-12")


def test_village_named_with_a_head_and_a_city_is_not_the_city() -> None:
    text = "سيطرت هيئة تحرير الشام على قرية كفر حلب غرب مدينة الأتارب اليوم بعد اشتباكات."
    names = {e["location"]["name_ar"] for e in events(text)}
    assert "حلب" not in names


def test_district_of_a_city_is_the_same_incident_as_the_city() -> None:
    text = ("قتلى وجرحى بهجوم انتحاري استهدف مدير أمن عدن اليوم.\n"
            "وأوضحت مصادر أن الانفجار وقع في مديرية المنصورة واستهدف موكب مدير الأمن، ما أدى "
            "إلى مقتل أربعة من حراسه.")
    assert len(events(text)) == 1


def test_base_named_with_a_compound_name_is_placed_at_it() -> None:
    text = "تعرضت قاعدة عين الأسد الجوية لقصف صاروخي غربي العراق اليوم."
    assert only_event(text)["location"]["name_ar"] == "عين الأسد"


def test_relative_date_resolves_against_publication() -> None:
    assert only_event("قتل مدنيان في قصف على مدينة أريحا مساء أمس.")["date"] == "2023-03-09"


def test_no_publication_date_leaves_relative_date_unknown() -> None:
    event = only_event("قتل مدنيان في قصف على مدينة أريحا مساء أمس.", published=None)
    assert event["date"] is None


def test_recalled_incident_is_not_reported_by_default() -> None:
    text = ("قتل مدنيان في قصف على مدينة أريحا اليوم.\n"
            "وكان قصف مماثل قد استهدف مدينة سراقب في 3 كانون الثاني 2021 وقتل فيه خمسة مدنيين.")
    assert [e["location"]["name_ar"] for e in events(text)] != []
    assert all(e["date"] == PUB for e in events(text))


def test_dateline_city_is_not_the_place() -> None:
    text = "دمشق - قتل ثلاثة مدنيين في قصف مدفعي على مدينة أريحا اليوم."
    assert only_event(text)["location"]["name"] != "Damascus"


def test_every_event_has_evidence_inside_the_text() -> None:
    text = "قتل 5 مدنيين في قصف مدفعي على مدينة أريحا اليوم."
    event = only_event(text)
    assert {"event_type", "location", "killed"} <= {ev["field"] for ev in event["evidence"]}
    assert all(0 <= ev["start"] < ev["end"] <= len(text) for ev in event["evidence"])


def test_evidence_of_a_figure_points_at_the_figure() -> None:
    text = "قتل 5 مدنيين في قصف مدفعي على مدينة أريحا اليوم."
    event = only_event(text)
    span = next(ev for ev in event["evidence"] if ev["field"] == "killed")
    assert text[span["start"]:span["end"]] == "5"


# ---------------------------------------------------------------- later refinements

def test_running_toll_beside_the_incident_becomes_a_statistic() -> None:
    text = ("قتل أربعة مدنيين في غارة جوية على مدينة رفح اليوم، لترتفع حصيلة القصف منذ "
            "الأسبوع الماضي إلى 24 قتيلاً.")
    result = rasad.extract(text, PUB).to_dict()
    assert [e["fatalities"] for e in result["events"]] == [4]
    assert ("killed", 24) in [(s["metric"], s["value"]) for s in result["statistics"]]


def test_car_bomb_then_storming_is_one_armed_clash() -> None:
    text = ("فجر مسلحون سيارة مفخخة عند بوابة سجن في مدينة الحسكة أمس.\n"
            "ثم اندلعت اشتباكات عنيفة بين المهاجمين وحراس السجن في مدينة الحسكة.")
    event = only_event(text)
    assert (event["event_type"], event["sub_event_type"]) == ("Battles", "Armed clash")


def test_areas_under_control_are_not_a_takeover() -> None:
    text = "قتل مدنيان في قصف على بلدة تل رفعت الواقعة في مناطق سيطرة قسد اليوم."
    assert only_event(text)["sub_event_type"] != "Non-state actor overtakes territory"


def test_day_of_a_statement_is_not_the_incident_day() -> None:
    text = ("قالت منظمة حقوقية اليوم الجمعة إن مسلحين قتلوا خمسة مدنيين في هجوم على "
            "بلدة الجنينة يوم الأربعاء.")
    assert only_event(text)["date"] == "2023-03-08"


def test_speaking_ministry_is_not_the_bomber() -> None:
    text = ("قال مسؤولون في وزارة الداخلية العراقية إن 12 شخصاً قتلوا في انفجار سيارة "
            "مفخخة في سوق بمدينة بغداد اليوم.")
    assert only_event(text)["actor1"] == "unidentified_armed_group"


def test_lone_army_in_a_bombing_is_the_target() -> None:
    text = "انفجرت عبوة ناسفة بدورية للجيش العراقي في قضاء الطارمية اليوم ما أدى إلى مقتل جنديين."
    event = only_event(text)
    assert (event["actor1"], event["actor2"]) == ("unidentified_armed_group",
                                                  "iraqi_security_forces")


def test_crowd_that_attacks_is_a_riot() -> None:
    text = ("هاجم محتجون غاضبون مبنى المحافظة في مدينة البصرة اليوم ورشقوا قوات الأمن "
            "بالحجارة ما أدى إلى إصابة خمسة عناصر.")
    event = only_event(text)
    assert (event["event_type"], event["sub_event_type"]) == ("Riots", "Violent demonstration")


def test_unnamed_dead_of_a_bombing_are_civilians() -> None:
    text = "قتل سبعة أشخاص بانفجار سيارة مفخخة في سوق مدينة الباب اليوم."
    assert only_event(text)["actor2"] == "civilians"


def test_parts_of_a_total_name_its_sides() -> None:
    text = ("ارتفع عدد القتلى جراء الاشتباكات في مدينة الحسكة إلى 41 هم 20 من قوات سوريا "
            "الديمقراطية و16 من تنظيم داعش و5 مدنيين.")
    event = only_event(text)
    assert event["fatalities"] == 41
    assert event["killed"] == {"sdf": 20, "islamic_state": 16, "civilians": 5}


def test_noun_then_number_continues_a_list() -> None:
    text = ("أسفرت الاشتباكات في مدينة الرقة عن مقتل أربعة عناصر من الأسايش ومقاتلين اثنين "
            "من قوات سوريا الديمقراطية.")
    assert only_event(text)["fatalities"] == 6


def test_own_forces_belong_to_the_speaker() -> None:
    text = ("كشف بيان للأسايش عن مقتل أربعة من عناصرها خلال الاشتباكات مع خلايا داعش في "
            "مدينة الرقة اليوم.")
    assert only_event(text)["killed"] == {"asayish": 4}


def test_own_forces_without_a_speaker_belong_to_the_clause_subject() -> None:
    text = ("صدت قوات سوريا الديمقراطية هجوماً لتنظيم داعش على حاجز في مدينة الرقة اليوم "
            "كلّفها خمسة قتلى من عناصرها.")
    assert only_event(text)["killed"] == {"sdf": 5}


def test_dual_verb_after_the_figure_counts_the_dead() -> None:
    text = "قالت مصادر أمنية إن اثنين قتلا في هجوم مسلح على حاجز للشرطة في العريش اليوم."
    assert only_event(text)["fatalities"] == 2


def test_parts_named_one_by_one_give_the_sides_of_a_total() -> None:
    text = ("أسفر هجوم مسلح على كمين أمني في العريش اليوم عن مقتل شخصين بينهما المجند "
            "أحمد علي (21 سنة) ومواطن مدني.")
    assert only_event(text)["killed"] == {"egypt_forces": 1, "civilians": 1}


def test_one_of_them_belongs_to_the_group_named_before() -> None:
    text = ("هاجم ثلاثة مسلحين من تنظيم داعش حاجزاً في مدينة الرقة اليوم، ولقي أحدهم مصرعه "
            "في الاشتباك.")
    assert only_event(text)["killed"] == {"islamic_state": 1}


def test_side_told_without_a_figure_owns_the_unattributed_dead() -> None:
    text = ("قالت مصادر طبية إن خمسة أشخاص قتلوا في اشتباكات جنوب مدينة سرت اليوم. "
            "وأضافت المصادر أن القتلى هم من عناصر الجيش الوطني الليبي.")
    assert only_event(text)["killed"] == {"lna": 5}


def test_members_in_a_force_are_its_dead() -> None:
    text = ("أسفرت الاشتباكات في ريف دير الزور اليوم عن مقتل أربعة مدنيين وخمسة عناصر في قوات "
            "سوريا الديمقراطية.")
    assert only_event(text)["killed"] == {"civilians": 4, "sdf": 5}


def test_our_soldiers_said_of_forces_named_before() -> None:
    text = ("وتخوض قوات الجيش الوطني الليبي معارك عنيفة قرب مدينة سرت منذ أمس. "
            "وقال مسؤول عسكري في هذه القوات إن 6 من جنودنا قتلوا في المعارك.")
    assert only_event(text)["killed"] == {"lna": 6}


def test_an_earlier_toll_gives_way_to_the_later_one() -> None:
    text = ("قتل 8 مسلحين من داعش في اشتباكات مع الجيش العراقي قرب مدينة الموصل اليوم. "
            "وكانت حصيلة سابقة أفادت بمقتل 12 مسلحاً.")
    assert only_event(text)["fatalities"] == 8


def test_killed_or_wounded_after_the_figure_gives_no_death_count() -> None:
    text = ("نفذت قوات الجيش اليمني كميناً قرب مدينة مأرب اليوم انتهى بمصرع العشرات من عناصر "
            "الحوثيين بين قتيل وجريح.")
    assert only_event(text)["fatalities"] == 0


def test_figure_counting_attacks_counts_no_dead() -> None:
    text = ("نفذت قوات الجيش اليمني ثلاثة هجمات قرب مدينة مأرب اليوم انتهت بمصرع قائد "
            "ميداني من الحوثيين.")
    assert only_event(text)["fatalities"] == 1


def test_total_of_incidents_told_one_by_one_belongs_to_none() -> None:
    text = ("قتل 15 جندياً اليوم في هجومين منفصلين في جنوب اليمن. "
            "وهاجم مسلحون من تنظيم القاعدة معسكراً للجيش في مدينة عدن ما أدى إلى مقتل 6 جنود. "
            "وقتل 9 جنود في انفجار عبوة ناسفة استهدفت دورية للجيش في مدينة المكلا.")
    found = sorted(e["fatalities"] for e in events(text))
    assert found == [6, 9]


def test_figure_among_the_victims_is_part_of_their_count() -> None:
    text = ("انفجرت سيارة مفخخة في مدينة عفرين اليوم، وذكرت مصادر محلية أن ثلاثة أطفال كانوا من "
            "بين الضحايا الذين بلغ عددهم 7 قتلى.")
    event = only_event(text)
    assert (event["fatalities"], event.get("children_killed")) == (7, 3)


def test_figures_of_them_break_the_total_down_by_side() -> None:
    text = ("قتل 40 شخصاً في اشتباكات بين داعش وقوات سوريا الديمقراطية في مدينة الحسكة اليوم، "
            "25 منهم من مسلحي داعش و15 من قوات سوريا الديمقراطية.")
    event = only_event(text)
    assert (event["fatalities"], event["killed"]) == (40, {"islamic_state": 25, "sdf": 15})


def test_disputed_side_keeps_its_lowest_attributed_figure() -> None:
    text = ("قال المرصد السوري لحقوق الإنسان إن حصيلة القتلى في هجوم تنظيم داعش على سجن "
            "الصناعة في مدينة الحسكة اليوم بلغت 50 قتيلاً، 30 منهم من مسلحي داعش و20 من قوات "
            "سوريا الديمقراطية. وأعلنت قوات سوريا الديمقراطية في بيان أن 12 من عناصرها قتلوا "
            "في هجوم داعش على سجن الصناعة في مدينة الحسكة.")
    event = only_event(text)
    assert event["killed"] == {"islamic_state": 30, "sdf": 12}
    assert (event["fatalities"], event["fatalities_low"], event["fatalities_high"]) == (
        42, 42, 50)


def test_strike_that_killed_only_civilians_has_civilians_as_target() -> None:
    text = ("قتل 12 مدنياً في غارة جوية شنها التحالف على سوق شعبي في محافظة صعدة، معقل "
            "جماعة الحوثي، اليوم.")
    assert only_event(text)["actor2"] == "civilians"


def test_strike_without_author_takes_the_author_of_the_article_other_strikes() -> None:
    text = ("قتل أربعة مدنيين في غارة جوية إسرائيلية على منزل في مدينة رفح اليوم. "
            "وقتل ثلاثة آخرون في غارة جوية على منزل في مدينة خان يونس.")
    assert {e["actor1"] for e in events(text)} == {"israeli_forces"}


def test_town_near_a_big_city_is_its_own_place() -> None:
    text = ("قتل جنديان في انفجار عبوة ناسفة قرب مدينة الرقة اليوم. "
            "وقتل مدني في انفجار عبوة ناسفة في مدينة الطبقة.")
    assert len(events(text)) == 2


def test_bomb_without_a_claim_stays_unidentified() -> None:
    text = ("قتل جنديان في انفجار عبوة ناسفة تبناه تنظيم داعش قرب مدينة الرقة اليوم. "
            "وقتل مدني في انفجار عبوة ناسفة في مدينة الطبقة.")
    authors = sorted(e["actor1"] for e in events(text))
    assert authors == ["islamic_state", "unidentified_armed_group"]


def test_what_befell_them_after_li_counts_them() -> None:
    text = "تعرض ثلاثة شبان للاختطاف على يد عصابة مسلحة في محافظة السويداء أمس."
    assert only_event(text)["arrested"] == 3


def test_first_figure_of_a_list_among_the_dead_is_a_part() -> None:
    text = ("قتل 60 شخصاً في قصف مدفعي على بلدة الحولة اليوم، بينما أفاد ناشطون بأن 20 طفلاً "
            "و10 نساء من بين القتلى.")
    event = only_event(text)
    assert (event["fatalities"], event.get("children_killed"), event.get("women_killed")) == (
        60, 20, 10)


def test_part_of_the_dead_is_not_added() -> None:
    text = ("قتل 30 شخصاً في قصف مدفعي على بلدة الحولة اليوم، وقال ناشطون إن 12 من القتلى "
            "سقطوا في منازلهم.")
    assert only_event(text)["fatalities"] == 30


def test_side_named_before_a_risen_toll_is_its_side() -> None:
    text = ("هاجم تنظيم داعش سجناً في مدينة الحسكة اليوم. وقال المرصد إن تعداد قتلى الأسايش "
            "ارتفع إلى 14.")
    assert only_event(text)["killed"] == {"asayish": 14}


def test_risen_toll_of_one_side_keeps_the_other_sides() -> None:
    text = ("قتل 20 عنصراً من الأسايش و9 من تنظيم داعش في هجوم على سجن في مدينة الحسكة اليوم. "
            "وقال المرصد إن عدد قتلى الأسايش ارتفع إلى 25.")
    event = only_event(text)
    assert (event["fatalities"], event["killed"]) == (34, {"asayish": 25, "islamic_state": 9})


def test_also_killed_in_the_same_place_and_day_adds_up() -> None:
    text = ("قتل أربعة مدنيين في غارة جوية إسرائيلية على منزل في مدينة رفح اليوم. وقتل أيضاً "
            "ستة مدنيين في غارة جوية إسرائيلية على منزل آخر في مدينة رفح.")
    assert only_event(text)["fatalities"] == 10


def test_also_said_of_the_same_dead_does_not_add_up() -> None:
    text = ("قتل أربعة مدنيين في غارة جوية إسرائيلية على منزل في مدينة رفح اليوم. وأكدت وزارة "
            "الصحة أيضاً مقتل أربعة مدنيين في الغارة على مدينة رفح.")
    assert only_event(text)["fatalities"] == 4


def test_many_after_a_casualty_noun_is_several() -> None:
    text = "وأسفر القصف المدفعي على مدينة حلب اليوم عن وقوع إصابات عديدة بين المدنيين."
    assert only_event(text)["injured"] == 3


def test_kin_with_a_possessive_is_one_person() -> None:
    text = ("أكدت منظمة الدفاع المدني مقتل امرأة وإصابة زوجها جراء غارة جوية روسية على منزلهما "
            "في ريف إدلب اليوم.")
    event = only_event(text)
    assert (event["fatalities"], event["injured"]) == (1, 1)


def test_purpose_to_take_control_is_no_takeover() -> None:
    text = ("وتشن حركة الشباب حملة لطرد قوات الاتحاد الأفريقي من الصومال في محاولة للسيطرة "
            "على مدينة مقديشو.")
    assert [e["sub_event_type"] for e in events(text)] == []


def test_mention_in_an_article_with_an_incident_makes_no_event_of_its_own() -> None:
    text = ("هاجم تنظيم داعش مقراً للأسايش في مدينة الرقة اليوم واندلعت اشتباكات مع قوات سوريا "
            "الديمقراطية. وقال التنظيم إن الهجوم جاء انتقاماً لأسراه في مدينة الحسكة.")
    assert len(events(text)) == 1


def test_crowd_that_stormed_is_a_riot_even_when_fired_on() -> None:
    text = ("قتل 3 متظاهرين برصاص قوات الأمن العراقية في بغداد اليوم إثر اقتحام متظاهرين "
            "للمنطقة الخضراء ومقر البرلمان.")
    event = only_event(text)
    assert (event["event_type"], event["killed"]) == ("Riots", {"rioters": 3})


def test_one_after_its_noun_counts_no_one() -> None:
    text = ("قتل ثلاثة مدنيين من عائلة واحدة في قصف مدفعي على حي سكني في مدينة حلب "
            "اليوم.")
    assert only_event(text)["fatalities"] == 3


def test_names_joined_to_the_attacker_are_its_associates() -> None:
    text = "هاجمت حركة أحرار الشام وجبهة النصرة مواقع قوات النظام في مدينة إدلب اليوم."
    event = only_event(text)
    assert (event["actor1"], event["actor2"], event["assoc_actors"]) == (
        "syrian_opposition", "syrian_gov_forces", ["other:Jabhat al-Nusra"])


def test_passive_feminine_assassination_is_an_attack_with_one_dead() -> None:
    text = "اغتيلت ناشطة مدنية يوم الثلاثاء وسط مدينة البصرة بأيدي مسلحين مجهولين."
    event = only_event(text)
    assert (event["sub_event_type"], event["fatalities"]) == ("Attack", 1)


def test_protest_condemning_an_assassination_is_its_own_event() -> None:
    text = ("اغتيلت ناشطة مدنية يوم الثلاثاء وسط مدينة البصرة بأيدي مسلحين مجهولين. "
            "وتجددت المظاهرات في البصرة وندد المتظاهرون باغتيال الناشطة من قبل مسلحين مجهولين.")
    assert sorted(e["event_type"] for e in events(text)) == [
        "Protests", "Violence against civilians"]


def test_explosion_told_with_a_verb_and_a_place_is_an_event() -> None:
    text = "وانفجرت عبوة ناسفة قرب سوق مدينة الرمادي."
    assert only_event(text, None)["sub_event_type"] == "Remote explosive/landmine/IED"


def test_explosion_only_named_with_a_place_is_not_an_event() -> None:
    text = "وتفقد المحافظ موقع التفجير في مدينة الرمادي."
    assert events(text, None) == []


def test_bombing_later_said_to_be_by_suicide_bombers_is_a_suicide_bomb() -> None:
    text = ("قتل 12 شخصاً في تفجير مزدوج بساحة الطيران وسط بغداد صباح اليوم. وقال المتحدث باسم "
            "وزارة الداخلية إن الاعتداء في ساحة الطيران وسط بغداد نفذه انتحاريان اثنان.")
    assert only_event(text)["sub_event_type"] == "Suicide bomb"


def test_force_named_as_support_is_an_associated_actor() -> None:
    text = ("هاجمت قوات سوريا الديمقراطية بإسناد من مروحيات التحالف الدولي مواقع تنظيم داعش "
            "في سجن غويران بالحسكة اليوم.")
    event = only_event(text)
    assert (event["actor1"], event["actor2"], event["assoc_actors"]) == (
        "sdf", "islamic_state", ["coalition"])


def test_raid_on_a_village_killing_people_is_an_attack_on_civilians() -> None:
    text = ("هاجم مسلحو بوكو حرام قرية فادوما في ولاية بورنو اليوم وقتلوا 40 شخصاً، لاعتقادهم أن "
            "السكان يتعاونون مع السلطات الأمنية.")
    event = only_event(text)
    assert (event["event_type"], event["actor2"]) == ("Violence against civilians", "civilians")


def test_raid_on_a_village_with_a_fight_stays_a_battle() -> None:
    text = ("هاجم مسلحو بوكو حرام قرية فادوما في ولاية بورنو اليوم واشتبكوا مع الجيش النيجيري "
            "ما أدى إلى مقتل 12 شخصاً.")
    assert only_event(text)["event_type"] == "Battles"


def test_claim_of_responsibility_names_the_attacker() -> None:
    text = ("فجر انتحاري نفسه بسيارة مفخخة قرب مطار مدينة مقديشو اليوم ما أدى إلى مقتل "
            "ثلاثة جنود، وأعلنت حركة الشباب مسؤوليتها عن التفجير.")
    assert only_event(text)["actor1"] == "al_shabaab"
