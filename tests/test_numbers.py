"""Counts in Arabic sentences: values, basis, qualifiers and exact spans.

The sentences are written for these tests. Each row lists every count the sentence holds,
as (span as written, value, basis, qualifier, kind, noun); spans and qualifiers are compared
after normalisation, as ``find_numbers`` works on normalised text.
"""
from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasad.numbers import NumberMatch, find_numbers, parse_number
from rasad.text.normalize import normalize, normalize_key

R, E = "reported", "estimated"

CASES: list[tuple[str, list[tuple[str, int, str, str | None, str, str | None]]]] = [
    # digits
    ("قُتل 6 عناصر في الهجوم", [("6", 6, R, None, "digits", None)]),
    ("أصيب ١٢ شخصاً بجروح", [("12", 12, R, None, "digits", None)]),
    ("نزح 1,200 شخص من القرية", [("1,200", 1200, R, None, "digits", None)]),
    ("نزح 1.500 شخص من القرية", [("1.500", 1500, R, None, "digits", None)]),
    ("ارتفع العدد إلى 3 آلاف نازح", [("3 آلاف", 3000, R, None, "digits", None)]),
    ("بلغ عدد النازحين 2 مليون", [("2 مليون", 2000000, R, None, "digits", None)]),
    ("وصل العدد إلى 2.5 مليون", [("2.5 مليون", 2500000, R, None, "digits", None)]),
    ("أصيب 10 أشخاص، و3 بحالة خطرة", [("10", 10, R, None, "digits", None),
                                       ("3", 3, R, None, "digits", None)]),
    ("بلغت حصيلة القتلى148 قتيلا", [("148", 148, R, None, "digits", None)]),
    # digits that are not counts
    ("نشر في 2022.12.27 - 12:18", []),
    ("وقع الهجوم في 26 ديسمبر الماضي", []),
    ("وقع الهجوم في الـ26 من كانون الأول", []),
    ("منذ مطلع العام 2022", []),
    ("في كانون الأول 2022 تصاعدت الهجمات", []),
    ("عند الساعة 10 صباحا", []),
    ("ارتفعت الأسعار 50% هذا الشهر", []),
    ("بتاريخ 27/12/2022 و 2022-12-27", []),
    ("في كانون الثاني/يناير ألفين واثنين اقتحموا السجن", []),
    # number words, both genders, cases and compounds
    ("قُتل ثلاثة عناصر", [("ثلاثة", 3, R, None, "words", None)]),
    ("قُتلت ثلاث نساء", [("ثلاث", 3, R, None, "words", None)]),
    ("قُتل ثلاثون مدنياً", [("ثلاثون", 30, R, None, "words", None)]),
    ("قتل المسلحون ثلاثين مدنياً", [("ثلاثين", 30, R, None, "words", None)]),
    ("قُتل عشرة جنود", [("عشرة", 10, R, None, "words", None)]),
    ("قُتلت عشر نساء", [("عشر", 10, R, None, "words", None)]),
    ("مقتل أحد عشر جندياً", [("أحد عشر", 11, R, None, "words", None)]),
    ("مقتل اثني عشر مقاتلاً", [("اثني عشر", 12, R, None, "words", None)]),
    ("قُتل اثنا عشر مقاتلاً", [("اثنا عشر", 12, R, None, "words", None)]),
    ("مقتل إحدى عشرة امرأة", [("إحدى عشرة", 11, R, None, "words", None)]),
    ("مقتل خمسة عشر شخصاً", [("خمسة عشر", 15, R, None, "words", None)]),
    ("قُتل ثلاثة وعشرون شخصاً", [("ثلاثة وعشرون", 23, R, None, "words", None)]),
    ("مقتل ثمانية وأربعين مسلحاً", [("ثمانية وأربعين", 48, R, None, "words", None)]),
    ("مقتل مئة وخمسين شخصاً", [("مئة وخمسين", 150, R, None, "words", None)]),
    ("مقتل مائة شخص", [("مائة", 100, R, None, "words", None)]),
    ("نزوح مئتي عائلة", [("مئتي", 200, R, None, "words", None)]),
    ("نزحت مئتان وخمس عائلات", [("مئتان وخمس", 205, R, None, "words", None)]),
    ("نزوح ثلاثمئة عائلة", [("ثلاثمئة", 300, R, None, "words", None)]),
    ("نزوح ثلاث مئة عائلة", [("ثلاث مئة", 300, R, None, "words", None)]),
    ("نزوح خمسمائة وعشرين عائلة", [("خمسمائة وعشرين", 520, R, None, "words", None)]),
    ("نزوح ألف ومئتي شخص", [("ألف ومئتي", 1200, R, None, "words", None)]),
    ("نزوح ألفين من السكان", [("ألفين", 2000, R, None, "words", None)]),
    ("نزوح ألفي شخص", [("ألفي", 2000, R, None, "words", None)]),
    ("نزوح ثلاثة آلاف شخص", [("ثلاثة آلاف", 3000, R, None, "words", None)]),
    ("نزوح خمسة وعشرين ألفاً", [("خمسة وعشرين ألفاً", 25000, R, None, "words", None)]),
    ("نزوح مئة ألف شخص", [("مئة ألف", 100000, R, None, "words", None)]),
    ("نزوح ثلاثمئة وخمسين ألف شخص", [("ثلاثمئة وخمسين ألف", 350000, R, None, "words", None)]),
    # lists: proclitic و on a new number
    ("مقتل أربعة عناصر من الجيش واثنين من المهاجمين",
     [("أربعة", 4, R, None, "words", None), ("اثنين", 2, R, None, "words", None)]),
    ("مقتل خمسة جنود وثلاثة مدنيين",
     [("خمسة", 5, R, None, "words", None), ("ثلاثة", 3, R, None, "words", None)]),
    ("قتل 6 من قسد و93 من القوات الأخرى",
     [("6", 6, R, None, "digits", None), ("93", 93, R, None, "digits", None)]),
    # qualifiers
    ("يضم السجن نحو 200 عنصر", [("نحو 200", 200, R, "نحو", "digits", None)]),
    ("قتل قرابة مئة شخص", [("قرابة مئة", 100, R, "قرابه", "words", None)]),
    ("مقتل أكثر من عشرين شخصاً", [("أكثر من عشرين", 20, R, "اكثر من", "words", None)]),
    ("مقتل ما لا يقل عن 15 مدنياً", [("ما لا يقل عن 15", 15, R, "ما لا يقل عن", "digits", None)]),
    ("أصيب حوالي 30 شخصاً", [("حوالي 30", 30, R, "حوالي", "digits", None)]),
    ("نزوح زهاء ألفي شخص", [("زهاء ألفي", 2000, R, "زهاء", "words", None)]),
    ("مقتل ما يقارب 40 شخصاً", [("ما يقارب 40", 40, R, "ما يقارب", "digits", None)]),
    ("مقتل ما يزيد عن خمسين", [("ما يزيد عن خمسين", 50, R, "ما يزيد عن", "words", None)]),
    ("قُتل أقل من عشرة", [("أقل من عشرة", 10, R, "اقل من", "words", None)]),
    ("قُتل بنحو 12 شخصاً", [("نحو 12", 12, R, "نحو", "digits", None)]),
    ("مقتل 5 على الأقل", [("5 على الأقل", 5, R, "علي الاقل", "digits", None)]),
    # duals
    ("أسفرت الاشتباكات عن مقتل عنصرين", [("عنصرين", 2, R, None, "dual", "عنصر")]),
    ("قُتل عنصران من الشرطة", [("عنصران", 2, R, None, "dual", "عنصر")]),
    ("مقتل جنديين وإصابة ثالث", [("جنديين", 2, R, None, "dual", "جندي")]),
    ("بينهم سيدتان", [("سيدتان", 2, R, None, "dual", "سيده")]),
    ("استشهاد امرأتين", [("امرأتين", 2, R, None, "dual", "امراه")]),
    ("مقتل طفلين بقصف", [("طفلين", 2, R, None, "dual", "طفل")]),
    ("إصابة شخصين بجروح", [("شخصين", 2, R, None, "dual", "شخص")]),
    ("مقتل عنصرين اثنين", [("عنصرين اثنين", 2, R, None, "dual", "عنصر")]),
    ("سقوط قتيلين", [("قتيلين", 2, R, None, "dual", "قتيل")]),
    ("مقتل مدنيين في القصف", []),  # a plural, not a dual
    ("مقتل مقاتلين من الفصيل", []),
    # singulars
    ("بينهم سيدتان وطفل", [("سيدتان", 2, R, None, "dual", "سيده"),
                           ("طفل", 1, R, None, "singular", "طفل")]),
    ("مقتل عنصرين، واعتقال آخر", [("عنصرين", 2, R, None, "dual", "عنصر"),
                                   ("اعتقال آخر", 1, R, None, "singular", None)]),
    ("مقتل جندي وإصابة آخر", [("جندي", 1, R, None, "singular", "جندي"),
                              ("إصابة آخر", 1, R, None, "singular", None)]),
    ("مقتل طفل برصاص قناص", [("طفل", 1, R, None, "singular", "طفل")]),
    ("ومدنيين، وقيادي في التنظيم", [("قيادي", 1, R, None, "singular", "قيادي")]),
    ("وامرأة أخرى", [("امرأة أخرى", 1, R, None, "singular", "امراه")]),
    ("اعتقال شاب واحد", [("شاب واحد", 1, R, None, "singular", "شاب")]),
    ("مقتل شخص واحد على الأقل", [("شخص واحد على الأقل", 1, R, "علي الاقل", "singular", "شخص")]),
    ("القبض على شخص", [("شخص", 1, R, None, "singular", "شخص")]),
    ("حتى إشعار آخر", []),
    ("في وقت آخر", []),
    ("تعاون أمني وعسكري", []),
    ("وطالب المتحدث بالإفراج عنهم", []),
    ("مقتل أحد العناصر", [("أحد", 1, R, None, "words", None)]),
    ("لا أحد يعرف", []),
    # vague quantities (ACLED policy)
    ("قتل العشرات في القصف", [("العشرات", 10, E, None, "vague", None)]),
    ("قتل عشرات المدنيين", [("عشرات", 10, E, None, "vague", None)]),
    ("مقتل مئات الأشخاص", [("مئات", 100, E, None, "vague", None)]),
    ("نزوح آلاف العائلات", [("آلاف", 1000, E, None, "vague", None)]),
    ("نزوح عشرات الآلاف", [("عشرات الآلاف", 10000, E, None, "vague", None)]),
    ("نزوح مئات الآلاف", [("مئات الآلاف", 100000, E, None, "vague", None)]),
    ("اعتقال عدد من الشبان", [("عدد من", 3, E, None, "vague", None)]),
    ("اعتقال عدة أشخاص", [("عدة", 3, E, None, "vague", None)]),
    ("بضعة جنود", [("بضعة", 3, E, None, "vague", None)]),
    ("استشهد نحو عشرات", [("نحو عشرات", 10, E, "نحو", "vague", None)]),
    ("وصل إلى المكان بالعشرات", [("العشرات", 10, E, None, "vague", None)]),
    # ordinals, weekdays and look-alikes are not counts
    ("في اليوم الثالث من المعارك", []),
    ("قائد الفرقة العاشرة", []),
    ("يوم الثلاثاء الماضي", []),
    ("الذكرى المئوية", []),
    ("العشرية السوداء", []),
    ("في الساعة الثانية عشرة ظهرا", []),
    ("القرن العشرين", []),
    ("الجنود الثلاثة", []),
    ("قتل الجيش عشرة مسلحين في اليوم الحادي عشر", [("عشرة", 10, R, None, "words", None)]),
]


