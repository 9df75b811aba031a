"""Plain-text reading: encoding detection, binary/empty detection, and the text file reader."""

from __future__ import annotations

import codecs
import os
import tracemalloc
from pathlib import Path

import pytest

from khabar.readers import DecodedText, DecodeFailure, Rejection, decode_text, read_inputs
from khabar.readers.text import read_text_file
from tests.conftest import shared_path
from tests.readers.conftest import ARABIC, ARABIC_SHARED_BYTES, ENGLISH, PERSIAN, PERSIAN_1256

# (case, bytes, encoding the decoder must report, text it must return)
ENCODING_CASES = [
    ("utf-8 Persian", PERSIAN.encode("utf-8"), "utf-8", PERSIAN),
    ("utf-8 English", ENGLISH.encode("utf-8"), "utf-8", ENGLISH),
    ("utf-8 BOM", codecs.BOM_UTF8 + ARABIC.encode("utf-8"), "utf-8-sig", ARABIC),
    ("utf-16-le BOM", codecs.BOM_UTF16_LE + PERSIAN.encode("utf-16-le"), "utf-16", PERSIAN),
    ("utf-16-be BOM", codecs.BOM_UTF16_BE + PERSIAN.encode("utf-16-be"), "utf-16", PERSIAN),
    ("utf-16-le no BOM", ARABIC.encode("utf-16-le"), "utf-16-le", ARABIC),
    ("utf-16-be no BOM", ARABIC.encode("utf-16-be"), "utf-16-be", ARABIC),
    ("utf-16-le no BOM English", ENGLISH.encode("utf-16-le"), "utf-16-le", ENGLISH),
    ("utf-32 BOM", "\ufeff".encode("utf-32-le") + PERSIAN.encode("utf-32-le"), "utf-32", PERSIAN),
    ("windows-1256 Persian", PERSIAN_1256.encode("windows-1256"), "windows-1256", PERSIAN_1256),
    ("windows-1256 Arabic", ARABIC.encode("windows-1256"), "windows-1256", ARABIC),
    ("windows-1256 Arabic, bytes also valid ISO-8859-6", ARABIC_SHARED_BYTES.encode("windows-1256"),
     "windows-1256", ARABIC_SHARED_BYTES),
    # Bytes both code pages decode to the same letters: the tie goes to windows-1256.
    ("windows-1256/ISO-8859-6 tie", "سحب ثابت".encode("windows-1256"), "windows-1256", "سحب ثابت"),
    # ISO-8859-6 reads é as ى and so finds one letter more, but reads گ as a C1 control: the
    # control costs more than the extra letter gains.
    ("windows-1256 Persian with French words", "گرد سحاب ثابت در ساحل رود café et thé".encode("windows-1256"),
     "windows-1256", "گرد سحاب ثابت در ساحل رود café et thé"),
    ("ISO-8859-6 Arabic", ARABIC.encode("iso-8859-6"), "iso-8859-6", ARABIC),
    ("ISO-8859-6 Arabic, shared letters", ARABIC_SHARED_BYTES.encode("iso-8859-6"), "iso-8859-6",
     ARABIC_SHARED_BYTES),
]


@pytest.mark.parametrize(("data", "encoding", "text"), [case[1:] for case in ENCODING_CASES],
                         ids=[case[0] for case in ENCODING_CASES])
def test_decodes_to_the_exact_original_text(data: bytes, encoding: str, text: str) -> None:
    result = decode_text(data)
    assert isinstance(result, DecodedText), result
    assert result.text == text
    assert result.encoding == encoding
    # The reported codec reproduces the text from the bytes (a leading BOM included).
    assert data.decode(result.encoding) == result.text


def test_the_two_arabic_code_pages_really_share_those_bytes() -> None:
    # Guards the "shared letters" cases above: both code pages decode both byte strings, so
    # only the scoring (not a decoding error) can have picked the right one.
    for codec in ("windows-1256", "iso-8859-6"):
        ARABIC_SHARED_BYTES.encode(codec).decode("windows-1256")
        ARABIC_SHARED_BYTES.encode(codec).decode("iso-8859-6")


