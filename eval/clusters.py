"""Story clustering on the hand-made dev labelling: B-cubed precision, recall and F1.

Reads `eval/data/clusters_dev.jsonl` (SaudiNewsNet 1-3 August 2015 and the seeds; format in
`clusters_dev.md`), runs the full pipeline on the labelled articles, replays them in time order
(day, then corpus index) through `khabar.corpus.stories.StoryClusterer` and scores the labelled
articles. Beside khabar, on the same articles and labels:

- the issue's baseline: TF-IDF cosine (same tokens) single-link clustering, threshold tuned on
  these labels (the best of a sweep, so an upper bound for that method);
- a held-out check of khabar: the story model refitted on the stories that start on 1 August
  only, scored on the articles of 2 and 3 August (`--heldout`).

    .venv/bin/python eval/clusters.py [--json] [--heldout] [--errors]
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from corpora import saudinewsnet, shared  # noqa: E402

from khabar.corpus.features import StoryFeatures  # noqa: E402
from khabar.corpus.stories import StoryClusterer, StoryModel  # noqa: E402
from khabar.document import Document  # noqa: E402
from khabar.pipeline import Pipeline  # noqa: E402
from khabar.readers.files import read_file  # noqa: E402

DEV = REPO / "eval" / "data" / "clusters_dev.jsonl"


def load_labels(path: Path = DEV) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The story records and ``document id -> gold story``."""
    stories = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = {m["id"]: s["story"] for s in stories for m in s["members"]}
    return stories, gold


def labelled_documents(stories: list[dict[str, Any]]) -> list[tuple[tuple[Any, ...], Document]]:
    """The labelled articles as ``(arrival key, document)``, in arrival order."""
    wanted: dict[str, set[int]] = defaultdict(set)
    seeds = []
    for s in stories:
        for m in s["members"]:
            if m["corpus"] == "saudinewsnet":
                wanted[m["day"]].add(m["index"])
            else:
                seeds.append(m["file"])
    out: list[tuple[tuple[Any, ...], Document]] = []
    for day in sorted(wanted):
        for doc in saudinewsnet(day, limit=max(wanted[day])):
            index = int(str(doc.source.path).rsplit("#", 1)[1])
            if index in wanted[day]:
                out.append(((day, index), doc))
    for name in sorted(seeds):
        out.append((("seed", name), next(read_file(shared("seeds", name)))))
    ids = {doc.id for _, doc in out}
    missing = [m for s in stories for m in s["members"] if m["id"] not in ids]
    if missing:
        raise SystemExit(f"{len(missing)} labelled articles do not rebuild to their ids (first {missing[0]})")
    return sorted(out, key=lambda kv: kv[0])


def features_of(docs: Iterable[tuple[tuple[Any, ...], Document]]) -> list[tuple[tuple[Any, ...], StoryFeatures]]:
    pipeline = Pipeline()
    return [(key, StoryFeatures.of(pipeline(doc))) for key, doc in docs]


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    """B-cubed precision, recall and F1 (Bagga & Baldwin 1998) over the items of ``gold``."""
    items = [i for i in gold if i in predicted]
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for i in items:
        by_pred[predicted[i]].add(i)
        by_gold[gold[i]].add(i)
    p = r = 0.0
    for i in items:
        cluster, truth = by_pred[predicted[i]], by_gold[gold[i]]
        both = len(cluster & truth)
        p += both / len(cluster)
        r += both / len(truth)
    n = max(1, len(items))
    p, r = p / n, r / n
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4), "items": len(items)}


def khabar_clusters(features: list[tuple[tuple[Any, ...], StoryFeatures]],
                    model: StoryModel | None = None) -> dict[str, str]:
    clusterer = StoryClusterer(model)
    return {a.doc_id: a.story for a in clusterer.add_all(f for _, f in features)}