def _expected(sentence: str, rows: list[tuple]) -> list[tuple]:
    return [(normalize_key(span), value, basis, qualifier, kind, noun)
            for span, value, basis, qualifier, kind, noun in rows]


def _found(sentence: str) -> list[tuple]:
    text = normalize(sentence).text
    return [(text[m.start:m.end], m.value, m.basis, m.qualifier, m.kind, m.noun)
            for m in find_numbers(text)]


@pytest.mark.parametrize(("sentence", "rows"), CASES, ids=[c[0] for c in CASES])
def test_counts_in_sentence(sentence: str, rows: list[tuple]) -> None:
    assert _found(sentence) == _expected(sentence, rows)


def test_there_are_at_least_sixty_cases() -> None:
    assert len(CASES) >= 60


PHRASES = [
    ("ثلاثة وعشرون", 23), ("مئة وخمسون", 150), ("ألف ومئتان", 1200), ("ثلاثمئة", 300),
    ("ثلاثمائة", 300), ("ثلاث مئة", 300), ("عشرات الآلاف", 10000), ("اثنين", 2),
    ("تسعمائة وتسعة وتسعون ألفا وتسعمائة وتسعة وتسعون", 999999), ("وثلاثة", 3),
    ("مئتا ألف", 200000), ("عنصرين", 2), ("نحو عشرة", 10), ("ثلاثة جنود", None),
    ("لا شيء", None), ("ثلاثة أربعة", None), ("", None),
]


