"""Accuracy of the clean stage (``clean.v1``): the kind of every non-empty line.

Sets (gold in brackets), chosen with ``--sets`` (default: every set whose gold exists):
  seeds      the five seeds, every non-empty line                         [eval/data/seed_blocks.tsv]
  samples    the demo samples, every non-empty line (dev: looked at while generalising the stage)
                                                                          [src/khabar/samples/gold.yaml]
  dev        pages written for this project imitating varied site templates (fa/ar/en agency,
             newspaper, diaspora, Egyptian/Gulf/Levantine/Maghrebi portals, English wire and
             local sites), every non-empty line                           [eval/data/clean_dev/gold.tsv]
  heldout    unseen page templates, same tsv layout as dev; only evaluated when the file exists,
             and never looked at while writing the stage               [eval/data/clean_heldout/gold.tsv]
  fars       Fars News articles rebuilt as "title / abstract / paragraphs" lines  [title, lead, body]
  saudi      SaudiNewsNet articles rebuilt as "title / content lines"            [title, then body]

For the labelled sets: per-kind precision/recall/F1, overall accuracy, and "body lines lost" (gold
body predicted as anything but body, lead or title), which must be 0. For the two corpora the texts are clean
article text, so what is measured is what the stage throws away: "lines lost" are gold title,
lead or body lines predicted as boilerplate, caption, comment, tags, byline or dateline. Their
lines are not all article text (SaudiNewsNet keeps "outlet – city" lines and tag words), so a
few losses there are real boilerplate; ``--errors`` prints them.
The corpora are split by position: odd articles are the test split reported by default, even ones
(``--split dev``) were the only ones looked at while setting thresholds in khabar/stages/clean.py.

A gold tsv (dev, heldout) has the header ``file  line  kind  note``: ``line`` is 1-based over
``text.split("\\n")`` of the file beside it, one row per non-empty line; ``note`` may be empty.

    .venv/bin/python eval/clean.py [--json] [--sets seeds,samples,dev,heldout,fars,saudi]
                                   [--split test|dev] [--errors] [--limit N]
"""

from __future__ import annotations

import argparse
import bisect
import json
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from khabar.document import BLOCK_KINDS, Document
from khabar.stages.clean import clean

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
SEEDS = SHARED / "seeds"
SEED_GOLD = ROOT / "eval" / "data" / "seed_blocks.tsv"
SAMPLES = ROOT / "src" / "khabar" / "samples"
SAMPLES_GOLD = SAMPLES / "gold.yaml"
DEV_GOLD = ROOT / "eval" / "data" / "clean_dev" / "gold.tsv"
HELDOUT_GOLD = ROOT / "eval" / "data" / "clean_heldout" / "gold.tsv"
SET_NAMES = ("seeds", "samples", "dev", "heldout", "fars", "saudi")
FARSNEWS = SHARED / "data" / "farsnews-articles" / "farsnews_articles.jsonl"
SAUDINEWSNET = SHARED / "data" / "saudinewsnet" / "2015-08-01.zip"
ARTICLE_KINDS = ("title", "lead", "body")
# A gold body line predicted as one of these is kept as article text: not lost.
BODY_KEPT_AS = ARTICLE_KINDS


@dataclass(frozen=True, slots=True)
class LabelledLine:
    item: str
    line: int
    gold: str
    predicted: str
    text: str


@dataclass(slots=True)
class Report:
    name: str
    lines: list[LabelledLine] = field(default_factory=list)
    seconds: float = 0.0
    documents: int = 0

    def summary(self) -> dict[str, object]:
        total = len(self.lines)
        correct = sum(1 for x in self.lines if x.gold == x.predicted)
        per_kind = {}
        for kind in BLOCK_KINDS:
            tp = sum(1 for x in self.lines if x.gold == kind and x.predicted == kind)
            gold = sum(1 for x in self.lines if x.gold == kind)
            pred = sum(1 for x in self.lines if x.predicted == kind)
            if not gold and not pred:
                continue
            p = tp / pred if pred else 0.0
            r = tp / gold if gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            per_kind[kind] = {"gold": gold, "predicted": pred, "precision": round(p, 4),
                              "recall": round(r, 4), "f1": round(f, 4)}
        body_lost = [x for x in self.lines if x.gold == "body" and x.predicted not in BODY_KEPT_AS]
        content_lost = [x for x in self.lines if x.gold in ARTICLE_KINDS and x.predicted not in ARTICLE_KINDS]
        return {
            "set": self.name,
            "documents": self.documents,
            "lines": total,
            "accuracy": round(correct / total, 4) if total else None,
            "body_lines_lost": len(body_lost),
            "article_lines_lost": len(content_lost),
            "lost_as": dict(Counter(x.predicted for x in content_lost)),
            "per_kind": per_kind,
            "ms_per_document": round(1000 * self.seconds / self.documents, 3) if self.documents else None,
        }


def line_numbers(text: str) -> list[int]:
    """Offsets of the newlines, to turn a block start into a 1-based line number."""
    return [i for i, c in enumerate(text) if c == "\n"]


