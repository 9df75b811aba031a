"""khabar's date extraction and resolution against ``dateparser.search_dates``, side by side.

Both run in this process on the texts of the dev set ``eval/data/dates_dev.jsonl`` (72 Fars News
and SaudiNewsNet articles, rebuilt by ``bench/corpora.py``):

- khabar: ``find_times`` on the document with the record's ``lang`` and ``published``;
- dateparser: ``search_dates(text, languages=[lang], settings={"RELATIVE_BASE": published at
  00:00, "PREFER_DATES_FROM": "past"})``.

Speed: one warm-up pass each (vocabularies, compiled patterns, dateparser's language data), then
the best of 3 timed passes over all documents; the ratio is dateparser's time over khabar's.

Accuracy, the same way for both: a gold span is found when a returned span overlaps it (each
returned span pairs with at most one gold span, largest overlap first; see eval/dates.py).
``search_dates`` gives no offsets, so each returned substring is located in the text from the end
of the previous one (else from the start). On the gold expressions whose value is a day
(``YYYY-MM-DD``, with or without a clock time), the value is correct when the paired returned
value is that day: dateparser's datetime's date, khabar's value when it is a single day. khabar's
full value accuracy (months, years, intervals) comes from eval/dates.py and is printed beside it.

    .venv/bin/python bench/dates.py [--json] [--runs N]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def _load_eval_dates() -> Any:
    """eval/dates.py as a module (both folders hold a `dates.py`, so it cannot be imported by name)."""
    name = "khabar_eval_dates"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "eval" / "dates.py")
    if spec is None or spec.loader is None:
        raise SystemExit("cannot load eval/dates.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


eval_dates = _load_eval_dates()

from dateparser.search import search_dates  # noqa: E402

from khabar.stages.times import find_times  # noqa: E402

_DAY_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?")


@dataclass(frozen=True, slots=True)
class Found:
    """One returned expression: span into the text and its value (khabar's string or a day)."""

    start: int
    end: int
    value: str | None


def run_khabar(doc: Any) -> list[Found]:
    return [Found(t["start"], t["end"], t.get("value")) for t in find_times(doc.document).times]


def dateparser_settings(doc: Any) -> dict[str, Any]:
    published = doc.document.published.value
    return {"RELATIVE_BASE": datetime.fromisoformat(published[:10]), "PREFER_DATES_FROM": "past"}


def run_dateparser(doc: Any) -> list[Found]:
    text = doc.document.text
    results = search_dates(text, languages=[doc.lang], settings=dateparser_settings(doc)) or []
    found = []
    cursor = 0
    for substring, moment in results:
        at = text.find(substring, cursor)
        if at < 0:
            at = text.find(substring)
        if at < 0:  # not in the text as returned: cannot be scored against a span
            continue
        cursor = at + len(substring)
        found.append(Found(at, at + len(substring), moment.date().isoformat()))
    return found


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    overlap: int = 0
    day_gold: int = 0  # gold expressions whose value is a day (or a day with a clock time)
    day_matched: int = 0  # ... paired with a returned span
    day_correct: int = 0  # ... whose paired value is that day

    def add(self, gold: Sequence[dict[str, Any]], found: Sequence[Found]) -> None:
        self.gold += len(gold)
        self.predicted += len(found)
        pairs = dict(eval_dates.match_overlapping([(g["start"], g["end"]) for g in gold],
                                                  [(f.start, f.end) for f in found]))
        self.overlap += len(pairs)
        for gi, g in enumerate(gold):
            value = g.get("value")
            if not (value and _DAY_VALUE.fullmatch(value)):
                continue
            self.day_gold += 1
            if gi in pairs:
                self.day_matched += 1
                got = found[pairs[gi]].value
                self.day_correct += bool(got and _DAY_VALUE.fullmatch(got) and got[:10] == value[:10])

    def summary(self) -> dict[str, Any]:
        precision = self.overlap / self.predicted if self.predicted else 0.0
        recall = self.overlap / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"gold": self.gold, "predicted": self.predicted, "overlap_matches": self.overlap,
                "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                "day_gold": self.day_gold, "day_found": self.day_matched, "day_correct": self.day_correct,
                "day_accuracy": round(self.day_correct / self.day_gold, 4) if self.day_gold else None,
                "day_accuracy_of_found": round(self.day_correct / self.day_matched, 4) if self.day_matched else None}


