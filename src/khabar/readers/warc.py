"""WARC files (``.warc``, ``.warc.gz``): every HTML response record is one page.

A record is an item, and yields exactly one result, when it is a ``response`` record with a
2xx HTTP status and an HTML Content-Type (``text/html`` or ``application/xhtml+xml``). All
other records (requests, metadata, revisits, warcinfo, images, redirects, error pages) are
skipped and are not counted as items. A page goes through `readers.html.document_from_html`
with ``url`` = WARC-Target-URI, ``crawl_date`` = WARC-Date and
``Source(path, url, record=WARC-Record-ID)``; its payload (after transfer and content
decoding) over ``max_bytes`` is a ``too_large`` rejection.

warcio on its own stops silently at many kinds of truncation, so this reader checks for them:
the file's gzip stream is decompressed here (a cut stream raises, and the error is kept), and
every record's block must be as long as its Content-Length says. A truncated or corrupt file
yields the pages read before the damage, then one ``truncated_warc`` (or ``bad_warc``)
rejection, and never raises.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from khabar.document import Source
from khabar.readers.base import ReadResult, Rejection
from khabar.readers.text import os_error_message

GZIP_MAGIC = b"\x1f\x8b"
HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_DRAIN_CHUNK = 1 << 16


class _GuardedStream:
    """A read-only stream that turns read errors into end-of-data and remembers the first one.

    warcio treats an EOFError while parsing a record as the normal end of the file, which would
    hide a cut gzip stream; here the error is kept for the reader to report instead. Reads use
    ``read1`` so that the data before a cut is returned before the cut raises.
    """

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self._read = raw.read1 if hasattr(raw, "read1") else raw.read
        self.error: Exception | None = None
        self.position = 0
        # Offset just after the last non-whitespace byte read: data past the last complete
        # record that is more than blank lines is a record cut short.
        self.content_end = 0

    def read(self, size: int = -1) -> bytes:
        if self.error is not None:
            return b""
        try:
            data = self._read(size)
        except (EOFError, OSError, zlib.error) as error:  # gzip.BadGzipFile is an OSError
            self.error = error
            return b""
        trimmed = len(data.rstrip())
        if trimmed:
            self.content_end = self.position + trimmed
        self.position += len(data)
        return data

    def tell(self) -> int:
        return self.position


def read_warc_file(path: str | Path, *, max_bytes: int) -> Iterator[ReadResult]:
    """Read the HTML pages of a WARC file (see the module docstring); never raises on bad data."""
    label = str(path)
    try:
        handle = open(path, "rb")  # noqa: SIM115 -- closed below, after the generator is drained
        head = handle.read(2)
        handle.seek(0)
    except OSError as error:
        yield Rejection(Source(path=label), "unreadable", os_error_message(error))
        return
    with handle:
        raw: Any = gzip.GzipFile(fileobj=handle, mode="rb") if head == GZIP_MAGIC else handle
        yield from read_warc_stream(raw, path=label, max_bytes=max_bytes)


def read_warc_stream(stream: BinaryIO, *, path: str | None, max_bytes: int) -> Iterator[ReadResult]:
    """Read the HTML pages of an uncompressed WARC stream (decompress a ``.warc.gz`` first)."""
    guarded = _GuardedStream(stream)
    archive = ArchiveIterator(guarded)
    records = iter(archive)
    seen_records = 0
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except Exception as error:  # warcio raises assorted errors (even AttributeError) on damaged input
            yield _damage(path, guarded, error, seen_records)
            return
        seen_records += 1
        if record.length is None:
            # Content-Length is mandatory in every WARC record (WARC 1.1, section 5.3); warcio
            # yields a record without one when the file stops inside the record's headers.
            yield Rejection(_record_source(path, record), "truncated_warc",
                            f"the file is cut after {seen_records - 1} records, inside a record's headers")
            return
        wanted = is_html_response(record)
        try:
            payload = record.content_stream().read(max_bytes + 1) if wanted else b""
            missing = _drain(record)
        except Exception as error:  # e.g. broken chunked transfer encoding inside warcio
            yield _damage(path, guarded, error, seen_records, record=record)
            return
        source = _record_source(path, record)
        if missing:
            detail = f"{missing} bytes of its block are missing"
            if guarded.error is not None:
                detail += f" ({_error_text(guarded.error)})"
            yield Rejection(source, "truncated_warc", f"the file ends inside record {source.record}: {detail}")
            return
        if not wanted:
            continue
        if len(payload) > max_bytes:
            yield Rejection(source, "too_large", f"the payload is over the limit of {max_bytes} bytes")
            continue
        yield _document_from_html(
            payload, source=source, url=source.url,
            crawl_date=record.rec_headers.get_header("WARC-Date"),
            encoding_hint=_charset(record.http_headers.get_header("Content-Type")),
        )
    # warcio ends quietly when the file stops inside a record's headers; what was read past the
    # end of the last complete record then holds more than the blank lines between records.
    records_end = archive.get_record_offset() + archive.get_record_length() if seen_records else 0
    if guarded.error is not None:
        yield _damage(path, guarded, None, seen_records)
    elif guarded.content_end > records_end:
        yield Rejection(Source(path=path), "truncated_warc",
                        f"the file is cut after {seen_records} records: the last "
                        f"{guarded.content_end - records_end} bytes are an incomplete record")
    elif seen_records == 0:
        yield Rejection(Source(path=path), "empty", "the WARC file holds no records")


def is_html_response(record: Any) -> bool:
    """True for a ``response`` record with a 2xx HTTP status and an HTML Content-Type."""
    if record.rec_type != "response" or record.http_headers is None:
        return False
    status = record.http_headers.get_statuscode() or ""
    if not status.startswith("2"):
        return False
    content_type = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    return content_type in HTML_CONTENT_TYPES


def _drain(record: Any) -> int:
    """Read the rest of a record's block; return how many bytes its Content-Length promised but the file lacks."""
    raw = record.raw_stream
    while raw.read(_DRAIN_CHUNK):
        pass
    return max(0, getattr(raw, "limit", 0))


