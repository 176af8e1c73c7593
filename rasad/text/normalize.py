"""Arabic normalisation that never loses track of where a character came from.

Detection runs on a folded form of the text (no diacritics or tatweel, one alef, ya for
alef maqsura, ha for ta marbuta, ASCII digits, obfuscated names re-joined), but every finding
must point at the *original* characters. ``NormalizedText.offsets[i]`` is the original index
of normalised character ``i``; ``offsets[len(text)]`` is the original length, so a normalised
span ``[s, e)`` maps back to ``[offsets[s], original_end(e))``.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

_DROP = set(
    [chr(c) for c in range(0x0610, 0x061B)]
    + [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670", "\u0640"]  # superscript alef, tatweel
    + [chr(c) for c in range(0x06D6, 0x06EE)]
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\ufeff", "\u00ad"]
)
_MAP = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
    "ی": "ي", "ک": "ك", "ە": "ه", "ھ": "ه",
    "،": ",", "؛": ";", "؟": "?", "٪": "%", "٫": ".", "٬": ",",
    "“": '"', "”": '"', "«": '"', "»": '"', "„": '"', "″": '"', "‘": "'", "’": "'",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\t": " ", "–": "-", "—": "-",
}
for _i, _d in enumerate("٠١٢٣٤٥٦٧٨٩"):
    _MAP[_d] = str(_i)
for _i, _d in enumerate("۰۱۲۳۴۵۶۷۸۹"):
    _MAP[_d] = str(_i)

_AR_LETTER = "\u0621-\u064a"
# Three or more single Arabic letters separated by single spaces: "د ا ع ش".
_SPACED_LETTERS = re.compile(
    rf"(?<![{_AR_LETTER}])[{_AR_LETTER}](?: [{_AR_LETTER}]){{2,}}(?![{_AR_LETTER}])")
# A space, a single letter, a space and a single letter: every spaced-out name has it, and
# the scan for it (a literal space first) is ten times faster than for the full pattern.
_SPACED_HINT = re.compile(rf" [{_AR_LETTER}] [{_AR_LETTER}](?![{_AR_LETTER}])")
# A dot or similar mark inside a word: "داع.ش" (tatweel is already gone). The mark comes
# first and the letter before it is checked behind it: a pattern that starts with a rare
# character lets the regex engine skip the rest of the text quickly. A full stop typed
# without its space before a new clause ("في الرقة.وقال القيادي") is not one: a word of three
# letters or more on the left and "و"/"ف" opening four or more on the right ends a sentence.
_INNER_MARK = re.compile(
    rf"[_*•·](?<=[{_AR_LETTER}][_*•·])(?=[{_AR_LETTER}])"
    rf"|\.(?<=[{_AR_LETTER}]\.)(?:(?<![{_AR_LETTER}]{{3}}\.)|(?![وف][{_AR_LETTER}]{{3}}))"
    rf"(?=[{_AR_LETTER}])")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalised text plus, for each of its characters, the index in the original."""

    text: str
    offsets: Sequence[int]
    original: str

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` covering the normalised span ``[start, end)``."""
        if end <= start:
            o = self.offsets[start]
            return o, o
        return self.offsets[start], self.offsets[end - 1] + 1

    def original_text(self, start: int, end: int) -> str:
        s, e = self.original_span(start, end)
        return self.original[s:e]


_DROP_RE = re.compile("[" + "".join(sorted(_DROP)) + "]")
_PRESENTATION_RE = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
_TABLE = str.maketrans(_MAP)
# ``str.translate`` looks up every character of the text in a dict; a ``str.replace`` per
# mapped character that occurs is about ten times faster on Arabic text. Doing them one
# after another equals one translation only while no replacement is itself replaced.
_REPLACEMENTS = tuple(sorted(_MAP.items()))
_REPLACE_IN_TURN = not set(_MAP.values()) & set(_MAP)


def _translate(text: str) -> str:
    """``text.translate(_TABLE)``, faster."""
    if not _REPLACE_IN_TURN:
        return text.translate(_TABLE)
    for char, folded in _REPLACEMENTS:
        if char in text:
            text = text.replace(char, folded)
    return text


class DroppedOffsets(Sequence[int]):
    """The offsets of a text folded by dropping characters only (the usual case): normalised
    index ``i`` came from ``i`` plus the number of characters dropped before it, found by
    bisection. An article asks for a few dozen offsets, so no list as long as the text is
    built; the last index, ``len(text)``, gives the original length.
    """

    __slots__ = ("_steps", "_length")

    def __init__(self, dropped: list[int], original_length: int) -> None:
        # drop j (at original position dropped[j]) lies before normalised index i when
        # dropped[j] - j <= i
        self._steps = [d - j for j, d in enumerate(dropped)]
        self._length = original_length - len(dropped) + 1

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, i: int) -> int: ...
    @overload
    def __getitem__(self, i: slice) -> list[int]: ...
    def __getitem__(self, i: int | slice) -> int | list[int]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._length))]
        if i < 0:
            i += self._length
        if not 0 <= i < self._length:
            raise IndexError(i)
        return i + bisect.bisect_right(self._steps, i)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def dropping(self, indexes: set[int]) -> DroppedOffsets:
        """The offsets once normalised characters ``indexes`` are dropped as well."""
        originals = {self[i] for i in indexes}
        before = [d + j for j, d in enumerate(self._steps)]      # the originals dropped
        length = self._length - 1 + len(self._steps)
        return DroppedOffsets(sorted(originals.union(before)), length)


def _fold(text: str) -> tuple[str, Sequence[int]]:
    """Fold ``text``; the fast path maps 1:1 and only drops, which covers real articles.

    It stays on strings (one ``sub``, one ``_translate``) and keeps only the positions
    dropped, because every article passes here once. The offsets end with ``len(text)``.
    """
    if _PRESENTATION_RE.search(text) is None:
        dropped = [m.start() for m in _DROP_RE.finditer(text)]
        folded = _translate(_DROP_RE.sub("", text) if dropped else text)
        if len(folded) == len(text) - len(dropped):
            return folded, DroppedOffsets(dropped, len(text))
    chars, offsets = _fold_slow(text)
    offsets.append(len(text))
    return "".join(chars), offsets


def _fold_slow(text: str) -> tuple[list[str], list[int]]:
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if ch in _DROP:
            continue
        mapped = _MAP.get(ch)
        if mapped is None:
            if "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff":
                mapped = unicodedata.normalize("NFKC", ch)
                mapped = "".join(_MAP.get(c, c) for c in mapped if c not in _DROP)
            else:
                mapped = ch
        for c in mapped:
            chars.append(c)
            offsets.append(i)
    return chars, offsets


def _delete(text: str, offsets: Sequence[int], pattern: re.Pattern[str],
            keep: str) -> tuple[str, Sequence[int]]:
    """Drop every character of a ``pattern`` match that is not in ``keep``."""
    drop: set[int] = set()
    for m in pattern.finditer(text):
        drop.update(i for i in range(m.start(), m.end()) if text[i] not in keep)
    if not drop:
        return text, offsets
    folded = "".join(c for i, c in enumerate(text) if i not in drop)
    if isinstance(offsets, DroppedOffsets):
        return folded, offsets.dropping(drop)
    return folded, [o for i, o in enumerate(offsets) if i not in drop]


_ARABIC_LETTERS = "".join(chr(c) for c in range(0x0621, 0x064B))


def normalize(text: str) -> NormalizedText:
    """Fold ``text`` for matching, keeping the map back to original offsets."""
    folded, offsets = _fold(text)
    folded, offsets = _delete(folded, offsets, _INNER_MARK, keep="")
    if _SPACED_HINT.search(folded):
        folded, offsets = _delete(folded, offsets, _SPACED_LETTERS, keep=_ARABIC_LETTERS)
    return NormalizedText(folded, offsets if isinstance(offsets, DroppedOffsets)
                          else tuple(offsets), text)


def normalize_key(text: str) -> str:
    """Normalised form of a lexicon entry or name: folded, spaces collapsed."""
    return " ".join(normalize(text).text.split())
