"""The one data model: a `Document` that owns its text, and annotations that point into it.

Every annotation is a character span ``(start, end)`` into ``Document.text``; the text is never
edited after reading. Normalised forms of the text are `TextView` objects that carry an offset
map back to ``text`` (see `khabar.normalize`), so anything found in a view is reported against
the original characters.

Documents are frozen dataclasses holding tuples: a stage returns a new document with
``dataclasses.replace`` instead of mutating, and documents pickle cleanly for Spark.
"""

from __future__ import annotations

import hashlib
import json
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

SCHEMA_VERSION = 1

BlockKind = Literal["title", "lead", "body", "boilerplate", "comment", "caption", "byline", "dateline", "tags"]
BLOCK_KINDS: tuple[str, ...] = (
    "title", "lead", "body", "boilerplate", "comment", "caption", "byline", "dateline", "tags",
)
PublishedSource = Literal["metadata", "url", "text", "story"]


def document_id(text: str) -> str:
    """Stable id of a document: the first 16 hex digits of the SHA-256 of its text as read."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Span:
    """A character span into a document's text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span ({self.start}, {self.end}): need 0 <= start <= end")

    def text_in(self, text: str) -> str:
        return text[self.start:self.end]

    def to_json(self) -> dict[str, int]:
        return {"start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Source:
    """Where a document came from: a file path, a URL, a WARC record id, a JSONL line number."""

    path: str | None = None
    url: str | None = None
    record: str | None = None
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "url": self.url, "record": self.record, "line": self.line}

    def describe(self) -> str:
        parts = [self.path or "<stdin>"]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.record:
            parts.append(f"record {self.record}")
        return ":".join(str(p) for p in parts)


@dataclass(frozen=True, slots=True)
class Block:
    """A line or paragraph of the text with its role on the page.

    ``attrs`` holds what the block itself says about it, e.g. a comment's author and timestamp
    as spans (``author_start``/``author_end``) and the cue that decided the kind.
    """

    start: int
    end: int
    kind: str
    lang: str | None = None
    lang_confidence: float | None = None
    attrs: tuple[tuple[str, Any], ...] = ()

    def attr(self, name: str, default: Any = None) -> Any:
        return dict(self.attrs).get(name, default)

    def to_json(self, text: str) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "kind": self.kind,
                               "text": text[self.start:self.end]}
        if self.lang is not None:
            out["lang"] = self.lang
            out["lang_confidence"] = self.lang_confidence
        for key, value in self.attrs:
            out[key] = value
        return out


@dataclass(frozen=True, slots=True)
class Published:
    """The publication date decided for a document, with where it came from."""

    value: str
    source: str
    evidence: Span | None = None

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "source": self.source,
                "evidence": self.evidence.to_json() if self.evidence else None}


# Codes of data problems recorded on documents. Every code used anywhere must be listed here with
# its meaning; docs/schema.md documents each one (tests/test_docs.py checks both).
ISSUE_CODES: dict[str, str] = {
    "stage_failed": "a stage raised; the message names it; the other stages still ran",
    "bad_published": "a publication date given in the input or page metadata is not a usable ISO 8601 date; ignored",
    "bad_field": "an optional JSONL field has the wrong type; it was dropped",
    "published_conflict": "metadata, URL or the article's dateline disagree on the publication date by more than 2 days",
    "published_after_crawl": "a metadata or URL date is later than the crawl date; ignored",
    "extraction_fallback": "trafilatura found no main text with its default settings; extracted with favor_recall",
    "lang_unknown": "the text has too few letters to identify its language",
    "lang_mismatch": "the language declared by the input differs from the language the text reads as",
    "published_unknown": "no publication date in metadata, URL or text; the message names any upper bound",
    "published_from_weekday": "published inferred from \"today <weekday>\" below an upper bound (a comment or crawl date)",
}


