"""Resolve parsed temporal expressions to dates against a reference date (the anchor).

Rules, each chosen for news text:
- A date without a year takes it from the expression itself (`سال جاری`, `الماضي`), else from
  the anchor (the occurrence nearest to it, moved across the anchor when the sentence's tense
  says the other way), else from the nearest explicit year in the same document on the same
  calendar; never from the machine clock. With none of these the value is null.
- A weekday points back by default (reports tell what happened) and forward when its sentence
  is in the future tense or it carries `آینده`/`المقبل`/`next`; the anchor's own weekday is the
  anchor itself ("on Wednesday" written on a Wednesday).
- A numeric year of 13xx/14xx is Jalali or Hijri: an era marker decides; else the calendar that
  puts the date nearest the anchor; else the language (Persian Jalali, Arabic Hijri).
- Relative weeks start on Saturday in Persian, Sunday in Arabic and Monday in English (the
  working weeks of Iran, Saudi Arabia and ISO 8601); relative months and years are Jalali in
  Persian and Gregorian otherwise, as the texts count them.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from khabar import calendars
from khabar.calendars import CalendarRangeError, Interval
from khabar.document import TextView
from khabar.normalize import pattern_form
from khabar.temporal.extract import Parsed
from khabar.temporal.vocab import DateVocab, key, vocab

# The calendar conversions are pure; a document asks the same few again and again (the anchor's
# year on each calendar for every expression), and jdatetime reads the process locale on each call.
# A date that does not exist raises CalendarRangeError every time (exceptions are not cached).
to_gregorian = functools.lru_cache(maxsize=8192)(calendars.to_gregorian)
from_gregorian = functools.lru_cache(maxsize=8192)(calendars.from_gregorian)
month_interval = functools.lru_cache(maxsize=8192)(calendars.month_interval)
year_interval = functools.lru_cache(maxsize=8192)(calendars.year_interval)
add_calendar_months = functools.lru_cache(maxsize=8192)(calendars.add_calendar_months)

_WEEK_START = {"fa": 6, "ar": 7, "en": 1}  # ISO weekday a week starts on
_SEASON_MONTHS = {"spring": (1, 3), "summer": (4, 6), "autumn": (7, 9), "winter": (10, 12)}  # Jalali
_SEASON_GREGORIAN = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "winter": (12, 14)}


@dataclass(frozen=True, slots=True)
class ResolveContext:
    text: str
    lang: str
    anchor: date | None
    explicit_years: tuple[tuple[int, str, int], ...] = ()  # (position, calendar, year)
    fiscal_start: int = 1  # the month the fiscal year of the text starts in (`fiscal_year_start`)
    fiscal_years: tuple[int, ...] = ()  # first years of the fiscal years the text names (`2014-2015`)
    view: TextView | None = None  # the match view of ``text`` (`match_view`), when the caller has it


_SENTENCE_ENDS = ".!?؟\n"  # the characters that end a sentence
_CLAUSE_ENDS = ".!?؟\n،,؛;"  # ... or a clause


@functools.lru_cache(maxsize=8)
def _end_positions(text: str, chars: str) -> tuple[int, ...]:
    """Where ``chars`` occur in ``text``, in order: found once per document, so that the sentence
    and clause of each expression are two binary searches instead of scans of the text before it."""
    return tuple(m.start() for m in re.finditer("[" + re.escape(chars) + "]", text))


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence holding ``text[start:end]`` starts and ends."""
    ends = _end_positions(text, _SENTENCE_ENDS)
    before = bisect.bisect_left(ends, start)  # the ends at positions < start
    after = bisect.bisect_left(ends, end)  # the first end at or after ``end``
    return (ends[before - 1] + 1 if before else 0), (ends[after] if after < len(ends) else len(text))