def _damage(path: str | None, guarded: _GuardedStream, error: Exception | None, seen_records: int,
            record: Any = None) -> Rejection:
    """One rejection for a WARC stream that cannot be read further."""
    source = Source(path=path) if record is None else _record_source(path, record)
    cause = guarded.error or error
    if isinstance(cause, gzip.BadGzipFile | zlib.error):
        return Rejection(source, "bad_warc", f"corrupt gzip data after {seen_records} records: {cause}")
    if isinstance(cause, OSError):
        return Rejection(source, "unreadable", os_error_message(cause))
    if isinstance(error, ArchiveLoadFailed) and seen_records == 0 and guarded.error is None:
        return Rejection(source, "bad_warc", f"not a WARC file: {' '.join(str(error).split())}")
    return Rejection(source, "truncated_warc",
                     f"the file is cut after {seen_records} records: {_error_text(cause)}")


def _record_source(path: str | None, record: Any) -> Source:
    return Source(path=path, url=record.rec_headers.get_header("WARC-Target-URI"),
                  record=record.rec_headers.get_header("WARC-Record-ID"))


def _error_text(error: Exception | None) -> str:
    if error is None:
        return "unknown error"
    return f"{type(error).__name__}: {' '.join(str(error).split())}"


def _charset(content_type: str | None) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _document_from_html(data: bytes, *, source: Source, url: str | None, crawl_date: str | None,
                        encoding_hint: str | None) -> ReadResult:
    # Imported here, like in readers.jsonl, so that text-only runs skip the HTML stack.
    from khabar.readers.html import document_from_html

    return document_from_html(data, source=source, url=url, crawl_date=crawl_date, encoding_hint=encoding_hint)


__all__ = ["HTML_CONTENT_TYPES", "is_html_response", "read_warc_file", "read_warc_stream"]
