"""The lexicon phrase matcher: clitics, stems, longest match, and its word cache."""
from __future__ import annotations

from rasad.detect.matcher import PhraseMatcher
from rasad.text.normalize import normalize, normalize_key
from rasad.text.segment import tokens

# lexicon files hold normalised phrases, as the lexicon loader gives them
ENTRIES = [(normalize_key(phrase), value) for phrase, value in [
    ("غارة", "strike"), ("غارة جوية", "air strike"), ("اشتباك*", "clash"),
    ("إطلاق النار", "shooting"), ("النار", "fire")]]


def phrases(matcher: PhraseMatcher[str], sentence: str, overlapping: bool = False) -> list[str]:
    text = normalize(sentence).text
    return [m.value for m in matcher.find_all(tokens(text), overlapping=overlapping)]


def test_a_word_with_proclitics_matches_its_entry() -> None:
    assert phrases(PhraseMatcher(ENTRIES), "قتل ثلاثة بالغارة على القرية") == ["strike"]


def test_a_starred_entry_matches_any_ending() -> None:
    assert phrases(PhraseMatcher(ENTRIES), "اندلعت اشتباكات عنيفة") == ["clash"]


def test_the_longest_entry_at_a_word_wins() -> None:
    assert phrases(PhraseMatcher(ENTRIES), "شنت الطائرات غارة جوية على المدينة") == ["air strike"]


def test_a_later_word_inside_a_match_starts_no_match() -> None:
    assert phrases(PhraseMatcher(ENTRIES), "وقع إطلاق النار قرب الحاجز") == ["shooting"]


def test_overlapping_matches_are_kept_when_asked() -> None:
    found = phrases(PhraseMatcher(ENTRIES), "وقع إطلاق النار قرب الحاجز", overlapping=True)
    assert found == ["shooting", "fire"]


def test_a_sentence_without_entry_words_matches_nothing_on_the_second_read() -> None:
    matcher = PhraseMatcher(ENTRIES)
    sentence = "وصل الوفد إلى العاصمة صباح اليوم"
    assert phrases(matcher, sentence) == []
    assert phrases(matcher, sentence) == []      # now answered from the word sets


def test_a_full_word_cache_gives_the_same_matches() -> None:
    first = "بعد اشتباكات قرب الحاجز شنت الطائرات غارة جوية وتبادلوا إطلاق النار"
    second = "قتل ثلاثة بالغارة على القرية"
    roomy = PhraseMatcher(ENTRIES)
    full = PhraseMatcher(ENTRIES)
    full.cache_limit = 3           # fills up within every sentence
    for sentence in (first, second, first):
        assert phrases(full, sentence) == phrases(roomy, sentence)
    assert phrases(full, first) == ["clash", "air strike", "shooting"]
