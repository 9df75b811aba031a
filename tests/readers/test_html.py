"""HTML pages -> Document: main text, comments, metadata, encodings, rejections, and pinned eval floors."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from khabar.document import Document, Source, iter_spans
from khabar.readers import html as html_reader
from khabar.readers.base import Rejection
from khabar.readers.html import decode_html, document_from_html
from tests.conftest import REPO, shared_path

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "html"
ZWNJ = "\u200c"


def _read(name: str, **kwargs: Any) -> Document:
    result = document_from_html((FIXTURES / name).read_bytes(), source=Source(path=name), **kwargs)
    assert isinstance(result, Document), result
    return result


def _kind_texts(doc: Document, kind: str) -> list[str]:
    return [doc.text[b.start:b.end] for b in doc.blocks if b.kind == kind]


def _assert_layout(doc: Document) -> None:
    """Blocks tile the text: one per line, in order, title/body/comment sections split by a blank line."""
    for _layer, start, end, claimed in iter_spans(doc):
        assert 0 <= start <= end <= len(doc.text)
        if claimed is not None:
            assert doc.text[start:end] == claimed
    kinds = [b.kind for b in doc.blocks]
    assert kinds == sorted(kinds, key=("title", "body", "comment").index)
    pieces, previous = [], None
    for block in doc.blocks:
        if previous is not None:
            pieces.append("\n\n" if block.kind != previous else "\n")
        line = doc.text[block.start:block.end]
        assert line and line == line.strip() and "\n" not in line
        pieces.append(line)
        previous = block.kind
    assert "".join(pieces) == doc.text
    if doc.title is not None:
        assert (doc.title.start, doc.title.end) == (doc.blocks[0].start, doc.blocks[0].end) == (0, doc.title.end)


# -- fixture pages written for these tests ---------------------------------------------------------------
def test_persian_page_main_text_comments_and_metadata() -> None:
    doc = _read("fa_article.html", url="https://news.example/fa/news/2023/02/22/4821/x", crawl_date="2023-03-01")
    _assert_layout(doc)
    assert doc.span_text(doc.title) == "افتتاح کتابخانه‌ی تازه در شیراز"  # " - خبرگزاری نمونه" cut off
    body = _kind_texts(doc, "body")
    assert body[1].startswith("کتابخانه‌ی عمومی تازه‌ای")  # ZWNJ written as &zwnj; kept
    assert "هفته‌ی آینده" in body[1]  # raw U+200C kept
    assert body[-1].startswith("شهروندان می‌توانند")
    assert _kind_texts(doc, "comment")[1:] == ["خیلی خوب است؛ امیدوارم در شهرهای کوچک‌تر هم کتابخانه بسازند.",
                                              "ساعت کار کتابخانه در روزهای جمعه چگونه است؟"]
    for boilerplate in ("فوری", "سیاسی", "پربازدیدترین", "نتایج کنکور", "حقوق این سایت", "تماس با ما"):
        assert boilerplate not in doc.text
    assert doc.text.count("افتتاح کتابخانه‌ی تازه در شیراز") == 1  # the <h1> line is not repeated
    assert dict(doc.meta) == {
        "author": "مریم احمدی",
        "canonical_url": "https://news.example/fa/news/2023/02/22/4821/%D8%A7%D9%81%D8%AA%D8%AA%D8%A7%D8%AD-"
                         "%DA%A9%D8%AA%D8%A7%D8%A8%D8%AE%D8%A7%D9%86%D9%87",
        "crawl_date": "2023-03-01",
        "encoding": "utf-8",
        "extractor": "trafilatura",
        "format": "html",
        "lang_hint": "fa",
        "published_meta": "2023-02-22",
        "sitename": "خبرگزاری نمونه",
        "url": "https://news.example/fa/news/2023/02/22/4821/x",
    }
    assert doc.issues == ()


def test_arabic_page_takes_date_and_author_from_json_ld() -> None:
    doc = _read("ar_article.html")
    _assert_layout(doc)
    assert doc.span_text(doc.title) == "افتتاح جسر جديد فوق نهر النيل"  # " | جريدة المثال" cut off
    assert len(_kind_texts(doc, "body")) == 3
    assert _kind_texts(doc, "comment")[1:] == ["خبر رائع، نتمنى أن ينتهي العمل في الجسور الأخرى قريبا.",
                                              "هل سيكون العبور مجانيا للسيارات؟"]
    for boilerplate in ("حالة الطقس", "محليات", "الأكثر قراءة", "أسعار الذهب", "جميع الحقوق", "سياسة الخصوصية"):
        assert boilerplate not in doc.text
    assert doc.meta_value("published_meta") == "2024-04-07"
    assert doc.meta_value("author") == "أحمد سالم"
    assert doc.meta_value("url") is None  # neither given nor declared by the page


def test_without_url_the_source_url_is_used() -> None:
    data = (FIXTURES / "ar_article.html").read_bytes()
    doc = document_from_html(data, source=Source(path="p.html", url="https://example.com/2024/04/07/bridge"))
    assert isinstance(doc, Document)
    assert doc.meta_value("url") == "https://example.com/2024/04/07/bridge"


def test_crawl_date_bounds_the_metadata_date() -> None:
    # The page says 2023-02-22; crawled on 2023-01-01 that cannot be its publication date.
    assert _read("fa_article.html", crawl_date="2023-01-01").meta_value("published_meta") is None
    assert _read("fa_article.html", crawl_date="2023-03-01T10:00:00Z").meta_value("published_meta") == "2023-02-22"


def _arabic_page_as_windows_1256(declaration: str) -> bytes:
    page = (FIXTURES / "ar_article.html").read_text(encoding="utf-8")
    original = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    assert original in page
    return page.replace(original, declaration).encode("windows-1256")


@pytest.mark.parametrize(
    ("declaration", "hint", "encoding"),
    [
        ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">', None, "windows-1256"),
        ('<meta charset="WINDOWS-1256">', None, "windows-1256"),
        ("", "windows-1256", "windows-1256"),  # HTTP header only
        ("", None, "windows-1256"),  # no label: content detection (readers.encoding)
        ('<meta charset="iso-8859-1">', None, "windows-1256"),  # a Latin label is not trusted
        ('<meta charset="iso-8859-1">', "utf-8", "windows-1256"),  # nor a wrong UTF-8 header
    ],
)
def test_windows_1256_pages_decode(declaration: str, hint: str | None, encoding: str) -> None:
    data = _arabic_page_as_windows_1256(declaration)
    doc = document_from_html(data, source=Source(path="p.html"), encoding_hint=hint)
    assert isinstance(doc, Document)
    assert doc.meta_value("encoding") == encoding
    assert doc.span_text(doc.title) == "افتتاح جسر جديد فوق نهر النيل"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("<html><body><p>سلام</p></body></html>".encode("utf-8-sig"), "utf-8-sig"),
        ("<html><body><p>سلام</p></body></html>".encode("utf-16"), "utf-16"),
        ("<html><body><p>سلام</p></body></html>".encode("utf-16-le"), "utf-16-le"),
        ('<meta charset="windows-1256"><p>سلام</p>'.encode(), "utf-8"),  # valid UTF-8 beats a stale label
    ],
)
def test_decode_html(data: bytes, encoding: str) -> None:
    decoded = decode_html(data)
    assert decoded.encoding == encoding  # type: ignore[union-attr]
    assert "سلام" in decoded.text  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b"\x00\x01\x02\x03PK\x03\x04\x00\x00", "binary"),
        (b"<html><head><title>t</title><script>var a = 1;</script></head><body></body></html>", "no_text"),
        (b"<html><body><img src='a.jpg'><img src='b.jpg'></body></html>", "no_text"),
    ],
)
def test_pages_without_text_are_rejected(data: bytes, reason: str) -> None:
    result = document_from_html(data, source=Source(path="p.html"))
    assert isinstance(result, Rejection)
    assert result.reason == reason
    assert result.source.path == "p.html"


def test_an_extractor_crash_is_a_bad_html_rejection(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: Any, **kwargs: Any) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(html_reader, "bare_extraction", explode)
    result = document_from_html((FIXTURES / "ar_article.html").read_bytes(), source=Source(path="p.html"))
    assert isinstance(result, Rejection)
    assert result.reason == "bad_html"
    assert "RecursionError" in result.message


def test_text_only_in_footer_uses_the_recall_fallback_and_says_so() -> None:
    paragraph = "<p>" + "این یک بند آزمایشی از متن خبر است که برای آزمودن استخراج نوشته شده است. " * 2 + "</p>"
    data = f"<html><body><footer>{paragraph}</footer></body></html>".encode()
    doc = document_from_html(data, source=Source(path="p.html"))
    assert isinstance(doc, Document)
    assert doc.meta_value("extractor") == "trafilatura:favor_recall"
    assert [i.code for i in doc.issues] == ["extraction_fallback"]
    assert doc.text.startswith("این یک بند آزمایشی")


def test_a_bare_fragment_is_read() -> None:
    # A JSONL `html` field often holds a fragment; trafilatura alone rejects it (no "html" marker).
    doc = document_from_html("<p>خبر کوتاه درباره‌ی افتتاح یک کتابخانه در شهر.</p>".encode(),
                             source=Source(path="a.jsonl", line=3))
    assert isinstance(doc, Document)
    assert doc.text == "خبر کوتاه درباره‌ی افتتاح یک کتابخانه در شهر."
    assert [b.kind for b in doc.blocks] == ["body"]
    assert doc.title is None


def test_a_body_of_the_headline_alone_keeps_it() -> None:
    page = "<html><head><title>خبر مهم - سایت نمونه</title></head><body><h1>خبر مهم</h1></body></html>"
    doc = document_from_html(page.encode(), source=Source(path="p.html"))
    assert isinstance(doc, Document)
    assert doc.text == "خبر مهم\n\nخبر مهم"
    assert [b.kind for b in doc.blocks] == ["title", "body"]


def test_zwnj_survives_when_the_first_stand_in_letter_is_on_the_page() -> None:
    lisu = "\ua4d0"  # the first stand-in html_reader tries
    page = (f"<html><body><article><p>متن {lisu} با نیم‌فاصله در کلمه‌ی «می‌رود» برای آزمون.</p>"
            "</article></body></html>")
    doc = document_from_html(page.encode(), source=Source(path="p.html"))
    assert isinstance(doc, Document)
    assert doc.text == f"متن {lisu} با نیم‌فاصله در کلمه‌ی «می‌رود» برای آزمون."


# -- the 13 real pages ---------------------------------------------------------------------------------
def _gold() -> list[dict[str, Any]]:
    path = shared_path("data", "news-html-ar-fa", "gold.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def real_docs() -> dict[str, Document]:
    docs = {}
    for gold in _gold():
        data = shared_path("data", "news-html-ar-fa", gold["file"]).read_bytes()
        result = document_from_html(data, source=Source(path=gold["file"]), url=gold["url"])
        assert isinstance(result, Document), result
        docs[Path(gold["file"]).name] = result
    assert len(docs) == 13
    return docs


def test_real_pages_keep_exact_offsets(real_docs: dict[str, Document]) -> None:
    for doc in real_docs.values():
        _assert_layout(doc)
        assert doc.meta_value("format") == "html"


def test_real_persian_page_keeps_zwnj(real_docs: dict[str, Document]) -> None:
    doc = real_docs["htmldate_1523806243.html"]  # khabaronline: trafilatura alone returns 0 ZWNJs
    assert "اصلاح‌طلبان" in doc.text
    assert doc.text.count(ZWNJ) >= 60


@pytest.mark.parametrize(
    ("page", "title"),
    [
        ("htmldate_1641304459.html", "ورود 50 هزار میلیارد تومان نقدینگی به بورس در 3 ماه"),  # "خبرگزاری آریا - " off
        ("htmldate_1691196862.html",  # " - اليوم السابع" off (the site name)
         "وزير الرى يشهد توقيع عقد دراسة تحديد السحب الآمن للخزانات الجوفية مع جامعة القاهرة"),
        ("htmldate_1588107198.html", "أميركا :50 الفا حصيلة الوفيات بسبب فيروس كورونا"),  # "المدينة نيوز - " off
        ("htmldate_1806793639.html", "تركى آل الشيخ بعد إصابة يسرا بكورونا: يارب يرفع عنك"),
        ("htmldate_1784190729.html", "طهران تدفن «زادة».. وتتهم المعارضة الإيرانية باغتياله"),  # unchanged
    ],
)
def test_real_page_titles_lose_the_site_name(real_docs: dict[str, Document], page: str, title: str) -> None:
    doc = real_docs[page]
    assert doc.span_text(doc.title) == title
    assert doc.text.count(title) == 1


# -- eval floors (eval/html_extraction.py, measured 2026 on trafilatura 2.3.1) ---------------------------
def _load_eval() -> ModuleType:
    path = REPO / "eval" / "html_extraction.py"
    spec = importlib.util.spec_from_file_location("khabar_eval_html_extraction", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def html_eval() -> dict[str, Any]:
    shared_path("data", "news-html-ar-fa", "gold.jsonl")
    return _load_eval().evaluate(systems=("khabar",))


def test_eval_floor_main_text(html_eval: dict[str, Any]) -> None:
    khabar = html_eval["overall"]["khabar"]
    assert khabar["rejected"] == 0
    assert (khabar["must_contain_found"], khabar["must_contain_total"]) == (3, 3)
    assert (khabar["must_not_contain_found"], khabar["must_not_contain_total"]) == (0, 3)
    assert khabar["token_recall"] == 1.0
    assert khabar["token_f1"] >= 0.91  # measured 0.914 (CNN's comment policy paragraph is kept)
    assert khabar["zwnj_fa_pages"] >= 80  # measured 82; trafilatura alone: 0


def test_eval_floor_publication_dates(html_eval: dict[str, Any]) -> None:
    khabar = html_eval["overall"]["khabar"]
    # Measured 8/11 (8/10 without the suspected gold error): metadata only, no text guesses.
    assert khabar["date_pages"] == 11 and khabar["date_correct"] >= 8
    assert khabar["date_pages_without_suspect"] == 10 and khabar["date_correct_without_suspect"] >= 8
    # Measured: 8 answers, 1 wrong (elbalad: htmldate reads the UTC date of 01:59 +02:00, one day early).
    assert khabar["date_answered"] - khabar["date_correct"] <= 1
    # No year-only guess dressed as a day (trafilatura's default gives 2013-01-01 here).
    assert khabar["dates_on_pages_without_gold"]["pages/newspaper_cnn_arabic_article.html"] is None


@pytest.mark.parametrize(
    ("stamp", "htmldate_day", "expected"),
    [
        ("2020-12-25T01:59:50+02:00", "2020-12-24", "2020-12-25"),  # UTC shifted it to the day before
        ("2020-12-24T23:30:00-05:00", "2020-12-25", "2020-12-24"),
        ("2020-12-25T01:59:50+00:00", "2020-12-25", "2020-12-25"),  # UTC stated: nothing to correct
        ("2020-12-20T10:00:00+02:00", "2020-12-25", "2020-12-25"),  # far apart: not a time-zone shift
        ("not a date", "2020-12-25", "2020-12-25"),
    ],
)
def test_publisher_local_day_undoes_the_utc_shift(stamp: str, htmldate_day: str, expected: str) -> None:
    from khabar.readers.html import _publisher_local_day

    page = f'<html><head><script type="application/ld+json">{{"datePublished":"{stamp}"}}</script></head></html>'
    assert _publisher_local_day(page, htmldate_day) == expected
    meta = f'<html><head><meta property="article:published_time" content="{stamp}"></head></html>'
    assert _publisher_local_day(meta, htmldate_day) == expected
