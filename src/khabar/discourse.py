"""What the quotes, attribution and events stages share: a per-document reading context.

`Context.of(doc)` gathers, once per stage call, the match view, the prose sentences, the
mentions that can act (people, roles, organisations, places) without the ones nested in a longer
mention, the language of each position, and helpers to find the sentence or the mentions of a
span. It holds no state across documents.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from khabar.document import Document, TextView
from khabar.normalize import match_view
from khabar.segment import Sentence, sentences

PERSON_TYPES = frozenset({"PER", "ROLE"})
AGENT_TYPES = frozenset({"PER", "ROLE", "ORG", "GPE"})


@dataclass(frozen=True, slots=True)
class Context:
    doc: Document
    view: TextView
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mapping[str, Any], ...]  # outermost mentions only, in text order
    _sentence_starts: tuple[int, ...]
    _mention_starts: tuple[int, ...]

    @classmethod
    def of(cls, doc: Document) -> Context:
        sents = tuple(sentences(doc))
        outer = tuple(_with_role_ids(_outermost(doc.mentions)))
        view = doc.view("match") or match_view(doc.text)  # built once by normalize.v1 when it ran
        return cls(doc, view, sents, outer,
                   tuple(s.start for s in sents), tuple(m["start"] for m in outer))

    def lang_at(self, pos: int) -> str:
        """The language of the block holding ``pos`` (the document's when the block has none)."""
        for block in self.doc.blocks:
            if block.start <= pos < block.end and block.lang in ("fa", "ar", "en"):
                return block.lang
        return self.doc.lang if self.doc.lang in ("fa", "ar", "en") else "en"

    def sentence_index(self, pos: int) -> int | None:
        """Index of the sentence containing ``pos``, or None outside prose."""
        i = bisect.bisect_right(self._sentence_starts, pos) - 1
        if i >= 0 and self.sentences[i].start <= pos < self.sentences[i].end:
            return i
        return None

    def mentions_in(self, start: int, end: int, types: frozenset[str] = AGENT_TYPES) -> list[Mapping[str, Any]]:
        """Outermost mentions of ``types`` lying wholly inside ``[start, end)``."""
        i = bisect.bisect_left(self._mention_starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i]["start"] < end:
            m = self.mentions[i]
            if m["end"] <= end and m["type"] in types:
                out.append(m)
            i += 1
        return out

    def mention_at(self, start: int, end: int) -> Mapping[str, Any] | None:
        """The outermost mention overlapping ``[start, end)``, if any."""
        for m in self.mentions_in(max(0, start - 200), end + 200, frozenset({"PER", "ROLE", "ORG", "GPE", "LOC"})):
            if m["start"] < end and start < m["end"]:
                return m
        return None

    def words_between(self, start: int, end: int) -> int:
        return len(self.doc.text[start:end].split())


def _outermost(mentions: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Drop mentions inside a longer one (the country inside `وزیر امور خارجه روسیه`)."""
    ordered = sorted(mentions, key=lambda m: (m["start"], -m["end"]))
    out: list[Mapping[str, Any]] = []
    reach = -1
    for m in ordered:
        if m["end"] <= reach:
            continue
        out.append(m)
        reach = max(reach, m["end"])
    return out


def _with_role_ids(mentions: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Give a role no office holder was found for a document-local id (`local:role:<office>:<of>`,
    the style of the mentions layer's `local:` ids for NER names): `the Italian defence minister`
    is one identifiable referent within the article even when the knowledge base cannot say who
    held the office, so a speaker or party can be that role and a pronoun can continue it."""
    out: list[Mapping[str, Any]] = []
    for m in mentions:
        if m["type"] == "ROLE" and not m.get("entity") and m.get("role"):
            m = {**m, "entity": f"local:role:{m['role']}:{m.get('of') or '-'}", "via": "role_local"}
        out.append(m)
    return out


def entity_ref(m: Mapping[str, Any], via: str | None = None) -> dict[str, Any]:
    """The JSON of a mention used as an argument: entity, label, type and span."""
    out = {"entity": m.get("entity"), "label": m.get("label"), "type": m["type"],
           "start": m["start"], "end": m["end"], "text": m["text"]}
    if via:
        out["via"] = via
    return out
