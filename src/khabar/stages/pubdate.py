"""Publication date from page metadata and the URL (stage ``pubdate.v1``).

Order of trust:

1. A ``published`` the reader already set (a JSONL ``published`` field, say) is kept as is.
2. Page metadata (``meta["published_meta"]``: ``<meta property="article:published_time">``,
   JSON-LD ``datePublished`` and the like, read by htmldate in the HTML reader, or a JSONL
   ``published`` field) -> ``Published(value, "metadata", None)``.
3. The URL (``meta["url"]``, else ``source.url``; see `readers.urldate`) ->
   ``Published(value, "url", None)``; ``value`` is ``YYYY-MM`` when the URL gives only a month.

When both exist and disagree by more than ``CONFLICT_DAYS`` (2) days, the URL wins if it names a
day, and the document gets a ``published_conflict`` issue naming both. Why the URL: the CMS mints
the path once, when the article is published, and never rewrites it, whereas metadata is
re-rendered by page templates (a site-wide "today" date, a modified time in the published field,
the date of a related item in JSON-LD) and is what htmldate had to choose among. Within two days
the two usually differ by time zone alone (elbalad.net's ``article:published_time`` is
``2020-12-24T23:59:50+00:00``, local ``2020-12-25 01:59 +02:00``), and metadata is kept because
it is the more precise of the two. A month-only URL cannot overrule a day; metadata is kept and
the conflict still recorded when the day lies outside that month (with the same margin).

A date later than the crawl date (``meta["crawl_date"]``) cannot be a publication date: it is
dropped with a ``published_after_crawl`` issue. An unparseable ``published_meta`` gets a
``bad_published`` issue. ``Published.value`` is the calendar day as written (``2024-04-09`` for
``2024-04-09T23:30:00-05:00``, not converted to UTC): the schema's ISO date, and the day the
outlet's readers saw. Dates written in the text come from a later stage.
"""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date, datetime, timedelta

from khabar.document import Document, Published
from khabar.pipeline import stage
from khabar.readers.urldate import UrlDate, date_from_url

CONFLICT_DAYS = 2


@stage("pubdate.v1", assigns=("published",))
def assign_published(doc: Document) -> Document:
    """Publication date from page metadata or the URL; the URL wins a >2-day conflict when it names a day."""
    if doc.published is not None:
        return doc
    issues: list[tuple[str, str]] = []
    crawl_day = _day(doc.meta_value("crawl_date"))

    raw_meta = doc.meta_value("published_meta")
    meta_day = _day(raw_meta)
    if raw_meta is not None and meta_day is None:
        issues.append(("bad_published", f"published_meta {raw_meta!r} is not an ISO 8601 date; ignored"))
    if meta_day is not None and crawl_day is not None and meta_day > crawl_day:
        issues.append(("published_after_crawl",
                       f"metadata date {raw_meta} is after the crawl date {crawl_day.isoformat()}; ignored"))
        meta_day = None

    url = doc.meta_value("url") or doc.source.url
    url_date = date_from_url(url) if url else None
    if url_date is not None and crawl_day is not None and _first_day(url_date) > crawl_day:
        issues.append(("published_after_crawl",
                       f"URL date {url_date.value} is after the crawl date {crawl_day.isoformat()}; ignored"))
        url_date = None

    published = _decide(meta_day, url_date, issues)
    for code, message in issues:
        doc = doc.with_issue(code, message)
    return replace(doc, published=published) if published else doc


def _decide(meta_day: date | None, url_date: UrlDate | None, issues: list[tuple[str, str]]) -> Published | None:
    if meta_day is not None:
        meta_value = meta_day.isoformat()
        if url_date is None or _within(meta_day, url_date):
            return Published(meta_value, "metadata", None)
        winner = "url" if url_date.granularity == "day" else "metadata"
        issues.append(("published_conflict",
                       f"metadata says {meta_value}, the URL says {url_date.value} "
                       f"({url_date.calendar}, {url_date.native}); kept the {winner} date"))
        if winner == "url":
            return Published(url_date.value, "url", None)
        return Published(meta_value, "metadata", None)
    if url_date is not None:
        return Published(url_date.value, "url", None)
    return None


def _within(day: date, url_date: UrlDate) -> bool:
    """Whether ``day`` agrees with the URL date: inside it, give or take ``CONFLICT_DAYS`` days."""
    margin = timedelta(days=CONFLICT_DAYS)
    return _first_day(url_date) - margin <= day <= _last_day(url_date) + margin


def _first_day(url_date: UrlDate) -> date:
    if url_date.granularity == "day":
        return date.fromisoformat(url_date.value)
    year, month = (int(p) for p in url_date.value.split("-"))
    return date(year, month, 1)


def _last_day(url_date: UrlDate) -> date:
    if url_date.granularity == "day":
        return date.fromisoformat(url_date.value)
    year, month = (int(p) for p in url_date.value.split("-"))
    return date(year, month, calendar.monthrange(year, month)[1])


def _day(value: object) -> date | None:
    """The calendar day of an ISO date or date-time string (as written, not converted to UTC)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


__all__ = ["CONFLICT_DAYS", "assign_published"]
