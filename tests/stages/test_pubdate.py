"""Stage pubdate.v1: publication date from metadata or the URL, and what happens when they disagree."""

from __future__ import annotations

from dataclasses import replace

import pytest

from khabar.document import Document, Published, Source
from khabar.pipeline import get_stage
from khabar.stages.pubdate import assign_published

TEXT = "عنوان\n\nمتن خبر."


def _doc(url: str | None = None, source_url: str | None = None, **meta: str) -> Document:
    doc = Document(text=TEXT, source=Source(path="page.html", url=source_url))
    return doc.with_meta(url=url, **meta)


def _codes(doc: Document) -> list[str]:
    return [issue.code for issue in doc.issues]


def test_registered_under_its_versioned_name() -> None:
    info = get_stage("pubdate.v1")
    assert info.func is assign_published
    assert info.assigns == ("published",)


def test_keeps_a_published_date_the_reader_set() -> None:
    doc = replace(_doc("https://example.com/2020/01/02/x", published_meta="2020-05-05"),
                  published=Published("2019-03-04", "metadata"))
    assert assign_published(doc) is doc


# (meta published, url, expected value, expected source, expected issue codes)
CASES = [
    ("2020-02-18", None, "2020-02-18", "metadata", []),
    ("2024-04-09T10:00:00+04:30", None, "2024-04-09", "metadata", []),  # the day as written, not UTC
    ("2024-04-09T23:30:00-05:00", None, "2024-04-09", "metadata", []),
    (None, "https://www.youm7.com/story/2020/8/24/x/4943459", "2020-08-24", "url", []),
    (None, "https://www.beirutobserver.com/2020/11/2338761/", "2020-11", "url", []),
    (None, "https://www.farsnews.ir/news/13911222000865/x", "2013-03-12", "url", []),
    # agree exactly, or within two days (time zones): metadata, the more precise, is kept
    ("2020-08-24", "https://example.com/2020/08/24/x", "2020-08-24", "metadata", []),
    ("2020-12-24", "https://example.com/2020/12/25/x", "2020-12-24", "metadata", []),
    ("2020-12-23", "https://example.com/2020/12/25/x", "2020-12-23", "metadata", []),
    # three days or more apart: a day in the URL wins, and the conflict is recorded
    ("2020-12-22", "https://example.com/2020/12/25/x", "2020-12-25", "url", ["published_conflict"]),
    ("2016-01-01", "https://www.farsnews.ir/news/13990402000123/x", "2020-06-22", "url", ["published_conflict"]),
    # a month-only URL cannot overrule a day: metadata kept, conflict recorded when far outside
    ("2020-11-09", "https://www.beirutobserver.com/2020/11/2338761/", "2020-11-09", "metadata", []),
    ("2020-12-02", "https://www.beirutobserver.com/2020/11/2338761/", "2020-12-02", "metadata", []),
    ("2021-03-01", "https://www.beirutobserver.com/2020/11/2338761/", "2021-03-01", "metadata",
     ["published_conflict"]),
    # nothing to go on
    (None, "https://www.khabaronline.ir/news/1353889/x", None, None, []),
    (None, None, None, None, []),
]


@pytest.mark.parametrize(("meta", "url", "value", "source", "codes"), CASES)
def test_decides_between_metadata_and_url(meta: str | None, url: str | None, value: str | None,
                                          source: str | None, codes: list[str]) -> None:
    out = assign_published(_doc(url, published_meta=meta) if meta else _doc(url))
    if value is None:
        assert out.published is None
    else:
        assert out.published == Published(value, source, None)
    assert _codes(out) == codes


def test_conflict_message_names_both_dates() -> None:
    out = assign_published(_doc("https://example.com/2020/12/25/x", published_meta="2020-12-01"))
    (issue,) = out.issues
    assert "2020-12-01" in issue.message and "2020-12-25" in issue.message and "url" in issue.message


def test_falls_back_to_the_source_url() -> None:
    doc = _doc(None, source_url="https://example.com/2021/07/04/x")
    out = assign_published(doc)
    assert out.published == Published("2021-07-04", "url", None)


def test_meta_url_wins_over_source_url() -> None:
    doc = _doc("https://example.com/2021/07/04/x", source_url="https://mirror.example/2019/01/01/x")
    assert assign_published(doc).published == Published("2021-07-04", "url", None)


def test_unparseable_metadata_is_an_issue_and_the_url_still_counts() -> None:
    out = assign_published(_doc("https://example.com/2021/07/04/x", published_meta="۱۴۰۰/۰۴/۱۳"))
    assert out.published == Published("2021-07-04", "url", None)
    assert _codes(out) == ["bad_published"]


@pytest.mark.parametrize(
    ("meta", "url", "value", "source"),
    [
        ("2024-05-01", "https://example.com/2024/03/01/x", "2024-03-01", "url"),  # meta after crawl: dropped
        ("2024-03-01", "https://example.com/2024/05/01/x", "2024-03-01", "metadata"),  # URL after crawl
    ],
)
def test_dates_after_the_crawl_are_dropped(meta: str, url: str, value: str, source: str) -> None:
    out = assign_published(_doc(url, published_meta=meta, crawl_date="2024-04-10T08:00:00Z"))
    assert out.published == Published(value, source, None)
    assert _codes(out) == ["published_after_crawl"]


def test_does_not_touch_the_text() -> None:
    doc = _doc("https://example.com/2020/08/24/x", published_meta="2020-08-24")
    out = assign_published(doc)
    assert (out.text, out.id, out.blocks, out.meta) == (doc.text, doc.id, doc.blocks, doc.meta)