def predict(text: str) -> tuple[list[tuple[int, str, str]], float]:
    """``(line number, kind, line text)`` for every block of ``text``, and the seconds it took."""
    started = time.perf_counter()
    doc = clean(Document(text=text))
    elapsed = time.perf_counter() - started
    newlines = line_numbers(text)
    return ([(bisect.bisect_left(newlines, b.start) + 1, b.kind, text[b.start:b.end]) for b in doc.blocks],
            elapsed)


def evaluate_seeds() -> Report:
    gold: dict[str, dict[int, str]] = {}
    with SEED_GOLD.open(encoding="utf-8") as handle:
        rows = [line.rstrip("\n").split("\t") for line in handle if line.strip() and not line.startswith("#")]
    for name, number, kind in rows[1:]:
        gold.setdefault(name, {})[int(number)] = kind
    report = Report("seeds")
    for name, labels in sorted(gold.items()):
        text = (SEEDS / name).read_text(encoding="utf-8")
        predicted, seconds = predict(text)
        report.seconds += seconds
        report.documents += 1
        by_line = {number: (kind, line) for number, kind, line in predicted}
        if set(by_line) != set(labels):
            raise SystemExit(f"{name}: gold lines {sorted(set(labels) ^ set(by_line))} do not match the "
                             "non-empty lines; fix eval/data/seed_blocks.tsv")
        for number, kind in sorted(labels.items()):
            report.lines.append(LabelledLine(name, number, kind, by_line[number][0], by_line[number][1]))
    return report


def evaluate_samples() -> Report | None:
    """The demo samples' gold (held out): ``files: {name.txt: {kinds: [kind, …]}}`` in gold.yaml."""
    if not SAMPLES_GOLD.is_file():
        return None
    raw = yaml.safe_load(SAMPLES_GOLD.read_text(encoding="utf-8")) or {}
    raw = raw.get("files") or {}
    report = Report("samples (dev)")
    for name, value in sorted(raw.items()):
        kinds = value.get("kinds") if isinstance(value, dict) else value
        path = SAMPLES / name
        if not str(name).endswith(".txt") or not isinstance(kinds, list) or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        predicted, seconds = predict(text)
        report.seconds += seconds
        report.documents += 1
        if len(predicted) != len(kinds):
            raise SystemExit(f"{name}: gold has {len(kinds)} kinds for {len(predicted)} non-empty lines")
        for (number, kind, line), gold_kind in zip(predicted, kinds, strict=True):
            report.lines.append(LabelledLine(name, number, str(gold_kind), kind, line))
    return report


def evaluate_tsv(name: str, gold_path: Path) -> Report:
    """Pages beside ``gold_path`` labelled in a ``file line kind note`` tsv (``#`` lines are comments)."""
    gold: dict[str, dict[int, str]] = {}
    with gold_path.open(encoding="utf-8") as handle:
        rows = [line.rstrip("\n").split("\t") for line in handle if line.strip() and not line.startswith("#")]
    if not rows or rows[0][:3] != ["file", "line", "kind"]:
        raise SystemExit(f"{gold_path}: the first row must be the header 'file line kind note'")
    for row in rows[1:]:
        if len(row) < 3 or not row[1].isdigit():
            raise SystemExit(f"{gold_path}: bad row {row!r}")
        if row[2] not in BLOCK_KINDS:
            raise SystemExit(f"{gold_path}: unknown kind {row[2]!r} in row {row!r}")
        gold.setdefault(row[0], {})[int(row[1])] = row[2]
    report = Report(name)
    for page, labels in sorted(gold.items()):
        text = (gold_path.parent / page).read_text(encoding="utf-8")
        predicted, seconds = predict(text)
        report.seconds += seconds
        report.documents += 1
        by_line = {number: (kind, line) for number, kind, line in predicted}
        if set(by_line) != set(labels):
            raise SystemExit(f"{page}: gold lines {sorted(set(labels) ^ set(by_line))} do not match the "
                             f"non-empty lines; fix {gold_path}")
        for number, kind in sorted(labels.items()):
            report.lines.append(LabelledLine(page, number, kind, by_line[number][0], by_line[number][1]))
    return report


def fars_articles(split: str, limit: int | None) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    taken = 0
    with FARSNEWS.open(encoding="utf-8") as handle:
        for position, row in enumerate(handle):
            if (position % 2 == 1) != (split == "test"):
                continue
            article = json.loads(row)
            parts = [(article.get("title") or "", "title"), (article.get("abstract") or "", "lead")]
            parts += [(p, "body") for p in article.get("paragraphs") or []]
            yield article.get("link", str(position)), parts
            taken += 1
            if limit is not None and taken >= limit:
                return


def saudi_articles(split: str, limit: int | None) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    with zipfile.ZipFile(SAUDINEWSNET) as archive:
        articles = json.loads(archive.read(archive.namelist()[0]))
    taken = 0
    for position, article in enumerate(articles):
        if (position % 2 == 1) != (split == "test"):
            continue
        parts = [(article.get("title") or "", "title")]
        parts += [(line, "body") for line in (article.get("content") or "").split("\n")]
        yield article.get("url", str(position)), parts
        taken += 1
        if limit is not None and taken >= limit:
            return


