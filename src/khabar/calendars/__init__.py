"""Calendar arithmetic through maintained libraries: Gregorian, Solar Hijri, Lunar Hijri.

Solar Hijri (the Iranian calendar) uses `jdatetime`; Lunar Hijri uses the Umm al-Qura tables of
`hijridate` (the calendar of Saudi and most Gulf papers) where they reach (AH 1343-1500), and the
arithmetic Islamic calendar of `convertdate` outside that range. Nothing here is hand-written
calendar tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import jdatetime
from convertdate import islamic
from hijridate import Gregorian, Hijri

Calendar = Literal["gregorian", "jalali", "hijri"]
CALENDARS: tuple[Calendar, ...] = ("gregorian", "jalali", "hijri")


class CalendarRangeError(ValueError):
    """A date that does not exist in its calendar (day 31 of a 30-day month, month 13...)."""


@dataclass(frozen=True, slots=True)
class Interval:
    """An inclusive Gregorian day interval."""

    first: date
    last: date

    def iso(self) -> str:
        return f"{self.first.isoformat()}/{self.last.isoformat()}"


def to_gregorian(calendar: Calendar, year: int, month: int, day: int) -> date:
    """The Gregorian day of a date on ``calendar``; CalendarRangeError if it does not exist."""
    try:
        if calendar == "gregorian":
            return date(year, month, day)
        if calendar == "jalali":
            return jdatetime.date(year, month, day).togregorian()
        if 1343 <= year <= 1500:
            hijri = Hijri(year, month, day, validate=True)
            return hijri.to_gregorian()
        if not (1 <= month <= 12 and 1 <= day <= 30):
            raise ValueError("month or day out of range")
        return date(*islamic.to_gregorian(year, month, day))
    except (ValueError, OverflowError) as exc:
        raise CalendarRangeError(f"{calendar} {year}-{month}-{day}: {exc}") from None


def from_gregorian(calendar: Calendar, day: date) -> tuple[int, int, int]:
    """``(year, month, day)`` of a Gregorian day on ``calendar``."""
    if calendar == "gregorian":
        return day.year, day.month, day.day
    if calendar == "jalali":
        j = jdatetime.date.fromgregorian(date=day)
        return j.year, j.month, j.day
    try:
        h = Gregorian(day.year, day.month, day.day).to_hijri()
        return h.year, h.month, h.day
    except (ValueError, OverflowError):
        return islamic.from_gregorian(day.year, day.month, day.day)


def month_length(calendar: Calendar, year: int, month: int) -> int:
    if calendar == "gregorian":
        nxt = date(year + month // 12, month % 12 + 1, 1)
        return (nxt - timedelta(days=1)).day
    if calendar == "jalali":
        if month <= 6:
            return 31
        if month <= 11:
            return 30
        return 30 if jdatetime.date(year, 1, 1).isleap() else 29
    if 1343 <= year <= 1500:
        try:
            return Hijri(year, month, 1).month_length()
        except (ValueError, OverflowError):
            pass
    return islamic.month_length(year, month)


def month_interval(calendar: Calendar, year: int, month: int) -> Interval:
    first = to_gregorian(calendar, year, month, 1)
    return Interval(first, first + timedelta(days=month_length(calendar, year, month) - 1))


def year_interval(calendar: Calendar, year: int) -> Interval:
    first = to_gregorian(calendar, year, 1, 1)
    last = to_gregorian(calendar, year, 12, month_length(calendar, year, 12))
    return Interval(first, last)


def add_months(day: date, months: int) -> tuple[int, int]:
    """(year, month) of the Gregorian month ``months`` after the one holding ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def add_calendar_months(calendar: Calendar, day: date, months: int) -> tuple[int, int]:
    """(year, month) on ``calendar`` of the month ``months`` after the one holding ``day``."""
    year, month, _ = from_gregorian(calendar, day)
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1
