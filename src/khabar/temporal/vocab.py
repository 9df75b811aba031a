"""Date vocabulary of one language, merged from CLDR and curated data and compiled into regexes.

Every phrase is folded like the text it is matched against (`khabar.normalize.pattern_form`),
and a space or ZWNJ inside a phrase becomes ``\\s*`` so joined, spaced and ZWNJ spellings all
match. Lookups from a matched string back to its meaning use `key` (folded, spaces removed).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from khabar.normalize import pattern_form
from khabar.resources import load_yaml

LANGS = ("fa", "ar", "en")


@functools.lru_cache(maxsize=16384)
def key(text: str) -> str:
    """Lookup key of a matched or data phrase: folded, without spaces. Memoised: the same few
    phrases (month and weekday names, cue words) are looked up for every expression."""
    return "".join(pattern_form(text).split())


def phrase_regex(phrase: str) -> str:
    return r"\s*".join(re.escape(tok) for tok in pattern_form(phrase).split())


def alternation(phrases: Iterable[str]) -> str:
    """A non-capturing alternation, longest phrases first; ``(?!)`` (never matches) when empty."""
    unique = {phrase_regex(p): len(pattern_form(p)) for p in phrases if pattern_form(p)}
    if not unique:
        return "(?!)"
    return "(?:" + "|".join(sorted(unique, key=lambda r: (-unique[r], r))) + ")"


def trie_alternation(phrases: Iterable[str]) -> str:
    """`alternation` with the shared letters of its phrases factored out (`ال(?:احد|اثنين)`): the
    same matches, found faster, since the regex engine tries a list's alternatives one by one.

    Only alternatives beginning with different letters are regrouped; those cannot both match at
    one position, so trying them in another order changes nothing. An alternative that begins
    with an optional space or ends there keeps its place in the order (it may match alongside)."""
    unique: dict[str, str] = {}  # phrase_regex -> folded phrase
    for phrase in phrases:
        folded = pattern_form(phrase)
        if folded:
            unique.setdefault(r"\s*".join(re.escape(tok) for tok in folded.split()), folded)
    if not unique:
        return "(?!)"
    ordered = sorted(unique, key=lambda r: (-len(unique[r]), r))  # the order of `alternation`
    atoms = [_atoms(unique[r]) for r in ordered]
    return "(?:" + "|".join(_trie(atoms)) + ")"


_SPACE = r"\s*"


def _atoms(folded: str) -> tuple[str, ...]:
    """The regex atoms of a folded phrase as `phrase_regex` writes it: one per letter, ``\\s*`` between words."""
    out: list[str] = []
    for i, token in enumerate(folded.split()):
        if i:
            out.append(_SPACE)
        out.extend(re.escape(c) for c in token)
    return tuple(out)


def _trie(alternatives: list[tuple[str, ...]]) -> list[str]:
    """The alternatives of one level, in order, those sharing a first letter merged into one."""
    parts: list[str] = []
    segment: dict[str, list[tuple[str, ...]]] = {}  # first letter -> remainders, in order

    def close_segment() -> None:
        for first, rests in segment.items():
            parts.append(first + _group(rests))
        segment.clear()

    for alternative in alternatives:
        if alternative and alternative[0] != _SPACE:
            segment.setdefault(alternative[0], []).append(alternative[1:])
        else:  # empty or beginning with an optional space: a barrier no alternative moves across
            close_segment()
            parts.append("".join(alternative))
    close_segment()
    return parts


def _group(rests: list[tuple[str, ...]]) -> str:
    parts = _trie(rests)
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


@dataclass(frozen=True)
class DateVocab:
    lang: str
    months: Mapping[str, tuple[str, int]]  # key -> (calendar, month number)
    strict_months: frozenset[str]  # never a month alone, only next to a day or a year
    day_and_year_months: frozenset[str]  # a month only with both a day and a year
    weekdays: Mapping[str, int]  # key -> ISO weekday, 1 = Monday
    ordinals: Mapping[str, int]
    number_words: Mapping[str, int]
    relative_fixed: Mapping[str, tuple[str, int]]  # key -> (unit, offset)
    anaphoric: frozenset[str]  # relative phrases counted from the date last named (`الشهر السابق`)
    units: Mapping[str, str]
    duals: Mapping[str, str]
    eras: Mapping[str, str]  # key -> calendar
    seasons: Mapping[str, str]
    year_relatives: Mapping[str, int | str]
    weekday_past: frozenset[str]
    weekday_future: frozenset[str]
    future_prefix: str | None
    future_prefix_exclusions: frozenset[str]
    past_directions: frozenset[str]  # the "ago" words of counted expressions
    weekday_weeks: Mapping[str, str]  # key -> this | next | last
    singular_units: frozenset[str]  # the first unit form listed: `منذ شهر` is one month, `منذ أشهر` vague
    afternoon_parts: frozenset[str] = frozenset()  # parts of the day after noon: `عصر`, `شب`
    months_alone: bool = False  # month names count without a cue word (Arabic)
    year_parts: Mapping[str, str] = field(default_factory=dict)  # key -> quarter | half
    year_part_ordinals: Mapping[str, int] = field(default_factory=dict)
    month_counts: Mapping[str, int] = field(default_factory=dict)
    year_part_years: Mapping[str, int] = field(default_factory=dict)  # key -> year offset
    fiscal_relatives: Mapping[str, int | str] = field(default_factory=dict)
    fiscal_starts: tuple[tuple[int, str], ...] = ()  # (first month, pattern of the words naming it)
    weekday_nths: Mapping[str, int] = field(default_factory=dict)  # `آخرین` -1, `اولین` 1 (a weekday of a month)
    patterns: Mapping[str, str] = field(default_factory=dict)  # named alternations

    def p(self, name: str) -> str:
        return self.patterns[name]


def _merge_lists(*sources: Mapping[Any, list[str]] | None) -> dict[int, list[str]]:
    merged: dict[int, list[str]] = {}
    for source in sources:
        for number, names in (source or {}).items():
            merged.setdefault(int(number), []).extend(names)
    return merged


@functools.cache
def vocab(lang: str) -> DateVocab:
    """The compiled date vocabulary of ``lang`` (fa, ar or en)."""
    cldr = load_yaml(f"lang/{lang}/dates_cldr.yaml")
    cur = load_yaml(f"lang/{lang}/dates.yaml")
    months: dict[str, tuple[str, int]] = {}
    month_phrases: list[str] = []
    for calendar in ("gregorian", "jalali", "hijri"):
        names = _merge_lists(cldr["months"].get(calendar), (cur.get("months") or {}).get(calendar))
        for number, phrases in names.items():
            for phrase in phrases:
                k = key(phrase)
                if len(k) < 2 or k.isdigit():
                    continue
                # The first calendar to claim a spelling keeps it (Gregorian before Jalali):
                # `آذار` (Levantine March) and `آذر` (Jalali) fold apart, so no real clash.
                months.setdefault(k, (calendar, number))
                month_phrases.append(phrase)
    strict = frozenset(key(p) for p in cur.get("strict_month_names") or [])
    day_and_year = frozenset(key(p) for p in cur.get("day_and_year_month_names") or [])
    excluded = {key(p) for p in cur.get("excluded_names") or []}
    weekdays_src = {n: [p for p in ps if key(p) not in excluded]
                    for n, ps in _merge_lists(cldr["weekdays"], cur.get("weekdays")).items()}
    weekdays = {key(p): n for n, ps in weekdays_src.items() for p in ps}
    ordinals = {key(p): n for n, ps in (cur.get("ordinals") or {}).items() for p in ps}
    numbers = {key(p): int(n) for n, ps in (cur.get("number_words") or {}).items() for p in ps}
    fixed_items = list(cldr["relative_fixed"]) + list(cur.get("relative_fixed") or [])
    relative_fixed: dict[str, tuple[str, int]] = {}
    for item in fixed_items:
        relative_fixed.setdefault(key(item["phrase"]), (item["unit"], int(item["offset"])))
    anaphoric = frozenset(key(i["phrase"]) for i in fixed_items if i.get("anaphoric"))
    counted = cur.get("relative_counted") or {}
    units = {key(p): unit for unit, ps in (counted.get("units") or {}).items() for p in ps}
    duals = {key(p): unit for unit, ps in (counted.get("duals") or {}).items() for p in ps}
    eras = {key(p): cal for cal, ps in (cur.get("era_markers") or {}).items() for p in ps}
    seasons = {key(p): s for s, ps in (cur.get("seasons") or {}).items() for p in ps}
    year_relatives = {key(i["phrase"]): i["offset"] for i in cur.get("year_relatives") or []}
    modifiers = cur.get("weekday_modifiers") or {}
    weekday_past = frozenset(key(p) for side in ("past_after", "past_before") for p in modifiers.get(side, []))
    weekday_future = frozenset(key(p) for side in ("future_after", "future_before") for p in modifiers.get(side, []))

    def alt(values: Iterable[str]) -> str:
        return trie_alternation(values)

    def by_number(name: str) -> dict[str, int]:
        return {key(p): int(n) for n, ps in (cur.get(name) or {}).items() for p in ps}

    def phrases(name: str) -> list[str]:
        data = cur.get(name) or []
        if isinstance(data, dict):
            return [p for ps in data.values() for p in ps]
        return [i["phrase"] if isinstance(i, dict) else i for i in data]

    patterns = {
        "month": alt(month_phrases),
        "weekday": alt(p for ps in weekdays_src.values() for p in ps),
        "ordinal": alt(p for ps in (cur.get("ordinals") or {}).values() for p in ps),
        "number_word": alt(p for ps in (cur.get("number_words") or {}).values() for p in ps),
        "relative_fixed": alt(i["phrase"] for i in fixed_items),
        "relative_week": alt(i["phrase"] for i in fixed_items if i["unit"] == "week"),
        "unit": alt(p for ps in (counted.get("units") or {}).values() for p in ps),
        "dual": alt(p for ps in (counted.get("duals") or {}).values() for p in ps),
        "past_before": alt(counted.get("past_before") or []),
        "future_before": alt(counted.get("future_before") or []),
        "past_after": alt(counted.get("past_after") or []),
        "future_after": alt(counted.get("future_after") or []),
        "year_cue": alt(cur.get("year_cues") or []),
        "month_cue": alt(cur.get("month_cues") or []),
        "joiner": alt(cur.get("range_joiners") or []),
        "pair_joiner": alt(cur.get("range_pair_joiners") or cur.get("range_joiners") or []),
        "opener": alt(cur.get("range_openers") or []),
        "until": alt(cur.get("range_until") or []),
        "era": alt(p for ps in (cur.get("era_markers") or {}).values() for p in ps),
        "decade": alt(cur.get("decade_words") or []),
        "dekad": alt(cur.get("dekad_words") or []),
        "season": alt(p for ps in (cur.get("seasons") or {}).values() for p in ps),
        "hijri_month": alt(p for p in month_phrases if months.get(key(p), ("",))[0] == "hijri"),
        "time_cue": alt(cur.get("time_cues") or []),
        "time_suffix": alt(cur.get("time_suffixes") or []),
        "future_cue": alt(cur.get("future_cues") or []),
        "weekday_future_cue": alt(cur.get("weekday_future_cues") or []),
        "past_cue": alt(cur.get("past_cues") or []),
        "month_prefix": alt(cur.get("month_prefixes") or []),
        "month_suffix": alt(cur.get("month_suffixes") or []),
        "weekday_prefix": alt(cur.get("weekday_prefixes") or []),
        "day_part": alt(cur.get("day_parts") or []),
        "year_relative": alt(i["phrase"] for i in cur.get("year_relatives") or []),
        "weekday_past_before": alt(modifiers.get("past_before") or []),
        "weekday_future_before": alt(modifiers.get("future_before") or []),
        "weekday_after": alt([*modifiers.get("past_after", []), *modifiers.get("future_after", [])]),
        "year_prep": alt(cur.get("year_preps") or []),
        "weekday_week": alt(p for ps in (cur.get("weekday_weeks") or {}).values() for p in ps),
        "weekday_blocker": alt(cur.get("weekday_blockers_before") or []),
        "name_blocker": alt(cur.get("name_blockers_before") or []),
        "edge": alt(cur.get("edge_modifiers") or []),
        "plural": alt(["ها", "های"]),
        "year_part": alt(phrases("year_parts")),
        "year_part_ordinal": alt(phrases("year_part_ordinals")),
        "year_part_same_after": alt(phrases("year_part_same_after")),
        "year_part_same_before": alt(phrases("year_part_same_before")),
        "month_count_noun": alt(phrases("month_count_nouns")),
        "month_count": alt(phrases("month_counts")),
        "month_count_first": alt(phrases("month_count_first")),
        "year_part_link": alt(phrases("year_part_links")),
        "year_part_year": alt(phrases("year_part_years")),
        "fiscal_noun": alt(phrases("fiscal_year_nouns")),
        "fiscal_relative": alt(phrases("fiscal_year_relatives")),
        "weekday_nth": alt(phrases("weekday_of_month_ordinals")),
        "surname_given_name": alt(phrases("weekday_surname_given_names")),
        "year_link": alt(phrases("year_links")),
        "same_month": alt(phrases("same_month_phrases")),
        "day_or": alt(phrases("day_disjunctions")),
        "weekday_nth_link": alt(phrases("weekday_of_month_links")),
    }
    return DateVocab(
        lang=lang, months=months, strict_months=strict, day_and_year_months=day_and_year, weekdays=weekdays, ordinals=ordinals,
        number_words=numbers, relative_fixed=relative_fixed, anaphoric=anaphoric, units=units, duals=duals, eras=eras,
        seasons=seasons, year_relatives=year_relatives, weekday_past=weekday_past,
        weekday_future=weekday_future, future_prefix=cur.get("future_prefix"),
        future_prefix_exclusions=frozenset(key(p) for p in cur.get("future_prefix_exclusions") or []),
        weekday_weeks={key(p): w for w, ps in (cur.get("weekday_weeks") or {}).items() for p in ps},
        singular_units=frozenset(key(ps[0]) for ps in (counted.get("units") or {}).values() if ps),
        past_directions=frozenset(key(p) for side in ("past_before", "past_after") for p in counted.get(side) or []),
        months_alone=bool(cur.get("months_alone")),
        afternoon_parts=frozenset(key(p) for p in cur.get("afternoon_parts") or []),
        year_parts={key(p): unit for unit, ps in (cur.get("year_parts") or {}).items() for p in ps},
        year_part_ordinals=by_number("year_part_ordinals"),
        month_counts=by_number("month_counts"),
        year_part_years={key(i["phrase"]): int(i["offset"]) for i in cur.get("year_part_years") or []},
        fiscal_relatives={key(i["phrase"]): i["offset"] for i in cur.get("fiscal_year_relatives") or []},
        fiscal_starts=tuple((int(n), alt(ps)) for n, ps in (cur.get("fiscal_year_starts") or {}).items()),
        weekday_nths={key(p): -1 if n == "last" else int(n)
                      for n, ps in (cur.get("weekday_of_month_ordinals") or {}).items() for p in ps},
        patterns=patterns,
    )