def sentence_around(text: str, start: int, end: int) -> str:
    left, right = sentence_bounds(text, start, end)
    return text[left:right]


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the clause of ``text[start:end]`` starts and ends (see `clause_around`)."""
    low = max(0, start - 300)
    ends = _end_positions(text, _CLAUSE_ENDS)
    before = bisect.bisect_left(ends, start)
    after = bisect.bisect_left(ends, end)
    last = ends[before - 1] if before and ends[before - 1] >= low else -1
    return (last + 1 if last >= 0 else low), (ends[after] if after < len(ends) else len(text))


def clause_around(text: str, start: int, end: int) -> str:
    """The clause of an expression: its sentence cut at commas and semicolons, so that a future verb
    after `، وسوف` does not turn the weekday of the clause before it forward."""
    left, right = clause_bounds(text, start, end)
    return text[left:right]


def _folded(ctx: ResolveContext, start: int, end: int) -> str:
    """``pattern_form(ctx.text[start:end])``, cut from the document's match view when the context
    has one: folding is character by character, so the slice is the same string, without
    folding every sentence again for every expression in it."""
    if ctx.view is None:
        return pattern_form(ctx.text[start:end])
    view_start = bisect.bisect_left(ctx.view.starts, start)
    view_end = bisect.bisect_left(ctx.view.starts, end)
    return " ".join(ctx.view.text[view_start:view_end].split())


@dataclass(frozen=True, slots=True)
class _Cues:
    """The cue patterns of one language (lang/<code>/dates.yaml), compiled once."""

    future: re.Pattern[str]
    weekday_future: re.Pattern[str]
    relative_week: re.Pattern[str]
    past: re.Pattern[str]
    hijri_month: re.Pattern[str]
    future_prefix_verb: re.Pattern[str] | None


@functools.cache
def _cues(lang: str) -> _Cues:
    v = vocab(lang)
    clitic = "(?:[وف])?" if lang == "ar" else ""  # `ويترقب`

    def word(pattern: str) -> re.Pattern[str]:
        return re.compile(r"(?<![^\W_])" + pattern + r"(?![^\W_])")

    return _Cues(
        future=word(v.p("future_cue")),
        weekday_future=word(clitic + v.p("weekday_future_cue")),
        relative_week=word(v.p("relative_week")),
        past=word(v.p("past_cue")),
        hijri_month=re.compile(v.p("hijri_month")),
        future_prefix_verb=re.compile(rf"(?<![^\W_]){v.future_prefix}[يتنا][^\W\d_]{{2,}}") if v.future_prefix else None,
    )


def _vocab_lang(lang: str) -> str:
    return lang if lang in ("fa", "ar", "en") else "en"


def is_future(sentence: str, lang: str) -> bool:
    """Does the sentence speak of the future? (cues in lang/<code>/dates.yaml)"""
    return _folded_is_future(pattern_form(sentence), _vocab_lang(lang))


def _folded_is_future(folded: str, lang: str) -> bool:
    if _cues(lang).future.search(folded):
        return True
    return _future_prefix_verb(folded, vocab(lang))


def weekday_points_forward(clause: str, lang: str) -> bool:
    """A weekday's clause speaks of a coming day: a future cue, or a cue that announces
    (`یک‌طرفه می‌شود`, `يترقب`) listed as `weekday_future_cues`."""
    return _folded_points_forward(pattern_form(clause), _vocab_lang(lang))


def _folded_points_forward(folded: str, lang: str) -> bool:
    return _folded_is_future(folded, lang) or bool(_cues(lang).weekday_future.search(folded))


def week_of_sentence(sentence: str, lang: str) -> int | None:
    """The week a sentence names (`البيانات التي تصدر هذا الأسبوع ... يوم الجمعة`): 0 this week,
    1 next, -1 last; None when it names none or more than one."""
    return _folded_week(pattern_form(sentence), _vocab_lang(lang))


def _folded_week(folded: str, lang: str) -> int | None:
    v = vocab(lang)
    found = {v.relative_fixed[key(m.group())][1] for m in _cues(lang).relative_week.finditer(folded)}
    return found.pop() if len(found) == 1 else None


def _future_prefix_verb(folded: str, v: DateVocab) -> bool:
    verb = _cues(v.lang).future_prefix_verb
    if verb is not None:
        for word in verb.findall(folded):
            if key(word) not in v.future_prefix_exclusions and _is_future_verb(word, v.lang):
                return True
    return False


@functools.lru_cache(maxsize=8192)
def _is_future_verb(word: str, lang: str) -> bool:
    """`سيقوم` is the future of `يقوم`: the word without its prefix must be a common word itself,
    which names such as `سيرغي` (Sergei) are not. Frequencies from the wordfreq package."""
    import wordfreq

    return wordfreq.zipf_frequency(word[1:], lang) >= 3.0


def _clause_is_past(p: Parsed, ctx: ResolveContext) -> bool:
    """Does the clause of ``p`` carry a past cue (`past_cues`: `تاکنون`, `بود`, `منذ`)?"""
    clause = _folded(ctx, *clause_bounds(ctx.text, p.start, p.end))
    return bool(_cues(_vocab_lang(ctx.lang)).past.search(clause))


def _hour_minute(clock: str) -> str | None:
    """`9:19`, `09:19:05` -> `09:19`; None for what is not a time of day."""
    digits = [int(part) for part in clock.split(":")[:2] if part.isdigit()]
    if len(digits) != 2 or not (0 <= digits[0] <= 24 and 0 <= digits[1] < 60):
        return None
    return f"{digits[0]:02d}:{digits[1]:02d}"


def _calendar_year_of(anchor: date, calendar: str) -> int:
    return from_gregorian(calendar, anchor)[0]  # type: ignore[arg-type]


def _safe_day(calendar: str, year: int, month: int, day: int) -> date | None:
    try:
        return to_gregorian(calendar, year, month, day)  # type: ignore[arg-type]
    except CalendarRangeError:
        return None


# How far an explicit year may stand from a date without one and still give it its year: about a
# paragraph before, or a sentence after (chosen on the seeds and the dev set of eval/data).
_CONTEXT_BEFORE = 400
# How far ahead of the reference date a month or day without a year may lie in a sentence
# without a future cue before the occurrence a year earlier is taken instead.
_PAST_TENSE_REACH = timedelta(days=62)
_CONTEXT_AFTER = 200


def _context_year(ctx: ResolveContext, position: int, calendar: str) -> int | None:
    """The nearest explicit year on ``calendar`` written shortly before (else after) ``position``."""
    same = [(pos, year) for pos, cal, year in ctx.explicit_years if cal == calendar]
    before = [y for pos, y in same if position - _CONTEXT_BEFORE <= pos < position]
    if before:
        return before[-1]
    after = [y for pos, y in same if position < pos <= position + _CONTEXT_AFTER]
    return after[0] if after else None


def _sentence_year(ctx: ResolveContext, p: Parsed, calendar: str) -> int | None:
    """An explicit year on ``calendar`` written earlier in the same sentence."""
    left = sentence_bounds(ctx.text, p.start, p.end)[0]
    found = [y for pos, cal, y in ctx.explicit_years if cal == calendar and left <= pos < p.start]
    return found[-1] if found else None


def _full_year(p: Parsed, calendar: str, ctx: ResolveContext) -> int:
    """A written year in four digits: `26 شهریور 94` is 1394, `22 شهریور 02` is 1402."""
    year = p.year or 0
    if p.year_digits != 2:
        return year
    reference = _calendar_year_of(ctx.anchor, calendar) if ctx.anchor else {"jalali": 1400, "hijri": 1445}.get(calendar, 2000)
    options = [reference // 100 * 100 - 100 + year, reference // 100 * 100 + year]
    return min(options, key=lambda y: (abs(y - reference), -y))


def _numeric_calendar(p: Parsed, ctx: ResolveContext) -> tuple[str, int]:
    """Calendar and four-digit year of a year written as a number."""
    year = p.year or 0
    if p.year_digits == 2:
        # `۸۷`, `2/4/86`: a two-digit Solar Hijri year (the only calendar Persian papers abbreviate)
        if ctx.anchor:
            century = _calendar_year_of(ctx.anchor, "jalali") // 100 * 100
            options = [century - 100 + year, century + year]
            anchor_year = _calendar_year_of(ctx.anchor, "jalali")
            return "jalali", min(options, key=lambda y: (abs(y - anchor_year), -y))
        return "jalali", (1300 if year > 50 else 1400) + year
    if p.era:
        return p.era, year
    if p.calendar in ("jalali", "hijri", "gregorian"):
        return p.calendar, year
    if 1800 <= year <= 2200:
        return "gregorian", year
    if 1300 <= year < 1600:
        if ctx.anchor:
            jalali_gap = abs(_calendar_year_of(ctx.anchor, "jalali") - year)
            hijri_gap = abs(_calendar_year_of(ctx.anchor, "hijri") - year)
            return ("jalali" if jalali_gap <= hijri_gap else "hijri"), year
        return ("jalali" if ctx.lang == "fa" else "hijri"), year
    return "gregorian", year


def _year_for(p: Parsed, calendar: str, month: int, day: int | None, ctx: ResolveContext,
              future: bool) -> tuple[int | None, str]:
    """The year of a month (and day) given without one, and how it was decided."""
    if p.year_relative == "same":  # `همان سال`, `من العام نفسه`: the year last written
        same = [y for pos, cal, y in ctx.explicit_years if cal == calendar and pos < p.start]
        return (same[-1], "context") if same else (None, "none")
    sentence_year = _sentence_year(ctx, p, calendar) if p.year_relative is None else None
    if sentence_year is not None:  # `In 2011, on 12 March ...`: the sentence's own year beats the anchor
        return sentence_year, "context"
    if p.year_relative is not None and ctx.anchor:
        anchor_year = _calendar_year_of(ctx.anchor, calendar)
        if isinstance(p.year_relative, int):
            return anchor_year + p.year_relative, "relative"
        candidates = [anchor_year - 1, anchor_year, anchor_year + 1]
        points = [(y, _safe_day(calendar, y, month, day or 1)) for y in candidates]
        points = [(y, d) for y, d in points if d]
        if p.year_relative == "past":
            past = [(y, d) for y, d in points if d <= ctx.anchor]
            return (past[-1][0] if past else None), "relative"
        future_points = [(y, d) for y, d in points if d >= ctx.anchor]
        return (future_points[0][0] if future_points else None), "relative"
    if ctx.anchor:
        anchor_year = _calendar_year_of(ctx.anchor, calendar)
        points = [(y, _safe_day(calendar, y, month, day or 15)) for y in (anchor_year - 1, anchor_year, anchor_year + 1)]
        points = [(y, d) for y, d in points if d]
        if not points:
            return None, "anchor"
        best = min(points, key=lambda yd: abs((yd[1] - ctx.anchor).days))
        # The nearest occurrence wins; a sentence in the future tense moves a past one forward.
        # (No move backwards: reports name coming dates without a future verb just as often.)
        slack = timedelta(days=7 if day else 31)
        if future and best[1] < ctx.anchor - slack:
            later = [yd for yd in points if yd[1] >= ctx.anchor - slack]
            best = later[0] if later else best
        elif not future and best[1] > ctx.anchor + _PAST_TENSE_REACH and _clause_is_past(p, ctx):
            # A clause marked as past names a month more than two months ahead: it means the one
            # before (`متهم شده بود در ماه آوریل` written in October is last April). Unmarked
            # clauses keep the nearest: `تسليم ديسمبر` in August is the coming December.
            earlier = [yd for yd in points if yd[1] <= ctx.anchor]
            best = earlier[-1] if earlier else best
        return best[0], "anchor"
    year = _context_year(ctx, p.start, calendar)
    return year, "context" if year else "none"


def _week(anchor: date, lang: str, offset_weeks: int) -> Interval:
    start_weekday = _WEEK_START.get(lang, 1)
    shift = (anchor.isoweekday() - start_weekday) % 7
    first = anchor - timedelta(days=shift) + timedelta(weeks=offset_weeks)
    return Interval(first, first + timedelta(days=6))


def _month_value(calendar: str, year: int, month: int) -> tuple[str, str]:
    if calendar == "gregorian":
        return f"{year:04d}-{month:02d}", "month"
    return month_interval(calendar, year, month).iso(), "month"  # type: ignore[arg-type]


def _year_value(calendar: str, year: int) -> tuple[str, str]:
    if calendar == "gregorian":
        return f"{year:04d}", "year"
    return year_interval(calendar, year).iso(), "year"  # type: ignore[arg-type]


def _unit_calendar(lang: str) -> str:
    return "jalali" if lang == "fa" else "gregorian"


def _weekday_date(anchor: date, weekday: int, direction: str) -> date:
    delta = (weekday - anchor.isoweekday()) % 7
    if direction == "future":
        return anchor + timedelta(days=delta or 7) if delta else anchor
    back = (anchor.isoweekday() - weekday) % 7
    return anchor - timedelta(days=back)


def resolve(p: Parsed, ctx: ResolveContext) -> dict[str, Any]:
    """The `times` layer entry of one expression (schema 1 plus explanatory fields)."""
    text = ctx.text[p.start:p.end]
    future = _folded_is_future(_folded(ctx, *sentence_bounds(ctx.text, p.start, p.end)), _vocab_lang(ctx.lang))
    out: dict[str, Any] = {"start": p.start, "end": p.end, "text": text, "calendar": "gregorian", "value": None,
                           "granularity": None, "anchor": ctx.anchor.isoformat() if ctx.anchor else None,
                           "confidence": 0.9, "kind": p.kind}
    if p.time:
        out["time"] = _hour_minute(p.time) or p.time
    if p.weekday:
        out["weekday"] = p.weekday
    try:
        _fill(p, ctx, future, out)
    except CalendarRangeError as exc:
        out["value"] = None
        out["confidence"] = 0.3
        out["note"] = f"not a real date: {exc}"
    return out


def _fill(p: Parsed, ctx: ResolveContext, future: bool, out: dict[str, Any]) -> None:
    anchor = ctx.anchor
    if p.kind == "range":
        _fill_range(p, ctx, future, out)
        return
    if p.kind in ("date", "numeric"):
        if p.kind == "numeric":
            calendar, year = _numeric_calendar(p, ctx)
            month, day = p.month or 0, p.days[0]
            if calendar == "gregorian" and ctx.lang == "en" and month > 12 >= day:
                month, day = day, month
            how = "explicit"
        else:
            calendar = p.calendar or "gregorian"
            month = p.month or 0
            day = p.days[0]
            if p.year:
                calendar, year = (p.era or calendar), _full_year(p, calendar, ctx)
                how = "explicit"
            else:
                found, how = _year_for(p, calendar, month, day, ctx, future)
                if found is None:
                    out.update(calendar=calendar, granularity="day", confidence=0.5,
                               partial={"month": month, "days": list(p.days)})
                    return
                year = found
        out["calendar"] = calendar
        out["native"] = f"{year:04d}-{month:02d}-{day:02d}"
        first = to_gregorian(calendar, year, month, day)  # type: ignore[arg-type]
        if dict(p.extras).get("disjunction"):
            # `13 یا 15 اردیبهشت`: one of the days, not which: no value, the days in the note
            days = [to_gregorian(calendar, year, month, d).isoformat() for d in p.days]  # type: ignore[arg-type]
            out.update(value=None, granularity="day", confidence=0.5, year_from=how, note="one of " + ", ".join(days))
            return
        if len(p.days) > 1:
            last = (to_gregorian(calendar, year, month, p.days[-1]) if p.days[-1]  # type: ignore[arg-type]
                    else month_interval(calendar, year, month).last)  # type: ignore[arg-type]  # 0: to the month's end
            out.update(value=f"{first.isoformat()}/{last.isoformat()}", granularity="interval")
        else:
            # The clock stays in `time` (hh:mm): the document schema's `isodate` has no time part yet,
            # though dates_dev.md writes `YYYY-MM-DDTHH:MM`.
            out.update(value=first.isoformat(), granularity="day")
        out["year_from"] = how
        out["confidence"] = 0.95 if how == "explicit" else 0.8 if how in ("relative", "anchor") else 0.6
        if p.weekday and len(p.days) == 1 and first.isoweekday() != p.weekday:
            out["confidence"] = 0.4
            out["note"] = "the weekday written does not fall on this date"
        return
    if p.kind == "month":
        calendar = p.calendar or "gregorian"
        month = p.month or 1
        if p.year:
            year, how = p.year, "explicit"
        else:
            found, how = _year_for(p, calendar, month, None, ctx, future)
            if found is None:
                out.update(calendar=calendar, granularity="month", confidence=0.5, partial={"month": month})
                return
            year = found
        value, granularity = _month_value(calendar, year, month)
        out.update(calendar=calendar, value=value, granularity=granularity, year_from=how,
                   confidence=0.9 if how == "explicit" else 0.75)
        return
    if p.kind == "weekday_of_month":
        _fill_weekday_of_month(p, ctx, future, out)
        return
    if p.kind == "same_month":  # valued by `settle_document` from the month named before it
        out.update(calendar="gregorian" if p.year else "relative", granularity="month", confidence=0.4)
        return
    if p.kind == "year":
        calendar, year = _numeric_calendar(p, ctx)
        value, granularity = _year_value(calendar, year)
        out.update(calendar=calendar, value=value, granularity=granularity)
        return
    if p.kind == "years":
        calendar, year = _numeric_calendar(p, ctx)
        if calendar == "gregorian" and ctx.fiscal_start != 1 and p.year_end == year + 1:
            # `2015-2016` in a text about Egypt's budget: its fiscal year, July to June
            out.update(calendar="gregorian", value=_fiscal_year_value(year, ctx.fiscal_start), granularity="interval")
            return
        first = _year_value(calendar, year)[0].split("/")[0]
        last = _year_value(calendar, p.year_end or year)[0].split("/")[-1]
        out.update(calendar=calendar, value=f"{first}/{last}", granularity="interval")
        return
    if p.kind == "decade":
        decade = p.decade or 0
        if decade < 100:
            calendar = "jalali" if ctx.lang == "fa" else "gregorian"
            century = 1300 if calendar == "jalali" else 1900
        else:
            century = 0
            calendar = "jalali" if 1300 <= decade < 1500 else "gregorian"
        base = century + decade
        last_decade = century + (p.year_end or decade)  # `دهه‌های 1340 تا 1350`: up to the end of the second
        first = _year_value(calendar, base)[0].split("/")[0]
        last = _year_value(calendar, last_decade + 9)[0].split("/")[-1]
        out.update(calendar=calendar, value=f"{first}/{last}", granularity="interval" if p.year_end else "decade")
        return
    if p.kind == "season":
        calendar = "jalali" if ctx.lang == "fa" else "gregorian"
        if p.year:
            calendar, year = _numeric_calendar(p, ctx) if p.year >= 1300 and p.year < 1600 else ("gregorian", p.year)
        elif isinstance(p.year_relative, int) and anchor:
            year = _calendar_year_of(anchor, calendar) + p.year_relative
        else:
            out.update(calendar=calendar, granularity="season", confidence=0.5)
            return
        season = p.season or "spring"
        if calendar == "jalali":
            a, b = _SEASON_MONTHS[season]
            first = month_interval("jalali", year, a).first
            last = month_interval("jalali", year, b).last
        else:
            a, b = _SEASON_GREGORIAN[season]
            first = date(year, a, 1)
            last = month_interval("gregorian", year + (b - 1) // 12, (b - 1) % 12 + 1).last
        out.update(calendar=calendar, value=f"{first.isoformat()}/{last.isoformat()}", granularity="season")
        return
    if p.kind == "part":
        _fill_part(p, ctx, out)
        return
    if p.kind in ("relative", "counted"):
        out["calendar"] = "weekday" if p.weekday else "relative"
        out["relative"] = {"unit": p.unit, "offset": p.offset}
        if anchor is None:
            out.update(granularity=p.unit, confidence=0.5)
            return
        _fill_relative(p, ctx, anchor, out)
        return
    if p.kind == "weekday":
        out["calendar"] = "weekday"
        forward = _folded_points_forward(_folded(ctx, *clause_bounds(ctx.text, p.start, p.end)), _vocab_lang(ctx.lang))
        direction = p.weekday_modifier or ("future" if forward else "past")
        week = dict(p.extras).get("week")
        out["direction"] = week or direction
        if anchor is None or p.weekday is None:
            out.update(granularity="day", confidence=0.5)
            return
        sentence_week = None if (week or p.weekday_modifier) else _folded_week(
            _folded(ctx, *sentence_bounds(ctx.text, p.start, p.end)), _vocab_lang(ctx.lang))
        if sentence_week is not None:
            week = {0: "this", 1: "next", -1: "last"}.get(sentence_week)
        if week:  # `دوشنبه هفته جاری`: the weekday inside this, next or last week
            shift = {"this": 0, "next": 1, "last": -1}[week]
            first = _week(anchor, ctx.lang, shift).first
            day = first + timedelta(days=(p.weekday - first.isoweekday()) % 7)
            out.update(value=day.isoformat(), granularity="day", confidence=0.85)
            return
        day = _weekday_date(anchor, p.weekday, direction)
        out.update(value=day.isoformat(), granularity="day", confidence=0.75)
        return


def _fill_weekday_of_month(p: Parsed, ctx: ResolveContext, future: bool, out: dict[str, Any]) -> None:
    """`آخرین جمعه ماه رمضان`: the n-th (or last) such weekday inside the month, its year found as
    for the month alone."""
    calendar, month = p.calendar or "gregorian", p.month or 1
    out["calendar"] = calendar
    nth = dict(p.extras).get("nth")
    if p.year:
        year, how = (_full_year(p, calendar, ctx) if p.year_digits == 2 else p.year), "explicit"
    else:
        year, how = _year_for(p, calendar, month, None, ctx, future)
    if year is None or not nth or p.weekday is None:
        out.update(granularity="day", confidence=0.5)
        return
    span = month_interval(calendar, year, month)  # type: ignore[arg-type]
    if nth > 0:
        day = span.first + timedelta(days=(p.weekday - span.first.isoweekday()) % 7 + 7 * (nth - 1))
    else:
        day = span.last - timedelta(days=(span.last.isoweekday() - p.weekday) % 7)
    if day > span.last:
        out.update(granularity="day", confidence=0.3, note="the month has no such weekday")
        return
    out.update(value=day.isoformat(), granularity="day", year_from=how, confidence=0.85 if how == "explicit" else 0.75)


def _fill_range(p: Parsed, ctx: ResolveContext, future: bool, out: dict[str, Any]) -> None:
    """A range: from the start of its first part to the end of its second."""
    first, second = dict(p.extras)["parts"]
    if first.year is None and second.year and first.month and second.month and first.calendar == second.calendar:
        # `22 ديسمبر ... والرابع من يناير 2016`: the first part takes the second's year (the one
        # before when its month comes later in the year)
        first = replace(first, year=second.year - (1 if first.month > second.month else 0), year_digits=4)
    parts = []
    for part in (first, second):
        entry: dict[str, Any] = {"calendar": "gregorian", "value": None}
        _fill(part, ctx, future, entry)
        parts.append(entry)
    out["calendar"] = parts[0].get("calendar") or parts[1].get("calendar")
    if parts[0].get("value") and parts[1].get("value"):
        low = parts[0]["value"].split("/")[0]
        high = parts[1]["value"].split("/")[-1]
        out.update(value=f"{low}/{high}", granularity="interval",
                   confidence=min(0.9, *(e.get("confidence", 0.9) for e in parts)))
    else:
        out.update(granularity="interval", confidence=0.5)


def _fill_relative(p: Parsed, ctx: ResolveContext, anchor: date, out: dict[str, Any]) -> None:
    unit, offset = p.unit, p.offset
    if offset is None:
        out.update(granularity=unit, confidence=0.4)
        return
    if unit == "day":
        target = anchor + timedelta(days=offset)
        if p.weekday and not p.span_interval and target.isoweekday() != p.weekday:
            # `اليوم الاثنين` in a wire story dated Tuesday, `غدًا (الخميس)` printed on Thursday: the
            # text was written a day before (or after) its reference date, and the weekday it
            # names decides (dates_dev.md, "Wire texts"). The nearest day with that weekday.
            shift = (p.weekday - target.isoweekday()) % 7
            shift = shift - 7 if shift > 3 else shift
            target = target + timedelta(days=shift)
            out["confidence"] = 0.6
            out["note"] = "the weekday written decides: the text was written a day off its reference date"
        if p.span_interval:
            first, last = sorted((anchor, target))
            out.update(value=f"{first.isoformat()}/{last.isoformat()}", granularity="interval")
        else:
            out.update(value=target.isoformat(), granularity="day")
        return
    if unit == "week":
        if p.span_interval:
            target = anchor + timedelta(weeks=offset)
            first, last = sorted((anchor, target))
            out.update(value=f"{first.isoformat()}/{last.isoformat()}", granularity="interval")
            return
        out.update(value=_week(anchor, ctx.lang, offset).iso(), granularity="week")
        return
    calendar = _unit_calendar(ctx.lang)
    if unit == "month" and _cues(_vocab_lang(ctx.lang)).hijri_month.search(
            _folded(ctx, *sentence_bounds(ctx.text, p.start, p.end))):
        calendar = "hijri"  # `قبل از آغاز این ماه` beside `محرم`, `الشهر الجاري` beside `شوال الجاري`
    if unit == "month":
        if p.span_interval:
            year, month = add_calendar_months(calendar, anchor, offset)  # type: ignore[arg-type]
            edge = _safe_day(calendar, year, month, from_gregorian(calendar, anchor)[2]) or anchor  # type: ignore[arg-type]
            first, last = sorted((anchor, edge))
            out.update(value=f"{first.isoformat()}/{last.isoformat()}", granularity="interval")
            return
        year, month = add_calendar_months(calendar, anchor, offset)  # type: ignore[arg-type]
        value, granularity = _month_value(calendar, year, month)
        out.update(value=value, granularity=granularity)
        return
    if unit == "year":
        year = _calendar_year_of(anchor, calendar) + offset
        if p.span_interval:
            edge = _safe_day(calendar, year, *from_gregorian(calendar, anchor)[1:]) or anchor  # type: ignore[arg-type]
            first, last = sorted((anchor, edge))
            out.update(value=f"{first.isoformat()}/{last.isoformat()}", granularity="interval")
            return
        value, granularity = _year_value(calendar, year)
        out.update(value=value, granularity=granularity)


def explicit_years(parsed: Sequence[Parsed], ctx_lang: str) -> tuple[tuple[int, str, int], ...]:
    """Explicit four-digit years in the document, by position and calendar (for year inference)."""
    found = []
    for p in parsed:
        if p.year and p.year_digits == 4:
            calendar = p.era or p.calendar
            if calendar is None or p.kind in ("numeric", "year", "years"):
                calendar, _ = _numeric_calendar(p, ResolveContext("", ctx_lang, None))
            found.append((p.start, calendar, p.year))
    return tuple(found)


# How far back a "previous month" may look for the month it counts from (about a paragraph).
_ANAPHORA_WINDOW = 400


def _named_month(p: Parsed, entry: dict[str, Any]) -> tuple[int, int] | None:
    """(year, month) of an expression that names a Gregorian month (`يوليو`, `22/07/2015م`)."""
    value = entry.get("value") or ""
    if p.kind in ("date", "month", "numeric") and entry.get("calendar") == "gregorian" and re.fullmatch(
            r"\d{4}-\d{2}(?:-\d{2}(?:T[\d:]+)?)?", value):
        return int(value[:4]), int(value[5:7])
    return None


def settle_document(parsed: Sequence[Parsed], entries: list[dict[str, Any]], ctx: ResolveContext) -> None:
    """Document-level readings that one expression alone cannot give, applied to ``entries`` in place:

    - `الشهر السابق` after a named month counts from that month (`في يوليو ... مقارنة بالشهر
      السابق` is June), as the data marks such phrases `anaphoric`;
    - "this month" in a text dated the first of a month that reports on the month before by name
      and never names the new one was written on the last day of the month before (wire copy
      printed the next morning): it is the month named.
    """
    named = [(p.start, ym) for p, e in zip(parsed, entries, strict=True) if (ym := _named_month(p, e))]
    last_part: dict[str, Any] | None = None
    for p, entry in zip(parsed, entries, strict=True):
        if p.kind == "same_month":
            _settle_same_month(p, entry, named, ctx)
            continue
        if p.kind == "part":
            part = entry["part"]
            if part["number"] is None and last_part and last_part["unit"] == part["unit"]:
                # `الربع المناظر للعام المالي 2013/2014`: the quarter named before, in the year given
                # (or, after `السابق`, in the year before that quarter's)
                year = part["year"] if p.year else last_part["year"] + (p.year_relative if isinstance(
                    p.year_relative, int) else 0)
                first, last = part_months(part["unit"], last_part["number"], last_part["fiscal_start"], year)
                part.update(number=last_part["number"], year=year, fiscal_start=last_part["fiscal_start"])
                entry.update(value=f"{first}/{last}", confidence=0.7,
                             note="the same part of the year as the one named before")
            elif part["number"] is not None and part["unit"] != "year":
                last_part = part
            continue
        if p.kind != "relative" or p.unit not in ("month", "year") or p.offset is None:
            continue
        if dict(p.extras).get("anaphoric"):
            before = [ym for pos, ym in named if p.start - _ANAPHORA_WINDOW <= pos < p.start]
            if not before:
                continue
            year, month = before[-1]
            if p.unit == "month":
                index = year * 12 + month - 1 + p.offset
                entry["value"], entry["granularity"] = f"{index // 12:04d}-{index % 12 + 1:02d}", "month"
            else:
                entry["value"], entry["granularity"] = f"{year + p.offset:04d}", "year"
            entry["calendar"] = "relative"
            entry["note"] = f"counted from {year:04d}-{month:02d}, the month named before it"
        elif p.unit == "month" and p.offset == 0 and ctx.anchor and ctx.anchor.day == 1 \
                and entry.get("value") == f"{ctx.anchor.year:04d}-{ctx.anchor.month:02d}":
            previous = ctx.anchor - timedelta(days=1)
            months = {ym for _pos, ym in named}
            if (previous.year, previous.month) in months and (ctx.anchor.year, ctx.anchor.month) not in months:
                entry["value"] = f"{previous.year:04d}-{previous.month:02d}"
                entry["note"] = "the text reports on the month before its date and never names the new one"


def _settle_same_month(p: Parsed, entry: dict[str, Any], named: list[tuple[int, tuple[int, int]]],
                       ctx: ResolveContext) -> None:
    """`نفس الشهر من عام 2014` after `يونيو`: June 2014. The year is the one written, or the
    anchor's year moved by `العام الماضي`; the month is the Gregorian month named last before it."""
    before = [ym for pos, ym in named if p.start - _ANAPHORA_WINDOW <= pos < p.start]
    if not before:
        return
    month = before[-1][1]
    if p.year:
        year = p.year
    elif isinstance(p.year_relative, int) and ctx.anchor:
        year = ctx.anchor.year + p.year_relative
    else:
        return
    entry.update(value=f"{year:04d}-{month:02d}", confidence=0.75,
                 note=f"the month named before ({before[-1][0]:04d}-{month:02d}) in {year:04d}")


