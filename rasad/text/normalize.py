"""Arabic normalisation that never loses track of where a character came from.

Detection runs on a folded form of the text (no diacritics or tatweel, one alef, ya for
alef maqsura, ha for ta marbuta, ASCII digits, obfuscated names re-joined), but every finding
must point at the *original* characters. ``NormalizedText.offsets[i]`` is the original index
of normalised character ``i``; ``offsets[len(text)]`` is the original length, so a normalised
span ``[s, e)`` maps back to ``[offsets[s], original_end(e))``.
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

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
    offsets: tuple[int, ...]
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


def _fold(text: str) -> tuple[str, list[int]]:
    """Fold ``text``; the fast path maps 1:1 and only drops, which covers real articles.

    It stays on strings (one ``sub``, one ``_translate``) and builds the offsets from the
    positions dropped, because every article passes here once.
    """
    if _PRESENTATION_RE.search(text) is None:
        dropped = [m.start() for m in _DROP_RE.finditer(text)]
        if dropped:
            keep = bytearray(b"\x01") * len(text)
            for i in dropped:
                keep[i] = 0
            folded = _translate(_DROP_RE.sub("", text))
            offsets = list(itertools.compress(range(len(text)), keep))
        else:
            folded = _translate(text)
            offsets = list(range(len(text)))
        if len(folded) == len(offsets):
            return folded, offsets
    chars, offsets = _fold_slow(text)
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


def _delete(text: str, offsets: list[int], pattern: re.Pattern[str],
            keep: str) -> tuple[str, list[int]]:
    """Drop every character of a ``pattern`` match that is not in ``keep``."""
    drop: set[int] = set()
    for m in pattern.finditer(text):
        drop.update(i for i in range(m.start(), m.end()) if text[i] not in keep)
    if not drop:
        return text, offsets
    return ("".join(c for i, c in enumerate(text) if i not in drop),
            [o for i, o in enumerate(offsets) if i not in drop])


_ARABIC_LETTERS = "".join(chr(c) for c in range(0x0621, 0x064B))


def normalize(text: str) -> NormalizedText:
    """Fold ``text`` for matching, keeping the map back to original offsets."""
    folded, offsets = _fold(text)
    folded, offsets = _delete(folded, offsets, _INNER_MARK, keep="")
    if _SPACED_HINT.search(folded):
        folded, offsets = _delete(folded, offsets, _SPACED_LETTERS, keep=_ARABIC_LETTERS)
    offsets.append(len(text))
    return NormalizedText(folded, tuple(offsets), text)


def normalize_key(text: str) -> str:
    """Normalised form of a lexicon entry or name: folded, spaces collapsed."""
    return " ".join(normalize(text).text.split())
