"""The text layer: folding, offsets back to the original, sentences and clitics."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasad.text import normalize, normalize_key
from rasad.text.segment import sentences, tokens, word_keys


@pytest.mark.parametrize("raw, folded", [
    ("قُتِلَ", "قتل"),                      # diacritics
    ("الـرقـة", "الرقه"),                    # tatweel, ta marbuta
    ("إصابة أحد", "اصابه احد"),             # hamza on alef
    ("آخر", "اخر"),
    ("مستشفى", "مستشفي"),                   # alef maqsura
    ("مسؤول", "مسوول"),                     # hamza on waw
    ("رئيس", "رييس"),                       # hamza on ya
    ("٢٠٢٢", "2022"),                       # Arabic-Indic digits
    ("۱۴", "14"),                           # Persian digits
    ("قتلى، جرحى؛ لماذا؟", "قتلي, جرحي; لماذا?"),
    ("«داعش»", '"داعش"'),
    ("د ا ع ش", "داعش"),                    # letters spaced out
    ("داعـ.ـش", "داعش"),                    # a dot inside the word
    ("ق س د", "قسد"),
])
def test_fold(raw: str, folded: str) -> None:
    assert normalize(raw).text == folded


def test_full_stop_without_space_before_a_clause_still_ends_the_sentence() -> None:
    folded = normalize("أعلنت القيادة حظر التجوال في المدينة.وقال المتحدث إن").text
    assert "المدينه.وقال" in folded


def test_single_letter_conjunction_is_not_joined() -> None:
    assert normalize("و في البلدة").text == "و في البلده"


@pytest.mark.parametrize(("raw", "folded", "original"), [
    ("هاجم تنظيم “د ا ع ش” الحاجز", "داعش", "د ا ع ش"),       # spaced-out letters
    ("مَقْتَلُ ستةٍ", "سته", "ستة"),                            # dropped diacritics
    ("هاجم دَاعِ.ش الحاجز", "داعش", "دَاعِ.ش"),                # a mark inside, and diacritics
    ("هاجم دَاعِ.ش الحاجز", "الحاجز", "الحاجز"),              # and the text after them
])
def test_a_folded_span_maps_back_to_its_original_characters(raw: str, folded: str,
                                                              original: str) -> None:
    nt = normalize(raw)
    start = nt.text.index(folded)
    assert nt.original_text(start, start + len(folded)) == original


@given(st.text(alphabet="ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآةىؤئ ـًٌٍَُِّْ.٠١٢3 \n", max_size=60))
def test_offsets_are_monotonic_and_inside(raw: str) -> None:
    nt = normalize(raw)
    assert len(nt.offsets) == len(nt.text) + 1
    assert list(nt.offsets) == sorted(nt.offsets)
    assert all(0 <= o <= len(raw) for o in nt.offsets)


@given(st.text(alphabet="داعشقتلةى ـًٌَُّْ._•\u200c", max_size=60))
def test_every_folded_character_comes_from_the_original_it_points_at(raw: str) -> None:
    nt = normalize(raw)
    assert nt.offsets[len(nt.text)] == len(raw)
    for i, ch in enumerate(nt.text):
        assert normalize(raw[nt.offsets[i]]).text == ch


@given(st.text(alphabet="ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآةىؤئ ـًٌٍَُِّْ٠١", max_size=40))
def test_normalisation_is_idempotent(raw: str) -> None:
    once = normalize(raw).text
    assert normalize(once).text == once


@pytest.mark.parametrize("word, key", [
    ("وأسفرت", "اسفرت"),
    ("بالرقة", "رقه"),
    ("والحسكة", "حسكه"),
    ("للقوات", "قوات"),
    ("لقسد", "قسد"),
    ("فالتنظيم", "تنظيم"),
    ("كالعادة", "عاده"),
])
def test_proclitics_are_split_for_lookup(word: str, key: str) -> None:
    assert key in word_keys(normalize(word).text)


def test_word_itself_stays_a_reading() -> None:
    assert "وزاره" in word_keys("وزاره")


def test_spaced_clitic_form_tokenises() -> None:
    toks = [t.text for t in tokens(normalize("التابعة لـ قسد").text)]
    assert toks == ["التابعه", "ل", "قسد"]


def test_sentences_split_at_stops_and_lines_not_inside_dates() -> None:
    text = normalize("وقع الهجوم في 2022.12.27 صباحا. وقتل اثنان\nسطر جديد").text
    parts = [s.text.strip() for s in sentences(text)]
    assert parts == ["وقع الهجوم في 2022.12.27 صباحا", "وقتل اثنان", "سطر جديد"]


def test_normalize_key_collapses_spaces() -> None:
    assert normalize_key("  حظر   التجوال ") == "حظر التجوال"


def test_hyphenated_place_names_stay_two_words() -> None:
    assert normalize("الصرفند-البيسارية").text == "الصرفند-البيساريه"


def test_sentence_tokens_are_numbered_from_zero_in_each_sentence() -> None:
    text = normalize("قتل ثلاثة في 2022.12.27 صباحا. وأصيب اثنان\nسطر جديد 5.").text
    for sent in sentences(text):
        toks = tokens(text, sent.start, sent.end)
        assert [t.index for t in toks] == list(range(len(toks)))


_TEXTS = st.lists(st.sampled_from(["قتل", "جنديان", "2022.12.27", "3.5", " ", ".", "\n",
                                   "!", "abc", "،", "؟"]), max_size=30).map("".join)


@given(_TEXTS)
def test_sentence_tokens_and_ranges_agree_with_a_fresh_tokenization(text: str) -> None:
    """Tokens of any range (a sentence or not) equal a fresh scan of that range."""
    from rasad.text.segment import _tokens

    bounds = [(s.start, s.end) for s in sentences(text)] + [(0, len(text) // 2),
                                                            (len(text) // 3, len(text))]
    for start, end in bounds:
        assert tokens(text, start, end) == _tokens(text, start, end)
