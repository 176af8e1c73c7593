"""Sentence-level rules that tell a reported incident from talk about violence.

One behaviour per test, on sentences written for these tests (never taken from a corpus).
"""
from __future__ import annotations

import rasad
from rasad.pipeline import make_article, process_article
from rasad.settings import Settings

PUB = "2023-03-10"
VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}


def violent_events(text: str, published: str | None = PUB) -> list[dict]:
    found = process_article(make_article("t", text, published),
                            Settings(background_events=True))
    return [e for e in found.to_dict()["events"] if e["event_type"] in VIOLENT]


# ---------------------------------------------------------------- bare mentions

def test_abstract_mention_of_killing_is_no_event() -> None:
    text = "وقال الكاتب في مقاله إن تبرير القتل والاغتيال السياسي في مدينة بيروت جريمة."
    assert violent_events(text) == []


def test_mention_as_object_of_a_statement_is_no_event() -> None:
    text = "وانتقد قائد في الجيش العراقي في مدينة الموصل الهجوم على الحريات العامة."
    assert violent_events(text) == []


def test_weapon_noun_alone_is_no_event() -> None:
    text = "ويملك الجيش الإسرائيلي في قاعدة قرب مدينة حيفا صواريخ بعيدة المدى."
    assert violent_events(text) == []


def test_nominal_trigger_with_a_casualty_figure_is_an_event() -> None:
    text = "وقال مصدر أمني إن الهجوم على حاجز في مدينة الموصل خلف ثلاثة قتلى."
    assert len(violent_events(text)) == 1


def test_nominal_trigger_with_a_verb_of_occurrence_is_an_event() -> None:
    text = "وقع انفجار عبوة ناسفة في سوق مدينة الموصل صباح اليوم."
    assert len(violent_events(text)) == 1


def test_finite_violent_verb_is_an_event() -> None:
    text = "اغتال مسلحون مجهولون قاضياً أمام منزله في مدينة الموصل أمس."
    assert len(violent_events(text)) == 1


def test_sentence_opening_with_the_incident_word_is_a_report() -> None:
    text = "اشتباكات عنيفة بين الجيش ومسلحين في بلدة الصنمين بريف درعا."
    assert len(violent_events(text)) == 1


def test_incident_pinned_to_a_day_is_a_report() -> None:
    text = "وفي 12 آذار 2021: اغتيال محافظ المدينة بعبوة ناسفة في مدينة الموصل."
    assert len(violent_events(text)) == 1


def test_mention_joins_the_incident_the_article_reports() -> None:
    text = ("قتل ثلاثة جنود بانفجار عبوة ناسفة في مدينة الموصل أمس.\n"
            "وأدان المحافظ الهجوم على الجنود في الموصل.")
    found = violent_events(text)
    assert len(found) == 1
    assert found[0]["fatalities"] == 3


def test_the_article_alone_reporting_a_mention_yields_nothing() -> None:
    text = ("عقد المجلس اجتماعا في مدينة بغداد لمناقشة الموازنة.\n"
            "وتطرق النقاش في مدينة الموصل إلى سياسة الاغتيالات التي ينتهجها الجيش الإسرائيلي.")
    assert violent_events(text) == []


# ---------------------------------------------------------------- words after the trigger

def test_a_place_noun_after_the_trigger_does_not_undo_it() -> None:
    text = "قتل ثلاثة أشخاص في انفجار سيارة مفخخة قرب المحكمة في مدينة الموصل."
    assert len(violent_events(text)) == 1


def test_a_bomb_at_a_funeral_is_an_incident() -> None:
    text = "قتل خمسة أشخاص في تفجير وسط جنازة في مدينة الموصل أمس."
    assert len(violent_events(text)) == 1


def test_a_possible_attack_is_undone() -> None:
    text = "رفعت القوات الأمنية في مدينة الموصل جاهزيتها تحسبا لهجوم محتمل."
    assert violent_events(text) == []


def test_a_day_of_the_current_month_is_a_date_not_a_vague_time() -> None:
    text = "وقتل شخصان في تفجير سيارة مفخخة في الخامس من الشهر الجاري في مدينة الموصل."
    assert len(violent_events(text)) == 1


# ---------------------------------------------------------------- trigger forms

def test_present_tense_opening_fire_is_an_attack() -> None:
    text = "وشاهد السكان مسلحين يطلقون النار على المارة في مدينة الموصل أمس."
    assert [e["sub_event_type"] for e in violent_events(text)] == ["Attack"]


def test_they_blew_up_is_a_bombing() -> None:
    text = "وقال مسؤول محلي إن مسلحين فجروا جسرا في مدينة الموصل صباح أمس."
    assert [e["event_type"] for e in violent_events(text)] == ["Explosions/Remote violence"]


def test_hostage_taking_is_an_abduction() -> None:
    text = "أقدم مسلحون على احتجاز رهائن في فندق بمدينة الموصل أمس."
    found = violent_events(text)
    assert [e["sub_event_type"] for e in found] == ["Abduction/forced disappearance"]


def test_verbal_noun_after_tamma_is_a_passive_verb() -> None:
    text = "وأكد مصدر أمني أنه تم اغتيال قاض في مدينة الموصل."
    assert [e["sub_event_type"] for e in violent_events(text)] == ["Attack"]


