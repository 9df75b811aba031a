"""Floors on entity linking, measured with eval/linking.py on 2026-11-22 after the issue-4 linking
fixes (P 0.9962, R 0.9824, fa-ar recall 0.9853), minus 0.01."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.conftest import shared_path

EVAL = Path(__file__).resolve().parents[1] / "eval" / "linking.py"


def test_linking_dev_set_floors() -> None:
    shared_path("data", "farsnews-articles", "farsnews_articles.jsonl")
    shared_path("data", "saudinewsnet", "2015-08-01.zip")
    spec = importlib.util.spec_from_file_location("eval_linking", EVAL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    result = module.evaluate()
    assert result["mentions"] == 2379
    assert result["pairwise_precision"] >= 0.9962 - 0.01
    assert result["pairwise_recall"] >= 0.9824 - 0.01
    assert result["cross_language"]["recall"] >= 0.9853 - 0.01
