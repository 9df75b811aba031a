"""Gazetteer matching of knowledge-base aliases in running text.

Aliases and text are compared in their folded form with every space and ZWNJ removed, so
`شی جین‌پینگ`, `شی جینپینگ` and `شي جين بينج`-with-any-spacing meet; the ends of a hit must be word
boundaries in the text (`چین` is not found inside `چینی`), except that Arabic clitics (`و ف ب ل ك`
and their pairs) may be glued before a name (`وبوتين`, `لبكين`; `للصين`, where لـ fuses with the
article, is kept whole) unless the whole word is
the commoner word (`كويتي` "Kuwaiti" is not كـ + the Tanzanian town `ويتي`). Hits are kept longest
first; the names inside a kept hit (`روسیه` in `وزارت خارجه روسیه`) can be asked for as well.
The automaton (pyahocorasick) is built once per process from the knowledge base.
"""

from __future__ import annotations

import functools
import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from khabar.document import TextView
from khabar.normalize import match_view, pattern_form

# Arabic proclitics that attach to a following name (conjunctions and prepositions); their
# two-letter combinations (`وب`, `ول`, `فب`...) are allowed as one prefix. Source: Wright, A
# Grammar of the Arabic Language, §§ 355-365 (inseparable particles).
_CLITICS = frozenset({"و", "ف", "ب", "ل", "ك"})
_MAX_CLITICS = 2


@dataclass(frozen=True, slots=True)
class AliasHit:
    start: int  # offsets into the original text
    end: int
    key: str
    entities: tuple[tuple[str, bool], ...]  # (entity id, weak alias?)
    inside: bool = False  # a name lying inside a longer kept hit (only with ``nested=True``)


def alias_key(alias: str) -> str:
    """The matching key of an alias: folded, without spaces."""
    return "".join(pattern_form(alias).split())


@dataclass(frozen=True)
class AliasIndex:
    automaton: ahocorasick.Automaton
    size: int


def build_index(aliases: Iterable[tuple[str, str, bool]]) -> AliasIndex:
    """An automaton over ``(alias text, entity id, weak)`` triples."""
    table: dict[str, dict[str, bool]] = {}
    skips: dict[str, int] = {}
    tokens: dict[str, int] = {}
    exact_case: dict[str, set[str]] = {}
    for text, entity, weak in aliases:
        key = alias_key(text)
        if len(key) < 2:
            continue
        tokens[key] = max(tokens.get(key, 0), len(pattern_form(text).split()))
        if text.isascii() and text.isupper() and len(key) <= 4:
            exact_case.setdefault(key, set()).add(text.replace(".", ""))  # `US`, `UK`: not `us`
        variants = {key: 0}
        if key.startswith("ال") and len(key) > 3:
            variants["ل" + key[1:]] = 1  # `للصين` = لـ + الصين with the alef dropped; the name starts after لـ
        for variant, skip in variants.items():
            slot = table.setdefault(variant, {})
            # a strong alias of an entity outranks a weak one of the same entity
            slot[entity] = slot.get(entity, True) and weak
            skips.setdefault(variant, skip)
    automaton = ahocorasick.Automaton()
    for key, entities in table.items():
        base = key[1:] if skips[key] else key
        automaton.add_word(key, (key, tuple(sorted(entities.items())), skips[key], tokens.get(base, 1),
                                 frozenset(exact_case.get(key, ()))))
    automaton.make_automaton()
    return AliasIndex(automaton, len(table))


_NOT_SPACE = re.compile(r"\S")
_SPACES = re.compile(r"\s+")


def _compact(text: str) -> tuple[TextView, str, array]:
    """The folded view text, and a copy without whitespace with the view offset of each character."""
    view = match_view(text)
    positions = array("i", (m.start() for m in _NOT_SPACE.finditer(view.text)))
    return view, _SPACES.sub("", view.text), positions


def _is_letter(ch: str) -> bool:
    return ch.isalpha() or ch.isdigit()


# A word read as clitic + name must not be a commoner word as a whole: `كويتي` "Kuwaiti" (Zipf
# 4.2 in wordfreq's Arabic) is not كـ + `ويتي` (2.2), while `وبوتين` (2.6) is وَ + `بوتين` (4.2).
_WHOLE_WORD_ZIPF = 3.0


@functools.lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    import wordfreq

    return max(wordfreq.zipf_frequency(word, "ar"), wordfreq.zipf_frequency(word, "fa"))


def _whole_word_wins(word: str, name: str) -> bool:
    whole = _zipf(word)
    return whole >= _WHOLE_WORD_ZIPF and whole > _zipf(name)