@pytest.mark.parametrize(("phrase", "value"), PHRASES)
def test_parse_number_of_whole_phrase(phrase: str, value: int | None) -> None:
    assert parse_number(phrase) == value


_UNITS = ["", "واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة"]
_TEENS = ["عشرة", "أحد عشر", "اثنا عشر"] + [_UNITS[u] + " عشر" for u in range(3, 10)]
_TENS = ["", "", "عشرون", "ثلاثون", "أربعون", "خمسون", "ستون", "سبعون", "ثمانون", "تسعون"]
_HUNDREDS = ["", "مئة", "مئتان"] + [s + "مئة" for s in
                                   ["ثلاث", "أربع", "خمس", "ست", "سبع", "ثمان", "تسع"]]


def _below_hundred(n: int) -> str:
    if n < 10:
        return _UNITS[n]
    if n < 20:
        return _TEENS[n - 10]
    unit, ten = n % 10, n // 10
    return f"{_UNITS[unit]} و{_TENS[ten]}" if unit else _TENS[ten]


def _below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    parts = [_HUNDREDS[hundreds]] if hundreds else []
    if rest:
        parts.append(_below_hundred(rest))
    return " و".join(parts)


def spell(n: int) -> str:
    """Arabic words for 1..999,999 (masculine, nominative), as a newspaper writes them."""
    thousands, rest = divmod(n, 1000)
    parts = []
    if thousands == 1:
        parts.append("ألف")
    elif thousands == 2:
        parts.append("ألفان")
    elif thousands:
        word = "آلاف" if 3 <= thousands % 100 <= 10 else "ألف"
        parts.append(f"{_below_thousand(thousands)} {word}")
    if rest:
        parts.append(_below_thousand(rest))
    return " و".join(parts)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=999_999))