def time_best(run: Callable[[Any], list[Found]], docs: Sequence[Any], runs: int) -> tuple[float, list[list[Found]]]:
    """One warm-up pass, then the best wall time of ``runs`` passes; returns it with the last outputs."""
    outputs = [run(doc) for doc in docs]
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        outputs = [run(doc) for doc in docs]
        best = min(best, time.perf_counter() - started)
    return best, outputs


def benchmark(runs: int = 3) -> dict[str, Any]:
    docs = eval_dates.load_dev()
    systems = {"khabar": run_khabar, "dateparser": run_dateparser}
    result: dict[str, Any] = {"documents": len(docs), "characters": sum(len(d.document.text) for d in docs),
                              "runs": runs, "systems": {}}
    for name, run in systems.items():
        seconds, outputs = time_best(run, docs, runs)
        scores = {lang: Score() for lang in eval_dates.LANGS}
        for doc, found in zip(docs, outputs, strict=True):
            scores[doc.lang].add(doc.gold, found)
        total = Score()
        for doc, found in zip(docs, outputs, strict=True):
            total.add(doc.gold, found)
        result["systems"][name] = {"seconds": round(seconds, 4), "docs_per_second": round(len(docs) / seconds, 1),
                                   "by_lang": {lang: s.summary() for lang, s in scores.items()},
                                   "all": total.summary()}
    khabar_dev = eval_dates.dev_summary(eval_dates.evaluate_dev(docs))
    result["khabar_value_accuracy"] = {lang: {"value_accuracy_nonnull": khabar_dev[lang]["value_accuracy_nonnull"],
                                              "value_recall_nonnull": khabar_dev[lang]["value_recall_nonnull"]}
                                       for lang in eval_dates.LANGS}
    result["speed_ratio"] = round(result["systems"]["dateparser"]["seconds"] / result["systems"]["khabar"]["seconds"], 1)
    return result


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def print_table(result: dict[str, Any]) -> None:
    print(f"{result['documents']} dev documents ({result['characters']:,} characters), best of {result['runs']} "
          "after a warm-up pass")
    print(f"{'system':10} {'seconds':>8} {'docs/s':>8}")
    for name, s in result["systems"].items():
        print(f"{name:10} {s['seconds']:8.3f} {s['docs_per_second']:8.1f}")
    print(f"khabar is {result['speed_ratio']}x faster than dateparser.search_dates")
    print(f"\n{'system':10} {'lang':4} {'gold':>5} {'ret.':>5} {'P':>5} {'R':>5} {'F1':>5} | {'day gold':>8} "
          f"{'found':>5} {'right':>5} {'day acc':>7} {'of found':>8}")
    for name, s in result["systems"].items():
        for lang, t in [*s["by_lang"].items(), ("all", s["all"])]:
            print(f"{name:10} {lang:4} {t['gold']:5} {t['predicted']:5} {_pct(t['precision']):>5} {_pct(t['recall']):>5} "
                  f"{_pct(t['f1']):>5} | {t['day_gold']:8} {t['day_found']:5} {t['day_correct']:5} "
                  f"{_pct(t['day_accuracy']):>7} {_pct(t['day_accuracy_of_found']):>8}")
    print("P/R/F1: overlap matching. day acc = right / day-valued gold; of found = right / day-valued gold found.")
    print("khabar on every value form (eval/dates.py): " + ", ".join(
        f"{lang} {_pct(v['value_accuracy_nonnull'])} % of matched, {_pct(v['value_recall_nonnull'])} % of all non-null gold"
        for lang, v in result["khabar_value_accuracy"].items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--runs", type=int, default=3, help="timed passes per system (best is kept)")
    args = parser.parse_args()
    result = benchmark(args.runs)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
