"""The fast ways of cutting a sentence into words agree with the ``_TOKEN`` regex.

``find_numbers`` cuts a sentence of Arabic words and single spaces with ``str.split`` and
sums their lengths for the offsets; the date reader reuses those words. Both must give
exactly what the regexes give, or counts and dates would move.
"""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rasad import dates, numbers

CHARS = st.sampled_from(list("قتلاثنينعشرونمسيوه") + [" ", " ", " ", "  ", ".", ",", "3", "\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(CHARS, max_size=40).map("".join), st.integers(0, 3), st.integers(0, 3))
def test_plain_words_match_the_regex(body: str, lead: int, tail: int) -> None:
    text = "ab." + body + ".cd"
    start, end = min(3 + lead, len(text)), max(3 + lead, len(text) - tail)
    plain = numbers._plain_words(text, start, end)
    found = list(numbers._TOKEN.finditer(text, start, end))
    if plain is None:
        return
    words, first = plain
    assert words == [m.group() for m in found]
    begins, ends = numbers._plain_offsets(first, words)
    assert list(zip(begins, ends, strict=True)) == [m.span() for m in found]


def test_date_reader_takes_the_number_readers_words() -> None:
    text = "قتل شخصان امس في قصف"
    numbers.find_numbers(text, 0, len(text))
    shared = numbers.last_words(text, 0, len(text))
    assert shared is not None and shared.words == dates._WORD.findall(text)
    assert numbers.last_words(text, 1, len(text)) is None
    assert dates.find_dates(text, None, 0, len(text))[0].start == text.index("امس")