def test_an_arrest_does_not_make_a_bombing_mention_a_report() -> None:
    text = "وقال الجيش العراقي إنه تم إلقاء القبض على منفذ التفجير في مدينة الموصل."
    assert violent_events(text) == []


def test_a_conditional_attack_is_no_event() -> None:
    text = "وقال قائد الجيش الإيراني إنه إذا شن أحد اعتداء على مدينة بوشهر فسيرد بقوة."
    assert violent_events(text) == []


def test_plural_explosions_are_a_trigger() -> None:
    text = "وهزت ثلاثة انفجارات سوقا في مدينة الموصل أمس ما أسفر عن مقتل خمسة أشخاص."
    assert [e["event_type"] for e in violent_events(text)] == ["Explosions/Remote violence"]


# ---------------------------------------------------------------- reaction, inquiry, blame

def test_a_condemned_bombing_is_a_mention() -> None:
    text = "وندد وزير الداخلية العراقي بالتفجير الذي استهدف سوقا في مدينة الموصل."
    assert violent_events(text) == []


def test_an_inquiry_into_an_assassination_is_a_mention() -> None:
    text = "وطالب الجيش العراقي بتسريع التحقيق في اغتيال المحافظ في مدينة الموصل."
    assert violent_events(text) == []


def test_a_killing_verb_beside_a_condemnation_is_still_reported() -> None:
    text = "وأدان المحافظ الهجوم بعدما قتل مسلحون ثلاثة جنود في مدينة الموصل أمس."
    assert len(violent_events(text)) == 1


def test_a_protest_condemning_an_assassination_stays_a_protest() -> None:
    text = "وخرجت مظاهرات في مدينة البصرة أمس ندد فيها المتظاهرون باغتيال ناشط."
    found = rasad.extract(text, PUB).to_dict()["events"]
    assert [e["event_type"] for e in found] == ["Protests"]


def test_the_sides_of_a_mentioned_incident_are_not_the_protest_s() -> None:
    text = ("وخرجت مظاهرات في مدينة البصرة أمس ندد فيها المتظاهرون باغتيال ناشط "
            "على يد مسلحين مجهولين.")
    found = rasad.extract(text, PUB).to_dict()["events"]
    assert "unidentified_armed_group" not in (found[0]["actor1"], found[0]["actor2"])


# ---------------------------------------------------------------- lexicon forms

def test_a_record_since_a_year_is_no_tally_period() -> None:
    text = ("قتل خمسة مدنيين في غارة على مدينة الموصل أمس، هي الأولى من نوعها منذ عام 2019.")
    assert len(violent_events(text)) == 1


def test_settlers_in_construct_state_are_an_actor() -> None:
    text = "هاجمت مجموعة من مستوطني مستوطنة يتسهار مزارعين في بلدة حوارة جنوب نابلس أمس."
    found = violent_events(text)
    assert len(found) == 1
    assert "israeli_settlers" in (found[0]["actor1"], found[0]["actor2"])


def test_present_tense_kill_in_a_headline_counts_the_dead() -> None:
    text = "انفجار عبوة ناسفة في سوق شعبي بمدينة الموصل يقتل 12 شخصا."
    found = violent_events(text)
    assert [e["fatalities"] for e in found] == [12]


def test_we_lost_counts_a_force_s_own_dead() -> None:
    text = "وقال بيان للجيش: فقدنا ثلاثة من جنودنا خلال اشتباك مع مسلحين قرب مدينة الموصل أمس."
    found = violent_events(text)
    assert [e["fatalities"] for e in found] == [3]


def test_the_worst_bombing_since_is_no_tally_period() -> None:
    text = ("قتل سبعة أشخاص في تفجير سيارة مفخخة في مدينة الموصل أمس، في أعنف هجوم منذ "
            "انتهاء الحرب.")
    assert [e["fatalities"] for e in violent_events(text)] == [7]


# ---------------------------------------------------------------- forms that read both ways

def test_bare_kidnapping_noun_after_a_noun_is_a_mention() -> None:
    text = "وتحدث التقرير عن حملة خطف يقودها الجيش العراقي في مدينة الموصل."
    assert violent_events(text) == []


def test_kidnapped_with_an_ending_is_a_verb() -> None:
    text = "وقالت مصادر إن مجهولين خطفوا مهندسا في مدينة الموصل صباح أمس."
    assert len(violent_events(text)) == 1


def test_bare_form_followed_by_a_preposition_is_a_passive_verb() -> None:
    text = "وذكر شهود أن تاجرا خطف من متجره في مدينة الموصل مساء أمس."
    assert len(violent_events(text)) == 1


def test_a_film_about_a_kidnapping_is_no_incident() -> None:
    text = "ويظهر في الفيلم مسلحون اختطفوا صحفيا عراقيا في مدينة بغداد أمس."
    assert violent_events(text) == []


def test_nouns_joined_by_wa_stay_nouns() -> None:
    text = "واتهم الجيش العراقي في مدينة الموصل الخلية بعمليات قتل وخطف."
    assert violent_events(text) == []


def test_a_killing_told_before_a_trial_word_is_reported() -> None:
    text = "وداهمت الشرطة العراقية منزلا في مدينة الموصل أمس وقتلت ثلاثة مطلوبين متهمين بالتفجير."
    assert len(violent_events(text)) == 1