def test_line_endings_and_spacing_are_kept_as_decoded() -> None:
    text = "  سطر اول\r\nسطر دوم\rسطر سوم\n\n"
    result = decode_text(text.encode("utf-8"))
    assert isinstance(result, DecodedText)
    assert result.text == text


def _even_length(data: bytes) -> bytes:
    return data if len(data) % 2 == 0 else data + b" "


REJECTED_BYTES = [
    ("zero bytes", b"", "empty"),
    ("whitespace", b" \n\t\r\n  ", "empty"),
    ("BOM only", codecs.BOM_UTF8, "empty"),
    ("UTF-16 spaces", codecs.BOM_UTF16_LE + "   \n".encode("utf-16-le"), "empty"),
    ("PNG-like header", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)), "binary"),
    # Even length, so that only the share of NULs (one in 74 code units) rules out UTF-16.
    ("stray NUL in UTF-8", _even_length((ENGLISH + "\x00" + ENGLISH).encode("utf-8")), "binary"),
    ("control characters", bytes(range(1, 32)) * 20, "binary"),
    ("seeded random bytes", __import__("random").Random(7).randbytes(4096), "binary"),
    # Every byte of the upper half once per copy: neither Arabic code page yields mostly
    # Arabic letters and charset-normalizer finds no code page either.
    ("upper-half bytes", bytes(range(0x80, 0x100)) * 4, "encoding"),
]


@pytest.mark.parametrize(("data", "reason"), [case[1:] for case in REJECTED_BYTES],
                         ids=[case[0] for case in REJECTED_BYTES])
def test_rejects_what_is_not_a_text(data: bytes, reason: str) -> None:
    result = decode_text(data)
    assert isinstance(result, DecodeFailure), result
    assert result.reason == reason
    assert result.message


def test_text_file_document(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(PERSIAN_1256.encode("windows-1256"))
    doc = read_text_file(str(path), max_bytes=1_000)
    assert not isinstance(doc, Rejection), doc
    assert doc.text == PERSIAN_1256
    assert doc.source.path == str(path)
    assert doc.meta_value("format") == "txt"
    assert doc.meta_value("encoding") == "windows-1256"
    assert doc.title is None


@pytest.mark.parametrize("name", ["article.txt", "article.TEXT", "ARTICLE"])
def test_text_extensions_and_no_extension_are_text(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(ENGLISH, encoding="utf-8")
    [doc] = read_inputs([tmp_path / name])
    assert not isinstance(doc, Rejection), doc
    assert doc.text == ENGLISH


def test_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with open(path, "wb") as handle:
        for _ in range(8):
            handle.write(b"a" * (1 << 20))
    tracemalloc.start()
    try:
        result = read_text_file(path, max_bytes=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(result, Rejection)
    assert result.reason == "too_large"
    assert "8388608 bytes" in result.message
    assert peak < 1_000_000, f"{peak} bytes allocated: the file was read"


def test_exactly_max_bytes_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "edge.txt"
    path.write_bytes(b"x" * 100)
    assert not isinstance(read_text_file(path, max_bytes=100), Rejection)
    rejected = read_text_file(path, max_bytes=99)
    assert isinstance(rejected, Rejection) and rejected.reason == "too_large"


def test_missing_file_is_unreadable_with_the_os_message(tmp_path: Path) -> None:
    path = tmp_path / "gone.txt"
    result = read_text_file(path, max_bytes=1_000)
    assert isinstance(result, Rejection)
    assert result.reason == "unreadable"
    assert "No such file or directory" in result.message
    assert str(path) in result.message


def test_a_fifo_is_not_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = read_text_file(fifo, max_bytes=1_000)  # opening a FIFO for reading would block
    assert isinstance(result, Rejection)
    assert result.reason == "unreadable"
    assert "not a regular file" in result.message


def test_the_seed_articles_read_back_unchanged(seed_files: list[Path]) -> None:
    results = list(read_inputs([shared_path("seeds")]))
    assert [r.source.path for r in results] == [str(shared_path("seeds") / p.name) for p in seed_files]
    for path, doc in zip(seed_files, results, strict=True):
        assert not isinstance(doc, Rejection), doc
        assert doc.text == path.read_bytes().decode(doc.meta_value("encoding"))
        assert doc.meta_value("encoding") in ("utf-8", "utf-8-sig")
