"""Sentences and clauses of a document, as spans, for the stages that read sentence by sentence.

A sentence ends at `.`, `!`, `?`, `؟` (followed by a space, a closing mark or the end of the
block), at a line end, or at the end of its block; a dot between digits (`3.5`) or after a
single Latin capital (`U.S.`) does not end one. Only the blocks that carry the article's prose
(title, lead, body, caption) are split: boilerplate and comments hold no reported events.

Clauses are cut further at the markers a language's data lists (`که`, `؛`, `تا`...) so that an
argument search stays near its trigger; see `lang/<code>/events.yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from khabar.document import Document

PROSE_KINDS: frozenset[str] = frozenset({"title", "lead", "body", "caption"})

# A sentence-final mark, then optional closing quotes/brackets, then a space or the end.
_SENTENCE_END = re.compile(r"[.!?؟…]+[\"'”»)\]]*(?=\s|$)")
_DECIMAL_OR_INITIAL = re.compile(r"(?:\d|\b[A-Z])\.$")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a prose block: its span and the kind of block it stands in."""

    start: int
    end: int
    zone: str


def prose_blocks(doc: Document) -> list[tuple[int, int, str]]:
    """``(start, end, kind)`` of the blocks that carry prose (the whole text when unblocked)."""
    if not doc.blocks:
        return [(0, len(doc.text), "body")]
    return [(b.start, b.end, b.kind) for b in doc.blocks if b.kind in PROSE_KINDS]


def sentences(doc: Document) -> list[Sentence]:
    """The sentences of the document's prose blocks, in text order, trimmed of spaces."""
    out: list[Sentence] = []
    for start, end, kind in prose_blocks(doc):
        for line_start, line_end in _lines(doc.text, start, end):
            out.extend(_split_line(doc.text, line_start, line_end, kind))
    return out


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, pos = [], start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        spans.append((pos, stop))
        pos = stop + 1
    return spans


def _split_line(text: str, start: int, end: int, zone: str) -> list[Sentence]:
    out = []
    pos = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if match.group().startswith(".") and _DECIMAL_OR_INITIAL.search(text, max(start, match.start() - 2),
                                                                           match.start() + 1):
            continue
        out.append(_trimmed(text, pos, match.end(), zone))
        pos = match.end()
    out.append(_trimmed(text, pos, end, zone))
    return [s for s in out if s is not None]


def _trimmed(text: str, start: int, end: int, zone: str) -> Sentence | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(start, end, zone) if end > start else None
