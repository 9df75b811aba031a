"""Throughput of the per-document pipeline (`khabar analyze` without I/O), stage by stage.

Baseline, run side by side in the same process on the same texts: one bare fastText language-ID
call on the whole article (`lid.176.ftz`, the model khabar itself uses), i.e. the cheapest thing a
user would run on every article anyway. The ratio says how many such calls one full khabar
analysis costs.

    .venv/bin/python bench/analyze.py [--json] [--limit N]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import typer
from corpora import farsnews, saudinewsnet, shared

from khabar.document import Document
from khabar.pipeline import DEFAULT_STAGES, get_stage
from khabar.readers import read_inputs
from khabar.readers.base import Rejection


def _time_pipeline(docs: list[Document]) -> dict[str, float]:
    per_stage = dict.fromkeys(DEFAULT_STAGES, 0.0)
    for doc in docs:
        for name in DEFAULT_STAGES:
            t = time.perf_counter()
            doc = get_stage(name).func(doc)
            per_stage[name] += time.perf_counter() - t
    return per_stage


def _time_baseline(docs: list[Document]) -> float:
    import fasttext

    from khabar.stages.langid import model_path

    model = fasttext.load_model(str(model_path()))
    t = time.perf_counter()
    for doc in docs:
        model.predict(doc.text.replace("\n", " "))
    return time.perf_counter() - t


def main(as_json: bool = typer.Option(False, "--json"), limit: int = typer.Option(500, "--limit")) -> None:
    seeds = [r for r in read_inputs(sorted(str(p) for p in shared("seeds").glob("*.txt")))
             if not isinstance(r, Rejection)]
    corpora = {"seeds (5 fa/ar)": seeds, f"farsnews ({limit})": list(farsnews(limit)),
               f"saudinewsnet 2015-08-01 ({limit})": list(saudinewsnet(limit=limit))}
    _time_pipeline(seeds)  # warm-up: models and word lists load once per process
    _time_baseline(seeds)
    rows = []
    for name, docs in corpora.items():
        stages = _time_pipeline(docs)
        total = sum(stages.values())
        baseline = _time_baseline(docs)
        chars = sum(len(d.text) for d in docs)
        rows.append({"corpus": name, "docs": len(docs), "chars": chars, "seconds": round(total, 3),
                     "docs_per_s": round(len(docs) / total, 1),
                     "ms_per_doc": {k: round(1000 * v / len(docs), 2) for k, v in stages.items()},
                     "baseline_langid_docs_per_s": round(len(docs) / baseline, 1),
                     "cost_in_baseline_calls": round(total / baseline, 1)})
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    head = f"{'corpus':32} {'docs':>5} {'docs/s':>8} {'fastText-only docs/s':>21} {'ratio':>6}  ms/doc per stage"
    print(head)
    for r in rows:
        stages = " ".join(f"{k.split('.')[0]}={v}" for k, v in r["ms_per_doc"].items())
        print(f"{r['corpus']:32} {r['docs']:>5} {r['docs_per_s']:>8} {r['baseline_langid_docs_per_s']:>21} "
              f"{r['cost_in_baseline_calls']:>6}  {stages}")


if __name__ == "__main__":
    typer.run(main)