def fiscal_year_start(text: str, lang: str, view: TextView | None = None) -> int:
    """The month the fiscal years of a text start in: January unless the text speaks of a fiscal
    year (`العام المالي`) and names one whose year starts otherwise (`fiscal_year_starts` in the
    language data: Egypt July, Japan April). ``view``: the text's match view, if already made."""
    v = vocab(lang if lang in ("fa", "ar", "en") else "en")
    if not v.fiscal_starts:
        return 1
    folded = " ".join(view.text.split()) if view is not None else pattern_form(text)
    if not re.search(v.p("fiscal_noun"), folded):
        return 1
    found = [(m.start(), month) for month, words in v.fiscal_starts
             if (m := re.search(r"(?<![^\W_])(?:[وبل])?" + words + r"(?![^\W_])", folded))]
    return min(found)[1] if found else 1


def _fiscal_of(day: date, start_month: int) -> int:
    """First calendar year of the fiscal year holding ``day``."""
    return day.year if day.month >= start_month else day.year - 1


def _fiscal_year_value(first_year: int, start_month: int) -> str:
    if start_month == 1:
        return f"{first_year:04d}"
    first = date(first_year, start_month, 1)
    last = date(first_year + 1, start_month, 1) - timedelta(days=1)
    return f"{first.isoformat()}/{last.isoformat()}"


