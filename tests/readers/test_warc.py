"""WARC reading: which records are pages, provenance, and every kind of truncation."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from khabar.document import Document
from khabar.readers import Rejection, read_inputs
from tests.readers.conftest import PERSIAN, WarcRecordSpec


def _summary(results: list) -> list[tuple[str, str | None]]:
    return [(r.reason if isinstance(r, Rejection) else "doc", r.source.url) for r in results]


@pytest.mark.parametrize(("name", "compress"), [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_html_responses_become_pages_with_their_provenance(tmp_path: Path, warc_bytes, two_page_records,
                                                           name: str, compress: bool) -> None:
    path = tmp_path / name
    path.write_bytes(warc_bytes(two_page_records, compress=compress))
    results = list(read_inputs([path]))
    assert _summary(results) == [("doc", "https://news.example.ir/a/1"), ("doc", "https://news.example.iq/a/2")]
    first, second = results
    assert "کتابخانه‌ای تازه در مرکز شهر" in first.text
    assert "مستشفى جديد" in second.text
    assert first.source.path == str(path)
    assert first.source.record and first.source.record.startswith("<urn:uuid:")
    assert first.source.record != second.source.record
    assert first.meta_value("crawl_date") == "2024-04-09T08:30:00Z"
    assert second.meta_value("crawl_date") == "2024-04-10T09:00:00Z"


def test_non_page_records_are_skipped_and_not_counted(tmp_path: Path, warc_bytes, two_page_records,
                                                      html_page) -> None:
    page = html_page("صفحه", PERSIAN.splitlines())
    records = [
        WarcRecordSpec("https://news.example.ir/", b"GET / HTTP/1.1\r\nHost: news.example.ir\r\n\r\n",
                       content_type="application/http; msgtype=request", rec_type="request"),
        two_page_records[0],
        WarcRecordSpec("https://news.example.ir/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), content_type="image/png"),
        WarcRecordSpec("https://news.example.ir/missing", page, status="404 Not Found"),
        WarcRecordSpec("https://news.example.ir/old", page, status="301 Moved Permanently"),
        WarcRecordSpec("https://news.example.ir/meta", b"outlinks: 3\r\n", content_type="application/warc-fields",
                       rec_type="metadata"),
        WarcRecordSpec("https://news.example.ir/x", page, content_type="application/xhtml+xml"),
        two_page_records[1],
    ]
    path = tmp_path / "mixed.warc.gz"
    path.write_bytes(warc_bytes(records))
    assert _summary(list(read_inputs([path]))) == [
        ("doc", "https://news.example.ir/a/1"), ("doc", "https://news.example.ir/x"),
        ("doc", "https://news.example.iq/a/2")]


def test_page_over_max_bytes_is_too_large(tmp_path: Path, warc_bytes, two_page_records) -> None:
    small = WarcRecordSpec("https://s.example/1", b"<html><body><p>" + "کوتاه ".encode() * 20 + b"</p></body></html>")
    path = tmp_path / "big.warc.gz"
    path.write_bytes(warc_bytes([two_page_records[0], small]))
    limit = len(small.body)
    assert len(two_page_records[0].body) > limit
    assert _summary(list(read_inputs([path], max_bytes=limit))) == [
        ("too_large", "https://news.example.ir/a/1"), ("doc", "https://s.example/1")]


@pytest.mark.parametrize("compress", [True, False])
@pytest.mark.parametrize("where", ["second record's headers", "second record's payload"])
def test_truncated_file_yields_the_pages_before_the_cut_then_one_rejection(
        tmp_path: Path, warc_bytes, two_page_records, compress: bool, where: str) -> None:
    whole = warc_bytes(two_page_records, compress=compress)
    first_end = len(warc_bytes(two_page_records[:1], compress=compress))
    keep = first_end + 5 if where == "second record's headers" else len(whole) - 40
    path = tmp_path / ("cut.warc.gz" if compress else "cut.warc")
    path.write_bytes(whole[:keep])
    results = list(read_inputs([path]))
    assert _summary(results)[0] == ("doc", "https://news.example.ir/a/1")
    assert [getattr(r, "reason", "doc") for r in results] == ["doc", "truncated_warc"]
    assert results[1].source.path == str(path)


def test_cut_gzip_trailer_keeps_both_pages_and_reports_the_cut(tmp_path: Path, warc_bytes,
                                                               two_page_records) -> None:
    path = tmp_path / "trailer.warc.gz"
    path.write_bytes(warc_bytes(two_page_records)[:-4])  # part of the last member's length field
    assert [getattr(r, "reason", "doc") for r in read_inputs([path])] == ["doc", "doc", "truncated_warc"]


def test_missing_final_blank_line_of_an_uncompressed_warc_is_harmless(tmp_path: Path, warc_bytes,
                                                                       two_page_records) -> None:
    # Records end with CRLF CRLF, which is not part of any record's Content-Length.
    path = tmp_path / "blank.warc"
    path.write_bytes(warc_bytes(two_page_records, compress=False)[:-2])
    assert [getattr(r, "reason", "doc") for r in read_inputs([path])] == ["doc", "doc"]


@pytest.mark.parametrize("compress", [True, False])
def test_every_cut_of_a_small_warc_is_reported(tmp_path: Path, warc_bytes, two_page_records,
                                               compress: bool) -> None:
    # warcio alone stops silently at many of these cut points; each must end in a rejection.
    whole = warc_bytes(two_page_records, compress=compress)
    path = tmp_path / ("cut.warc.gz" if compress else "cut.warc")
    step = 11 if compress else 37
    for keep in range(1, len(whole) - 4, step):
        path.write_bytes(whole[:keep])
        results = list(read_inputs([path]))
        reasons = [getattr(r, "reason", "doc") for r in results]
        assert reasons[-1] == "truncated_warc", (keep, reasons)
        assert reasons.count("truncated_warc") == 1, (keep, reasons)
        assert set(reasons[:-1]) <= {"doc"}, (keep, reasons)


def test_gzip_whole_file_is_read_like_per_record_gzip(tmp_path: Path, warc_bytes, two_page_records) -> None:
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(warc_bytes(two_page_records, compress=False)))
    assert [getattr(r, "reason", "doc") for r in read_inputs([path])] == ["doc", "doc"]


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty"),
    (b"<html><body>not a warc</body></html>\n", "bad_warc"),
    (gzip.compress(b"<html><body>not a warc</body></html>\n"), "bad_warc"),
])
def test_files_that_are_not_warcs(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "odd.warc"
    path.write_bytes(content)
    [result] = read_inputs([path])
    assert isinstance(result, Rejection)
    assert result.reason == reason


def test_corrupt_gzip_member_is_bad_warc(tmp_path: Path, warc_bytes, two_page_records) -> None:
    data = bytearray(warc_bytes(two_page_records, compress=True))
    data[-8] ^= 0xFF  # CRC-32 of the last gzip member
    path = tmp_path / "crc.warc.gz"
    path.write_bytes(bytes(data))
    results = list(read_inputs([path]))
    assert isinstance(results[0], Document)
    assert isinstance(results[-1], Rejection) and results[-1].reason == "bad_warc"
