"""A folder mixing good articles with every kind of bad input: each good one is read, each bad
one is rejected with its exact reason, and the counts add up."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
from pathlib import Path

import pytest

from khabar.document import Document
from khabar.readers import REASONS, Rejection, count_input_files, read_inputs
from tests.readers.conftest import ARABIC, ENGLISH, PERSIAN, PERSIAN_1256

FIFTY_MB = 50 * 1024 * 1024


def _write_fifty_mb_single_line(path: Path) -> None:
    chunk = b"x" * (1 << 20)
    with open(path, "wb") as handle:
        for _ in range(FIFTY_MB // len(chunk)):
            handle.write(chunk)


def _make_unreadable(folder: Path) -> Path:
    """A file the reader cannot open: chmod 000, or, where that does not block reads (root), a
    dangling symlink, so that the ``unreadable`` path is exercised for real either way."""
    locked = folder / "locked.txt"
    locked.write_text(ENGLISH, encoding="utf-8")
    locked.chmod(0)
    try:
        with open(locked, "rb"):
            blocked = False
    except PermissionError:
        blocked = True
    if blocked:
        return locked
    locked.chmod(0o644)
    locked.unlink()
    locked.symlink_to(folder / "no-such-target.txt")
    return locked


@pytest.fixture
def messy_folder(tmp_path: Path, html_page, warc_bytes, two_page_records) -> tuple[Path, dict[str, list[str]]]:
    """The folder, and for each file (relative path) the outcomes it must produce, in order."""
    root = tmp_path / "inbox"
    (root / "sub").mkdir(parents=True)
    expected: dict[str, list[str]] = {}

    def add(name: str, content: bytes, outcomes: list[str]) -> Path:
        path = root / name
        path.write_bytes(content)
        expected[name] = outcomes
        return path

    # Good articles.
    add("a_persian.txt", PERSIAN.encode("utf-8"), ["doc"])
    add("b_windows1256.txt", PERSIAN_1256.encode("windows-1256"), ["doc"])
    add("c_utf16.txt", ARABIC.encode("utf-16-le"), ["doc"])  # no BOM: found by its NUL bytes
    add("d_page.html", html_page("مستشفى جديد في البصرة", [ARABIC.strip()], lang="ar"), ["doc"])
    add("sub/e_nested", codecs.BOM_UTF8 + ENGLISH.encode("utf-8"), ["doc"])  # no extension: text
    # Bad ones, and containers mixing both.
    add("f_binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, ["binary"])
    add("g_empty.txt", b"", ["empty"])
    add("h_blank_page.html", b"<html><head><title>x</title></head><body><div></div></body></html>", ["no_text"])
    jsonl = "\n".join([json.dumps({"text": PERSIAN}, ensure_ascii=False), '{"text": "بریده',
                       json.dumps({"text": ARABIC, "title": "عنوان"}, ensure_ascii=False)]) + "\n"
    add("i_feed.jsonl", jsonl.encode("utf-8"), ["doc", "bad_json", "doc"])
    warc = warc_bytes(two_page_records, compress=True)
    add("j_crawl.warc.gz", warc[:-60], ["doc", "truncated_warc"])
    add("k_report.pdf", b"%PDF-1.4\n", ["unsupported"])
    add("l_gz_feed.jsonl.gz", gzip.compress(jsonl.encode("utf-8"))[:-30], ["doc", "bad_json", "truncated_gzip"])
    _write_fifty_mb_single_line(root / "m_huge.txt")
    expected["m_huge.txt"] = ["too_large"]
    _make_unreadable(root)
    expected["locked.txt"] = ["unreadable"]
    # Hidden files and folders are not inputs.
    (root / ".DS_Store").write_bytes(b"\x00\x01binary")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD.txt").write_text(ENGLISH, encoding="utf-8")
    return root, expected


def test_every_input_gets_its_exact_outcome(messy_folder: tuple[Path, dict[str, list[str]]]) -> None:
    root, expected = messy_folder
    results = list(read_inputs([root]))

    outcomes: dict[str, list[str]] = {}
    for result in results:
        name = os.path.relpath(result.source.path, root)
        outcome = result.reason if isinstance(result, Rejection) else "doc"
        outcomes.setdefault(name, []).append(outcome)
    assert outcomes == expected

    # Sorted order, paths as found under the folder given.
    order = list(dict.fromkeys(os.path.relpath(r.source.path, root) for r in results))
    assert order == sorted(expected, key=lambda name: Path(name).parts)
    assert all(r.source.path.startswith(str(root)) for r in results)

    # The counts add up: every item is exactly one document or one rejection.
    docs = [r for r in results if isinstance(r, Document)]
    rejections = [r for r in results if isinstance(r, Rejection)]
    assert len(docs) == sum(o.count("doc") for o in expected.values()) == 9
    assert len(rejections) == sum(len(o) for o in expected.values()) - 9 == 10
    assert len(docs) + len(rejections) == len(results)
    assert count_input_files([root]) == len(expected) == 14
    assert all(r.reason in REASONS and r.message for r in rejections)


def test_good_articles_read_back_exactly(messy_folder: tuple[Path, dict[str, list[str]]]) -> None:
    root, _ = messy_folder
    docs = {os.path.relpath(r.source.path, root): r for r in read_inputs([root]) if isinstance(r, Document)}
    assert docs["a_persian.txt"].text == PERSIAN
    assert docs["b_windows1256.txt"].text == PERSIAN_1256
    assert docs["b_windows1256.txt"].meta_value("encoding") == "windows-1256"
    assert docs["c_utf16.txt"].text == ARABIC
    assert docs["c_utf16.txt"].meta_value("encoding") == "utf-16-le"
    assert docs["sub/e_nested"].text == ENGLISH  # BOM dropped
    assert "مستشفى جديد" in docs["d_page.html"].text


def test_rejection_details(messy_folder: tuple[Path, dict[str, list[str]]]) -> None:
    root, _ = messy_folder
    rejected = {(os.path.relpath(r.source.path, root), r.reason): r
                for r in read_inputs([root]) if isinstance(r, Rejection)}
    assert str(FIFTY_MB) in rejected["m_huge.txt", "too_large"].message
    assert rejected["i_feed.jsonl", "bad_json"].source.line == 2
    assert rejected["l_gz_feed.jsonl.gz", "truncated_gzip"].source.line == 3  # the cut line
    unreadable = rejected["locked.txt", "unreadable"].message
    assert "Permission denied" in unreadable or "No such file or directory" in unreadable


def test_explicit_paths_missing_files_and_stdin_mix(tmp_path: Path) -> None:
    good = tmp_path / "one.txt"
    good.write_text(PERSIAN, encoding="utf-8")
    stdin = io.BytesIO(json.dumps({"text": ARABIC}, ensure_ascii=False).encode() + b"\n")
    paths = [str(good), str(tmp_path / "missing.txt"), "-", str(tmp_path / "missing_dir") + "/x.html"]
    results = list(read_inputs(paths, stdin=stdin))
    assert [(r.source.path, getattr(r, "reason", "doc")) for r in results] == [
        (str(good), "doc"), (str(tmp_path / "missing.txt"), "unreadable"), (None, "doc"),
        (paths[3], "unreadable")]
    assert count_input_files(paths) == 4
