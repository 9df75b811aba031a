"""Fit the story model (`src/khabar/corpus/story_model.json`) on the clustering dev labels.

The labelled SaudiNewsNet articles of `eval/data/clusters_dev.jsonl` are replayed in arrival
order with their gold stories; each time, the stories the clusterer's indexes offer become
training pairs (features of `khabar.corpus.stories.PairFeatures`, label: is it the article's gold
story). A logistic regression with a small L2 penalty is fitted by Newton's method (numpy), and
the weights are written with the data they came from and their training log-loss.

    .venv/bin/python scripts/fit_story_model.py [--check]

`--check` refits and fails if the shipped weights differ (the freshness test runs it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "eval"))
sys.path.insert(0, str(REPO / "bench"))

from khabar.corpus.stories import FEATURE_NAMES, StoryClusterer, StoryModel  # noqa: E402

MODEL = REPO / "src" / "khabar" / "corpus" / "story_model.json"
L2 = 1.0


def training_pairs(features: list[tuple[Any, Any]], gold: dict[str, str]) -> tuple[np.ndarray, np.ndarray]:
    clusterer = StoryClusterer(StoryModel((0.0,) * len(FEATURE_NAMES), 0.0))
    rows, labels = [], []
    for _key, f in features:
        story = gold.get(f.doc_id)
        if story is None:
            continue
        for offered, pair in clusterer.assign(f, story):
            rows.append(pair.vector())
            labels.append(1.0 if offered == story else 0.0)
    return np.array(rows, dtype=float), np.array(labels, dtype=float)


def fit_model(x: np.ndarray, y: np.ndarray, l2: float = L2) -> StoryModel:
    """Logistic regression by Newton's method (a few iterations converge on 6 features)."""
    design = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(design.shape[1])
    penalty = np.eye(design.shape[1]) * l2
    penalty[-1, -1] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-design @ w))
        gradient = design.T @ (p - y) + penalty @ w
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return StoryModel(tuple(round(float(v), 6) for v in w[:-1]), round(float(w[-1]), 6))


THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)


def choose_threshold(model: StoryModel, features: list[tuple[Any, Any]], gold: dict[str, str]) -> tuple[float, float]:
    """The joining threshold with the best B-cubed F1 when the fitted model clusters the same
    articles online (ties go to the higher threshold: fewer merges)."""
    from clusters import bcubed

    best = (-1.0, 0.5)
    for threshold in THRESHOLDS:
        clusterer = StoryClusterer(model, threshold)
        predicted = {a.doc_id: a.story for a in clusterer.add_all(f for _, f in features)}
        best = max(best, (bcubed(predicted, gold)["f1"], threshold))
    return best[1], best[0]


def log_loss(model: StoryModel, x: np.ndarray, y: np.ndarray) -> float:
    z = x @ np.array(model.weights) + model.bias
    p = np.clip(1.0 / (1.0 + np.exp(-z)), 1e-9, 1 - 1e-9)
    return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean())


def main(argv: list[str]) -> int:
    from clusters import features_of, labelled_documents, load_labels

    stories, gold = load_labels()
    features = [(k, f) for k, f in features_of(labelled_documents(stories)) if k[0] != "seed"]
    x, y = training_pairs(features, gold)
    model = fit_model(x, y)
    threshold, f1 = choose_threshold(model, features, gold)
    model = StoryModel(model.weights, model.bias, threshold)
    data = {
        "features": list(FEATURE_NAMES), "weights": list(model.weights), "bias": model.bias,
        "threshold": threshold, "bcubed_f1_at_threshold": f1,
        "fitted_on": "eval/data/clusters_dev.jsonl: labelled SaudiNewsNet articles of 1-3 August 2015, "
                     "replayed in arrival order; pairs = (article, story offered by the indexes)",
        "pairs": len(y), "positives": int(y.sum()), "l2": L2, "log_loss": round(log_loss(model, x, y), 4),
    }
    if "--check" in argv:
        shipped = json.loads(MODEL.read_text(encoding="utf-8"))
        same = shipped["features"] == data["features"] and np.allclose(shipped["weights"], data["weights"], atol=1e-4) \
            and abs(shipped["bias"] - data["bias"]) < 1e-4 and shipped.get("threshold") == data["threshold"]
        print("story model is up to date" if same else "story model is stale: run scripts/fit_story_model.py")
        return 0 if same else 1
    MODEL.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(data, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
