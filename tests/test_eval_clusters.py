"""Story clustering on the dev labelling (eval/clusters.py), and freshness of the shipped model.

Floors sit just below the measured scores (README); the issue's goal (B-cubed F1 >= 0.95
monolingual) is not met yet. The seeds must be grouped exactly.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import shared_path

REPO = Path(__file__).resolve().parents[1]


def _load(name: str, path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def run() -> dict[str, Any]:
    shared_path("data", "saudinewsnet", "2015-08-01.zip")
    sys.path.insert(0, str(REPO / "bench"))
    sys.path.insert(0, str(REPO / "eval"))
    clusters = _load("clusters", REPO / "eval" / "clusters.py")
    fit = _load("fit_story_model", REPO / "scripts" / "fit_story_model.py")
    stories, gold = clusters.load_labels()
    features = clusters.features_of(clusters.labelled_documents(stories))
    return {"clusters": clusters, "fit": fit, "gold": gold, "features": features}


def test_khabar_beats_the_tuned_tfidf_baseline(run: dict[str, Any]) -> None:
    clusters, gold = run["clusters"], run["gold"]
    snn = [(k, f) for k, f in run["features"] if k[0] != "seed"]
    khabar = clusters.bcubed(clusters.khabar_clusters(snn), gold)
    baseline = clusters.best_baseline(snn, gold)
    assert khabar["items"] >= 440
    assert khabar["f1"] >= 0.92, khabar
    assert khabar["f1"] > baseline["f1"] + 0.03, (khabar, baseline)


def test_the_seeds_are_grouped_exactly(run: dict[str, Any]) -> None:
    clusters, gold = run["clusters"], run["gold"]
    seeds = [(k, f) for k, f in run["features"] if k[0] == "seed"]
    predicted = clusters.khabar_clusters(seeds)
    assert clusters._partition(predicted) == clusters._partition({f.doc_id: gold[f.doc_id] for _, f in seeds})


def test_the_shipped_story_model_is_the_one_the_labels_give(run: dict[str, Any]) -> None:
    fit, gold = run["fit"], run["gold"]
    snn = [(k, f) for k, f in run["features"] if k[0] != "seed"]
    model = fit.fit_model(*fit.training_pairs(snn, gold))
    threshold, _ = fit.choose_threshold(model, snn, gold)
    shipped = json.loads((REPO / "src" / "khabar" / "corpus" / "story_model.json").read_text(encoding="utf-8"))
    assert shipped["weights"] == pytest.approx(list(model.weights), abs=1e-4)
    assert shipped["bias"] == pytest.approx(model.bias, abs=1e-4)
    assert shipped["threshold"] == threshold, "run scripts/fit_story_model.py and commit story_model.json"
