"""Dates and tally periods in Arabic sentences, resolved against a fixed publication day.

The sentences are written for these tests. Publication is Tuesday 27 December 2022 unless a
row says otherwise. Each row lists every date the sentence holds as (span as written, day,
precision, relative); spans are compared after normalisation.
"""
from __future__ import annotations

import datetime
import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasad.dates import DateMatch, PeriodMatch, find_dates, find_periods, hijri_to_gregorian
from rasad.errors import InputError
from rasad.text.normalize import normalize, normalize_key

D = datetime.date
TUE = D(2022, 12, 27)

DateRow = tuple[str, datetime.date | None, int, bool]
PeriodRow = tuple[str, datetime.date | None, datetime.date | None]

DATE_CASES: list[tuple[str, datetime.date | None, list[DateRow]]] = [
    # publication-relative days
    ("قتل عنصران فجر اليوم", TUE, [("فجر اليوم", TUE, 1, True)]),
    ("وقع الهجوم اليوم في الرقة", TUE, [("اليوم", TUE, 1, True)]),
    ("أعلنت الإدارة حظر التجوال مساء أمس", TUE, [("مساء أمس", D(2022, 12, 26), 1, True)]),
    ("قصفت الطائرات القرية ليلة أمس", TUE, [("ليلة أمس", D(2022, 12, 26), 1, True)]),
    ("اندلعت الاشتباكات أمس", TUE, [("أمس", D(2022, 12, 26), 1, True)]),
    ("وأمس قُتل شاب", TUE, [("وأمس", D(2022, 12, 26), 1, True)]),
    ("وقع الانفجار بالأمس", TUE, [("بالأمس", D(2022, 12, 26), 1, True)]),
    ("هاجم مسلحون الحاجز أول أمس", TUE, [("أول أمس", D(2022, 12, 25), 1, True)]),
    ("هاجم مسلحون الحاجز أول من أمس", TUE, [("أول من أمس", D(2022, 12, 25), 1, True)]),
    ("هاجم مسلحون الحاجز أمس الأول", TUE, [("أمس الأول", D(2022, 12, 25), 1, True)]),
    ("دوت انفجارات الليلة الماضية", TUE, [("الليلة الماضية", D(2022, 12, 26), 1, True)]),
    # the two names of a month with the slash lost are one date
    ("منذ آذار مارس 2019", TUE, [("آذار مارس 2019", D(2019, 3, 1), 3, False)]),
    # after midnight last night is already the day of publication
    ("قصف بعد منتصف الليلة الماضية", TUE,
     [("بعد منتصف الليلة الماضية", D(2022, 12, 27), 1, True)]),
    ("سقطت قذيفة صباح اليوم الثلاثاء", TUE, [("صباح اليوم الثلاثاء", TUE, 1, True)]),
    ("حتى اليوم لم يعرف مصيرهم", TUE, [("اليوم", TUE, 1, True)]),
    ("وفي اليوم التالي انسحبوا", TUE, []),
    ("في مثل هذا اليوم من عام 2011", TUE, [("عام 2011", D(2011, 1, 1), 3, False)]),
    ("منذ ذلك اليوم", TUE, []),
    ("أما اليوم الأكثر دموية فكان", TUE, []),
    ("يقع خامس هجوم", TUE, []),  # "امس" inside خامس
    # weekdays: latest on or before publication; الماضي strictly before
    ("هاجم مسلحون القرية يوم الاثنين", TUE, [("يوم الاثنين", D(2022, 12, 26), 1, True)]),
    ("هاجم مسلحون القرية الاثنين", TUE, [("الاثنين", D(2022, 12, 26), 1, True)]),
    ("وقع الهجوم يوم الإثنين الماضي", TUE, [("يوم الإثنين الماضي", D(2022, 12, 26), 1, True)]),
    ("وقع الهجوم الاثنين الفائت", TUE, [("الاثنين الفائت", D(2022, 12, 26), 1, True)]),
    ("وقع الهجوم يوم الثلاثاء", TUE, [("يوم الثلاثاء", TUE, 1, True)]),
    ("وقع الهجوم الثلاثاء الماضي", TUE, [("الثلاثاء الماضي", D(2022, 12, 20), 1, True)]),
    ("قصفت المدفعية القرية فجر الأحد", TUE, [("فجر الأحد", D(2022, 12, 25), 1, True)]),
    ("وقع الهجوم مساء الجمعة", TUE, [("مساء الجمعة", D(2022, 12, 23), 1, True)]),
    ("والسبت قتل جندي", TUE, [("والسبت", D(2022, 12, 24), 1, True)]),
    ("وقع الهجوم الأربعاء", TUE, [("الأربعاء", D(2022, 12, 21), 1, True)]),
    ("يعقد الاجتماع الخميس المقبل", TUE, [("الخميس المقبل", D(2022, 12, 29), 1, True)]),
    ("عصر اليوم الاثنين", D(2022, 12, 26), [("عصر اليوم الاثنين", D(2022, 12, 26), 1, True)]),
    ("يوم الاثنين 26 كانون الأول", TUE, [("يوم الاثنين 26 كانون الأول", D(2022, 12, 26), 1, True)]),
    # explicit days in the three month-name families
    ("في 26 كانون الأول 2022", TUE, [("26 كانون الأول 2022", D(2022, 12, 26), 1, False)]),
    ("في 26 ديسمبر/كانون الأول 2022", TUE,
     [("26 ديسمبر/كانون الأول 2022", D(2022, 12, 26), 1, False)]),
    ("في 26 كانون الأول (ديسمبر) 2022", TUE,
     [("26 كانون الأول (ديسمبر) 2022", D(2022, 12, 26), 1, False)]),
    ("في الـ26 من ديسمبر", TUE, [("الـ26 من ديسمبر", D(2022, 12, 26), 1, True)]),
    ("في 28 ديسمبر", TUE, [("28 ديسمبر", D(2021, 12, 28), 1, True)]),
    ("في 3 جانفي 2021", TUE, [("3 جانفي 2021", D(2021, 1, 3), 1, False)]),
    ("في 14 شباط", TUE, [("14 شباط", D(2022, 2, 14), 1, True)]),
    ("يوم 5 فيفري 2019", TUE, [("5 فيفري 2019", D(2019, 2, 5), 1, False)]),
    ("في 9 آذار 2020", TUE, [("9 آذار 2020", D(2020, 3, 9), 1, False)]),
    ("في 9 مارس 2020", TUE, [("9 مارس 2020", D(2020, 3, 9), 1, False)]),
    ("في 1 نيسان 2020", TUE, [("1 نيسان 2020", D(2020, 4, 1), 1, False)]),
    ("في 2 أفريل 2020", TUE, [("2 أفريل 2020", D(2020, 4, 2), 1, False)]),
    ("في 3 أيار 2020", TUE, [("3 أيار 2020", D(2020, 5, 3), 1, False)]),
    ("في 4 ماي 2020", TUE, [("4 ماي 2020", D(2020, 5, 4), 1, False)]),
    ("في 5 حزيران 2020", TUE, [("5 حزيران 2020", D(2020, 6, 5), 1, False)]),
    ("في 6 جوان 2020", TUE, [("6 جوان 2020", D(2020, 6, 6), 1, False)]),
    ("في 7 تموز 2020", TUE, [("7 تموز 2020", D(2020, 7, 7), 1, False)]),
    ("في 8 جويلية 2020", TUE, [("8 جويلية 2020", D(2020, 7, 8), 1, False)]),
    ("في 9 آب 2020", TUE, [("9 آب 2020", D(2020, 8, 9), 1, False)]),
    ("في 10 أوت 2020", TUE, [("10 أوت 2020", D(2020, 8, 10), 1, False)]),
    ("في 11 أيلول 2020", TUE, [("11 أيلول 2020", D(2020, 9, 11), 1, False)]),
    ("في 12 تشرين الأول 2020", TUE, [("12 تشرين الأول 2020", D(2020, 10, 12), 1, False)]),
    ("في 13 تشرين الثاني 2020", TUE, [("13 تشرين الثاني 2020", D(2020, 11, 13), 1, False)]),
    ("في 14 كانون الثاني 2020", TUE, [("14 كانون الثاني 2020", D(2020, 1, 14), 1, False)]),
    ("منذ 15 آذار/ مارس الماضي", TUE, [("15 آذار/ مارس الماضي", D(2022, 3, 15), 1, True)]),
    ("في الأول من ديسمبر", TUE, [("الأول من ديسمبر", D(2022, 12, 1), 1, True)]),
    ("في 20 من الشهر الجاري", TUE, [("20 من الشهر الجاري", D(2022, 12, 20), 1, True)]),
    # months and years
    ("في أكتوبر 2017", TUE, [("أكتوبر 2017", D(2017, 10, 1), 3, False)]),
    ("خلال شهر تشرين الثاني", TUE, [("شهر تشرين الثاني", D(2022, 11, 1), 3, True)]),
    ("منذ مطلع شهر كانون الأول الجاري", TUE, [("شهر كانون الأول الجاري", D(2022, 12, 1), 3, True)]),
    ("في مارس الماضي", TUE, [("مارس الماضي", D(2022, 3, 1), 3, True)]),
    ("في شهر مارس", TUE, [("شهر مارس", D(2022, 3, 1), 3, True)]),
    ("مارس الجيش ضغوطا", TUE, []),
    ("زار أب وابنه المدينة", TUE, []),
    ("في عام 2019", TUE, [("عام 2019", D(2019, 1, 1), 3, False)]),
    ("الشهر الماضي", TUE, [("الشهر الماضي", D(2022, 11, 1), 3, True)]),
    ("العام الماضي", TUE, [("العام الماضي", D(2021, 1, 1), 3, True)]),
    # numeric dates
    ("نشر في 2022.12.27 - 12:18", TUE, [("2022.12.27", TUE, 1, False)]),
    ("بتاريخ 27/12/2022", None, [("27/12/2022", TUE, 1, False)]),
    ("بتاريخ 2022-12-27", None, [("2022-12-27", TUE, 1, False)]),
    ("بتاريخ 27-12-2022", None, [("27-12-2022", TUE, 1, False)]),
    ("بتاريخ 12/27/2022", None, [("12/27/2022", TUE, 1, False)]),
    ("العدد 33/45/2022", None, []),
    # Hijri
    ("في 5 جمادى الأولى 1444 هـ", None, [("5 جمادى الأولى 1444 هـ", D(2022, 11, 29), 1, False)]),
    ("في 5 جمادى الأولى", TUE, [("5 جمادى الأولى", D(2022, 11, 29), 1, True)]),
    ("في 10 رمضان 1444", None, [("10 رمضان 1444", D(2023, 4, 1), 1, False)]),
    ("في 1444/5/5 هـ", None, [("1444/5/5 هـ", D(2022, 11, 29), 1, False)]),
    # a few days back
    ("قبل يومين", TUE, [("قبل يومين", D(2022, 12, 25), 1, True)]),
    ("قبل ثلاثة أيام", TUE, [("قبل ثلاثة أيام", D(2022, 12, 24), 1, True)]),
    ("منذ أيام", TUE, [("منذ أيام", D(2022, 12, 24), 2, True)]),
    ("الأسبوع الماضي", TUE, [("الأسبوع الماضي", D(2022, 12, 20), 2, True)]),
    # no publication date: relative expressions stay unresolved, absolute ones do not
    ("مساء أمس", None, [("مساء أمس", None, 1, True)]),
    ("يوم الاثنين", None, [("يوم الاثنين", None, 1, True)]),
    ("في 26 ديسمبر", None, [("26 ديسمبر", None, 1, True)]),
    ("في 26 ديسمبر 2022", None, [("26 ديسمبر 2022", D(2022, 12, 26), 1, False)]),
]


