"""Turn command-line inputs (files, directories, ``-``) into a stream of documents and rejections.

Dispatch is by file name (case-insensitive):

========================  ==========================================================
``.txt``, ``.text``,       one text article per file (`readers.text`)
no extension
``.html``, ``.htm``        one page per file (`readers.html.document_from_html`)
``.jsonl``, ``.jsonl.gz``  one article per line (`readers.jsonl`)
``.warc``, ``.warc.gz``    one page per HTML response record (`readers.warc`)
anything else              one ``unsupported`` rejection, without reading the file
========================  ==========================================================

``max_bytes`` limits one item: a text or HTML file, a JSONL line, a WARC record's payload. A
JSONL or WARC file as a whole may be larger.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from khabar.document import Source
from khabar.readers.base import ReadResult, Rejection
from khabar.readers.jsonl import read_jsonl_file, read_jsonl_stream
from khabar.readers.text import os_error_message, read_limited_bytes, read_text_file
from khabar.readers.warc import read_warc_file

DEFAULT_MAX_BYTES = 20_000_000
STDIN = "-"

FileKind = Literal["text", "html", "jsonl", "warc", "unsupported"]
_SUFFIX_KINDS: tuple[tuple[str, FileKind], ...] = (
    (".jsonl.gz", "jsonl"), (".jsonl", "jsonl"),
    (".warc.gz", "warc"), (".warc", "warc"),
    (".html", "html"), (".htm", "html"),
    (".txt", "text"), (".text", "text"),
)


@dataclass(frozen=True, slots=True)
class _WalkError:
    """A directory that could not be listed; it becomes one ``unreadable`` rejection."""

    path: str
    message: str


def read_inputs(paths: Sequence[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES,
                stdin: BinaryIO | None = None) -> Iterator[ReadResult]:
    """Read every input, yielding one `Document` or `Rejection` per input item; never raises on bad data.

    An item is a text or HTML file, a non-blank JSONL line, or an HTML response record of a WARC
    file; other WARC records (requests, metadata, non-HTML or non-2xx responses) are skipped and
    not counted. A JSONL or WARC file that yields no item at all becomes one ``empty`` rejection.

    ``-`` reads JSON Lines (plain or gzip) from ``stdin`` (default ``sys.stdin.buffer``). A
    directory is read recursively in sorted order, skipping hidden files and directories (names
    starting with ``.``) and not following symlinked directories; a path is reported as given.
    """
    for entry in _expand(paths):
        if isinstance(entry, _WalkError):
            yield Rejection(Source(path=entry.path), "unreadable", entry.message)
        elif entry == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from read_jsonl_stream(stream, path=None, max_bytes=max_bytes)
        else:
            yield from read_file(entry, max_bytes=max_bytes)


def count_input_files(paths: Sequence[str | Path]) -> int:
    """How many files (and ``-`` streams) `read_inputs` will open: the total for a progress bar."""
    return sum(1 for _ in _expand(paths))


def file_kind(path: str | Path) -> FileKind:
    """Which reader a file name goes to (see the module docstring)."""
    name = Path(path).name.lower()
    for suffix, kind in _SUFFIX_KINDS:
        if name.endswith(suffix):
            return kind
    return "text" if not Path(name).suffix else "unsupported"


def read_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[ReadResult]:
    """Read one file by its kind, yielding one result per item in it."""
    kind = file_kind(path)
    label = str(path)
    if kind == "text":
        yield read_text_file(path, max_bytes=max_bytes)
    elif kind == "html":
        yield _read_html_file(path, max_bytes=max_bytes)
    elif kind == "jsonl":
        yield from read_jsonl_file(path, max_bytes=max_bytes)
    elif kind == "warc":
        yield from read_warc_file(path, max_bytes=max_bytes)
    else:
        suffix = Path(label).suffix
        yield Rejection(Source(path=label), "unsupported", f"khabar does not read {suffix!r} files")


def _read_html_file(path: str | Path, *, max_bytes: int) -> ReadResult:
    # Imported here so that text-only runs do not pay for importing the HTML stack.
    from khabar.readers.html import document_from_html

    source = Source(path=str(path))
    data = read_limited_bytes(path, source=source, max_bytes=max_bytes)
    if isinstance(data, Rejection):
        return data
    return document_from_html(data, source=source)


def _expand(paths: Sequence[str | Path]) -> Iterator[str | _WalkError]:
    """Each input as a path string to read, ``-`` for stdin, or a directory that could not be listed."""
    for given in paths:
        label = os.fspath(given)
        if label == STDIN:
            yield STDIN
        elif os.path.isdir(label):
            yield from _walk(label)
        else:
            yield label  # a missing path is reported by its reader as `unreadable`


def _walk(root: str) -> Iterator[str | _WalkError]:
    """Files under a directory, sorted by their path components, hidden names skipped."""
    found: list[tuple[tuple[str, ...], str | _WalkError]] = []

    def note_error(error: OSError) -> None:
        where = error.filename or root
        found.append((_components(root, where), _WalkError(where, os_error_message(error))))

    for folder, dirnames, filenames in os.walk(root, onerror=note_error):
        # os.walk descends into the names left in `dirnames`; pruning here skips hidden ones.
        dirnames[:] = sorted(name for name in dirnames if not name.startswith("."))
        for name in filenames:
            if not name.startswith("."):
                path = os.path.join(folder, name)
                found.append((_components(root, path), path))
    found.sort(key=lambda item: item[0])
    for _, entry in found:
        yield entry


def _components(root: str, path: str) -> tuple[str, ...]:
    return Path(os.path.relpath(path, root)).parts


__all__ = ["DEFAULT_MAX_BYTES", "STDIN", "count_input_files", "file_kind", "read_file", "read_inputs"]
