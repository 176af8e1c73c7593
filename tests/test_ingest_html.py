"""HTML pages: the 20 fixture pages give the same articles (and records) as their clean text.

The pages in fixtures/html/pages are written for these tests in five outlet styles (share
bars, "اقرأ أيضاً" lines and lists, comment sections with a captcha "اكتب ناتج 7 + 7",
newsletter and cookie boxes, one page in ISO-8859-6 and two in windows-1256); clean/ holds
the same articles as plain text and expected.json their metadata.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasad import batch
from rasad.ingest.html import drop_debris, extract_page
from rasad.ingest.pagedate import dateline_date, iso_date, page_published, url_date
from rasad.ingest.readers import item_article, iter_inputs
from rasad.pipeline import parse_published

FIXTURES = Path(__file__).parent / "fixtures" / "html"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text("utf-8"))
PAGES = sorted(EXPECTED)


def _page_articles() -> dict[str, object]:
    return {item.id: item_article(item) for item in iter_inputs([str(FIXTURES / "pages")])}


@pytest.fixture(scope="module")
def page_articles() -> dict[str, object]:
    return _page_articles()


def test_there_are_twenty_pages_with_clean_text() -> None:
    assert len(PAGES) == 20
    assert all((FIXTURES / "clean" / f"{n}.txt").is_file() for n in PAGES)


@pytest.mark.parametrize("number", PAGES)
def test_extracted_text_equals_the_clean_text(page_articles: dict[str, object],
                                              number: str) -> None:
    clean = (FIXTURES / "clean" / f"{number}.txt").read_text("utf-8")
    article = page_articles[number]
    assert article.text.split() == clean.split()  # type: ignore[attr-defined]
    assert article.text == clean.strip()  # type: ignore[attr-defined]


@pytest.mark.parametrize("number", PAGES)
def test_page_metadata_is_found(page_articles: dict[str, object], number: str) -> None:
    article = page_articles[number]
    expected = EXPECTED[number]
    assert article.published == parse_published(expected["published"])  # type: ignore[attr-defined]
    assert article.title == expected["title"]  # type: ignore[attr-defined]
    if expected["url"]:
        assert article.url == expected["url"]  # type: ignore[attr-defined]


def test_pages_give_the_same_records_as_clean_text() -> None:
    """The acceptance test: HTML folder and clean-text folder → identical result records."""
    pages = [o.record for o in batch.run(iter_inputs([str(FIXTURES / "pages")]))]
    texts = [page.pop("text") for page in pages]  # type: ignore[union-attr]
    clean_items = []
    for item in iter_inputs([str(FIXTURES / "clean")]):
        published = EXPECTED[str(item.id)]["published"]
        clean_items.extend(iter_inputs([str(FIXTURES / "clean" / f"{item.id}.txt")],
                                       published=published))
    clean = [o.record for o in batch.run(clean_items)]
    assert len(pages) == len(clean) == 20
    assert pages == clean
    assert texts == [item.article.text.strip() for item in clean_items]  # type: ignore[union-attr]


@pytest.mark.parametrize("line", [
    "اقرأ أيضاً: غارة بطائرة مسيرة تستهدف سيارة",
    "إقرأ أيضا : عنوان آخر",
    "اكتب ناتج 7 + 7",
    "Facebook Share",
    "طباعة",
    "شارك: فيسبوك | تويتر | طباعة",
    "شارك هذا الخبر",
    "تابعونا على تلغرام لمتابعة آخر الأخبار",
    "جميع الحقوق محفوظة © 2023",
])
def test_page_furniture_lines_are_dropped(line: str) -> None:
    body = ["قتل شخصان في هجوم على حاجز.", "وقال مصدر محلي إن المهاجمين فروا.", "وانتهى الأمر."]
    assert drop_debris(body[:2] + [line] + body[2:]) == body


@pytest.mark.parametrize("line", [
    "شارك مئات الأشخاص في تشييع الضحايا ظهر اليوم.",
    "وقال إن التعليقات على الحادثة كثرت في مواقع التواصل، وطالب بالتحقيق.",
    "وأضاف أن الطباعة توقفت في المطبعة الحكومية بعد القصف الذي طال المبنى.",
])
def test_body_sentences_with_furniture_words_are_kept(line: str) -> None:
    body = ["قتل شخصان في هجوم على حاجز.", line, "وانتهى الأمر."]
    assert drop_debris(body) == body


def test_titles_listed_under_a_read_also_heading_are_dropped() -> None:
    lines = ["الفقرة الأولى من الخبر.", "الفقرة الثانية من الخبر.", "اقرأ أيضا:",
             "الجيش يستعيد السيطرة على قرية", "حظر تجوال في مدينة الحسكة"]
    assert drop_debris(lines) == lines[:2]


def test_comments_heading_late_in_the_page_ends_the_article() -> None:
    lines = ["الفقرة الأولى.", "الفقرة الثانية.", "الفقرة الثالثة.", "التعليقات (2)",
             "تعليق من قارئ يقول رأيه في الخبر."]
    assert drop_debris(lines) == lines[:3]


@pytest.mark.parametrize(("url", "expected"), [
    ("https://x.example/2022/12/27/raqqa-attack", "2022-12-27"),
    ("https://x.example/news/2022-12-27-raqqa.html", "2022-12-27"),
    ("http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html", "2013-08-03"),
    ("https://x.example/2022/13/45/nonsense", None),
    ("https://x.example/news/12345", None),
])
def test_date_in_url_path(url: str, expected: str | None) -> None:
    assert url_date(url) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("الرقة - 2022.12.27 - 12:18\nنص الخبر", "2022-12-27T12:18"),
    ("نشر في 27/12/2022", "2022-12-27"),
    ("تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً", "2020-04-24"),
    ("الأربعاء، 07 أكتوبر 2020 - 12:09 م", "2020-10-07"),
    ("ديسمبر 25, 2020", "2020-12-25"),
    ("القاهرة: ٣ آب ٢٠٢١", "2021-08-03"),
    ("قتل 3 أشخاص في 5 قرى", None),
])
def test_dateline_date(text: str, expected: str | None) -> None:
    assert dateline_date(text) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("2022-12-27", "2022-12-27"),
    ("2022-12-27T12:18:00+03:00", "2022-12-27T12:18"),
    ("2020-12-25T01:59:50+02:00", "2020-12-25T01:59:50"),
    ("2022-12-27T09:00:00Z", "2022-12-27T09:00"),
    ("27 December", None),
])
def test_iso_date_keeps_the_local_clock(value: str, expected: str | None) -> None:
    assert iso_date(value) == expected


def test_json_ld_wins_over_a_utc_meta_tag() -> None:
    from rasad.ingest.html import _parse

    html = ('<html><head><meta property="article:published_time" '
            'content="2020-12-24T23:59:50+00:00"><script type="application/ld+json">'
            '{"@graph": [{"@type": "NewsArticle", "datePublished": "2020-12-25T01:59:50+02:00"}]}'
            "</script></head><body></body></html>")
    assert page_published(_parse(html)) == "2020-12-25T01:59:50"


def test_page_without_text_is_an_input_error() -> None:
    from rasad.errors import InputError

    with pytest.raises(InputError, match="empty.html: no article text found"):
        extract_page("<html><head><title>x</title></head><body><nav>قائمة</nav></body></html>",
                     source="empty.html")