def test_every_spelled_number_reads_back(n: int) -> None:
    assert parse_number(spell(n)) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=999_999))
def test_every_digit_count_reads_back(n: int) -> None:
    assert parse_number(str(n)) == n


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ثلاثةعشرونمئألفاتيد وبل0123456789.,:/-%", max_size=60))
def test_spans_are_ordered_disjoint_and_inside_the_window(text: str) -> None:
    window_start, window_end = len(text) // 4, len(text)
    matches = find_numbers(text, window_start, window_end)
    last = window_start
    for m in matches:
        assert last <= m.start < m.end <= window_end
        assert m.value > 0
        last = m.end


def test_window_limits_the_search() -> None:
    text = normalize_key("قتل خمسة جنود وأصيب عشرة آخرون")
    cut = text.index("واصيب")
    assert [m.value for m in find_numbers(text, 0, cut)] == [5]
    assert [m.value for m in find_numbers(text, cut)] == [10]


def test_matches_pickle() -> None:
    match = find_numbers(normalize_key("مقتل نحو عشرة"))[0]
    assert isinstance(match, NumberMatch)
    assert pickle.loads(pickle.dumps(match)) == match


SEED = Path(__file__).resolve().parents[2] / "shared" / "seed_article.txt"


@pytest.mark.skipif(not SEED.exists(), reason="shared seed article not present")
def test_reference_article_counts() -> None:
    text = normalize(SEED.read_text(encoding="utf-8")).text
    found = [(text[m.start:m.end], m.value, m.kind) for m in find_numbers(text)]
    assert ("عنصرين", 2, "dual") in found
    assert ("اعتقال اخر", 1, "singular") in found
    assert ("نحو 200", 200, "digits") in found
    assert ("سيدتان", 2, "dual") in found
    assert ("148", 148, "digits") in found
    assert not any(span.startswith("2022") or span == "12" for span, _, _ in found)
