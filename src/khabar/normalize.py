"""Normalised views of Persian and Arabic text, each with an offset map back to the original.

Three views are built (`khabar.document.TextView`):

``display``
    the original letters with stripped ZWNJs restored in Persian (``میشود`` -> ``می‌شود``);
``search``
    ZWNJ restored, then Arabic/Persian letter variants, digits, diacritics and tatweel folded
    (``data/folding.yaml``), Latin lower-cased, and every ZWNJ turned into a space so that
    ``می‌شود``, ``می شود`` and a restored ``میشود`` all read ``مي شود``;
``glued``
    folded like ``search`` but with every ZWNJ removed and nothing restored, so a word the
    restorer does not know (``فزایندهای``) still meets its ZWNJ spelling (``فزاینده‌ای``).

Search and matching use ``search`` and ``glued`` together; see `khabar.store.fts_query`. No text
is ever replaced: whatever is found in a view is mapped back with `TextView.to_original`.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

from khabar.document import TextView
from khabar.resources import codepoint, codepoint_range, load_yaml

ZWNJ = "\u200c"
VIEW_NAMES = ("display", "search", "glued")

# An Arabic-script word: letters and combining marks of the Arabic blocks, without ZWNJ (so a
# ZWNJ already present splits the word, and its parts are looked at on their own).
_ARABIC_WORD = re.compile(r"[\u0621-\u064A\u064B-\u065F\u0670-\u06D3\u06D5\u06FA-\u06FF]+")
# Letters only Persian uses, and Persian kaf/yeh. Older Persian sites write Arabic ي/ك, so the
# absence of these does not make a text Arabic; their presence makes a short query Persian.
_PERSIAN_LETTERS = frozenset("پچژگکی")
_PRESENTATION_FORMS = re.compile(r"[\uFB50-\uFDFF\uFE70-\uFEFF]")


@dataclass(frozen=True, slots=True)
class _Folding:
    table: dict[str, str]


@functools.cache
def _folding() -> _Folding:
    data = load_yaml("data/folding.yaml")
    table: dict[str, str] = {}
    for group in ("letters", "digits"):
        for src, dst in data[group].items():
            table[codepoint(src)] = codepoint(str(dst))
    for spec in data["remove"]:
        for ch in codepoint_range(spec):
            table[ch] = ""
    return _Folding(table)


def fold_char(ch: str) -> str:
    """The search form of one character (may be empty or several characters)."""
    table = _folding().table
    if ch in table:
        return table[ch]
    if _PRESENTATION_FORMS.match(ch):
        # Arabic presentation forms (ﻻ, ﷲ, contextual glyphs pasted from PDFs) -> plain letters.
        return "".join(table.get(c, c) for c in unicodedata.normalize("NFKC", ch))
    return ch.lower()


# -- ZWNJ restoration --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _ZwnjRules:
    prefixes: tuple[str, ...]
    suffixes_any: tuple[str, ...]
    suffixes_heh: tuple[str, ...]
    min_known: float
    margin: float


@functools.cache
def _zwnj_rules() -> _ZwnjRules:
    data = load_yaml("lang/fa/zwnj.yaml")

    def longest_first(items: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(items, key=len, reverse=True))

    return _ZwnjRules(longest_first(data["prefixes"]), longest_first(data["suffixes_any_stem"]),
                      longest_first(data["suffixes_after_heh"]), float(data["min_known_zipf"]),
                      float(data["margin_zipf"]))


@functools.cache
def _persian_frequencies() -> dict[str, float]:
    import wordfreq  # imported lazily: only Persian text needs it

    return wordfreq.get_frequency_dict("fa")


def _zipf(word: str) -> float:
    freq = _persian_frequencies().get(word)
    return math.log10(freq) + 9.0 if freq else 0.0


_TO_PERSIAN_KEY = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})


@functools.lru_cache(maxsize=65536)
def zwnj_split_points(word: str) -> tuple[int, ...]:
    """Offsets inside ``word`` (which holds no ZWNJ) where a stripped ZWNJ belongs.

    Evidence, in order: (1) a ZWNJ spelling that the Persian frequency list knows clearly better
    than the joined spelling; (2) a known stem with the prefix ``می``/``نمی``, or with a plural or
    comparative suffix, or with an enclitic after silent heh (`lang/fa/zwnj.yaml`). Words with
    diacritics or shorter than four letters are left alone.
    """
    rules = _zwnj_rules()
    key = word.translate(_TO_PERSIAN_KEY)
    if len(key) < 4 or any(unicodedata.combining(c) for c in key):
        return ()
    joined = _zipf(key)
    best: tuple[float, int] | None = None
    for i in range(2, len(key) - 1):
        score = _zipf(key[:i] + ZWNJ + key[i:])
        if score >= rules.min_known and score > joined + rules.margin and (best is None or score > best[0]):
            best = (score, i)
    if best:
        return (best[1],)
    if joined >= rules.min_known:
        return ()
    for prefix in rules.prefixes:
        rest = key[len(prefix):]
        if key.startswith(prefix) and len(rest) >= 2 and _known_or_restorable(rest):
            return (len(prefix), *(len(prefix) + p for p in zwnj_split_points(rest)))
    for suffix in rules.suffixes_any:
        stem = key[: -len(suffix)]
        if key.endswith(suffix) and len(stem) >= 2 and _known_or_restorable(stem):
            return (*zwnj_split_points(stem), len(stem))
    for suffix in rules.suffixes_heh:
        stem = key[: -len(suffix)]
        if key.endswith(suffix) and stem.endswith("ه") and len(stem) >= 2 and _zipf(stem) >= rules.min_known:
            return (len(stem),)
    return ()


def _known_or_restorable(stem: str) -> bool:
    if _zipf(stem) >= _zwnj_rules().min_known:
        return True
    points = zwnj_split_points(stem) if len(stem) >= 4 else ()
    if not points:
        return False
    restored = _insert(stem, points)
    return _zipf(restored) >= _zwnj_rules().min_known or all(
        _zipf(part) >= _zwnj_rules().min_known for part in restored.split(ZWNJ))


def _insert(word: str, points: Iterable[int]) -> str:
    out, last = [], 0
    for p in sorted(points):
        out.append(word[last:p])
        last = p
    out.append(word[last:])
    return ZWNJ.join(out)


def zwnj_insertions(text: str) -> frozenset[int]:
    """Original offsets before which a ZWNJ is restored (Persian words only)."""
    points: set[int] = set()
    for match in _ARABIC_WORD.finditer(text):
        for p in zwnj_split_points(match.group()):
            points.add(match.start() + p)
    return frozenset(points)


def restore_zwnj(text: str) -> str:
    """``text`` with stripped ZWNJs restored (the ``display`` view's text)."""
    return _build(text, "display", restore=True, fold=False, zwnj_as=ZWNJ).text


# -- views ---------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _FoldPlan:
    """How the folded views treat each character.

    ``table`` (for ``str.translate``) holds every character whose search form is one other
    character; ``irregular`` matches characters whose search form is empty or longer than one
    character (diacritics, tatweel, ligatures). Runs of regular characters are translated in
    one C-level call, and only irregular characters and ZWNJ insertions are handled one by one.
    """

    table: dict[int, str]
    irregular: re.Pattern[str]


@functools.cache
def _fold_plan() -> _FoldPlan:
    table: dict[int, str] = {}
    irregular: list[str] = []
    candidates = set(_folding().table)
    candidates.update(chr(c) for c in range(0xFB50, 0xFE00))
    candidates.update(chr(c) for c in range(0xFE70, 0xFF00))
    candidates.update(chr(c) for c in range(0x10000) if chr(c).lower() != chr(c))
    for ch in sorted(candidates):
        folded = fold_char(ch)
        if folded == ch:
            continue
        if len(folded) == 1:
            table[ord(ch)] = folded
        else:
            irregular.append(ch)
    pattern = "[" + "".join(re.escape(c) for c in irregular) + "]" if irregular else "(?!)"
    irregular_set = set(irregular)
    for block in _COMMON_BLOCKS:
        for code in block:
            if code not in table and chr(code) not in irregular_set:
                # An identity entry changes nothing, but `str.translate` raises and catches a
                # LookupError internally for every character missing from the table: the
                # characters of the texts khabar reads are listed so that none is missing.
                table[code] = chr(code)
    return _FoldPlan(table, re.compile(pattern))


# Basic Latin and Latin-1, Arabic, Arabic Supplement, general punctuation (ZWNJ, marks, dashes).
_COMMON_BLOCKS = (range(0x0000, 0x0100), range(0x0600, 0x0780), range(0x2000, 0x2070))


_ZWNJ_PATTERN = re.compile(ZWNJ)


@functools.cache
def _iota(size: int) -> array:
    """``array("i", range(size))``, shared read-only: the offset maps copy slices of it (a memory
    copy) instead of extending an array from a ``range`` one number at a time."""
    return array("i", range(size))


def _build(text: str, name: str, *, restore: bool, fold: bool, zwnj_as: str) -> TextView:
    """One view of ``text`` with its offset map (see `TextView`)."""
    plan = _fold_plan() if fold else None
    inserts = sorted(zwnj_insertions(text)) if restore else []
    # Positions needing individual treatment: irregular characters and ZWNJs (whose replacement
    # may be empty), merged with the ZWNJ insertion points, in text order.
    specials = [m.start() for m in (plan.irregular if plan else _ZWNJ_PATTERN).finditer(text)]
    if plan and zwnj_as != ZWNJ:
        specials = sorted({*specials, *(m.start() for m in _ZWNJ_PATTERN.finditer(text))})
    events = sorted([(p, 0) for p in inserts] + [(p, 1) for p in specials])
    # Regular characters translate one to one, so the whole text is translated once and the runs
    # between events are cut from it (irregular characters are not in the table and are cut around).
    translated = text.translate(plan.table) if plan else text
    iota = _iota(1 << (len(text) + 1).bit_length())
    out: list[str] = []
    starts = array("i")
    ends = array("i")
    pos = 0
    for at, kind in events:
        if at > pos:  # a run of regular characters
            out.append(translated[pos:at])
            starts.extend(iota[pos:at])
            ends.extend(iota[pos + 1:at + 1])
            pos = at
        if kind == 0:  # a restored ZWNJ before text[at]
            out.append(zwnj_as)
            starts.extend([at] * len(zwnj_as))
            ends.extend([at] * len(zwnj_as))
            continue
        ch = text[at]
        piece = zwnj_as if ch == ZWNJ else (fold_char(ch) if plan else ch)
        if not piece and ends and ends[-1] == at and (ch == "\u0640" or unicodedata.combining(ch)):
            # A dropped diacritic or tatweel belongs to the letter before it, so a match on the
            # letter covers its marks too (`وزير` in `وَزِيرُ` maps back to the whole word).
            ends[-1] = at + 1
        out.append(piece)
        starts.extend([at] * len(piece))
        ends.extend([at + 1] * len(piece))
        pos = at + 1
    if pos < len(text):
        out.append(translated[pos:])
        starts.extend(iota[pos:len(text)])
        ends.extend(iota[pos + 1:len(text) + 1])
    return TextView(name, "".join(out), starts, ends)


def make_views(text: str, lang: str | None) -> tuple[TextView, ...]:
    """The ``display``, ``search`` and ``glued`` views of ``text``; ZWNJ is restored for Persian."""
    persian = lang == "fa"
    return (
        _build(text, "display", restore=persian, fold=False, zwnj_as=ZWNJ),
        _build(text, "search", restore=persian, fold=True, zwnj_as=" "),
        _build(text, "glued", restore=False, fold=True, zwnj_as=""),
    )


def guess_script_lang(text: str) -> str | None:
    """A cheap language guess for short strings such as queries: fa, ar, or None (not Arabic script)."""
    if any(c in _PERSIAN_LETTERS for c in text):
        return "fa"
    if _ARABIC_WORD.search(text):
        return "ar"
    return None


def search_form(text: str, lang: str | None = None) -> str:
    """The search form of a short string (a query, an alias): same rules as the ``search`` view."""
    return _build(text, "search", restore=(lang or guess_script_lang(text)) == "fa", fold=True, zwnj_as=" ").text


def glued_form(text: str) -> str:
    """The ZWNJ-less folded form of a short string: same rules as the ``glued`` view."""
    return _build(text, "glued", restore=False, fold=True, zwnj_as="").text


def match_view(text: str) -> TextView:
    """The view extractors match on: folded like ``search`` but nothing restored, ZWNJ a space.

    Patterns built from language data are folded the same way (`pattern_form`) and allow an
    optional space wherever their phrase has a space or a ZWNJ, so `سهشنبه`, `سه شنبه` and
    `سه‌شنبه` all match one entry.
    """
    return _build(text, "match", restore=False, fold=True, zwnj_as=" ")


def pattern_form(phrase: str) -> str:
    """The folded form of a data phrase, with runs of spaces collapsed."""
    return " ".join(_build(phrase, "match", restore=False, fold=True, zwnj_as=" ").text.split())
