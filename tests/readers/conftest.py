"""Fixtures for the reader tests: short sentences written for these tests, and builders that
make HTML pages and real WARC files (with warcio's own writer) in memory."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Sentences written for these tests (not taken from any corpus).
PERSIAN = ("شهردار شیراز روز دوشنبه از افتتاح کتابخانه‌ای تازه در مرکز شهر خبر داد.\n"
           "این کتابخانه بیش از بیست هزار جلد کتاب دارد و تا نیمه‌شب باز است.\n")
# windows-1256 has no Farsi yeh (U+06CC) or Persian digits: Persian files in it use Arabic
# yeh (U+064A), as here. It does have پ چ ژ گ ک and ZWNJ, all used below.
PERSIAN_1256 = ("پژوهشگران چيني و ژاپني گزارش کردند که سطح آب درياچه‌ها در تابستان پايين آمده است.\r\n"
                "گروه ديگري هم همين نتيجه را گرفت.\r\n")
ARABIC = ("أعلنت وزارة الصحة يوم الأحد عن افتتاح مستشفى جديد في مدينة البصرة، "
          "وقال الوزير إن العمل فيه يبدأ الشهر المقبل.\n")
# Only letters whose windows-1256 bytes are also valid ISO-8859-6 (no غ ف ق ك, no ،): the
# two code pages both decode these bytes, so only the letter count can tell them apart.
ARABIC_SHARED_BYTES = "وصل الرئيس إلى مدينة تونس صباح السبت ليحضر مهرجان الشعر.\n"
ENGLISH = "The city council approved the new budget on Monday after a long debate.\n"


@dataclass(frozen=True)
class WarcRecordSpec:
    """One record for `warc_bytes`: a response by default, or a ``request`` / ``metadata`` record."""

    url: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: str = "200 OK"
    rec_type: str = "response"
    date: str = "2024-04-09T08:30:00Z"


def _html_page(title: str, paragraphs: Sequence[str], *, lang: str = "fa") -> bytes:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><article><h1>{title}</h1>{body}</article></body></html>").encode()


def _warc_bytes(records: Sequence[WarcRecordSpec], *, compress: bool = True) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    for spec in records:
        warc_headers = {"WARC-Date": spec.date}
        if spec.rec_type == "response":
            http = StatusAndHeaders(spec.status, [("Content-Type", spec.content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(spec.url, "response", payload=io.BytesIO(spec.body),
                                               http_headers=http, warc_headers_dict=warc_headers)
        else:
            record = writer.create_warc_record(spec.url, spec.rec_type, payload=io.BytesIO(spec.body),
                                               warc_content_type=spec.content_type,
                                               warc_headers_dict=warc_headers)
        writer.write_record(record)
    return buffer.getvalue()


@pytest.fixture
def html_page() -> Callable[..., bytes]:
    """``html_page(title, paragraphs, lang="fa")``: a small UTF-8 news page trafilatura extracts."""
    return _html_page


@pytest.fixture
def warc_bytes() -> Callable[..., bytes]:
    """``warc_bytes(records, compress=True)``: a real WARC file written by warcio."""
    return _warc_bytes


@pytest.fixture
def two_page_records() -> list[WarcRecordSpec]:
    """Two Persian/Arabic HTML responses, the pages a small crawl would hold."""
    return [
        WarcRecordSpec("https://news.example.ir/a/1", _html_page(
            "افتتاح کتابخانه در شیراز", PERSIAN.splitlines()), date="2024-04-09T08:30:00Z"),
        WarcRecordSpec("https://news.example.iq/a/2", _html_page(
            "مستشفى جديد في البصرة", [ARABIC.strip(), ARABIC_SHARED_BYTES.strip()], lang="ar"),
            date="2024-04-10T09:00:00Z"),
    ]
