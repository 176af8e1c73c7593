"""Bytes → text for the encodings Arabic news actually comes in.

Arabic archives are UTF-8 (sometimes with a BOM), windows-1256 (old Windows tools, many
saved pages) or ISO-8859-6 (old Unix mail and feeds). The two single-byte codecs decode
almost any byte string without error, so a wrong guess gives silent mojibake; we therefore
score each candidate by how much of its non-ASCII output is Arabic letters, which separates
them sharply (cp1256's ي/ل/م/ن/ه/و are accented Latin letters in ISO-8859-6 and vice versa).
charset-normalizer is the fallback for anything else. Binary and damaged input is refused
with an ``InputError`` that says where, never decoded into garbage.
"""
from __future__ import annotations

import codecs
import re

import charset_normalizer

from rasad.errors import InputError

ARABIC_SINGLE_BYTE = ("cp1256", "iso8859-6")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_SAMPLE = 65536
# Arabic letters, Arabic punctuation and Arabic-Indic digits: what real Arabic text is made of.
_ARABIC_TEXT = re.compile("[\u0621-\u064a\u060c\u061b\u061f\u0660-\u0669]")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}"
                             rb"|[\xf0-\xf4][\x80-\xbf]{3}")
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""",
                           re.IGNORECASE)


def bom_encoding(data: bytes) -> str | None:
    """The encoding announced by a byte-order mark, if any."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def check_not_binary(data: bytes, source: str) -> None:
    """Refuse NUL bytes or a high share of control characters (images, archives, PDFs)."""
    if bom_encoding(data) in ("utf-16", "utf-32"):
        return
    sample = data[:_SAMPLE]
    nul = sample.find(b"\x00")
    if nul >= 0:
        raise InputError(f"{source}: binary file (NUL byte at offset {nul}), not text")
    if sample and len(_CONTROL.findall(sample)) > 0.02 * len(sample):
        raise InputError(f"{source}: binary file (control characters), not text")


def declared_charset(html_head: bytes) -> str | None:
    """The charset a page declares in ``<meta charset>`` or ``http-equiv``, if valid."""
    match = _META_CHARSET.search(html_head[:8192])
    if not match:
        return None
    return codec_name(match.group(1).decode("ascii", "replace"))


def codec_name(label: str | None) -> str | None:
    """Python's canonical codec name for a charset label, or ``None`` if unknown."""
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().strip("\"'").lower()).name
    except LookupError:
        return None


def arabic_share(text: str) -> float:
    """Share of non-ASCII characters that are Arabic letters, punctuation or digits."""
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    if not non_ascii:
        return 0.0
    return len(_ARABIC_TEXT.findall(text)) / non_ascii


def _looks_like_utf8(sample: bytes) -> bool:
    """Many valid multi-byte UTF-8 sequences: damaged UTF-8, not a single-byte codec."""
    valid = len(_UTF8_MULTIBYTE.findall(sample))
    high = sum(1 for b in sample if b > 127)
    return valid > 0 and valid * 2 >= 0.8 * high


def _best_arabic_codec(sample: bytes) -> str | None:
    """cp1256 or ISO-8859-6, whichever reads as Arabic; ``None`` when neither does."""
    scores: list[tuple[float, str]] = []
    for name in ARABIC_SINGLE_BYTE:
        try:
            text = sample.decode(name)
        except UnicodeDecodeError:
            continue
        scores.append((arabic_share(text), name))
    scores.sort(reverse=True)
    if scores and scores[0][0] >= 0.6:
        return scores[0][1]
    return None


def detect_encoding(data: bytes, declared: str | None = None, guess_other: bool = True) -> str:
    """The codec to read ``data`` with: BOM, valid UTF-8, a declared charset, then guesses.

    A declared charset is trusted only if it decodes the bytes and is not a Latin codec
    that an Arabic single-byte page commonly hides behind. Without ``guess_other`` (JSON
    lines, which are UTF-8 by definition) only the Arabic codecs are considered besides
    UTF-8, so a stray bad byte is reported rather than decoded as some other script.
    """
    bom = bom_encoding(data)
    if bom:
        return bom
    sample = data[:_SAMPLE]
    if not any(b > 127 for b in sample):
        return "utf-8"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        cut_at_sample_end = len(data) > _SAMPLE and exc.end >= len(sample) - 3
        if cut_at_sample_end or _looks_like_utf8(sample):
            return "utf-8"
    name = codec_name(declared)
    if name and name not in ("utf-8", "latin-1", "cp1252", "ascii"):
        try:
            sample.decode(name)
            return name
        except UnicodeDecodeError:
            pass
    arabic = _best_arabic_codec(sample)
    if arabic or not guess_other:
        return arabic or "utf-8"
    guess = charset_normalizer.from_bytes(sample).best()
    if guess is not None:
        return codec_name(guess.encoding) or guess.encoding
    return "utf-8"


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> str:
    """Whole-file text; ``InputError`` naming the file for binary or undecodable bytes."""
    check_not_binary(data, source)
    encoding = detect_encoding(data, declared)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        bad = data[exc.start:exc.start + 1].hex()
        raise InputError(f"{source}: undecodable bytes: not valid {_label(encoding)} "
                         f"(byte 0x{bad} at offset {exc.start})") from exc


def _label(encoding: str) -> str:
    return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp1256": "windows-1256",
            "iso8859-6": "ISO-8859-6"}.get(encoding, encoding)


def decode_line(data: bytes, encoding: str, where: str) -> str:
    """One line of a line-oriented file; the error names the column of the bad byte."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        bad = data[exc.start:exc.start + 1].hex()
        raise InputError(f"{where}: undecodable bytes: not valid {_label(encoding)} "
                         f"(byte 0x{bad} at column {exc.start + 1})") from exc
