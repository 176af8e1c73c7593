"""Encodings Arabic news comes in, detected from bytes we encode ourselves."""
from __future__ import annotations

import codecs

import pytest

from rasad.errors import InputError
from rasad.ingest.encoding import declared_charset, decode_bytes, detect_encoding

SENTENCE = ("قتل ثلاثة عناصر من قوات الأمن، وأصيب اثنان آخران، في هجوم على حاجز قرب "
            "بلدة الشحيل مساء أمس. وقال مصدر محلي إن المهاجمين فروا نحو البادية.")


@pytest.mark.parametrize(("data", "expected"), [
    (SENTENCE.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + SENTENCE.encode("utf-8"), "utf-8-sig"),
    (SENTENCE.encode("cp1256"), "cp1256"),
    (SENTENCE.encode("iso8859-6"), "iso8859-6"),
    (codecs.BOM_UTF16_LE + SENTENCE.encode("utf-16-le"), "utf-16"),
    (b"plain ASCII text only", "utf-8"),
], ids=["utf-8", "utf-8-bom", "windows-1256", "iso-8859-6", "utf-16-bom", "ascii"])
def test_encoding_is_detected_from_the_bytes(data: bytes, expected: str) -> None:
    assert detect_encoding(data) == expected


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "cp1256", "iso8859-6"])
def test_decoded_text_is_the_original(codec: str) -> None:
    assert decode_bytes(SENTENCE.encode(codec), "x.txt").lstrip("\ufeff") == SENTENCE


def test_short_windows_1256_text_is_not_mistaken_for_iso_8859_6() -> None:
    assert decode_bytes("مقتل مدني".encode("cp1256"), "x.txt") == "مقتل مدني"


@pytest.mark.parametrize(("head", "expected"), [
    (b'<meta charset="windows-1256">', "cp1256"),
    (b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-6">', "iso8859-6"),
    (b"<meta charset='utf-8' />", "utf-8"),
    (b'<meta content="charset=utf-8">', "utf-8"),
    (b'<meta charset="no-such-codec">', None),
    (b"<p>no declaration</p>", None),
])
def test_declared_charset_is_read_from_meta(head: bytes, expected: str | None) -> None:
    assert declared_charset(head) == expected


def test_declared_single_byte_charset_is_used_for_a_page() -> None:
    page = f'<html><head><meta charset="windows-1256"></head><body>{SENTENCE}</body></html>'
    data = page.encode("cp1256")
    assert SENTENCE in decode_bytes(data, "p.html", declared_charset(data))


def test_binary_bytes_are_refused_naming_the_file() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(InputError, match=r"^image\.txt: binary file"):
        decode_bytes(png, "image.txt")


def test_damaged_utf8_is_refused_with_the_offset() -> None:
    data = SENTENCE.encode("utf-8") + b"\xff\xfe" + SENTENCE.encode("utf-8")
    with pytest.raises(InputError, match=r"undecodable bytes: not valid UTF-8 \(byte 0xff at "
                                         rf"offset {len(SENTENCE.encode('utf-8'))}\)"):
        decode_bytes(data, "news.txt")