def _ezafe(view_text: str, end: int) -> bool:
    """A Persian ezafe `ی` written on a name ending in a long vowel (`اوبامای`, `حوثی‌های`,
    `اروپای`): the name ends before it. (The folded view writes it `ي`; Persian grammar: the
    ezafe after ا and و is spelt ی, Lazard, A Grammar of Contemporary Persian, § 44.)"""
    return (view_text[end] == "ي" and view_text[end - 1] in ("ا", "و")
            and (end + 1 == len(view_text) or not _is_letter(view_text[end + 1])))


# `بن`, `ابن`, `بنت` "son/daughter of" (Arabic and Persian) and their Latin spellings: a person's
# name right after one is a father's name inside a longer nasab (`محمد بن سلمان بن عبدالعزيز`
# is the son, not King Salman), not that person.
_NASAB = frozenset({"بن", "ابن", "بنت", "bin", "ibn", "bint", "ben"})


def _in_nasab(view_text: str, start: int, entities: tuple[tuple[str, bool], ...]) -> bool:
    if not all(entity.startswith("per:") for entity, _ in entities):
        return False
    before = view_text[max(0, start - 6):start].split()
    return bool(before) and view_text[start - 1:start].isspace() and before[-1] in _NASAB


def find_aliases(text: str, index: AliasIndex, nested: bool = False) -> list[AliasHit]:
    """Non-overlapping alias hits in ``text``, longest first, with original offsets; with
    ``nested``, also the hits lying wholly inside a kept one (``inside=True``; themselves
    non-overlapping, longest first)."""
    view, compact, positions = _compact(text)
    vt = view.text
    found: list[tuple[int, int, str, tuple[tuple[str, bool], ...]]] = []
    for end_index, (key, entities, skip, n_tokens, cases) in index.automaton.iter(compact):
        start_index = end_index - len(key) + 1 + skip
        v_start, v_end = positions[start_index], positions[end_index] + 1
        if v_end < len(vt) and _is_letter(vt[v_end]) and not _ezafe(vt, v_end):
            continue
        word_start = positions[start_index - 1] if skip else v_start  # the `لـ` of `للصين` opens the word
        if word_start > 0 and _is_letter(vt[word_start - 1]):
            # glued Arabic clitics are allowed when they start a word
            k = word_start
            while k > 0 and word_start - k < _MAX_CLITICS and vt[k - 1] in _CLITICS:
                k -= 1
            if k == word_start or (k > 0 and _is_letter(vt[k - 1])):
                continue
            if not skip:
                word = view.to_original(k, v_end)
                name = view.to_original(v_start, v_end)
                if _whole_word_wins(text[word.start:word.end], text[name.start:name.end]):
                    continue
        pieces = vt[v_start:v_end].split()
        if len(pieces) > n_tokens and min(len(p) for p in pieces) < 3:
            continue  # `در وین` is "in Vienna", not the town `دروین`: a split the name does not have
        if _in_nasab(vt, v_start, entities):
            continue
        if cases:
            span = view.to_original(v_start, v_end)
            if text[span.start:span.end].replace(".", "") not in cases:
                continue
        # `للصين`: the `لـ` fused with the article has no `ال` to start at, so the word is the
        # mention (as the linking guidelines mark it, eval/data/linking_dev.md "Spans")
        found.append((word_start, v_end, key, entities))
    found.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
    taken: list[tuple[int, int]] = []
    hits: list[AliasHit] = []
    rest = []
    for v_start, v_end, key, entities in found:
        if any(v_start < e and s < v_end for s, e in taken):
            rest.append((v_start, v_end, key, entities))
            continue
        taken.append((v_start, v_end))
        span = view.to_original(v_start, v_end)
        hits.append(AliasHit(span.start, span.end, key, entities))
    if nested:
        outer = list(taken)
        inner: list[tuple[int, int]] = []
        for v_start, v_end, key, entities in rest:
            if not any(s <= v_start and v_end <= e and (s, e) != (v_start, v_end) for s, e in outer):
                continue
            if any(v_start < e and s < v_end for s, e in inner):
                continue
            inner.append((v_start, v_end))
            span = view.to_original(v_start, v_end)
            hits.append(AliasHit(span.start, span.end, key, entities, inside=True))
    return sorted(hits, key=lambda h: (h.start, -h.end))


@functools.cache
def kb_index() -> AliasIndex:
    """The alias automaton of the packaged knowledge base."""
    from khabar.kb import load_kb

    return build_index((text, entity, weak) for text, _lang, entity, weak in load_kb().alias_table())