def _rows(sentence: str, published: datetime.date | None) -> list[tuple]:
    text = normalize(sentence).text
    return [(text[m.start:m.end], m.date, m.precision, m.relative)
            for m in find_dates(text, published)]


@pytest.mark.parametrize(("sentence", "published", "expected"), DATE_CASES,
                         ids=[c[0] for c in DATE_CASES])
def test_dates_in_sentence(sentence: str, published: datetime.date | None,
                           expected: list[tuple]) -> None:
    want = [(normalize_key(span), day, precision, relative)
            for span, day, precision, relative in expected]
    assert _rows(sentence, published) == want


PERIOD_CASES: list[tuple[str, datetime.date | None, list[PeriodRow]]] = [
    ("قتل 50 شخصا منذ مطلع العام", TUE, [("منذ مطلع العام", D(2022, 1, 1), TUE)]),
    ("منذ بداية العام", TUE, [("منذ بداية العام", D(2022, 1, 1), TUE)]),
    ("منذ مطلع العام 2021", TUE, [("منذ مطلع العام 2021", D(2021, 1, 1), TUE)]),
    ("منذ مطلع العام الجاري", TUE, [("منذ مطلع العام الجاري", D(2022, 1, 1), TUE)]),
    ("منذ مطلع الشهر الجاري", TUE, [("منذ مطلع الشهر الجاري", D(2022, 12, 1), TUE)]),
    ("منذ بداية الشهر", TUE, [("منذ بداية الشهر", D(2022, 12, 1), TUE)]),
    ("ومنذ مطلع شهر كانون الأول الجاري", TUE,
     [("منذ مطلع شهر كانون الأول الجاري", D(2022, 12, 1), TUE)]),
    ("منذ مطلع شهر تشرين الثاني", TUE, [("منذ مطلع شهر تشرين الثاني", D(2022, 11, 1), TUE)]),
    ("خلال الشهر الماضي", TUE, [("خلال الشهر الماضي", D(2022, 11, 1), D(2022, 11, 30))]),
    ("خلال الشهر الجاري", TUE, [("خلال الشهر الجاري", D(2022, 12, 1), TUE)]),
    ("خلال شهر تشرين الثاني", TUE, [("خلال شهر تشرين الثاني", D(2022, 11, 1), D(2022, 11, 30))]),
    ("خلال شهر فبراير 2020", TUE, [("خلال شهر فبراير 2020", D(2020, 2, 1), D(2020, 2, 29))]),
    ("خلال الأسبوع الماضي", TUE, [("خلال الأسبوع الماضي", D(2022, 12, 20), D(2022, 12, 26))]),
    ("منذ بداية الحرب", TUE, [("منذ بداية الحرب", None, TUE)]),
    ("منذ اندلاع الاحتجاجات", TUE, [("منذ اندلاع الاحتجاجات", None, TUE)]),
    ("في عام 2022", TUE, [("في عام 2022", D(2022, 1, 1), D(2022, 12, 31))]),
    ("خلال العام 2021", TUE, [("خلال العام 2021", D(2021, 1, 1), D(2021, 12, 31))]),
    ("خلال العام الماضي", TUE, [("خلال العام الماضي", D(2021, 1, 1), D(2021, 12, 31))]),
    ("خلال هذا العام", TUE, [("خلال هذا العام", D(2022, 1, 1), TUE)]),
    ("منذ 5 أكتوبر", TUE, [("منذ 5 أكتوبر", D(2022, 10, 5), TUE)]),
    ("منذ الخميس", TUE, [("منذ الخميس", D(2022, 12, 22), TUE)]),
    ("خلال الـ24 ساعة الماضية", TUE, [("خلال الـ24 ساعة الماضية", D(2022, 12, 26), TUE)]),
    ("في أكتوبر 2017", TUE, [("في أكتوبر 2017", D(2017, 10, 1), D(2017, 10, 31))]),
    ("حصيلة شهرية", TUE, []),
    ("قتل في 26 ديسمبر", TUE, []),
    ("منذ مطلع العام", None, [("منذ مطلع العام", None, None)]),
    ("منذ مطلع العام 2022", None, [("منذ مطلع العام 2022", D(2022, 1, 1), None)]),
]


