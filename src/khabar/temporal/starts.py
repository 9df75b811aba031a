"""Where a match of a regex can begin, read from its parse tree, so a rule is tried only there.

``re.finditer`` tries a pattern at every position of the text. The date rules begin with
lookbehinds and long word alternations, on which the regex engine cannot skip ahead, so twenty
rules cost twenty slow passes over every article. A rule can only begin, though, with one of a
few literal strings (the leading letters of each phrase that may come first) or with a digit.
`starts_of` reads those from the pattern's parse tree; `Scanner` finds all of them in one
Aho-Corasick pass (pyahocorasick) and tries each rule with ``pattern.match(text, pos)`` only at
them, left to right, skipping positions inside its previous match: exactly the matches
``finditer`` returns, since every position left out is one where the pattern cannot match.

The parse tree comes from ``re._parser``, the standard library's own regex parser. A pattern
whose beginning this module does not understand (a negated class, a backreference, inline
flags, a possibly empty match) gets ``None`` and is scanned with ``finditer`` as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

import ahocorasick

_SMALL_RANGE = 32  # a class range up to this many characters is listed character by character
_MAX_EXTENSIONS = 4096  # a literal run is extended by at most this many continuations
_DIGIT = re.compile(r"\d")
_DIGIT_RUN_START = re.compile(r"(?<!\d)\d")


@dataclass(frozen=True, slots=True)
class Starts:
    """What a match must begin with: one of ``literals``, or a digit (``digit_run_only``: a digit
    with no digit before it, when a lookbehind such as ``(?<![\\d.])`` says so)."""

    literals: frozenset[str]
    digit: bool
    digit_run_only: bool


class _Anywhere(Exception):
    """The pattern may begin with something this module does not narrow down."""


@dataclass
class _Found:
    literals: set[str]
    digit: bool = False
    digit_anywhere: bool = False  # some path reaches a digit without a no-digit-before lookbehind


def starts_of(pattern: str | re.Pattern[str]) -> Starts | None:
    """Where a match of ``pattern`` can begin; None when it may begin anywhere or be empty."""
    source = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
    flags = pattern.flags & ~re.UNICODE if isinstance(pattern, re.Pattern) else 0
    if flags:
        return None
    try:
        tree = sre_parse.parse(source)
        found = _Found(set())
        if _sequence(list(tree), found, no_digit_before=False):
            return None  # the pattern can match the empty string
    except (_Anywhere, re.error):
        return None
    return Starts(frozenset(found.literals), found.digit, found.digit and not found.digit_anywhere)


def _sequence(items: Sequence[tuple], found: _Found, no_digit_before: bool) -> bool:
    """Record how ``items`` can begin; True when the whole sequence can match nothing."""
    i = 0
    while i < len(items):
        op, av = items[i]
        if op is sre.LITERAL:
            run = []
            while i < len(items) and items[i][0] is sre.LITERAL:
                run.append(chr(items[i][1]))
                i += 1
            found.literals.update(run_and_next("".join(run), items[i:]))
            return False
        if op is sre.ASSERT_NOT and not list(av[1]):
            return False  # `(?!)`, an empty word list: this path never matches, so begins nowhere
        if op is sre.ASSERT_NOT and av[0] == -1 and _forbids_digit(list(av[1])):
            no_digit_before = True  # zero width: the next item starts at the same position
        elif not _item(op, av, found, no_digit_before):
            return False
        i += 1
    return True


def run_and_next(run: str, rest: Sequence[tuple]) -> set[str]:
    """The literal ``run`` followed by each way ``rest`` must begin, when that is only literals:
    the parser factors shared letters out of word lists (`الاحد|الاثنين` -> `ال(?:احد|اثنين)`),
    and `ال` alone would send every Arabic word with the article to the rule."""
    following = _Found(set())
    try:
        if not rest or _sequence(rest, following, no_digit_before=False) or following.digit:
            return {run}
    except _Anywhere:
        return {run}
    if len(following.literals) > _MAX_EXTENSIONS:
        return {run}
    return {run + literal for literal in following.literals}


def _item(op: object, av: object, found: _Found, no_digit_before: bool) -> bool:
    """Record how one parse-tree item can begin; True when it can match nothing."""
    if op is sre.IN:
        _char_class(av, found, no_digit_before)  # type: ignore[arg-type]
        return False
    if op is sre.SUBPATTERN:
        _group, add_flags, del_flags, sub = av  # type: ignore[misc]
        if add_flags or del_flags:
            raise _Anywhere
        return _sequence(list(sub), found, no_digit_before)
    if op is sre.BRANCH:
        empty = False
        for alternative in av[1]:  # type: ignore[index]
            empty = _sequence(list(alternative), found, no_digit_before) or empty
        return empty
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _high, sub = av  # type: ignore[misc]
        return _sequence(list(sub), found, no_digit_before) or low == 0
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(av), found, no_digit_before)  # type: ignore[arg-type]
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return True  # zero width
    raise _Anywhere


def _char_class(members: list[tuple], found: _Found, no_digit_before: bool) -> None:
    for op, av in members:
        if op is sre.LITERAL:
            found.literals.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < _SMALL_RANGE:
            found.literals.update(chr(c) for c in range(av[0], av[1] + 1))
        elif op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            found.digit = True
            found.digit_anywhere = found.digit_anywhere or not no_digit_before
        else:
            raise _Anywhere


def _forbids_digit(items: list[tuple]) -> bool:
    """Is this the body of a negative lookbehind that no digit may precede: ``[\\d.,]`` or ``[^\\W_]``?"""
    if len(items) != 1 or items[0][0] is not sre.IN:
        return False
    members = items[0][1]
    if (sre.NEGATE, None) in members:
        # `[^\W_]` (a word character but `_`) matches every digit unless a digit is listed
        rest = [m for m in members if m not in ((sre.NEGATE, None), (sre.CATEGORY, sre.CATEGORY_NOT_WORD))]
        return (sre.CATEGORY, sre.CATEGORY_NOT_WORD) in members and all(
            op is sre.LITERAL and not chr(av).isdigit() for op, av in rest)
    return (sre.CATEGORY, sre.CATEGORY_DIGIT) in members


class Scanner:
    """Runs a fixed list of patterns over a text with the matches of ``finditer``, trying each
    pattern only where `starts_of` says it can begin."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.patterns = tuple(patterns)
        starts = [starts_of(p) for p in self.patterns]
        self.anywhere = tuple(i for i, s in enumerate(starts) if s is None)
        self.after_any_digit = tuple(i for i, s in enumerate(starts) if s and s.digit and not s.digit_run_only)
        self.after_run_start = tuple(i for i, s in enumerate(starts) if s and s.digit_run_only)
        by_literal: dict[str, list[int]] = {}
        for i, s in enumerate(starts):
            for literal in s.literals if s else ():
                by_literal.setdefault(literal, []).append(i)
        # Literals that begin the same patterns form a group; a hit is filed under its group once
        # and handed to the group's patterns in bulk (one append per hit, not one per pattern).
        groups: dict[tuple[int, ...], int] = {}
        for indexes in by_literal.values():
            groups.setdefault(tuple(indexes), len(groups))
        self.groups: tuple[tuple[int, ...], ...] = tuple(groups)
        self.automaton: ahocorasick.Automaton | None = None
        if by_literal:
            self.automaton = ahocorasick.Automaton()
            for literal, indexes in by_literal.items():
                self.automaton.add_word(literal, (len(literal) - 1, groups[tuple(indexes)]))
            self.automaton.make_automaton()

    def candidates(self, text: str) -> list[list[int]]:
        """For each pattern, the sorted positions where a match may begin (None-start patterns: empty)."""
        positions: list[list[int]] = [[] for _ in self.patterns]
        if self.automaton is not None:
            hits: list[list[int]] = [[] for _ in self.groups]
            for end, (back, group) in self.automaton.iter(text):
                hits[group].append(end - back)
            for indexes, starts in zip(self.groups, hits, strict=True):
                if starts:
                    for i in indexes:
                        positions[i].extend(starts)
        if self.after_any_digit:
            digits = [m.start() for m in _DIGIT.finditer(text)]
            for i in self.after_any_digit:
                positions[i].extend(digits)
        if self.after_run_start:
            run_starts = [m.start() for m in _DIGIT_RUN_START.finditer(text)]
            for i in self.after_run_start:
                positions[i].extend(run_starts)
        return [sorted(set(p)) for p in positions]

    def finditer(self, text: str) -> Iterator[tuple[int, re.Match[str]]]:
        """(pattern index, match) for every pattern in order, each pattern's matches as
        ``pattern.finditer(text)`` gives them."""
        candidates = self.candidates(text)
        for i, pattern in enumerate(self.patterns):
            if i in self.anywhere:
                for m in pattern.finditer(text):
                    yield i, m
                continue
            match = pattern.match
            end = 0
            for pos in candidates[i]:
                if pos < end:
                    continue
                m = match(text, pos)
                if m is not None:
                    end = m.end()
                    yield i, m