def tfidf_single_link(features: list[tuple[tuple[Any, ...], StoryFeatures]], threshold: float) -> dict[str, str]:
    """The baseline: documents linked when the TF-IDF cosine of their words is >= threshold."""
    docs = [f for _, f in features]
    df: dict[str, Counter[str]] = defaultdict(Counter)
    n_lang: Counter[str] = Counter()
    for f in docs:
        n_lang[f.lang or "und"] += 1
        df[f.lang or "und"].update(t for t, _ in f.terms)
    vectors = []
    for f in docs:
        lang = f.lang or "und"
        vec = {t: (1 + math.log(c)) * (math.log((1 + n_lang[lang]) / (1 + df[lang][t])) + 1) for t, c in f.terms}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append((lang, {t: v / norm for t, v in vec.items()}))
    parent = list(range(len(docs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    postings: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (lang, vec) in enumerate(vectors):
        for t in vec:
            postings[(lang, t)].append(i)
    for i, (lang, vec) in enumerate(vectors):
        dots: Counter[int] = Counter()
        for t, v in vec.items():
            for j in postings[(lang, t)]:
                if j < i:
                    dots[j] += v * vectors[j][1][t]
        for j, dot in dots.items():
            if dot >= threshold:
                parent[find(i)] = find(j)
    return {f.doc_id: str(find(i)) for i, f in enumerate(docs)}


def best_baseline(features: list[tuple[tuple[Any, ...], StoryFeatures]], gold: dict[str, str]) -> dict[str, Any]:
    best: dict[str, Any] = {"f1": -1.0}
    for step in range(10, 91, 5):
        threshold = step / 100
        score = bcubed(tfidf_single_link(features, threshold), gold)
        if score["f1"] > best["f1"]:
            best = {**score, "threshold": threshold}
    return best


def evaluate(heldout: bool = False, include_errors: bool = False) -> dict[str, Any]:
    stories, gold = load_labels()
    features = features_of(labelled_documents(stories))
    snn = [(k, f) for k, f in features if k[0] != "seed"]
    seeds = [(k, f) for k, f in features if k[0] == "seed"]
    predicted = khabar_clusters(snn)
    seed_pred = khabar_clusters(seeds)
    seed_gold = {f.doc_id: gold[f.doc_id] for _, f in seeds}
    out: dict[str, Any] = {
        "articles": len(features), "stories": len(stories),
        "khabar": bcubed(predicted, gold),
        "baseline_tfidf_single_link": best_baseline(snn, gold),
        "seeds": {**bcubed(seed_pred, seed_gold), "exact": _partition(seed_pred) == _partition(seed_gold)},
    }
    if heldout:
        from fit_story_model import (  # scripts/: the held-out refit
            choose_threshold,
            fit_model,
            training_pairs,
        )

        day1 = [(k, f) for k, f in snn if k[0] == "2015-08-01"]
        later = [(k, f) for k, f in snn if k[0] != "2015-08-01"]
        model = fit_model(*training_pairs(day1, gold))
        threshold, _f1 = choose_threshold(model, day1, gold)
        model = StoryModel(model.weights, model.bias, threshold)
        out["heldout_days_2_3"] = {"khabar_fit_on_day_1": bcubed(khabar_clusters(later, model), gold),
                                   "baseline_tuned_on_days_2_3": best_baseline(later, gold)}
    if include_errors:
        out["errors"] = _errors(predicted, gold, dict((f.doc_id, f) for _, f in snn))
    return out


def _partition(assign: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for doc, cluster in assign.items():
        groups[cluster].add(doc)
    return {frozenset(g) for g in groups.values()}


def _errors(predicted: dict[str, str], gold: dict[str, str], feats: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    by_pred: dict[str, list[str]] = defaultdict(list)
    for doc, cluster in predicted.items():
        by_pred[cluster].append(doc)
    for docs in by_pred.values():
        stories = Counter(gold[d] for d in docs if d in gold)
        if len(stories) > 1:
            out.append({"merged": dict(stories), "titles": [feats[d].title[:70] for d in docs[:6]]})
    by_gold: dict[str, set[str]] = defaultdict(set)
    for doc, story in gold.items():
        if doc in predicted:
            by_gold[story].add(predicted[doc])
    out += [{"split": story, "clusters": len(c)} for story, c in by_gold.items() if len(c) > 1]
    return out


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(REPO / "scripts"))
    result = evaluate(heldout="--heldout" in argv, include_errors="--errors" in argv)
    if "--json" in argv:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    k, b, s = result["khabar"], result["baseline_tfidf_single_link"], result["seeds"]
    print(f"labelled articles: {result['articles']} in {result['stories']} stories")
    print(f"khabar                          B-cubed P {k['p']:.3f}  R {k['r']:.3f}  F1 {k['f1']:.3f}")
    print(f"TF-IDF single-link (t={b['threshold']:.2f}, tuned) B-cubed P {b['p']:.3f}  R {b['r']:.3f}  F1 {b['f1']:.3f}")
    print(f"seeds: B-cubed F1 {s['f1']:.3f}, grouped exactly: {s['exact']}")
    if "heldout_days_2_3" in result:
        h = result["heldout_days_2_3"]
        print(f"held out (fit on 1 Aug, scored on 2-3 Aug): khabar F1 {h['khabar_fit_on_day_1']['f1']:.3f}, "
              f"baseline tuned on 2-3 Aug F1 {h['baseline_tuned_on_days_2_3']['f1']:.3f}")
    for e in result.get("errors", []):
        print(json.dumps(e, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