@pytest.mark.parametrize(("sentence", "published", "expected"), PERIOD_CASES,
                         ids=[c[0] for c in PERIOD_CASES])
def test_periods_in_sentence(sentence: str, published: datetime.date | None,
                             expected: list[tuple]) -> None:
    text = normalize(sentence).text
    got = [(text[p.start:p.end], p.period_start, p.period_end)
           for p in find_periods(text, published)]
    assert got == [(normalize_key(span), a, b) for span, a, b in expected]


def test_there_are_at_least_forty_cases() -> None:
    assert len(DATE_CASES) + len(PERIOD_CASES) >= 40


@pytest.mark.parametrize(("hijri", "gregorian"), [
    ((1444, 5, 5), D(2022, 11, 29)),
    ((1444, 9, 1), D(2023, 3, 23)),
    ((1445, 1, 1), D(2023, 7, 19)),
])
def test_hijri_to_gregorian(hijri: tuple[int, int, int], gregorian: datetime.date) -> None:
    assert hijri_to_gregorian(*hijri) == gregorian


@pytest.mark.parametrize("hijri", [(1444, 13, 1), (1700, 1, 1), (1444, 1, 31)])
def test_impossible_hijri_date_is_an_input_error(hijri: tuple[int, int, int]) -> None:
    with pytest.raises(InputError, match="Hijri date"):
        hijri_to_gregorian(*hijri)


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2030, 12, 31)), st.integers(0, 6))
def test_weekday_is_latest_on_or_before_publication(published: datetime.date, weekday: int) -> None:
    names = ["الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت", "الاحد"]
    day = find_dates("يوم " + names[weekday], published)[0].date
    assert day is not None and day.weekday() == weekday
    assert datetime.timedelta(0) <= published - day < datetime.timedelta(days=7)


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=D(2000, 3, 1), max_value=D(2030, 12, 31)),
       st.integers(1, 12), st.integers(1, 28))
