"""Floors on khabar's measured date extraction (eval/dates.py), so that a regression fails CI.

The floors are what eval/dates.py measured on 2026-11-22 minus a margin of 0.01 (FLOORS_MEASURED
below); raise them when the extractor improves. The scorer itself is pinned by the small tests at
the end, so a floor cannot be met by a change in how the score is counted.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import shared_path

REPO = Path(__file__).resolve().parents[1]

# Measured with `.venv/bin/python eval/dates.py --json`; each floor is the measurement minus 0.01.
# exact/overlap: span F1; value_accuracy_nonnull: equal values over overlap-matched spans with a
# non-null gold value; value_recall_nonnull: equal values over every non-null gold value.
FLOORS_MEASURED = "2026-11-22"
DEV_FLOORS: dict[tuple[str, str], float] = {
    ("fa", "exact"): 0.9102 - 0.01,
    ("fa", "overlap"): 0.9661 - 0.01,
    ("fa", "value_accuracy_nonnull"): 0.9612 - 0.01,
    ("fa", "value_recall_nonnull"): 0.9041 - 0.01,
    ("ar", "exact"): 0.9172 - 0.01,
    ("ar", "overlap"): 0.9662 - 0.01,
    ("ar", "value_accuracy_nonnull"): 0.9705 - 0.01,
    ("ar", "value_recall_nonnull"): 0.9144 - 0.01,
}
DATEPARSER_CASES_FLOOR = 0.9574 - 0.01  # 45 of 47 gold dates
PUBLICATION_DATE_FLOOR = 0.7273 - 0.01  # 8 of 11 pages


def _eval_dates() -> Any:
    name = "khabar_eval_dates"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "eval" / "dates.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while the file runs
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="module")
def measured() -> dict[str, Any]:
    for parts in (("data", "farsnews-articles", "farsnews_articles.jsonl"), ("data", "saudinewsnet"),
                  ("data", "dateparser-fa-ar", "dateparser_test_cases_fa_ar.jsonl"),
                  ("data", "news-html-ar-fa", "gold.jsonl")):
        shared_path(*parts)
    return _eval_dates().evaluate()


@pytest.mark.parametrize(("lang", "metric"), sorted(DEV_FLOORS))
def test_dev_set_floor(measured: dict[str, Any], lang: str, metric: str) -> None:
    summary = measured["dev"][lang]
    value = summary[metric]["f1"] if metric in ("exact", "overlap") else summary[metric]
    assert value >= DEV_FLOORS[(lang, metric)], f"{lang} {metric} fell to {value}"


def test_dev_set_is_whole(measured: dict[str, Any]) -> None:
    assert measured["dev_documents"] == 72
    assert {lang: measured["dev"][lang]["gold"] for lang in ("fa", "ar")} == {"fa": 257, "ar": 440}


def test_dateparser_cases_floor(measured: dict[str, Any]) -> None:
    cases = measured["dateparser_cases"]
    assert cases["cases"] == 47
    assert cases["khabar_accuracy"] >= DATEPARSER_CASES_FLOOR


def test_publication_date_floor(measured: dict[str, Any]) -> None:
    html = measured["news_html"]
    assert html["pages"] == 11
    assert html["page+url"]["vs_corrected_gold"]["accuracy"] >= PUBLICATION_DATE_FLOOR


@pytest.mark.parametrize(("gold", "pred", "pairs"), [
    ([(0, 5)], [(0, 5)], [(0, 0)]),
    ([(0, 5)], [(3, 9)], [(0, 0)]),
    ([(0, 5)], [(5, 9)], []),  # touching is not overlapping
    ([(0, 10)], [(0, 2), (3, 9)], [(0, 1)]),  # the larger overlap wins, the other is spurious
    ([(0, 4), (5, 9)], [(2, 7)], [(0, 0)]),  # one prediction pairs with one gold span only (tie: nearer start)
])
def test_overlap_matching(gold: list[tuple[int, int]], pred: list[tuple[int, int]],
                          pairs: list[tuple[int, int]]) -> None:
    assert _eval_dates().match_overlapping(gold, pred) == pairs


@pytest.mark.parametrize(("gold", "pred", "kind"), [
    ("2015-08-07", None, "value null"),
    ("2015-08-07", "2015-07-31", "off by whole weeks (weekday direction)"),
    ("2015-08-03", "2015-08-04", "off by one day"),
    ("2014-05", "2015-05", "wrong year"),
    ("2015-07", "2015-08", "wrong month"),
    ("2015-08", "2015", "form month -> year"),
    ("2021-02-03T10:00", "2021-02-03", "clock time kept/dropped"),
    ("2013-02-03/2013-04-03", "2013-02-03/2013-04-04", "interval end differs"),
])
def test_value_error_kind(gold: str, pred: str | None, kind: str) -> None:
    assert _eval_dates().value_error_kind(gold, pred) == kind


def test_scoring_counts_null_gold_for_spans_only() -> None:
    ev = _eval_dates()
    from khabar.document import Document

    gold = ({"start": 0, "end": 5, "text": "امروز", "calendar": "relative", "value": None, "granularity": "day"},
            {"start": 6, "end": 11, "text": "دیروز", "calendar": "relative", "value": "2015-07-31",
             "granularity": "day"})
    predicted = [{"start": 0, "end": 5, "text": "امروز", "value": "2015-08-01", "kind": "relative"},
                 {"start": 6, "end": 11, "text": "دیروز", "value": "2015-07-31", "kind": "relative"}]
    result = ev.DevResult()
    ev.score_document(ev.DevDoc("test", "fa", Document(text="امروز دیروز"), gold), predicted, result)
    summary = result.tallies["fa"].summary()
    assert summary["exact"]["f1"] == 1.0
    assert summary["value_accuracy"] == 0.5  # the null gold counts against the all-spans accuracy
    assert summary["value_accuracy_nonnull"] == 1.0  # and not against the non-null one
    assert [e.kind for e in result.errors] == ["gold null, value given"]