@dataclass(frozen=True, slots=True)
class DocIssue:
    """A data problem noticed while reading or analysing, recorded instead of swallowed."""

    code: str
    message: str

    def __post_init__(self) -> None:
        if self.code not in ISSUE_CODES:
            raise ValueError(f"unknown issue code {self.code!r}; add it to ISSUE_CODES and docs/schema.md")

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class TextView:
    """A normalised form of a text with, for every view character, the original span it came from.

    ``starts[i]``/``ends[i]`` are the original offsets that view character ``i`` stands for. An
    inserted character (a restored ZWNJ) has ``starts[i] == ends[i]``; a deleted one (a
    diacritic) simply has no view character.
    """

    name: str
    text: str
    starts: array
    ends: array

    def to_original(self, start: int, end: int) -> Span:
        """Map a view span to the smallest original span covering the same characters."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"view span ({start}, {end}) outside view of length {len(self.text)}")
        if start == end:
            pos = self.starts[start] if start < len(self.text) else (self.ends[-1] if self.text else 0)
            return Span(pos, pos)
        return Span(self.starts[start], max(self.ends[end - 1], self.starts[start]))

    def __reduce__(self) -> tuple[Any, ...]:
        return (TextView, (self.name, self.text, self.starts, self.ends))


@dataclass(frozen=True, slots=True)
class Document:
    """A news article as read, plus every layer of annotation over its text."""

    text: str
    source: Source = field(default_factory=Source)
    id: str = ""
    title: Span | None = None
    published: Published | None = None
    lang: str | None = None
    lang_confidence: float | None = None
    # What the reader knew about the page beyond the text (outlet, author, site name, crawl date,
    # the HTML extractor used). Plain JSON-able values only.
    meta: tuple[tuple[str, Any], ...] = ()
    blocks: tuple[Block, ...] = ()
    times: tuple[Mapping[str, Any], ...] = ()
    mentions: tuple[Mapping[str, Any], ...] = ()
    quotes: tuple[Mapping[str, Any], ...] = ()
    attributions: tuple[Mapping[str, Any], ...] = ()
    events: tuple[Mapping[str, Any], ...] = ()
    duplicate_of: str | None = None
    story: str | None = None
    issues: tuple[DocIssue, ...] = ()
    views: tuple[TextView, ...] = ()

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", document_id(self.text))

    # -- convenience -------------------------------------------------------------------------
    def span_text(self, span: Span | Block) -> str:
        return self.text[span.start:span.end]

    def meta_value(self, name: str, default: Any = None) -> Any:
        return dict(self.meta).get(name, default)

    def view(self, name: str) -> TextView | None:
        for candidate in self.views:
            if candidate.name == name:
                return candidate
        return None

    def with_issue(self, code: str, message: str) -> Document:
        return replace(self, issues=(*self.issues, DocIssue(code, message)))

    def with_meta(self, **values: Any) -> Document:
        merged = dict(self.meta)
        merged.update({k: v for k, v in values.items() if v is not None})
        return replace(self, meta=tuple(sorted(merged.items())))

    def body_text(self) -> str:
        """The body, lead and title blocks joined by newlines (all text when there are no blocks)."""
        if not self.blocks:
            return self.text
        keep = ("title", "lead", "body")
        return "\n".join(self.text[b.start:b.end] for b in self.blocks if b.kind in keep)

    # -- serialisation (schema version 1, docs/schema.md) -------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "schema": SCHEMA_VERSION,
            "source": self.source.to_json(),
            "lang": self.lang,
            "lang_confidence": self.lang_confidence,
            "title": _span_with_text(self.title, self.text),
            "published": self.published.to_json() if self.published else None,
            "text": self.text,
            "meta": dict(self.meta),
            "blocks": [b.to_json(self.text) for b in self.blocks],
            "times": [dict(t) for t in self.times],
            "mentions": [dict(m) for m in self.mentions],
            "quotes": [dict(q) for q in self.quotes],
            "attributions": [dict(a) for a in self.attributions],
            "events": [dict(e) for e in self.events],
            "duplicate_of": self.duplicate_of,
            "story": self.story,
            "issues": [i.to_json() for i in self.issues],
        }

    def to_json_line(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Document:
        """Rebuild a document from its schema-1 JSON (views are recomputed by the pipeline)."""
        if data.get("schema") != SCHEMA_VERSION:
            raise ValueError(f"unsupported schema {data.get('schema')!r}; this khabar reads schema 1")
        title = data.get("title")
        published = data.get("published")
        evidence = (published or {}).get("evidence")
        blocks = []
        for b in data.get("blocks", []):
            extra = tuple((k, v) for k, v in b.items()
                          if k not in ("start", "end", "kind", "text", "lang", "lang_confidence"))
            blocks.append(Block(b["start"], b["end"], b["kind"], b.get("lang"), b.get("lang_confidence"), extra))
        src = data.get("source") or {}
        return cls(
            text=data["text"],
            source=Source(src.get("path"), src.get("url"), src.get("record"), src.get("line")),
            id=data["id"],
            title=Span(title["start"], title["end"]) if title else None,
            published=Published(published["value"], published["source"],
                                 Span(evidence["start"], evidence["end"]) if evidence else None)
            if published else None,
            lang=data.get("lang"),
            lang_confidence=data.get("lang_confidence"),
            meta=tuple(sorted((data.get("meta") or {}).items())),
            blocks=tuple(blocks),
            times=tuple(data.get("times", [])),
            mentions=tuple(data.get("mentions", [])),
            quotes=tuple(data.get("quotes", [])),
            attributions=tuple(data.get("attributions", [])),
            events=tuple(data.get("events", [])),
            duplicate_of=data.get("duplicate_of"),
            story=data.get("story"),
            issues=tuple(DocIssue(i["code"], i["message"]) for i in data.get("issues", [])),
        )


def _span_with_text(span: Span | None, text: str) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"start": span.start, "end": span.end, "text": text[span.start:span.end]}


def iter_spans(doc: Document) -> Iterable[tuple[str, int, int, str | None]]:
    """Every span a document carries, as ``(layer, start, end, claimed_text)``.

    ``claimed_text`` is the text the annotation says it covers, where it says one. Used by the
    offset invariant test: ``doc.text[start:end] == claimed_text`` for all of them.
    """
    if doc.title:
        yield "title", doc.title.start, doc.title.end, None
    if doc.published and doc.published.evidence:
        ev = doc.published.evidence
        yield "published", ev.start, ev.end, None
    for b in doc.blocks:
        yield "blocks", b.start, b.end, None
        if b.attr("author_start") is not None:
            yield "blocks.author", b.attr("author_start"), b.attr("author_end"), b.attr("author")
        if b.attr("timestamp_start") is not None:
            yield "blocks.timestamp", b.attr("timestamp_start"), b.attr("timestamp_end"), b.attr("timestamp")
    for layer in ("times", "mentions", "quotes", "attributions"):
        for item in getattr(doc, layer):
            yield layer, item["start"], item["end"], item.get("text")
    for event in doc.events:
        for ev in event.get("evidence", []):
            yield "events", ev["start"], ev["end"], ev.get("text")
