"""JSON Lines reading: fields, title offsets, published dates, broken lines, gzip and stdin."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest

from khabar.document import Document, iter_spans
from khabar.readers import Rejection, read_inputs
from khabar.readers.jsonl import parse_published
from tests.readers.conftest import ARABIC, PERSIAN


def _line(**fields: Any) -> str:
    return json.dumps(fields, ensure_ascii=False)


def _write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _only(results: list) -> Document:
    assert len(results) == 1, results
    assert isinstance(results[0], Document), results[0]
    return results[0]


def test_fields_go_to_text_title_source_and_meta(tmp_path: Path) -> None:
    title = "افتتاح کتابخانه در شیراز"
    path = _write_lines(tmp_path / "a.jsonl", [_line(
        id=17, url="https://news.example.ir/a/17", title=f"  {title} ", text=PERSIAN,
        published="2024-04-09T10:00:00+04:30", outlet="نمونه", lang="fa")])
    doc = _only(list(read_inputs([path])))
    assert doc.text == title + "\n\n" + PERSIAN
    assert doc.title is not None
    assert doc.span_text(doc.title) == title
    assert (doc.title.start, doc.title.end) == (0, len(title))
    assert doc.text[doc.title.end + 2:] == PERSIAN  # the body follows exactly after "\n\n"
    assert doc.source.path == str(path)
    assert doc.source.line == 1
    assert doc.source.url == "https://news.example.ir/a/17"
    assert dict(doc.meta) == {
        "format": "jsonl", "url": "https://news.example.ir/a/17", "outlet": "نمونه", "lang_hint": "fa",
        "external_id": "17", "published_meta": "2024-04-09T10:00:00+04:30",
    }
    assert doc.issues == ()
    for _layer, start, end, _claimed in iter_spans(doc):
        assert 0 <= start <= end <= len(doc.text)


def test_text_without_title_is_kept_exactly(tmp_path: Path) -> None:
    text = "  سطر اول\r\nسطر دوم  "
    doc = _only(list(read_inputs([_write_lines(tmp_path / "a.jsonl", [_line(text=text)])])))
    assert doc.text == text
    assert doc.title is None


def test_title_is_not_repeated_when_the_text_starts_with_it(tmp_path: Path) -> None:
    title = "مستشفى جديد في البصرة"
    text = f"{title}\n{ARABIC}"
    doc = _only(list(read_inputs([_write_lines(tmp_path / "a.jsonl", [_line(title=title, text=text)])])))
    assert doc.text == text
    assert doc.title is not None and doc.span_text(doc.title) == title


def test_title_that_is_only_a_prefix_of_the_first_word_is_still_prepended(tmp_path: Path) -> None:
    doc = _only(list(read_inputs([_write_lines(tmp_path / "a.jsonl", [_line(title="Iran", text="Iranian officials met.")])])))
    assert doc.text == "Iran\n\nIranian officials met."


@pytest.mark.parametrize(("value", "normalised"), [
    ("2024-04-09", "2024-04-09"),
    ("2024-04-09T10:00:00+04:30", "2024-04-09T10:00:00+04:30"),
    ("2024-04-09T06:30:00Z", "2024-04-09T06:30:00+00:00"),
    ("2024-04-09 10:00", "2024-04-09T10:00:00"),
    (" 2024-04-09 ", "2024-04-09"),
])
def test_published_is_normalised(value: str, normalised: str) -> None:
    assert parse_published(value) == normalised


@pytest.mark.parametrize("value", [
    "yesterday", "2024-13-01", "09/04/2024", "", "1403-01-21",  # the last: a Jalali date in ISO form
    20240409, ["2024-04-09"],
])
def test_bad_published_keeps_the_document_with_an_issue(tmp_path: Path, value: Any) -> None:
    path = _write_lines(tmp_path / "a.jsonl", [_line(text=ARABIC, published=value)])
    doc = _only(list(read_inputs([path])))
    assert doc.text == ARABIC
    assert doc.meta_value("published_meta") is None
    assert [issue.code for issue in doc.issues] == ["bad_published"]


def test_wrong_typed_optional_field_is_dropped_with_an_issue(tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "a.jsonl", [_line(text=ARABIC, url=["x"], id=True, outlet=None)])
    doc = _only(list(read_inputs([path])))
    assert doc.meta_value("url") is None and doc.meta_value("external_id") is None
    assert [issue.code for issue in doc.issues] == ["bad_field", "bad_field"]


def test_a_broken_line_is_rejected_alone(tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "mixed.jsonl", [
        _line(text=PERSIAN),
        '{"text": "نیمه‌کاره',  # cut in the middle of a string
        "",  # blank: not an item, but it still has a line number
        _line(text=ARABIC),
        "[1, 2]",
        _line(title="فقط عنوان"),
        _line(text=42),
        _line(text="   "),
    ])
    results = list(read_inputs([path]))
    summary = [(r.source.line, r.reason if isinstance(r, Rejection) else "doc") for r in results]
    assert summary == [(1, "doc"), (2, "bad_json"), (4, "doc"), (5, "bad_json"), (6, "missing_text"),
                       (7, "bad_field"), (8, "empty")]
    assert results[2].text == ARABIC


def test_invalid_utf8_line_is_bad_json(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"text": "caf\xe9"}\n' + _line(text=ARABIC).encode() + b"\n")
    results = list(read_inputs([path]))
    assert isinstance(results[0], Rejection) and results[0].reason == "bad_json"
    assert "UTF-8" in results[0].message
    assert isinstance(results[1], Document)


def test_bom_on_the_first_line_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + _line(text=ARABIC).encode() + b"\n")
    assert _only(list(read_inputs([path]))).text == ARABIC


def test_a_line_over_max_bytes_is_too_large_and_the_next_line_is_read(tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "a.jsonl", [_line(text="ب" * 5000), _line(text=ARABIC)])
    results = list(read_inputs([path], max_bytes=2_000))
    assert [(r.source.line, getattr(r, "reason", "doc")) for r in results] == [(1, "too_large"), (2, "doc")]


def test_gzip_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress((_line(text=PERSIAN) + "\n" + _line(text=ARABIC) + "\n").encode()))
    assert [r.text for r in read_inputs([path])] == [PERSIAN, ARABIC]


def test_truncated_gzip_keeps_the_lines_before_the_cut(tmp_path: Path) -> None:
    lines = [_line(id=i, text=f"{ARABIC} {i}") for i in range(200)]
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) * 2 // 3])
    results = list(read_inputs([path]))
    docs, rejections = results[:-1], results[-1]
    assert all(isinstance(d, Document) for d in docs)
    assert 0 < len(docs) < 200
    assert [d.meta_value("external_id") for d in docs] == [str(i) for i in range(len(docs))]
    assert isinstance(rejections, Rejection)
    assert rejections.reason == "truncated_gzip"
    assert rejections.source.line == len(docs) + 1


def test_corrupt_gzip_is_unreadable_after_the_good_lines(tmp_path: Path) -> None:
    data = bytearray(gzip.compress((_line(text=ARABIC) + "\n").encode() * 50))
    data[-8] ^= 0xFF  # the CRC-32 in the gzip trailer
    path = tmp_path / "crc.jsonl.gz"
    path.write_bytes(bytes(data))
    results = list(read_inputs([path]))
    assert all(isinstance(r, Document) for r in results[:-1])
    assert isinstance(results[-1], Rejection) and results[-1].reason == "unreadable"
    assert "CRC check failed" in results[-1].message


@pytest.mark.parametrize("compress", [False, True])
def test_stdin_dash_reads_jsonl(compress: bool) -> None:
    payload = (_line(text=PERSIAN) + "\n" + "{oops\n" + _line(text=ARABIC)).encode()  # no final newline
    stream = io.BytesIO(gzip.compress(payload) if compress else payload)
    results = list(read_inputs(["-"], stdin=stream))
    assert [(r.source.path, r.source.line, getattr(r, "reason", "doc")) for r in results] == [
        (None, 1, "doc"), (None, 2, "bad_json"), (None, 3, "doc")]
    assert results[2].text == ARABIC


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_jsonl_without_lines_is_one_empty_rejection(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "none.jsonl"
    path.write_bytes(content)
    [result] = read_inputs([path])
    assert isinstance(result, Rejection) and result.reason == "empty"


def test_html_field_goes_through_the_html_reader(tmp_path: Path, html_page) -> None:
    page = html_page("افتتاح کتابخانه در شیراز", PERSIAN.splitlines()).decode("utf-8")
    path = _write_lines(tmp_path / "a.jsonl", [_line(html=page, url="https://news.example.ir/a/3",
                                                     published="2024-04-09", lang="fa")])
    doc = _only(list(read_inputs([path])))
    assert "کتابخانه‌ای تازه در مرکز شهر" in doc.text  # ZWNJ and all
    assert doc.title is not None and doc.span_text(doc.title) == "افتتاح کتابخانه در شیراز"
    assert doc.source.line == 1 and doc.source.url == "https://news.example.ir/a/3"
    assert doc.meta_value("format") == "jsonl"
    assert doc.meta_value("published_meta") == "2024-04-09"
    assert doc.meta_value("lang_hint") == "fa"


def test_text_wins_over_html_and_blank_text_falls_back_to_html(tmp_path: Path, html_page) -> None:
    page = html_page("عنوان", PERSIAN.splitlines()).decode("utf-8")
    path = _write_lines(tmp_path / "a.jsonl", [_line(text=ARABIC, html=page), _line(text=" ", html=page)])
    first, second = read_inputs([path])
    assert first.text == ARABIC
    assert "کتابخانه‌ای تازه" in second.text
