"""Find temporal expressions in Persian, Arabic and English text, with exact spans.

Matching runs on the ``match`` view (`khabar.normalize.match_view`: letters, digits and
diacritics folded, ZWNJ a space) with patterns compiled from the language data; every match is
mapped back to the original text. Overlapping candidates are settled longest first, so
`سه‌شنبه ۱۶ آبان ۱۴۰۳ ساعت ۹:۱۹` is one expression, not four.

The result of this module is a list of `Parsed` expressions: what the words say (day numbers,
a month on a calendar, a year, a weekday, a relative offset), not yet what day they mean;
`khabar.temporal.resolve` turns them into values against a reference date.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import re
from dataclasses import dataclass, field, replace
from typing import Any

from khabar.document import TextView
from khabar.normalize import match_view, pattern_form
from khabar.resources import load_yaml
from khabar.temporal.starts import Scanner
from khabar.temporal.vocab import DateVocab, key, vocab

# Letters/digits may not touch a match on either side ("چین" inside "چینی" is the gazetteer's
# problem; here it is `مه` inside `مهم`). Arabic text may glue the clitics و ف ب ل to a word.
_L = r"(?<![^\W_])"
_L_AR = r"(?:(?<![^\W_])|(?<=(?<![^\W_])[وفبل])|(?<=(?<![^\W_])[وف][بل]))"
_R = r"(?![^\W_])"
_L_LETTER = r"(?<![^\W\d_])"  # no letter before (a digit may touch: `۱۸اسفند`)
_L_LETTER_AR = r"(?:(?<![^\W\d_])|(?<=(?<![^\W_])[وفبل])|(?<=(?<![^\W_])[وف][بل]))"
_NUM_L = r"(?<![\d.,/:\-])"  # a number not continuing a decimal, a numeric date or a clock
_NUM_R = r"(?![\d]|[.,/:\-]\d)"


@dataclass(frozen=True, slots=True)
class Parsed:
    """What one temporal expression says, before resolution. Offsets are into the original text."""

    start: int
    end: int
    kind: str  # date | numeric | month | year | years | decade | season | relative | counted | weekday
    # | weekday_of_month (`آخرین جمعه رمضان`: extras nth, 1..4 or -1 for the last)
    # | same_month (`نفس الشهر من العام الماضي`: the month named before, in the year given)
    days: tuple[int, ...] = ()
    calendar: str | None = None  # the calendar named by a month name or an era marker
    month: int | None = None
    year: int | None = None
    year_digits: int = 0  # 2 for `۸۷`, `2/4/86`
    year_end: int | None = None  # second year of a year range
    year_relative: int | str | None = None  # `سال جاری` 0, `گذشته` "past"...
    era: str | None = None  # calendar named by an era marker (هـ, م, ه.ش)
    weekday: int | None = None
    weekday_modifier: str | None = None  # past | future
    unit: str | None = None
    offset: int | None = None  # relative offset in `unit`s
    span_interval: bool = False  # "the last 6 years": an interval up to the anchor
    season: str | None = None
    decade: int | None = None
    time: str | None = None
    strict_month: bool = False  # never alone: needs a day or a year
    needs_day_and_year: bool = False
    extras: tuple[tuple[str, object], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    regex: re.Pattern[str]
    priority: int  # breaks ties between equally long candidates: lower wins


def _numeric_patterns() -> str:
    # The same separator twice, optionally spaced: `1401/12/04`, `٣ / ٧ / ١٤٣٤هـ`.
    ymd = r"(?P<Y1>\d{4})\s?(?P<s1>[/\-.])\s?(?P<M1>\d{1,2})\s?(?P=s1)\s?(?P<D1>\d{1,2})"
    dmy = r"(?P<D2>\d{1,2})\s?(?P<s2>[/\-.])\s?(?P<M2>\d{1,2})\s?(?P=s2)\s?(?P<Y2>\d{4}|\d{2})"
    return f"{_NUM_L}(?:{ymd}|{dmy}){_NUM_R}"


@functools.cache
def _rules(lang: str) -> tuple[_Rule, ...]:
    v = vocab(lang)
    L = _L_AR if lang == "ar" else _L
    LM = _L_LETTER_AR if lang == "ar" else _L_LETTER
    P = v.p
    day_num = rf"{_NUM_L}\d{{1,2}}{_NUM_R}"
    day = rf"(?:{day_num}|{L}{P('ordinal')}{_R})" if P("ordinal") != "(?!)" else day_num
    sep = r"\s*(?:[،,]\s*)?"
    joiner = rf"(?:\s*(?:[،,]|{P('joiner')})\s*)"
    day_joiner = rf"(?:\s*(?:[،,]|{P('joiner')}|{L}{P('day_or')}{_R})\s*)"  # `13 یا 15`: either day
    days = rf"(?P<days>{day}(?:{day_joiner}{day}){{0,4}})"
    edge = rf"(?:{L}(?P<edge>{P('edge')})\s+)"
    month = (rf"(?:{L}(?P<mprefix>{P('month_prefix')})\s*)?{LM}(?P<m1>{P('month')})(?:\s*(?P<msuffix>{P('month_suffix')}))?{_R}"
             rf"(?:\s*(?:\(\s*|/\s*)?(?P<m2>{P('month')})(?:\s*\))?{_R})?")
    era = rf"(?:\s*(?P<era>{P('era')})(?![^\W_]))"
    year_digits = r"\d{4}|\d{2}" if lang == "fa" else r"\d{4}"  # `26 شهریور 94`
    year_link = rf"|\s*{L}{P('year_link')}\s+" if P("year_link") != "(?!)" else ""  # `مايو من عام 2014`
    year = rf"(?:(?:{sep}{year_link})(?:{P('year_cue')}\s*)?(?P<year>{_NUM_L}(?:{year_digits}){_NUM_R}){era}?)"
    year_rel = rf"(?:\s*(?P<yrel>{P('year_relative')}){_R})"
    time = (rf"(?:\s*(?:[-،,]\s*)?(?:{P('time_cue')}\s*)?(?P<time>{_NUM_L}\d{{1,2}}:\d{{2}}(?::\d{{2}})?{_NUM_R})"
            rf"(?:\s*{P('time_suffix')}{_R})?)")
    weekday = rf"{L}(?P<wd>{P('weekday')}){_R}"
    clock_lead = rf"(?:{L}{P('time_cue')}\s*(?P<clock>{_NUM_L}\d{{1,2}}(?::\d{{2}})?{_NUM_R})\s*(?=[^\W\d_]))"
    rel_lead = rf"(?:{L}(?P<rel_lead>{P('relative_fixed')})\s*)"
    weekday_lead = (rf"(?:(?:{L}(?P<dpart>{P('day_part')})\s*)?(?:{rel_lead}|{L}{P('weekday_prefix')}\s*)?{weekday}{sep}"
                    rf"(?:\(\s*)?)")
    lead_prefix = rf"(?:{L}{P('weekday_prefix')}\s*)"
    opener = rf"(?:{L}(?P<opener>{P('opener')})\s+)"
    number = rf"(?:{_NUM_L}\d{{1,3}}{_NUM_R}|{L}{P('number_word')}{_R})"
    rel_fixed = rf"{L}(?P<rel>{P('relative_fixed')}){_R}"
    day_part = rf"(?:{L}{P('day_part')}\s*)"
    day_part_after = rf"(?:\s*{P('day_part')}{_R})"

    # `الربع الثالث من العام المالي 2014-2015`, `النصف الأول`, `الأشهر السبعة هذا العام`
    def part_year(n: int) -> str:
        return rf"{_NUM_L}(?P<pyear{n}>\d{{4}})(?:\s*[-/]\s*(?P<pyearend{n}>\d{{4}}))?(?!\d)"

    fiscal = (rf"(?P<fy>{P('fiscal_noun')}){_R}(?:\s+(?P<fyrel>{P('fiscal_relative')}){_R})?"
              rf"(?:\s*{part_year(1)})?")
    part_tail = (rf"\s*(?:{L}{P('year_part_link')}\s*)?(?:{fiscal}|(?P<pyrel>{P('year_part_year')}){_R}"
                 rf"(?:\s*{part_year(2)})?|{part_year(3)})")
    part_head = (rf"(?:{L}(?P<psame_before>{P('year_part_same_before')})\s+)?{L}(?P<part>{P('year_part')})"
                 rf"(?:\s+(?:(?P<pord>{P('year_part_ordinal')})|(?P<psame>{P('year_part_same_after')})))?{_R}")
    months_head = (rf"{L}(?:{P('month_count_noun')}\s+(?P<mcount>{P('month_count')})|(?P<mcount2>{P('month_count')})"
                   rf"\s+{P('month_count_noun')}){_R}(?:\s+{P('month_count_first')}{_R})?")

    rules: list[tuple[str, str, int]] = [
        ("part", rf"{edge}?{part_head}(?:{part_tail})?", 2),
        ("part_months", rf"{months_head}{part_tail}", 2),
        # `السنة المالية الجارية 2015-2016`, `العام المالي الحالي`
        ("fiscal_year", rf"{L}{fiscal}".replace("pyear1", "pyear4").replace("pyearend1", "pyearend4"), 3),
        # `چهارشنبه ۱۶ آبان ۱۴۰۳ ساعت ۹:۱۹`, `8 و9 نيسان (أبريل)`, `از ۱۰ تا ۱۲ مهر ماه امسال`
        ("date", rf"{edge}?{clock_lead}?{weekday_lead}?{opener}?{lead_prefix}?{days}\s*(?:من\s*)?{month}(?:{year}|{year_rel})?{time}?", 1),
        # `دهه دوم اسفندماه`: the second ten days of Esfand
        ("dekad", rf"{L}{P('dekad')}\s+(?P<dekad>{P('ordinal')}){_R}\s*{month}(?:{year}|{year_rel})?", 1),
        # `آخرین جمعه ماه مبارک رمضان`, `the last Friday of May 2024`: a weekday counted in a month
        ("weekday_of_month", rf"{L}(?P<wnth>{P('weekday_nth')})\s+{weekday}\s+(?:{L}{P('weekday_nth_link')}\s+)?"
                             rf"{month}(?:{year}|{year_rel})?", 1),
        # `نفس الشهر من العام الماضي`, `الشهر ذاته من عام 2014`: the month named before, in that year
        ("same_month", rf"{L}(?P<same>{P('same_month')}){_R}(?:{year_rel}|{year})", 2),
        # `May 14, 2024` (English, month first)
        ("date_mdy", rf"{weekday_lead}?{L}(?P<m1>{P('month')}){_R}\s+(?P<days>{day_num})(?:\s*,?\s*(?P<year>\d{{4}}){_NUM_R})?{time}?", 1),
        # `آذار (مارس) 2023`, `آبان ۱۴۰۳`, `مهرماه سال قبل`
        ("month", rf"{edge}?{month}(?:{year}|{year_rel})", 2),
        # `في تشرين الأول`, `در آبان` (month alone, after a cue; the cue is not part of it)
        ("month_alone", rf"(?:{L}(?P<mcue>{P('month_cue')})\s+)?(?P<start>){edge}?{month}", 3),
        # `۰۲:۴۱ - ۱۴۰۱/۱۲/۰۴`, `1401-12-04`, `24/10/1436هـ`
        ("numeric", rf"(?:(?P<time0>{_NUM_L}\d{{1,2}}:\d{{2}}{_NUM_R})\s*-?\s*)?{weekday_lead}?{lead_prefix}?{_numeric_patterns()}{era}?{time}?", 1),
        # `سال ۲۰۲۲`, `عام 2022`, `2022م`, `سال ۸۷`
        ("year", rf"{L}(?:{P('year_cue')})\s*(?P<year>{_NUM_L}(?:\d{{4}}|\d{{2}}){_NUM_R}){era}?", 4),
        ("year_era", rf"(?P<year>{_NUM_L}\d{{4}}{_NUM_R}){era}", 4),
        # `1918 - أعمال شغب ...`: a year opening an item of a "this day in history" list
        # (where the item begins is checked by `_opens_list_item`: the rule starts at the year's
        # digits, so the scanner tries it only there instead of at every position of the text)
        ("year_list", r"(?<!\d)(?P<start>)(?P<year>(?:1[6-9]|20)\d{2})(?=\s*[-–]\s)", 5),
        # `در 2005`: the preposition before is checked by `_prep_before` (the rule starts at the
        # year, not at every `در`/`في` of the text)
        ("year_bare", rf"(?P<start>)(?P<year>{_NUM_L}(?:19|20)\d{{2}}{_NUM_R})(?!\s*[%٪])", 5),
        # `سال‌های 2009 و 2010`, `سال‌های 1991 تا 2016 میلادی`
        ("years", rf"(?:{L}(?:{P('year_cue')})(?:\s*{P('plural')})?\s*)?(?P<year>{_NUM_L}(?:19|20|13|14)\d{{2}}(?!\d))(?:{joiner}|\s*[/\-–]\s*)(?P<year2>(?:19|20|13|14)\d{{2}}){_NUM_R}{era}?", 3),
        # `دهه 40`, `دهه‌های ۱۳۹۰`
        ("decade", rf"{L}(?:{P('decade')})(?:\s*{P('plural')})?\s*(?P<decade>{_NUM_L}(?:\d{{2}}|\d{{4}}){_NUM_R})"
                   rf"(?:{joiner}(?P<decade2>{_NUM_L}(?:\d{{2}}|\d{{4}}){_NUM_R}))?", 3),
        # `بهار ۱۴۰۳`, `صيف 2022`, `تابستان امسال`
        ("season", rf"{L}(?P<season>{P('season')}){_R}(?:{year}|{year_rel})", 3),
        # `امروز چهارشنبه`, `صباح اليوم`, `أمس (الجمعة)`, `ظهر امروز`
        ("relative", rf"{edge}?{day_part}?(?:{L}{P('weekday_prefix')}\s*)?{rel_fixed}(?:\s*\(?\s*{weekday}\s*\)?)?{day_part_after}?{time}?", 6),
        # `۳ روز پیش`, `منذ يومين`, `قبل 3 أيام`, `two days ago`, `in 3 weeks`, `6 سال گذشته`
        ("counted_after", rf"(?P<n>{number})\s*{L}(?P<unit>{P('unit')}){_R}\s*(?P<dir>{P('past_after')}|{P('future_after')}){_R}", 6),
        ("counted_before", rf"{L}(?P<dir>{P('past_before')}|{P('future_before')})\s*(?:(?P<n>{number})\s*)?(?P<unit>{P('unit')}){_R}", 6),
        ("counted_dual", rf"{L}(?P<dir>{P('past_before')}|{P('future_before')})\s*(?P<dual>{P('dual')}){_R}", 6),
        # `یکشنبه گذشته`, `الأحد المقبل`, `last Monday`, `روز دوشنبه`, `يوم الاثنين`
        ("weekday", rf"(?:{L}(?P<wmod_before>{P('weekday_past_before')}|{P('weekday_future_before')})\s+)?{day_part}?(?:{L}{P('weekday_prefix')}\s*)?{weekday}(?:\s*(?P<wweek>{P('weekday_week')}){_R}|\s*(?P<wmod>{P('weekday_after')}){_R})?{day_part_after}?{time}?", 7),
    ]
    compiled = []
    for name, pattern, priority in rules:
        if name == "date_mdy" and lang != "en":
            continue
        if name in ("part", "part_months", "fiscal_year") and not v.year_parts:
            continue  # parts of years are curated for Arabic only so far  # month-first dates (`May 14, 2024`) are an English shape; a fifth of the scan time
        compiled.append(_Rule(name, re.compile(pattern), priority))
    return tuple(compiled)


@functools.cache
def _scanner(lang: str) -> Scanner:
    """The rules of ``lang`` behind one scanner: each tried only where its match can begin."""
    return Scanner([rule.regex for rule in _rules(lang)])


def _clock(hour: str | None, day_part: str | None, v: DateVocab) -> str | None:
    """`ساعت ۱۰ صبح` -> 10:00, `ساعت ۸ شب` -> 20:00 (the part of the day says after noon)."""
    if not hour:
        return None
    h, _, minutes = hour.partition(":")
    value = int(h)
    if day_part and key(day_part) in v.afternoon_parts and value < 12:
        value += 12
    if value > 24:
        return None
    return f"{value:02d}:{int(minutes or 0):02d}"


def _to_int(value: str, v: DateVocab) -> int | None:
    value = value.strip()
    if value.isdigit():
        return int(value)
    return v.ordinals.get(key(value)) or v.number_words.get(key(value))


@dataclass(frozen=True, slots=True)
class _Checks:
    """The patterns `_parse` tries around a match of ``lang``, compiled once."""

    day: re.Pattern[str]  # a day number or ordinal inside the `days` group
    name_before: re.Pattern[str]  # `میدان`, `عين` just before: part of a name
    range_days: re.Pattern[str]  # two numbers or a joiner: the days of a range
    weekday_blocker_before: re.Pattern[str]  # `نماز`, `صلاة` just before a weekday
    day_or: re.Pattern[str]  # `یا`, `أو` between the days: either day


@functools.cache
def _checks(lang: str) -> _Checks:
    v = vocab(lang)
    return _Checks(
        day=re.compile(r"\d{1,2}" + ("|" + v.p("ordinal") if v.p("ordinal") != "(?!)" else "")),
        name_before=re.compile(rf"(?<![^\W_]){v.p('name_blocker')}\s*$"),
        range_days=re.compile(r"\d\D+\d|" + v.p("joiner")),
        weekday_blocker_before=re.compile(v.p("weekday_blocker") + r"\s*$"),
        day_or=re.compile(rf"(?<![^\W_]){v.p('day_or')}(?![^\W_])"),
    )


_FROM_AFTER = re.compile(r"\s*از(?![^\W_])")  # `3 روز قبل از آن بازی`


@functools.cache
def _year_prep_end(lang: str) -> tuple[re.Pattern[str], int]:
    """A year preposition ending where the search ends, and the longest one (data: `year_preps`)."""
    v = vocab(lang)
    L = _L_AR if lang == "ar" else _L
    phrases = [pattern_form(p) for p in load_yaml(f"lang/{lang}/dates.yaml").get("year_preps") or []]
    # a phrase of several words may be spaced any way (`\s*`): then the whole text before is searched
    longest = -1 if any(" " in p for p in phrases) else max(map(len, phrases), default=0)
    return re.compile(rf"{L}(?:{v.p('year_prep')})$"), longest


def _prep_before(text: str, at: int, lang: str) -> bool:
    """Is ``text[at:]`` preceded by a year preposition and whitespace (`در 2005`, `في  2010`)?"""
    run = at
    while run > 0 and text[run - 1].isspace():
        run -= 1
    if run == at:
        return False
    pattern, longest = _year_prep_end(lang)
    return pattern.search(text, max(0, run - longest) if longest >= 0 else 0, run) is not None


def _opens_list_item(text: str, at: int) -> bool:
    """Does ``text[at:]`` open an item of a list: only whitespace between it and the start of the
    text, a line break, or `.`/`:` followed by whitespace?"""
    run = at
    while run > 0 and text[run - 1].isspace():
        run -= 1
    return run == 0 or "\n" in text[run:at] or (run < at and text[run - 1] in ".:")


def _days(text: str | None, v: DateVocab) -> tuple[int, ...]:
    if not text:
        return ()
    found = []
    for m in _checks(v.lang).day.finditer(text):
        n = _to_int(m.group(), v)
        if n is not None:
            found.append(n)
    return tuple(found)


def _made(fields: dict[str, Any], **more: Any) -> Parsed:
    return Parsed(**(fields | more))


def _parse(rule: str, m: re.Match[str], v: DateVocab, view: TextView, original: str) -> Parsed | None:
    g = m.groupdict()
    vstart = m.start("start") if g.get("start") is not None else m.start()
    span = view.to_original(vstart, m.end())
    start, end = span.start, span.end
    while end > start and original[end - 1] in " \t،,-(/":  # a trailing joiner or bracket is not part of it
        end -= 1
    if rule == "year_list" and not _opens_list_item(view.text, vstart):
        return None
    if rule == "year_bare" and not _prep_before(view.text, vstart, v.lang):
        return None
    before = view.text[max(0, vstart - 14):vstart]
    checks = _checks(v.lang)
    if checks.name_before.search(before):
        return None  # `میدان ۹ دی`, `عين اليوم`: part of a name
    base: dict[str, Any] = {"start": start, "end": end, "kind": "date"}  # the fields of the Parsed, made once
    if g.get("opener") and not checks.range_days.search(g.get("days") or ""):
        # `از 6 فوریه`: "from" without a second day is not part of a range; leave it out
        start = view.to_original(m.start("opener") + len(g["opener"]), m.end()).start
        while start < end and original[start].isspace():
            start += 1
        base = {"start": start, "end": end, "kind": "date"}
    time = g.get("time") or g.get("time0") or _clock(g.get("clock"), g.get("dpart"), v)
    if time:
        base.update(time=time)
    if g.get("wd"):
        base.update(weekday=v.weekdays.get(key(g["wd"])))
    if g.get("era"):
        base.update(era=v.eras.get(key(g["era"])))
    if g.get("yrel"):
        base.update(year_relative=v.year_relatives.get(key(g["yrel"])))
    if g.get("wd"):
        before = view.text[max(0, m.start("wd") - 16):m.start("wd")]
        if checks.weekday_blocker_before.search(before):
            return None  # `نماز جمعه`, `صلاة الجمعة`: the Friday prayer, not a Friday
    if g.get("wweek"):
        base.update(extras=(("week", v.weekday_weeks.get(key(g["wweek"]))),))
    if g.get("m1"):
        calendar, number = v.months[key(g["m1"])]
        strict = key(g["m1"]) in v.strict_months | v.day_and_year_months
        both = key(g["m1"]) in v.day_and_year_months
        if g.get("mprefix"):  # `ماه مي`, `شهر آب`: the word "month" says it is one
            strict = both = False
        if g.get("m2") and g.get("m1"):
            cal2, num2 = v.months.get(key(g["m2"]), (None, None))
            if num2 != number and cal2 == calendar:
                return None  # `آذار (مارس)` names one month twice; two different months is not a date
            if cal2 != calendar:
                # `ماه آوریل (اردیبهشت)`: a month restated on another calendar is a second expression
                end = view.to_original(m.start("m1"), m.end("m1")).end
                base.update(end=end)
                if g.get("year") and m.start("year") > m.end("m1"):
                    g = {**g, "year": None}
                g = {**g, "m2": None}
            # a second spelling of the month confirms it: `نيسان (أبريل)`
            strict = strict and key(g["m2"]) in v.strict_months | v.day_and_year_months
            both = both and key(g["m2"]) in v.day_and_year_months
        if v.lang == "en" and not original[view.to_original(m.start("m1"), m.end("m1")).start].isupper():
            return None  # `may`, `march`: English month names are capitalised
        base.update(calendar=calendar, month=number, strict_month=strict, needs_day_and_year=both)
    if g.get("year"):
        digits = len(g["year"])
        base.update(year=int(g["year"]), year_digits=digits)

    if rule == "same_month":
        if base.get("year") is None and not isinstance(base.get("year_relative"), int):
            return None  # `نفس الشهر الماضي`: no year to move the month to
        return _made(base, kind="same_month")
    if rule == "weekday_of_month":
        if g.get("m2") or (base.get("needs_day_and_year") and base.get("year") is None):
            return None
        if v.lang == "en" and not original[view.to_original(m.start("wd"), m.end("wd")).start].isupper():
            return None
        return _made(base, kind="weekday_of_month", extras=(("nth", v.weekday_nths.get(key(g["wnth"]))),))
    if rule == "dekad":
        n = _to_int(g["dekad"], v)
        if n is None or not 1 <= n <= 3 or g.get("m2"):
            return None
        return _made(base, kind="date", days=(10 * n - 9, 10 * n if n < 3 else 0))
    if rule in ("date", "date_mdy"):
        found = _days(g.get("days"), v)
        if not found or any(not 1 <= d <= 31 for d in found):
            return None
        if len(found) > 1 and checks.day_or.search(g.get("days") or ""):
            base.update(extras=(*base.get("extras", ()), ("disjunction", True)))
        if base.get("needs_day_and_year") and base.get("year") is None and base.get("year_relative") is None \
                and not (g.get("wd") and len(found) == 1):
            return None  # `می` alone is a verb prefix; a weekday before `5 مي` makes it a date
        return _made(base, kind="date", days=found)
    if rule == "month":
        if base.get("needs_day_and_year") or (base.get("strict_month") and base.get("year") is None):
            return None
        return _made(base, kind="month")
    if rule == "month_alone":
        alone = v.months_alone and base.get("calendar") == "gregorian"
        # `فروردین‌ماه` says it is a month as `ماه فروردین` does
        if base.get("strict_month") or not (g.get("mcue") or g.get("mprefix") or g.get("msuffix") or g.get("edge")
                                             or alone):
            return None
        return _made(base, kind="month")
    if rule == "numeric":
        y, mo, d = (g.get("Y1"), g.get("M1"), g.get("D1")) if g.get("Y1") else (g.get("Y2"), g.get("M2"), g.get("D2"))
        if y is None or mo is None or d is None:
            return None
        month_n, day_n = int(mo), int(d)
        if not (1 <= month_n <= 12 and 1 <= day_n <= 31):
            return None
        return _made(base, kind="numeric", days=(day_n,), month=month_n, year=int(y), year_digits=len(y),
                       calendar=base.get("era"))
    if rule in ("year", "year_era", "year_bare", "year_list"):
        if base.get("year_digits") == 2 and v.lang != "fa":
            return None
        return _made(base, kind="year", calendar=base.get("era"))
    if rule == "years":
        first, last = int(g["year"]), int(g["year2"])
        if not 0 < last - first <= 60:
            return None  # `2015-2010` or `1990/2080` is not a span of years
        return _made(base, kind="years", year_end=last, calendar=base.get("era"))
    if rule in ("part", "part_months", "fiscal_year"):
        return _parse_part(rule, g, base, v)
    if rule == "decade":
        if g.get("decade2"):
            # `دهه‌های 1340 تا 1350`, `دهه‌های 40 و 50`: decades under one head are one expression
            first, last = int(g["decade"]), int(g["decade2"])
            if len(g["decade"]) != len(g["decade2"]) or not 0 < last - first <= 50 or first % 10 or last % 10:
                return None
            return _made(base, kind="decade", decade=first, year_end=last)
        return _made(base, kind="decade", decade=int(g["decade"]))
    if rule == "season":
        return _made(base, kind="season", season=v.seasons.get(key(g["season"])))
    if rule == "relative":
        rel_key = key(g["rel"])
        if v.lang == "ar" and rel_key == "اليوم":
            after = view.text[m.end("rel"):m.end("rel") + 12].lstrip()
            if after.startswith("ال") and not any(after.startswith(w) for w in v.weekdays):
                return None  # `اليوم الوطني`, `اليوم الأول`: "the day", not "today"
        unit, offset = v.relative_fixed[rel_key]
        extras = (("anaphoric", True),) if rel_key in v.anaphoric else ()
        return _made(base, kind="relative", unit=unit, offset=offset, extras=extras)
    if rule in ("counted_after", "counted_before", "counted_dual"):
        direction = key(g["dir"])
        sign = -1 if direction in v.past_directions else 1
        if g.get("dual"):
            unit, n = v.duals[key(g["dual"])], 2
        else:
            unit = v.units[key(g["unit"])]
            if g.get("n"):
                n = _to_int(g["n"], v)
                if n is None:
                    return None
            elif key(g["unit"]) in v.singular_units:
                n = 1
            else:  # `منذ أشهر` (months ago): a stretch of unknown length, value null
                return _made(base, kind="counted", unit=unit, offset=None)
        if v.lang == "fa" and rule == "counted_after" and _FROM_AFTER.match(view.text, m.end()):
            return None  # `3 روز قبل از آن بازی`: counted from an event, not from the reference date
        # `6 سال گذشته` (the last 6 years) is a stretch up to the reference date, not a point.
        stretch = v.lang == "fa" and direction in {key("گذشته"), key("اخیر"), key("آینده"), key("آتی")}
        return _made(base, kind="counted", unit=unit, offset=sign * n, span_interval=stretch)
    if rule == "weekday":
        modifier = g.get("wmod") or g.get("wmod_before")
        mod = None
        if modifier:
            mod = "past" if key(modifier) in v.weekday_past else "future" if key(modifier) in v.weekday_future else None
        if v.lang == "en" and not original[view.to_original(m.start("wd"), m.end("wd")).start].isupper():
            return None
        return _made(base, kind="weekday", weekday_modifier=mod)
    return None


def _parse_part(rule: str, g: dict[str, str | None], base: dict[str, Any], v: DateVocab) -> Parsed | None:
    """A part of a (fiscal) year: `kind="part"`, with extras part (quarter | half | months | year),
    number (which quarter or half, how many months; None for "the same one as before") and fiscal."""
    fiscal = bool(g.get("fy"))
    if rule == "fiscal_year":
        if not (g.get("fyrel") or g.get("pyear4")):
            return None  # `العام المالي` alone is the notion, not a year
        unit, number = "year", 1
    elif rule == "part_months":
        unit, number = "months", v.month_counts.get(key(g.get("mcount") or g.get("mcount2") or ""))
    else:
        unit = v.year_parts[key(g["part"] or "")]
        same = bool(g.get("psame") or g.get("psame_before"))
        number = None if same else v.year_part_ordinals.get(key(g.get("pord") or ""))
        if number is None and not same:
            return None  # `الربع` alone: a quarter of something, not of a year
        if number is not None and number > (4 if unit == "quarter" else 2):
            return None
    relative: int | str | None = None
    if g.get("fyrel"):
        relative = v.fiscal_relatives.get(key(g["fyrel"]))
    elif g.get("pyrel"):
        relative = v.year_part_years.get(key(g["pyrel"]))
    written = next((g[f"pyear{n}"] for n in range(1, 5) if g.get(f"pyear{n}")), None)
    written_end = next((g[f"pyearend{n}"] for n in range(1, 5) if g.get(f"pyearend{n}")), None)
    year = int(written) if written else None
    year_end = int(written_end) if written_end else None
    if year and year_end and not 0 < year_end - year <= 1:
        return None  # a fiscal year spans two calendar years at most
    extras = (("part", unit), ("number", number), ("fiscal", fiscal))
    return _made(base, kind="part", year=year, year_digits=4 if year else 0, year_end=year_end,
                   year_relative=relative, extras=extras)


def extract(text: str, lang: str | None, view: TextView | None = None) -> list[Parsed]:
    """Every temporal expression in ``text``, in order, without overlaps. ``view``: the text's
    `match_view`, when the caller already made it."""
    langs = (lang,) if lang in ("fa", "ar", "en") else ("fa", "ar", "en")
    if view is None:
        view = match_view(text)
    chosen = _drop_weekday_surnames(_settle(text, view, langs), text, view, langs)
    joined = _join_restatements(chosen, text)
    return _join_ranges(joined, view, langs)


def _settle(text: str, view: TextView, langs: tuple[str, ...]) -> list[Parsed]:
    """The expressions of every rule of ``langs``, without overlaps, in text order."""
    # Overlapping candidates are settled longest first (then by rule priority, then leftmost, then
    # in the order found), each taken unless it overlaps one taken before. Parsing is lazy: a match
    # waits in the queue under the span of its raw match, which its parse can only shrink, so it is
    # parsed only when nothing ranked above it is left, and never when its raw span already lies
    # inside a taken expression (its parse would overlap that one). The result is the same as
    # parsing every match first and sorting.
    queue: list[tuple[int, int, int, int, Any]] = []
    seq = 0
    for code in langs:
        v = vocab(code)
        rules = _rules(code)
        for index, m in _scanner(code).finditer(view.text):
            if m.end() == m.start():
                continue
            rule = rules[index]
            has_start = "start" in m.re.groupindex and m.start("start") >= 0
            raw = view.to_original(m.start("start") if has_start else m.start(), m.end())
            queue.append((raw.start - raw.end, rule.priority, raw.start, seq, (rule, m, v, raw)))
            seq += 1
    heapq.heapify(queue)
    chosen: list[Parsed] = []
    taken: list[tuple[int, int]] = []
    while queue:
        _length, priority, _start, order, item = heapq.heappop(queue)
        if isinstance(item, Parsed):
            if any(item.start < e and s < item.end for s, e in taken):
                continue
            chosen.append(item)
            taken.append((item.start, item.end))
            continue
        rule, m, v, raw = item
        if any(s <= raw.start and raw.end <= e for s, e in taken):
            continue
        parsed = _parse(rule.name, m, v, view, text)
        if parsed is not None and parsed.end > parsed.start:
            heapq.heappush(queue, (parsed.start - parsed.end, priority, parsed.start, order, parsed))
    return sorted(chosen, key=lambda p: p.start)


@functools.cache
def _given_name_before(langs: tuple[str, ...]) -> re.Pattern[str] | None:
    names = [vocab(c).p("surname_given_name") for c in langs if vocab(c).p("surname_given_name") != "(?!)"]
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(names)})\s+$") if names else None


def _drop_weekday_surnames(found: list[Parsed], text: str, view: TextView, langs: tuple[str, ...]) -> list[Parsed]:
    """`أحمد الخميس` is a person (dates_dev.md): a weekday right after a given name is a family
    name, and in that document the same weekday word standing alone (`وقال الخميس`) is that person."""
    given = _given_name_before(langs)
    if given is None or not any(p.kind == "weekday" for p in found):
        return found
    surnames: set[str] = set()
    for p in found:
        if p.kind == "weekday":
            at = bisect.bisect_left(view.starts, p.start)
            if given.search(view.text, max(0, at - 24), at):
                surnames.add(key(text[p.start:p.end]))
    if not surnames:
        return found
    return [p for p in found if not (p.kind == "weekday" and key(text[p.start:p.end]) in surnames)]


_OPEN_PAREN = re.compile(r"\s*\(\s*")
_CLOSE_PAREN = re.compile(r"\s*\)")


def _closed(p: Parsed, text: str) -> Parsed:
    """A match that opened a bracket it did not close (`شامگاه جمعه (۲۹ شهریور`) takes the
    closing bracket right after it: the bracket is inside the expression."""
    if text.count("(", p.start, p.end) > text.count(")", p.start, p.end):
        close = _CLOSE_PAREN.match(text, p.end)
        if close:
            return replace(p, end=close.end())
    return p


def _restates_weekday(p: Parsed) -> bool:
    """A single day that a weekday in brackets can restate (`۱۹ مهرماه`, `امروز`)."""
    if p.weekday is not None:
        return False
    if p.kind in ("date", "numeric"):
        return len(p.days) == 1
    return p.kind == "relative" and p.unit == "day" and p.offset is not None and not p.span_interval


def _join_restatements(found: list[Parsed], text: str) -> list[Parsed]:
    """A weekday restated in brackets by its date or deictic word is one expression (dates_dev.md,
    span rules): `پنج‌شنبه (5 مي)`, `بامداد شنبه گذشته (۱۹ مهرماه)`, `روز شنبه (امروز)`. The
    date gives the value; the weekday is kept to check it."""
    found = [_closed(p, text) for p in found]
    out: list[Parsed] = []
    i = 0
    while i < len(found):
        first = found[i]
        if first.kind == "weekday" and i + 1 < len(found) and _restates_weekday(found[i + 1]):
            second = found[i + 1]
            opened = _OPEN_PAREN.match(text, first.end)
            close = _CLOSE_PAREN.match(text, second.end)
            if opened and opened.end() == second.start and close:
                out.append(replace(second, start=first.start, end=close.end(), weekday=first.weekday,
                                   time=second.time or first.time))
                i += 2
                continue
        out.append(first)
        i += 1
    return out


_RANGE_KINDS = frozenset({"date", "numeric", "month", "year", "weekday", "relative"})


@functools.cache
def _range_patterns(langs: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Opener before the first expression; "until", joiner and pair joiner between the two."""
    openers = "|".join(vocab(c).p("opener") for c in langs)
    joiners = "|".join(vocab(c).p("joiner") for c in langs)
    until = "|".join(vocab(c).p("until") for c in langs)
    opener_re = re.compile(rf"(?<![^\W_])(?:{openers})\s*$")
    # "and until" may carry a word or two before the second date (`وحتى نهاية دوام يوم الاثنين`)
    until_re = re.compile(rf"\s*(?:و\s*)?(?:{until})(?:\s+[^\W\d_]+){{0,2}}\s*")
    pair_joiners = "|".join(vocab(c).p("pair_joiner") for c in langs)
    joined_re = re.compile(rf"\s*(?:{joiners}|{until})\s*")
    # after an opener only these close the pair: `از ۱۰ مهر تا ۱۲ آبان`, not `از دیشب و صبح امروز`
    paired_re = re.compile(rf"\s*(?:{pair_joiners}|{until})\s*")
    return opener_re, until_re, joined_re, paired_re


