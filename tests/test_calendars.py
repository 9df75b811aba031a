"""Calendar conversions go through jdatetime / hijridate / convertdate and agree with known dates."""

from __future__ import annotations

from datetime import date

import pytest

from khabar.calendars import CalendarRangeError, from_gregorian, month_interval, to_gregorian, year_interval


@pytest.mark.parametrize(
    ("calendar", "ymd", "expected"),
    [
        ("jalali", (1403, 8, 16), date(2024, 11, 6)),
        ("jalali", (1401, 12, 4), date(2023, 2, 23)),
        ("jalali", (1403, 12, 30), date(2025, 3, 20)),  # 1403 is a leap year
        ("hijri", (1445, 9, 15), date(2024, 3, 25)),
        ("hijri", (1445, 10, 1), date(2024, 4, 10)),
        ("hijri", (1300, 1, 1), date(1882, 11, 12)),  # outside Umm al-Qura: arithmetic calendar
        ("gregorian", (2024, 4, 9), date(2024, 4, 9)),
    ],
)
def test_to_gregorian(calendar: str, ymd: tuple[int, int, int], expected: date) -> None:
    assert to_gregorian(calendar, *ymd) == expected
    if calendar != "hijri" or ymd[0] >= 1343:
        assert from_gregorian(calendar, expected) == ymd


@pytest.mark.parametrize(("calendar", "ymd"), [("jalali", (1403, 7, 31)), ("jalali", (1402, 12, 30)),
                                               ("gregorian", (2023, 2, 29)), ("hijri", (1445, 13, 1))])
def test_dates_that_do_not_exist_raise(calendar: str, ymd: tuple[int, int, int]) -> None:
    with pytest.raises(CalendarRangeError):
        to_gregorian(calendar, *ymd)


def test_intervals() -> None:
    assert month_interval("jalali", 1403, 12).iso() == "2025-02-19/2025-03-20"
    assert year_interval("jalali", 1394).iso() == "2015-03-21/2016-03-19"
    assert year_interval("hijri", 1436).iso() == "2014-10-25/2015-10-13"
    assert month_interval("gregorian", 2024, 2).iso() == "2024-02-01/2024-02-29"
