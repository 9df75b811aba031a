"""What every reader yields: a `Document`, or a `Rejection` that says why an input was not one.

Readers never raise on bad data. Each input item (a file, a JSONL line, a WARC record) becomes
exactly one `ReadResult`, so ``read = ingested + duplicates + rejected`` can be counted.
"""

from __future__ import annotations

from dataclasses import dataclass

from khabar.document import Document, Source

# Reason codes for rejected inputs. Stored in the `rejections` table; documented in docs/schema.md.
REASONS: dict[str, str] = {
    "binary": "the bytes are not text (NUL bytes or control characters); give a text, HTML, WARC or JSONL file",
    "empty": "the input holds no text after decoding and trimming",
    "encoding": "no supported encoding (UTF-8/16, windows-1256, ISO-8859-6) decodes it cleanly",
    "too_large": "larger than the reader's size limit; split it or raise --max-bytes",
    "unreadable": "the file could not be opened or read (permissions, a vanished file, an I/O error)",
    "no_text": "the HTML page has no main text the extractor could find",
    "bad_html": "the HTML could not be parsed",
    "bad_json": "a JSONL line is not a JSON object",
    "missing_text": "a JSONL object has neither `text` nor `html`",
    "bad_field": "a JSONL field has the wrong type or an unparseable value",
    "truncated_warc": "the WARC file ends in the middle of a record or its gzip stream is cut",
    "bad_warc": "the WARC record could not be parsed",
    "unsupported": "a file type khabar does not read (use .txt, .html, .warc[.gz], .jsonl[.gz])",
    # Added by the file readers: a gzip stream cut short loses every line after the cut. (A
    # corrupt one, with a bad checksum or compressed data, is `unreadable` past the damage.)
    "truncated_gzip": "the gzip stream ends early; the lines after the cut are lost",
}


@dataclass(frozen=True, slots=True)
class Rejection:
    """One input item that did not become a document, and why."""

    source: Source
    reason: str
    message: str

    def __post_init__(self) -> None:
        if self.reason not in REASONS:
            raise ValueError(f"unknown rejection reason {self.reason!r}; add it to REASONS with an explanation")

    def to_json(self) -> dict[str, object]:
        return {"source": self.source.to_json(), "reason": self.reason, "message": self.message}


ReadResult = Document | Rejection
