"""Cue phrases from language data, found in text with word boundaries and mapped to their category.

Stages that look for words (speech verbs, attribution formulas, event triggers, tense and
negation markers) keep the words in `lang/<code>/*.yaml` as ``category -> [phrases]`` and match
them here on the ``match`` view (`khabar.normalize.match_view`): letter variants, diacritics and
digits folded, a ZWNJ read as a space, and a space inside a phrase optional, so `گفت‌وگو`,
`گفت وگو` and `گفتوگو` meet one entry. Arabic proclitics written on the word (`و`, `ف`...) may
precede a phrase when the data says so; the hit's span leaves them out.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from khabar.document import TextView
from khabar.errors import ResourceError
from khabar.normalize import pattern_form
from khabar.resources import load_yaml

_LETTER_BEFORE = r"(?<![^\W\d_])"
_LETTER_AFTER = r"(?![^\W\d_])"


@dataclass(frozen=True, slots=True)
class CueHit:
    """A cue found in a text: original span, the category of its data entry and its folded key."""

    start: int
    end: int
    category: str
    key: str


@dataclass(frozen=True, slots=True)
class CueSet:
    """Phrases of several categories compiled into one longest-first alternation."""

    pattern: re.Pattern[str] | None
    category_of: Mapping[str, str]

    def find(self, view: TextView, start: int = 0, end: int | None = None) -> list[CueHit]:
        """Cue hits inside the original span ``[start, end)`` of ``view``'s text (the whole text
        by default), reported as original spans."""
        if self.pattern is None:
            return []
        start = bisect.bisect_left(view.starts, start) if start else 0
        end = len(view.text) if end is None else bisect.bisect_left(view.starts, end)
        hits = []
        for match in self.pattern.finditer(view.text, start, end):
            key = _key(match.group("cue"))
            span = view.to_original(match.start("cue"), match.end("cue"))
            hits.append(CueHit(span.start, span.end, self.category_of[key], key))
        return hits

    def __bool__(self) -> bool:
        return self.pattern is not None


def _key(text: str) -> str:
    return "".join(text.split())


def compile_cues(phrases: Mapping[str, Iterable[str]], proclitics: Sequence[str] = ()) -> CueSet:
    """A `CueSet` of ``category -> phrases``; a phrase listed under two categories is an error."""
    category_of: dict[str, str] = {}
    alternatives: list[str] = []
    for category, items in phrases.items():
        for phrase in items:
            folded = pattern_form(phrase)
            key = _key(folded)
            if not key:
                continue
            if category_of.get(key, category) != category:
                raise ValueError(f"cue {phrase!r} is listed under {category_of[key]!r} and {category!r}")
            if key not in category_of:
                category_of[key] = category
                alternatives.append(r"[ \t]*".join(re.escape(word) for word in folded.split()))
    if not alternatives:
        return CueSet(None, {})
    alternatives.sort(key=len, reverse=True)
    prefix = ""
    if proclitics:
        folded_clitics = sorted({pattern_form(c) for c in proclitics}, key=len, reverse=True)
        prefix = "(?:" + "|".join(re.escape(c) for c in folded_clitics) + ")?"
    body = "(?P<cue>" + "|".join(alternatives) + ")"
    return CueSet(re.compile(_LETTER_BEFORE + prefix + body + _LETTER_AFTER), category_of)


@functools.cache
def lang_cues(lang: str, file: str, section: str) -> CueSet:
    """The cues of ``section`` in ``lang/<lang>/<file>``: a mapping ``category -> [phrases]``, or
    a plain list (category = the section name). Missing files or sections give an empty set."""
    try:
        data = load_yaml(f"lang/{lang}/{file}") or {}
    except ResourceError:  # a language without the file has no cues of this kind
        return CueSet(None, {})
    value = data.get(section)
    if not value:
        return CueSet(None, {})
    proclitics = data.get("proclitics") or ()
    if isinstance(value, list):
        return compile_cues({section: value}, proclitics)
    return compile_cues(value, proclitics)


@functools.cache
def lang_words(lang: str, file: str, section: str) -> tuple[str, ...]:
    """A plain word list of ``section`` in ``lang/<lang>/<file>`` (folded), or ()."""
    try:
        data = load_yaml(f"lang/{lang}/{file}") or {}
    except ResourceError:
        return ()
    return tuple(pattern_form(w) for w in data.get(section) or ())
