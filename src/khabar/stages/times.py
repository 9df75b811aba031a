"""Stage ``times.v1``: the `times` layer, and the publication date when only the text tells it.

Order of evidence for ``published`` (metadata and URL were already weighed by ``pubdate.v1``):
1. a date in the article's own dateline (a `dateline` block, or the header before the body,
   not the site's clock banner);
2. "today" with a weekday (`امروز چهارشنبه`, `اليوم الاثنين`) below an upper bound, when the
   page gives one: the latest such weekday not after the bound;
3. otherwise null, with the issue `published_unknown`.
Upper bounds are the site's "today" banner at the top of the page (cue `site_clock`: the crawl
date, not the article's), reader-comment timestamps and the crawl date of a WARC record. A
dateline date after an upper bound is not believed.
Every expression then gets its value against the publication date as anchor.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from khabar.document import Document, Published, Span, TextView
from khabar.normalize import match_view
from khabar.pipeline import stage
from khabar.temporal.extract import Parsed, extract
from khabar.temporal.resolve import (
    ResolveContext,
    explicit_years,
    fiscal_year_start,
    resolve,
    sentence_bounds,
    settle_document,
)

_ROLE_OF_KIND = {"comment": "comment", "dateline": "dateline", "byline": "dateline", "boilerplate": "boilerplate",
                 "tags": "boilerplate", "caption": "caption"}


def _role(doc: Document, p: Parsed, first_body: int) -> str:
    for block in doc.blocks:
        if block.start <= p.start < block.end or (block.start < p.end <= block.end):
            if block.attr("cue") == "site_clock":
                return "site_clock"
            role = _ROLE_OF_KIND.get(block.kind)
            if role:
                return role
            if block.kind == "title" or (block.start < first_body and block.kind != "lead"):
                return "header"
            return "body"
    return "body"


def _day(value: str | None) -> date | None:
    """The day of a value that names one (`2024-11-06`, `2024-11-06T09:19`), else None."""
    if value and (len(value) == 10 or (len(value) == 16 and value[10] == "T")):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _upper_bound(doc: Document, resolved: list[tuple[Parsed, str, dict]]) -> tuple[date | None, str | None]:
    bounds = []
    for _p, role, entry in resolved:
        day = _day(entry.get("value"))
        if role in ("site_clock", "comment") and day:
            bounds.append((day, role))
    crawl = _day(str(doc.meta_value("crawl_date") or "")[:10])
    if crawl:
        bounds.append((crawl, "crawl_date"))
    if not bounds:
        return None, None
    day, why = min(bounds)
    return day, why


def _published_from_text(doc: Document, resolved: list[tuple[Parsed, str, dict]]) -> tuple[Published | None, list[tuple[str, str]]]:
    bound, bound_source = _upper_bound(doc, resolved)
    issues: list[tuple[str, str]] = []
    for p, role, entry in resolved:
        day = _day(entry.get("value"))
        if role in ("dateline", "header") and day and entry.get("year_from") == "explicit":
            if bound and day > bound:
                continue
            return Published(day.isoformat(), "text", Span(p.start, p.end)), issues
    if bound:
        for p, role, _entry in resolved:
            if role in ("body", "header") and p.kind == "relative" and p.offset == 0 and p.unit == "day" and p.weekday:
                back = (bound.isoweekday() - p.weekday) % 7
                day = bound - timedelta(days=back)
                issues.append(("published_from_weekday",
                               f"published {day.isoformat()}: the latest {doc.text[p.start:p.end]!r} not after "
                               f"the {bound_source} {bound.isoformat()}"))
                return Published(day.isoformat(), "text", Span(p.start, p.end)), issues
    message = "no publication date in metadata, URL or text"
    if bound:
        message += f"; the {bound_source} {bound.isoformat()} is an upper bound"
    issues.append(("published_unknown", message))
    return None, issues


def _check_against_dateline(doc: Document, parsed: list[Parsed], roles: list[str],
                            years: tuple[tuple[int, str, int], ...], published: Published, view: TextView
                            ) -> tuple[Published | None, list[tuple[str, str]]]:
    """Metadata or URL against the article's own dateline: more than two days apart, neither is
    trusted (null and `published_conflict`), as the issue asks instead of guessing."""
    bare = ResolveContext(doc.text, doc.lang or "en", None, years, view=view)
    claimed = _day(published.value[:10])
    for p, role in zip(parsed, roles, strict=True):
        if role != "dateline":
            continue
        entry = resolve(p, bare)
        day = _day(entry.get("value"))
        if day and claimed and entry.get("year_from") == "explicit" and abs((day - claimed).days) > 2:
            return None, [("published_conflict",
                           f"{published.source} says {claimed.isoformat()} but the dateline "
                           f"{doc.text[p.start:p.end]!r} says {day.isoformat()}")]
        if day:
            break
    return published, []


def _weekday_is_placed(p: Parsed, entry: dict) -> bool:
    """Does the text itself place this weekday in a week (a week word, `الماضي`, a date, `امروز`)?"""
    if p.kind == "weekday":
        return bool(p.weekday_modifier or dict(p.extras).get("week"))
    return p.kind in ("date", "numeric", "relative", "weekday_of_month") and _day(entry.get("value")) is not None


_RESTATED = "the date in its sentence that falls on this weekday"


def _weekday_restates_date(doc: Document, parsed: list[Parsed], times: list[dict]) -> None:
    """A bare weekday in a sentence that also names a day falling on that weekday is that day
    (`بیستم اسفند ... مصادف با روز جمعه است`, `الأحد 2 أغسطس ... يوم الأحد`): the sentence
    restates its date, and no tense or week rule is needed to place it."""
    days = [(p.start, p.end, day) for p, entry in zip(parsed, times, strict=True)
            if p.kind in ("date", "numeric") and len(p.days) == 1 and (day := _day(entry.get("value")))]
    if not days:
        return
    for p, entry in zip(parsed, times, strict=True):
        if p.kind != "weekday" or not p.weekday or not entry.get("value") or _weekday_is_placed(p, entry):
            continue
        left, right = sentence_bounds(doc.text, p.start, p.end)
        same = [(abs(start - p.start), day) for start, end, day in days
                if left <= start and end <= right and day.isoweekday() == p.weekday]
        if same:
            entry["value"] = min(same)[1].isoformat()
            entry["direction"] = _RESTATED


def _one_day_per_weekday(parsed: list[Parsed], times: list[dict]) -> None:
    """A bare weekday takes the day another mention of the same weekday in the document is placed
    on (`جمعه یک‌طرفه می‌شود` in the title, `روز جمعه این هفته` in the body): a news story speaks of
    one Friday, and the tense of a title or a reported clause is a weak clue beside a week word."""
    placed: dict[int, set[str]] = {}
    for p, entry in zip(parsed, times, strict=True):
        if p.weekday and entry.get("value") and _weekday_is_placed(p, entry):
            placed.setdefault(p.weekday, set()).add(entry["value"][:10])
    for p, entry in zip(parsed, times, strict=True):
        days = placed.get(p.weekday or 0)
        if p.kind == "weekday" and entry.get("value") and not _weekday_is_placed(p, entry) and days and len(days) == 1 \
                and entry.get("direction") != _RESTATED:
            entry["value"] = next(iter(days))
            entry["direction"] = "same as another mention of this weekday"


@stage("times.v1", requires=("blocks", "lang", "published"), assigns=("times", "published"))
def find_times(doc: Document) -> Document:
    """Find every date and time expression, resolve it, and date the article from its text if needed."""
    lang = doc.lang if doc.lang in ("fa", "ar", "en") else None
    view = match_view(doc.text)  # folded once, for extraction and for the cues around each expression
    parsed = extract(doc.text, lang, view)
    first_body = min((b.start for b in doc.blocks if b.kind == "body"), default=0)
    roles = [_role(doc, p, first_body) for p in parsed]
    years = explicit_years(parsed, lang or "en")
    published = doc.published
    issues: list[tuple[str, str]] = []
    if published is not None and published.source in ("metadata", "url"):
        published, issues = _check_against_dateline(doc, parsed, roles, years, published, view)
    if published is None and not issues:
        # Dates written in full resolve without an anchor; that is all the dateline needs.
        bare = ResolveContext(doc.text, lang or "en", None, years, view=view)
        first_pass = [(p, role, resolve(p, bare)) for p, role in zip(parsed, roles, strict=True)]
        published, issues = _published_from_text(doc, first_pass)
    anchor = _day(published.value[:10]) if published else None
    fiscal_start = fiscal_year_start(doc.text, lang or "en", view)
    fiscal_years = tuple(p.year for p in parsed if p.kind in ("part", "years") and p.year and p.year_end == p.year + 1)
    ctx = ResolveContext(doc.text, lang or "en", anchor, years, fiscal_start, fiscal_years, view)
    times = []
    for p, role in zip(parsed, roles, strict=True):
        entry = resolve(p, ctx)
        entry["role"] = role
        times.append(entry)
    _weekday_restates_date(doc, parsed, times)
    _one_day_per_weekday(parsed, times)
    settle_document(parsed, times, ctx)
    result = replace(doc, times=tuple(times), published=published)
    for code, message in issues:
        result = result.with_issue(code, message)
    return result