def evaluate_corpus(name: str, articles: Iterator[tuple[str, list[tuple[str, str]]]]) -> Report:
    report = Report(name)
    for item, parts in articles:
        kept = [(text.strip(), kind) for text, kind in parts if text.strip()]
        # One article line per text line: a paragraph holding newlines becomes several lines.
        lines: list[tuple[str, str]] = []
        for text, kind in kept:
            lines += [(piece.strip(), kind) for piece in text.split("\n") if piece.strip()]
        text = "\n".join(line for line, _ in lines)
        predicted, seconds = predict(text)
        report.seconds += seconds
        report.documents += 1
        # Line i of the text is lines[i - 1]; a line of invisible marks only makes no block.
        for number, kind, line in predicted:
            report.lines.append(LabelledLine(item, number, lines[number - 1][1], kind, line))
    return report


def print_report(summary: dict[str, object], report: Report, errors: bool, *, corpus: bool) -> None:
    print(f"== {summary['set']}: {summary['documents']} documents, {summary['lines']} lines, "
          f"{summary['ms_per_document']} ms/document")
    if not corpus:
        print(f"   accuracy {summary['accuracy']}   body lines lost {summary['body_lines_lost']}   "
              f"article lines lost {summary['article_lines_lost']}")
        print(f"   {'kind':12} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6}")
        for kind, row in summary["per_kind"].items():  # type: ignore[union-attr]
            print(f"   {kind:12} {row['gold']:5} {row['predicted']:5} {row['precision']:6.3f} "
                  f"{row['recall']:6.3f} {row['f1']:6.3f}")
    else:
        total_article = sum(1 for x in report.lines if x.gold in ARTICLE_KINDS)
        title_ok = sum(1 for x in report.lines if x.gold == "title" and x.predicted == "title")
        titles = sum(1 for x in report.lines if x.gold == "title")
        print(f"   article lines lost {summary['article_lines_lost']} of {total_article} "
              f"({summary['lost_as']})   titles found {title_ok}/{titles}   exact-kind accuracy {summary['accuracy']}")
    if errors:
        for x in report.lines:
            wrong = x.gold != x.predicted if not corpus else (
                x.gold in ARTICLE_KINDS and x.predicted not in ARTICLE_KINDS)
            if wrong:
                print(f"   {x.item}:{x.line} gold={x.gold} predicted={x.predicted}  {x.text[:90]}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    parser.add_argument("--split", choices=("test", "dev"), default="test", help="corpus split (default test)")
    parser.add_argument("--errors", action="store_true", help="print every wrong line")
    parser.add_argument("--limit", type=int, default=1000, help="articles per corpus (default 1000)")
    parser.add_argument("--sets", default=",".join(SET_NAMES),
                        help=f"comma-separated sets to evaluate (default all: {','.join(SET_NAMES)}); "
                             "a labelled set whose gold file is missing is skipped with a note")
    args = parser.parse_args(argv)
    wanted = [name.strip() for name in args.sets.split(",") if name.strip()]
    unknown = sorted(set(wanted) - set(SET_NAMES))
    if unknown:
        parser.error(f"unknown sets {unknown}; known: {', '.join(SET_NAMES)}")

    reports: list[tuple[Report, bool]] = []
    missing: list[str] = []
    for name in SET_NAMES:
        if name not in wanted:
            continue
        if name == "seeds":
            reports.append((evaluate_seeds(), False))
        elif name == "samples":
            samples = evaluate_samples()
            if samples is None:
                missing.append(str(SAMPLES_GOLD.relative_to(ROOT)))
            else:
                reports.append((samples, False))
        elif name in ("dev", "heldout"):
            gold_path = DEV_GOLD if name == "dev" else HELDOUT_GOLD
            if gold_path.is_file():
                reports.append((evaluate_tsv(name, gold_path), False))
            else:
                missing.append(str(gold_path.relative_to(ROOT)))
        elif name == "fars":
            reports.append((evaluate_corpus(f"fars ({args.split})", fars_articles(args.split, args.limit)), True))
        else:
            reports.append((evaluate_corpus(f"saudi ({args.split})", saudi_articles(args.split, args.limit)), True))

    summaries = [report.summary() for report, _ in reports]
    if args.json:
        print(json.dumps({"sets": summaries, "missing_gold": missing}, ensure_ascii=False, indent=1))
    else:
        for path in missing:
            print(f"(no {path}: that set is not evaluated)")
        for (report, corpus), summary in zip(reports, summaries, strict=True):
            print_report(summary, report, args.errors, corpus=corpus)
    labelled = [s for (_, corpus), s in zip(reports, summaries, strict=True) if not corpus]
    return 1 if any(s["body_lines_lost"] for s in labelled) else 0


if __name__ == "__main__":
    sys.exit(main())