def test_day_without_year_is_latest_on_or_before_publication(published: datetime.date,
                                                            month: int, day: int) -> None:
    names = ["يناير", "فبراير", "مارس", "ابريل", "مايو", "يونيو", "يوليو", "اغسطس",
             "سبتمبر", "اكتوبر", "نوفمبر", "ديسمبر"]
    found = find_dates(f"في {day} {names[month - 1]}", published)[0].date
    assert found is not None and (found.month, found.day) == (month, day)
    assert datetime.timedelta(0) <= published - found < datetime.timedelta(days=366)


def test_window_limits_the_search() -> None:
    text = normalize_key("قتل جندي امس وأصيب اخر يوم الاحد")
    cut = text.index("واصيب")
    assert [text[m.start:m.end] for m in find_dates(text, TUE, 0, cut)] == ["امس"]
    assert [text[m.start:m.end] for m in find_dates(text, TUE, cut)] == ["يوم الاحد"]


def test_matches_pickle() -> None:
    date = find_dates(normalize_key("مساء أمس"), TUE)[0]
    period = find_periods(normalize_key("منذ مطلع العام"), TUE)[0]
    assert isinstance(date, DateMatch) and isinstance(period, PeriodMatch)
    assert pickle.loads(pickle.dumps(date)) == date
    assert pickle.loads(pickle.dumps(period)) == period


SEED = Path(__file__).resolve().parents[2] / "shared" / "seed_article.txt"


@pytest.mark.skipif(not SEED.exists(), reason="shared seed article not present")
def test_reference_article_dates_and_periods() -> None:
    text = normalize(SEED.read_text(encoding="utf-8")).text
    dates = {text[m.start:m.end]: m.date for m in find_dates(text, TUE)}
    assert dates["مساء امس"] == D(2022, 12, 26)
    assert dates["2022.12.27"] == TUE
    periods = [(p.period_start, p.period_end) for p in find_periods(text, TUE)]
    assert periods == [(D(2022, 12, 1), TUE), (D(2022, 1, 1), TUE)]