def part_months(unit: str, number: int, start_month: int, first_year: int) -> tuple[str, str]:
    """First and last month (`YYYY-MM`) of a quarter, a half or the first N months of a year that
    starts in ``start_month`` of ``first_year``."""
    begin = first_year * 12 + start_month - 1
    if unit == "quarter":
        begin, length = begin + 3 * (number - 1), 3
    elif unit == "half":
        begin, length = begin + 6 * (number - 1), 6
    else:
        length = number
    end = begin + length - 1
    return f"{begin // 12:04d}-{begin % 12 + 1:02d}", f"{end // 12:04d}-{end % 12 + 1:02d}"


def _part_first_year(p: Parsed, ctx: ResolveContext, start_month: int) -> int | None:
    if p.year and p.year_end:
        return p.year
    if p.year:  # `لـ2015` of a year starting in April is the year from April 2015 (Japanese usage)
        return p.year if start_month <= 6 else p.year - 1
    if ctx.anchor is None:
        return None
    current = _fiscal_of(ctx.anchor, start_month)
    if isinstance(p.year_relative, int):
        return current + p.year_relative
    if p.year_relative == "ended":
        return current - 1
    named = [y for y in ctx.fiscal_years if y <= current]
    return max(named) if named else current


def _fill_part(p: Parsed, ctx: ResolveContext, out: dict[str, Any]) -> None:
    """Quarters, halves, first N months and fiscal years: month intervals on the text's fiscal year
    (calendar quarters when it names none), a fiscal year as the days it covers."""
    extras = dict(p.extras)
    unit, number = extras["part"], extras["number"]
    start_month = ctx.fiscal_start
    first_year = _part_first_year(p, ctx, start_month)
    out["calendar"] = "gregorian" if p.year else "relative"
    out["part"] = {"unit": unit, "number": number, "fiscal_start": start_month, "year": first_year}
    if first_year is None or number is None:  # `الربع المناظر`: settled from the part named before it
        out.update(granularity="interval", confidence=0.4)
        return
    if unit == "year":
        value = _fiscal_year_value(first_year, start_month)
        out.update(value=value, granularity="year" if start_month == 1 else "interval", confidence=0.8)
        return
    first, last = part_months(unit, number, start_month, first_year)
    out.update(value=f"{first}/{last}", granularity="interval", confidence=0.8)
