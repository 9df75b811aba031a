"""Publication dates written into article URLs.

Many news sites mint the article URL when the article is published and never change it, so a
date in the URL is strong evidence of the publication day. This module reads only numbers that
are dates by their shape and position, never a date out of an arbitrary id:

* Gregorian, in the URL path only:
  ``/2020/8/24/`` and ``/2020/08/24/`` (whole path segments, day granularity),
  ``2020-06-03`` / ``2020_06_03`` inside a segment (day),
  ``20200603`` as a run of exactly eight digits inside a segment (day),
  ``/2020/08/`` as two whole segments (month granularity).
  The year must lie in 1990..2035 and the month and day must make a real date.
* Jalali (Solar Hijri), converted to Gregorian with ``jdatetime``:
  ``/1399/03/12/`` as whole path segments with a year in 1370..1420 AP (Tasnim-style paths;
  these years cannot be Gregorian news dates, so the two ranges never overlap);
  Fars News article ids, on farsnews.ir / farsnews.com hosts only:
  14 digits ``YYYYMMDDnnnnnn`` (``13911222000865`` -> 1391-12-22 AP) and
  10 digits ``YYMMDDnnnn`` with year 13YY (``8707060255`` -> 1387-07-06 AP).
  The id scheme is an observation on 1,497 of the 1,500 Fars URLs in
  ``../shared/data/farsnews-articles`` (see its SOURCE.md), not documented by Fars; the three
  ids that start ``60`` would read as 1360 AP, two decades before the agency existed
  (founded 1381-1382 AP / 2003), so ids must decode to a year from 1381 AP on.

Left out on purpose: long numeric ids that merely *contain* a date, such as aryanews
``/News/120200622120908039/`` (``1`` + 20200622 + 120908 + ``039``) or Sputnik
``202003171044893040``. Reading them needs a per-site rule about where the date starts inside
the id; without one the same rule would read dates out of ordinary serial numbers.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

import jdatetime

Granularity = Literal["day", "month"]
Calendar = Literal["gregorian", "jalali"]

GREGORIAN_YEARS = range(1990, 2036)  # a news URL outside this span is an id, not a year
JALALI_PATH_YEARS = range(1370, 1421)  # 1370 AP = 1991; 1420 AP = 2041
FARS_FIRST_YEAR = 1381  # Fars News Agency was founded in 1381-1382 AP (2003)
FARS_HOSTS = ("farsnews.ir", "farsnews.com")


@dataclass(frozen=True, slots=True)
class UrlDate:
    """A date read from a URL.

    ``value`` is always Gregorian ISO (``YYYY-MM-DD`` or ``YYYY-MM``); ``calendar`` says how the
    URL wrote it and ``native`` is the date as written in that calendar (``1391-12-22`` for a
    Jalali id). ``start``/``end`` are character offsets of the date digits in the URL string.
    """

    value: str
    granularity: Granularity
    calendar: Calendar
    start: int
    end: int
    native: str

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


# Whole path segments: preceded by "/" (or the start) and followed by "/" (or the end).
_SLASH_YMD = re.compile(r"(?<![^/])(\d{4})/(\d{1,2})/(\d{1,2})(?![^/])")
# Month only when no day-like segment follows: ``/2020/04/31/`` is not April 2020 but no date.
_SLASH_YM = re.compile(r"(?<![^/])(\d{4})/(\d{1,2})(?![^/])(?!/\d{1,2}(?![^/]))")
# Inside one segment: separators may not be "/" and the date may not touch other digits.
_DASHED_YMD = re.compile(r"(?<!\d)(\d{4})([-_])(\d{1,2})\2(\d{1,2})(?!\d)")
_COMPACT_YMD = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
# Fars ids: a run of exactly 14 or exactly 10 digits.
_FARS_ID = re.compile(r"(?<!\d)(\d{14}|\d{10})(?!\d)")


def date_from_url(url: str) -> UrlDate | None:
    """The publication date a URL encodes, or None when it encodes none we can trust.

    When several dates appear, a day beats a month and, among equals, the leftmost wins.
    """
    if not url:
        return None
    host, path_start, path_end, query_end = _split(url)
    candidates: list[UrlDate] = []
    if _is_fars_host(host):
        candidates.extend(_fars_ids(url, path_start, query_end))
    path = url[path_start:path_end]
    for found in _path_dates(path):
        candidates.append(_shift(found, path_start))
    if not candidates:
        return None
    return min(candidates, key=lambda c: (c.granularity != "day", c.start))


# -- URL layout -----------------------------------------------------------------------------------
def _split(url: str) -> tuple[str, int, int, int]:
    """(host, path start, path end, query end) as offsets into ``url`` itself.

    ``urllib.parse`` would give the parts but not where they sit, and spans must point into the
    string we were given.
    """
    scheme_end = url.find("://")
    if scheme_end >= 0:
        host_start = scheme_end + 3
    elif url.startswith("//"):
        host_start = 2
    else:  # "/2020/01/02/x" (a bare path) or "example.com/2020/..." (no scheme)
        host_start = 0
    path_start = len(url)
    for sep in "/?#":
        pos = url.find(sep, host_start)
        if pos >= 0:
            path_start = min(path_start, pos)
    host = url[host_start:path_start].lower()
    host = host.rsplit("@", 1)[-1].split(":", 1)[0]
    query_end = url.find("#", path_start)
    query_end = len(url) if query_end < 0 else query_end
    path_end = url.find("?", path_start, query_end)
    path_end = query_end if path_end < 0 else path_end
    return host, path_start, path_end, query_end


def _is_fars_host(host: str) -> bool:
    return any(host == h or host.endswith("." + h) for h in FARS_HOSTS)


def _shift(found: UrlDate, offset: int) -> UrlDate:
    return UrlDate(found.value, found.granularity, found.calendar, found.start + offset,
                   found.end + offset, found.native)


# -- Gregorian and Jalali dates in the path ----------------------------------------------------------
def _path_dates(path: str) -> list[UrlDate]:
    found: list[UrlDate] = []
    for m in _SLASH_YMD.finditer(path):
        y, mo, d = (int(g) for g in m.groups())
        hit = _gregorian_day(y, mo, d, m.start(), m.end()) or _jalali_day(y, mo, d, m.start(), m.end())
        if hit:
            found.append(hit)
    for m in _DASHED_YMD.finditer(path):
        hit = _gregorian_day(int(m.group(1)), int(m.group(3)), int(m.group(4)), m.start(), m.end())
        if hit:
            found.append(hit)
    for m in _COMPACT_YMD.finditer(path):
        hit = _gregorian_day(int(m.group(1)), int(m.group(2)), int(m.group(3)), m.start(), m.end())
        if hit:
            found.append(hit)
    # Month-only ``/YYYY/MM/``. Jalali months straddle Gregorian ones, so a Jalali
    # year and month cannot become a Gregorian ``YYYY-MM``; they are not read.
    for m in _SLASH_YM.finditer(path):
        y, mo = int(m.group(1)), int(m.group(2))
        if y in GREGORIAN_YEARS and 1 <= mo <= 12:
            value = f"{y:04d}-{mo:02d}"
            found.append(UrlDate(value, "month", "gregorian", m.start(), m.end(), value))
    return found


def _gregorian_day(y: int, mo: int, d: int, start: int, end: int) -> UrlDate | None:
    if y not in GREGORIAN_YEARS or not 1 <= mo <= 12 or not 1 <= d <= calendar.monthrange(y, mo)[1]:
        return None
    value = date(y, mo, d).isoformat()
    return UrlDate(value, "day", "gregorian", start, end, value)


def _jalali_day(y: int, mo: int, d: int, start: int, end: int,
                years: range = JALALI_PATH_YEARS) -> UrlDate | None:
    if y not in years:
        return None
    try:
        gregorian = jdatetime.date(y, mo, d).togregorian()
    except ValueError:  # month > 12, day 31 in a 30-day month, Esfand 30 in a common year
        return None
    return UrlDate(gregorian.isoformat(), "day", "jalali", start, end, f"{y:04d}-{mo:02d}-{d:02d}")


# -- Fars News ids -----------------------------------------------------------------------------------
def _fars_ids(url: str, start: int, end: int) -> list[UrlDate]:
    found = []
    for m in _FARS_ID.finditer(url, start, end):
        digits = m.group(1)
        if len(digits) == 14:
            y, mo, d = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
            date_end = m.start() + 8
            years = range(FARS_FIRST_YEAR, JALALI_PATH_YEARS.stop)
        else:
            y, mo, d = 1300 + int(digits[:2]), int(digits[2:4]), int(digits[4:6])
            date_end = m.start() + 6
            years = range(FARS_FIRST_YEAR, 1400)
        hit = _jalali_day(y, mo, d, m.start(), date_end, years)
        if hit:
            found.append(hit)
    return found


__all__ = ["FARS_HOSTS", "UrlDate", "date_from_url"]
