"""JSON Lines articles: one JSON object a line, from a ``.jsonl`` / ``.jsonl.gz`` file or stdin.

Fields, all optional except ``text`` or ``html``::

    {"id", "url", "title", "text", "html", "published", "outlet", "lang"}

- ``text`` wins over ``html`` when both are given (it is the cheaper and already-clean form);
  a blank ``text`` falls back to ``html``. ``html`` goes through `readers.html.document_from_html`.
- ``title`` with ``text``: the document text is ``title + "\\n\\n" + text`` and ``Document.title``
  is the span of the title. When the text already starts with the title on a line of its own,
  the title is not repeated; the span points at that first line. A page given as ``html``
  keeps the title extracted from it, and ``title`` is not used.
- ``published`` (ISO 8601, ``2024-04-09`` or ``2024-04-09T10:00:00+04:30``) is stored as
  ``meta["published_meta"]`` in normalised ISO form. An unparseable value keeps the document and
  adds the issue ``bad_published``, as does a year before 1800, which is a Jalali or Hijri year
  written in ISO form (``1403-01-21``) rather than a Gregorian date.
- ``url``, ``outlet``, ``lang`` (as ``lang_hint``), ``id`` (as ``external_id``) and
  ``format="jsonl"`` go into ``Document.meta``; a wrong-typed optional field is dropped with an
  issue ``bad_field``. ``Source.line`` is the 1-based line number.

Every non-blank line is one item and yields exactly one result; blank lines are not items (they
still count for line numbers). A broken line is a ``bad_json`` rejection and the file goes on. A
line longer than ``max_bytes`` is a ``too_large`` rejection, skipped without holding it in
memory. Gzip is recognised by its magic bytes, also on stdin. A gzip stream cut short yields
the lines before the cut and then one ``truncated_gzip`` rejection; a corrupt one (bad
checksum or compressed data) the lines before the damage and then one ``unreadable``.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from khabar.document import DocIssue, Document, Source, Span
from khabar.readers.base import ReadResult, Rejection
from khabar.readers.text import os_error_message

GZIP_MAGIC = b"\x1f\x8b"
# Years before this in an ISO-shaped date are Jalali (~1400) or Hijri (~1445), not Gregorian.
_FIRST_PLAUSIBLE_YEAR = 1800
_SKIP_CHUNK = 1 << 20
_TITLE_SEPARATOR = "\n\n"
_OPTIONAL_STRING_FIELDS = (("url", "url"), ("outlet", "outlet"), ("lang", "lang_hint"))


def read_jsonl_file(path: str | Path, *, max_bytes: int) -> Iterator[ReadResult]:
    """Read a ``.jsonl`` or ``.jsonl.gz`` file, one result per non-blank line (never raises on bad data)."""
    label = str(path)
    try:
        handle = open(path, "rb")  # noqa: SIM115 -- closed below, after the generator is drained
    except OSError as error:
        yield Rejection(Source(path=label), "unreadable", os_error_message(error))
        return
    with handle:
        yield from read_jsonl_stream(handle, path=label, max_bytes=max_bytes)


def read_jsonl_stream(stream: BinaryIO, *, path: str | None, max_bytes: int) -> Iterator[ReadResult]:
    """Read JSON Lines from an open binary stream (plain or gzip); ``path=None`` means stdin."""
    try:
        stream = _decompressed(stream)
    except OSError as error:
        yield Rejection(Source(path=path), "unreadable", os_error_message(error))
        return
    lines = _numbered_lines(stream, max_bytes)
    line_number = 0
    items = 0
    while True:
        try:
            line_number, line = next(lines)
        except StopIteration:
            break
        except EOFError as error:
            yield Rejection(Source(path=path, line=line_number + 1), "truncated_gzip",
                            f"after line {line_number}: {error}")
            return
        except (gzip.BadGzipFile, zlib.error) as error:
            yield Rejection(Source(path=path, line=line_number + 1), "unreadable",
                            f"corrupt gzip data after line {line_number}: {error}")
            return
        except OSError as error:
            yield Rejection(Source(path=path, line=line_number + 1), "unreadable", os_error_message(error))
            return
        items += 1
        source = Source(path=path, line=line_number)
        if line is None:
            yield Rejection(source, "too_large", f"line {line_number} is over the limit of {max_bytes} bytes")
        else:
            yield document_from_json_line(line, source=source)
    if items == 0:
        where = "standard input" if path is None else "the file"
        yield Rejection(Source(path=path), "empty", f"{where} holds no JSON lines")


def document_from_json_line(line: bytes, *, source: Source) -> ReadResult:
    """Turn one JSONL line into a document, or a ``bad_json`` / ``missing_text`` / ``bad_field`` / ``empty`` rejection."""
    try:
        decoded = line.decode("utf-8")
    except UnicodeDecodeError as error:
        return Rejection(source, "bad_json", f"not UTF-8 (JSON Lines must be UTF-8): {error}")
    if source.line == 1:
        decoded = decoded.removeprefix("\ufeff")
    try:
        value = json.loads(decoded)
    except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
        return Rejection(source, "bad_json", f"{type(error).__name__}: {error}")
    if not isinstance(value, dict):
        return Rejection(source, "bad_json", f"a JSON {type(value).__name__}, not an object")
    return document_from_record(value, source=source)


def document_from_record(record: Mapping[str, Any], *, source: Source) -> ReadResult:
    """Turn one parsed JSONL object into a document (see the module docstring for the fields)."""
    text = record.get("text")
    html = record.get("html")
    for name, value in (("text", text), ("html", html)):
        if value is not None and not isinstance(value, str):
            return Rejection(source, "bad_field", f"`{name}` is a {type(value).__name__}, not a string")
    if text is None and html is None:
        return Rejection(source, "missing_text", "the object has neither `text` nor `html`")

    meta, issues = _record_meta(record)
    url = meta.get("url")
    source = Source(path=source.path, url=url, record=source.record, line=source.line)
    if text is not None and text.strip():
        title, title_issue = _optional_string(record, "title")
        if title_issue:
            issues.append(title_issue)
        full_text, title_span = _join_title(title.strip() if title else None, text)
        return Document(text=full_text, source=source, title=title_span,
                        issues=tuple(issues)).with_meta(**meta)
    if html is not None and html.strip():
        result = _document_from_html(html.encode("utf-8"), source=source, url=url)
        if isinstance(result, Rejection):
            return result
        doc = result.with_meta(**meta)
        for issue in issues:
            doc = doc.with_issue(issue.code, issue.message)
        return doc
    return Rejection(source, "empty", "`text` and `html` are blank")


def parse_published(value: str) -> str:
    """Normalise an ISO 8601 date or date-time to ISO form; raise ValueError when it is not one.

    ``2024-04-09`` stays a date; ``2024-04-09 10:00+04:30`` becomes ``2024-04-09T10:00:00+04:30``.
    A year before 1800 raises too: it is a Jalali or Hijri date in ISO clothing.
    """
    text = value.strip()
    parsed: date | datetime
    try:
        parsed = date.fromisoformat(text)
    except ValueError:
        parsed = datetime.fromisoformat(text)
    if parsed.year < _FIRST_PLAUSIBLE_YEAR:
        raise ValueError(f"year {parsed.year} is not a Gregorian news date (a Jalali or Hijri year?)")
    return parsed.isoformat()


def _record_meta(record: Mapping[str, Any]) -> tuple[dict[str, Any], list[DocIssue]]:
    meta: dict[str, Any] = {"format": "jsonl"}
    issues: list[DocIssue] = []
    for field, meta_key in _OPTIONAL_STRING_FIELDS:
        value, issue = _optional_string(record, field)
        if issue:
            issues.append(issue)
        elif value is not None and value.strip():
            meta[meta_key] = value.strip()
    external_id = record.get("id")
    if external_id is not None:
        # bool is an int subclass, and `true` is no id.
        if isinstance(external_id, str | int) and not isinstance(external_id, bool):
            meta["external_id"] = str(external_id)
        else:
            issues.append(DocIssue("bad_field", f"`id` is a {type(external_id).__name__}, not a string"))
    published = record.get("published")
    if published is not None:
        if not isinstance(published, str):
            issues.append(DocIssue("bad_published", f"`published` is a {type(published).__name__}, "
                                                    "not an ISO 8601 string"))
        else:
            try:
                meta["published_meta"] = parse_published(published)
            except ValueError as error:
                issues.append(DocIssue("bad_published", f"`published` {published!r}: {error}"))
    return meta, issues


def _optional_string(record: Mapping[str, Any], field: str) -> tuple[str | None, DocIssue | None]:
    value = record.get(field)
    if value is None or isinstance(value, str):
        return value, None
    return None, DocIssue("bad_field", f"`{field}` is a {type(value).__name__}, not a string; dropped")


def _join_title(title: str | None, text: str) -> tuple[str, Span | None]:
    if not title:
        return text, None
    if text == title or text.startswith((title + "\n", title + "\r")):
        return text, Span(0, len(title))
    return title + _TITLE_SEPARATOR + text, Span(0, len(title))


def _document_from_html(data: bytes, *, source: Source, url: str | None) -> ReadResult:
    # Imported here so that reading text-only JSONL does not pay for importing the HTML stack.
    from khabar.readers.html import document_from_html

    return document_from_html(data, source=source, url=url, crawl_date=None, encoding_hint="utf-8")


def _decompressed(stream: BinaryIO) -> BinaryIO:
    """The stream itself, or a gzip reader over it when it starts with the gzip magic bytes."""
    peekable: Any = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
    if peekable.peek(2)[:2] == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=peekable, mode="rb")  # type: ignore[return-value]
    return peekable


def _numbered_lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line_number, line)`` for each non-blank line; ``line`` is None when it is over ``max_bytes``.

    Reading errors (a cut gzip stream raises EOFError) propagate to the caller.
    """
    number = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            # Too long: skip the rest of the line in bounded chunks instead of holding it.
            rest = line
            while rest and not rest.endswith(b"\n"):
                rest = stream.readline(_SKIP_CHUNK)
            yield number, None
        elif line.strip():
            yield number, line


__all__ = ["document_from_json_line", "document_from_record", "parse_published", "read_jsonl_file",
           "read_jsonl_stream"]
