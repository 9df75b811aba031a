"""Dates read from URLs: Gregorian path dates, Jalali paths, Fars News ids, and numbers that are not dates."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter

import pytest

from khabar.readers.urldate import UrlDate, date_from_url
from tests.conftest import shared_path

# (url, value, granularity, calendar, text the span covers)
POSITIVE = [
    # Gregorian, whole segments
    ("https://www.youm7.com/story/2020/8/24/وزير-الرى/4943459", "2020-08-24", "day", "gregorian", "2020/8/24"),
    ("https://example.com/2020/08/24/slug", "2020-08-24", "day", "gregorian", "2020/08/24"),
    ("https://example.com/news/2019/12/31", "2019-12-31", "day", "gregorian", "2019/12/31"),
    ("/2021/2/3/", "2021-02-03", "day", "gregorian", "2021/2/3"),
    ("https://example.com/2024/02/29/leap-day", "2024-02-29", "day", "gregorian", "2024/02/29"),
    # dashed / underscored inside a segment
    ("https://www.albayan.ae/across-the-uae/news-and-reports/2020-06-03-1.3874341", "2020-06-03", "day",
     "gregorian", "2020-06-03"),
    ("https://example.com/archive/report_2018_07_15.html", "2018-07-15", "day", "gregorian", "2018_07_15"),
    # eight digits alone
    ("https://example.com/a/20200603/slug", "2020-06-03", "day", "gregorian", "20200603"),
    ("https://example.com/story-20151231.html", "2015-12-31", "day", "gregorian", "20151231"),
    # month granularity
    ("https://www.beirutobserver.com/2020/11/2338761/", "2020-11", "month", "gregorian", "2020/11"),
    ("https://example.com/blog/1999/07/", "1999-07", "month", "gregorian", "1999/07"),
    # a day anywhere beats a month that comes first
    ("https://example.com/2020/05/x/2020-05-17-story", "2020-05-17", "day", "gregorian", "2020-05-17"),
    # Jalali paths (Tasnim-style)
    ("https://www.tasnimnews.com/fa/news/1399/03/12/2280443/slug", "2020-06-01", "day", "jalali", "1399/03/12"),
    ("https://example.ir/news/1401/12/29/x", "2023-03-20", "day", "jalali", "1401/12/29"),
    # Fars News ids (14 and 10 digits), new and old URL shapes, with and without www
    ("https://www.farsnews.ir/news/13911222000865/تشدید-مجازات", "2013-03-12", "day", "jalali", "13911222"),
    ("https://www.farsnews.ir/news/8707060255", "2008-09-27", "day", "jalali", "870706"),
    ("https://farsnews.ir/news/14000316000019/x", "2021-06-06", "day", "jalali", "14000316"),
    ("http://www.farsnews.com/newstext.php?nn=13920417000123", "2013-07-08", "day", "jalali", "13920417"),
    ("https://en.farsnews.ir/newstext.aspx?nn=13990101000001", "2020-03-20", "day", "jalali", "13990101"),
]

NEGATIVE = [
    "",
    "https://www.khabaronline.ir/news/1353889/تحلیل-روزنامه",  # a 7-digit id
    "https://www.yjc.ir/fa/news/7349926/از-کشف-۷۲-دستگاه",
    "https://www.alyaum.com/articles/6291787/القارات-السبع/طهران",
    "https://akhbarelyom.com/news/newdetails/3126898/1/36-عامًا",
    # ids that merely contain a date: left alone on purpose (see the module docstring)
    "http://www.aryanews.com/News/120200622120908039/ورود-50-هزار",
    "https://arabic.sputniknews.com/arab_world/202003171044893040-مصر/",
    # a bare year, a year and a section, a month 13, a day 31 in a 30-day month, Feb 30
    "http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html",
    "https://example.com/2020/",
    "https://example.com/2020/13/",
    "https://example.com/2020/04/31/x",
    "https://example.com/2021-02-30-story",
    "https://example.com/a/20210230/b",
    # years outside 1990..2035 are ids or prices, not dates
    "https://example.com/1985/06/01/x",
    "https://example.com/2040/06/01/x",
    "https://example.com/item/19850601",
    # eight digits inside a longer number, or a 9-digit id
    "https://example.com/p/120200603",
    "https://example.com/p/202006031",
    # a date in the host or the query is not the article path
    "https://2020-06-03.example.com/story",
    "https://example.com/search?from=2020-06-03",
    "https://example.com/story#2020/06/03",
    # Fars-shaped ids on other hosts are just ids
    "https://www.example.com/news/13911222000865/x",
    "https://www.example.com/news/8707060255",
    # Fars ids that do not decode to a date from 1381 AP on
    "https://www.farsnews.ir/news/6011171294",
    "https://www.farsnews.ir/news/6010060837",
    "https://www.farsnews.ir/news/13601117000001",
    "https://www.farsnews.ir/news/13991330000001",  # month 13
    "https://www.farsnews.ir/news/13991231000001",  # Esfand 31
    "https://www.farsnews.ir/news/139912220008651",  # 15 digits
    # Jalali-range years: month only is not converted; Esfand 30 in a common year is invalid
    "https://example.ir/news/1399/03/",
    "https://example.ir/news/1401/12/30/x",
    # slug numbers
    "https://www.farsnews.ir/news/ارسال-۱۰۰۰-اثر",
    "https://example.com/news/2020-story-about-2021",
]


@pytest.mark.parametrize(("url", "value", "granularity", "calendar", "covered"), POSITIVE)
def test_date_from_url_reads_dates(url: str, value: str, granularity: str, calendar: str, covered: str) -> None:
    found = date_from_url(url)
    assert found is not None, url
    assert (found.value, found.granularity, found.calendar) == (value, granularity, calendar)
    assert url[found.start:found.end] == covered
    assert found.span == (found.start, found.end)


@pytest.mark.parametrize("url", NEGATIVE)
def test_date_from_url_reads_no_date_out_of_other_numbers(url: str) -> None:
    assert date_from_url(url) is None


def test_jalali_dates_keep_the_date_as_written() -> None:
    found = date_from_url("https://www.farsnews.ir/news/13911222000865/x")
    assert found == UrlDate("2013-03-12", "day", "jalali", 29, 37, "1391-12-22")


def test_url_date_is_frozen() -> None:
    found = date_from_url("https://example.com/2020/08/24/x")
    assert found is not None
    with pytest.raises(AttributeError):
        found.value = "2021-01-01"  # type: ignore[misc]


def _fars_records() -> list[dict]:
    path = shared_path("data", "farsnews-articles", "farsnews_articles.jsonl")
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_every_fars_url_decodes_except_the_three_documented_misfits() -> None:
    records = _fars_records()
    assert len(records) == 1500
    undated = sorted({r["link"] for r in records if date_from_url(r["link"]) is None})
    # SOURCE.md: 3 records have 10-digit ids starting 60 that do not fit the pattern.
    assert [u.rsplit("/", 1)[1] for u in undated] == ["6010060837", "6011171294", "6011171295"]
    years = Counter(date_from_url(r["link"]).native[:4] for r in records if date_from_url(r["link"]))
    assert min(years) == "1382" and max(years) == "1400"  # SOURCE.md: years 1382-1400 AP


def test_fars_ids_increase_with_their_dates() -> None:
    """Sorted by id (10-digit scheme first, it is the older), the dates never go back."""
    dated = []
    for record in _fars_records():
        found = date_from_url(record["link"])
        if found:
            article_id = re.search(r"/news/(\d+)", record["link"]).group(1)
            dated.append(((len(article_id), article_id), found.value))
    values = [value for _, value in sorted(dated)]
    assert values == sorted(values)


# Python's weekday(): Monday is 0. Older Fars texts write Arabic yeh/kaf and omit ZWNJ.
_WEEKDAYS = {"دوشنبه": 0, "سه‌شنبه": 1, "سه شنبه": 1, "سهشنبه": 1, "چهارشنبه": 2, "پنجشنبه": 3,
             "پنج‌شنبه": 3, "پنج شنبه": 3, "جمعه": 4, "شنبه": 5, "یکشنبه": 6, "یک‌شنبه": 6}
_TODAY_WEEKDAY = re.compile(r"امروز\s*\(?\s*(" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + ")")


def test_fars_id_dates_agree_with_the_weekday_the_article_calls_today() -> None:
    """Independent check of the id pattern: "امروز سه‌شنبه" in the text vs the weekday of the id date.

    Measured: 40 of 43 agree (one article was filed the day after; two differ otherwise).
    """
    agree = total = 0
    for record in _fars_records():
        found = date_from_url(record["link"])
        if not found:
            continue
        text = " ".join([record.get("abstract") or "", *(record.get("paragraphs") or [])])
        match = _TODAY_WEEKDAY.search(text.replace("ي", "ی").replace("ك", "ک"))
        if not match:
            continue
        total += 1
        agree += dt.date.fromisoformat(found.value).weekday() == _WEEKDAYS[match.group(1)]
    assert total >= 40
    assert agree / total >= 0.9