def _join_ranges(found: list[Parsed], view: TextView, langs: tuple[str, ...]) -> list[Parsed]:
    """`از ۱۰ مهر تا ۱۲ آبان`, `بين 22 ديسمبر والرابع من يناير 2016`: two expressions joined by a
    range word, with an opening word before the first or an "until" word between, are one range."""
    if len(found) < 2:
        return found
    opener_re, until_re, joined_re, paired_re = _range_patterns(langs)
    out: list[Parsed] = []
    i = 0
    while i < len(found):
        first = found[i]
        if i + 1 < len(found) and first.kind in _RANGE_KINDS and found[i + 1].kind in _RANGE_KINDS:
            second = found[i + 1]
            v_first = bisect.bisect_left(view.starts, first.start)
            v_first_end = bisect.bisect_left(view.starts, first.end)
            v_second = bisect.bisect_left(view.starts, second.start)
            between = view.text[v_first_end:v_second]
            opened = opener_re.search(view.text, max(0, v_first - 12), v_first)
            # `مايو أيار ويونيو حزيران 1999`: months coordinated under the year of the last
            coordinated = first.kind == second.kind == "month" and first.year is None and first.year_relative is None \
                and second.year is not None and joined_re.fullmatch(between)
            if len(between) <= 24 and ((opened and paired_re.fullmatch(between)) or until_re.fullmatch(between)
                                       or coordinated):
                start = view.starts[opened.start()] if opened else first.start
                out.append(replace(second, start=start, kind="range", extras=(("parts", (first, second)),)))
                i += 2
                continue
        out.append(first)
        i += 1
    return out
