"""Plain-text articles: one article per ``.txt`` / ``.text`` file (or a file with no extension).

The text is kept exactly as decoded (see `readers.encoding`): line endings are not normalised
and nothing is trimmed; only a leading byte-order mark is dropped. ``Document.meta`` gets
``format="txt"`` and ``encoding``, the Python codec name that decodes the file's bytes to the
text.

Also holds the one careful way to read a whole file, shared with the HTML dispatch: the size is
checked with ``stat`` first, so a file over the limit is rejected without being read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from khabar.document import Document, Source
from khabar.readers.base import ReadResult, Rejection
from khabar.readers.encoding import DecodeFailure, decode_text


def read_text_file(path: str | Path, *, max_bytes: int) -> ReadResult:
    """Read one text article, or say why it is not one (never raises on bad data)."""
    source = Source(path=str(path))
    data = read_limited_bytes(path, source=source, max_bytes=max_bytes)
    if isinstance(data, Rejection):
        return data
    return document_from_text_bytes(data, source=source)


def document_from_text_bytes(data: bytes, *, source: Source) -> ReadResult:
    """Decode the bytes of one text article into a `Document` (``format="txt"``)."""
    decoded = decode_text(data)
    if isinstance(decoded, DecodeFailure):
        return Rejection(source, decoded.reason, decoded.message)
    return Document(text=decoded.text, source=source).with_meta(format="txt", encoding=decoded.encoding)


def read_limited_bytes(path: str | Path, *, source: Source, max_bytes: int) -> bytes | Rejection:
    """All bytes of a regular file, or a ``too_large`` / ``unreadable`` rejection.

    The size is checked before reading, so a huge file costs one ``stat``; at most
    ``max_bytes + 1`` bytes are ever read, in case the file grows in between.
    """
    try:
        info = os.stat(path)  # follows symlinks: a dangling one fails here
        if not stat.S_ISREG(info.st_mode):
            # A directory, FIFO or device: opening a FIFO would block, a device may never end.
            return Rejection(source, "unreadable", f"not a regular file: {path}")
        if info.st_size > max_bytes:
            return Rejection(source, "too_large", f"{info.st_size} bytes, over the limit of {max_bytes}")
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        return Rejection(source, "unreadable", os_error_message(error))
    if len(data) > max_bytes:
        return Rejection(source, "too_large", f"over {max_bytes} bytes (the file grew while being read)")
    return data


def os_error_message(error: OSError) -> str:
    """The operating system's own words for an I/O error, with the path it concerns."""
    if error.strerror and error.filename is not None:
        return f"{error.strerror}: {error.filename}"
    return str(error) or type(error).__name__


__all__ = ["document_from_text_bytes", "os_error_message", "read_limited_bytes", "read_text_file"]
