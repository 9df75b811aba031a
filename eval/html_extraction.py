"""How well khabar's HTML reader extracts the 13 real Arabic/Persian news pages, next to plain trafilatura.

Data: ``../shared/data/news-html-ar-fa`` (``gold.jsonl`` + ``pages/``; see its SOURCE.md).
For every page, both systems are scored on:

* must-contain / must-not-contain snippets in the main text (the trafilatura assabah page);
* token precision / recall / F1 of the main text against newspaper's expected text (the CNN
  Arabic page): multisets of ``\\w+`` tokens after NFC;
* the publication date against the gold date (11 htmldate pages). khabar's date is what the
  ``pubdate.v1`` stage decides from the reader's metadata date and the URL; trafilatura's is
  ``bare_extraction(...).date`` with its defaults (htmldate with extensive search);
* ZWNJ (U+200C) kept in the main text, the Persian half-space trafilatura drops.

"Main text" is the title and body blocks for khabar (``Document.body_text()``) and
trafilatura's ``text`` field (comments come separately in both). Token scores use the body
blocks only, since newspaper's expected text has no title.

The gold date of ``htmldate_1641304459.html`` (aryanews) is suspected wrong (SOURCE.md: the page
says 2 Tir 1399 = 2020-06-22, the gold says 2020-07-02), so date accuracy is reported with and
without that page.

Run: ``python eval/html_extraction.py [--json]`` from the repository root. Exits 0; the floors are
pinned in ``tests/readers/test_html.py``, which calls `evaluate`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from trafilatura import bare_extraction

from khabar.document import Document, Source
from khabar.readers.base import Rejection
from khabar.readers.html import document_from_html
from khabar.stages.pubdate import assign_published

REPO = Path(__file__).resolve().parents[1]
DATA = (REPO / ".." / "shared" / "data" / "news-html-ar-fa").resolve()
SUSPECTED_GOLD_ERROR = "pages/htmldate_1641304459.html"
SYSTEMS = ("khabar", "trafilatura")
_TOKEN = re.compile(r"\w+")
ZWNJ = "\u200c"


def load_gold(data_dir: Path = DATA) -> list[dict[str, Any]]:
    gold_file = data_dir / "gold.jsonl"
    if not gold_file.exists():
        raise FileNotFoundError(f"missing {gold_file}: the eval reads ../shared beside the repository")
    with gold_file.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(unicodedata.normalize("NFC", text)))


def token_prf(predicted: str, expected: str) -> dict[str, float]:
    pred, gold = tokens(predicted), tokens(expected)
    overlap = sum((pred & gold).values())
    precision = overlap / sum(pred.values()) if pred else 0.0
    recall = overlap / sum(gold.values()) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _khabar(data: bytes, url: str, name: str) -> dict[str, Any]:
    result = document_from_html(data, source=Source(path=name, url=url), url=url)
    if isinstance(result, Rejection):
        return {"main": "", "body": "", "date": None, "date_source": None, "rejected": result.reason}
    doc: Document = assign_published(result)
    body = "\n".join(doc.text[b.start:b.end] for b in doc.blocks if b.kind == "body")
    published = doc.published
    return {"main": doc.body_text(), "body": body, "date": published.value if published else None,
            "date_source": published.source if published else None, "rejected": None}


def _trafilatura(data: bytes, url: str) -> dict[str, Any]:
    result = bare_extraction(data, url=url, with_metadata=True)
    text = (result.text or "") if result is not None else ""
    return {"main": text, "body": text, "date": result.date if result is not None else None,
            "date_source": "htmldate" if result is not None and result.date else None, "rejected": None}


def evaluate(data_dir: Path = DATA, systems: tuple[str, ...] = SYSTEMS) -> dict[str, Any]:
    """Score the systems on every gold page; returns ``{"pages": [...], "overall": {...}}``.

    ``systems=("khabar",)`` skips plain trafilatura (its extensive date search is the slow part).
    """
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        raise ValueError(f"unknown systems {sorted(unknown)}; choose from {SYSTEMS}")
    runners = {"khabar": lambda data, gold: _khabar(data, gold["url"], gold["file"]),
               "trafilatura": lambda data, gold: _trafilatura(data, gold["url"])}
    pages = []
    for gold in load_gold(data_dir):
        data = (data_dir / gold["file"]).read_bytes()
        outputs = {system: runners[system](data, gold) for system in systems}
        row: dict[str, Any] = {"file": gold["file"], "lang": gold["lang"], "gold_date": gold["gold_publication_date"]}
        for system, out in outputs.items():
            scores: dict[str, Any] = {"rejected": out["rejected"], "date": out["date"],
                                      "date_source": out["date_source"], "zwnj": out["main"].count(ZWNJ)}
            if gold.get("must_contain_in_main_text"):
                wanted = gold["must_contain_in_main_text"]
                scores["must_contain_found"] = sum(s in out["main"] for s in wanted)
                scores["must_contain_total"] = len(wanted)
            if gold.get("must_not_contain_in_main_text"):
                unwanted = gold["must_not_contain_in_main_text"]
                scores["must_not_contain_found"] = sum(s in out["main"] for s in unwanted)
                scores["must_not_contain_total"] = len(unwanted)
            if gold.get("expected_main_text_file"):
                expected = (data_dir / gold["expected_main_text_file"]).read_text(encoding="utf-8")
                scores["tokens"] = token_prf(out["body"], expected)
            if gold["gold_publication_date"]:
                scores["date_correct"] = out["date"] is not None and out["date"][:10] == gold["gold_publication_date"]
            row[system] = scores
        pages.append(row)
    return {"pages": pages, "overall": _overall(pages, systems), "suspected_gold_error": SUSPECTED_GOLD_ERROR}


def _overall(pages: list[dict[str, Any]], systems: tuple[str, ...]) -> dict[str, Any]:
    overall: dict[str, Any] = {}
    for system in systems:
        scored = [p for p in pages if "date_correct" in p[system]]
        trusted = [p for p in scored if p["file"] != SUSPECTED_GOLD_ERROR]
        no_gold = [p for p in pages if p["gold_date"] is None]
        summary: dict[str, Any] = {
            "date_correct": sum(p[system]["date_correct"] for p in scored),
            "date_pages": len(scored),
            "date_answered": sum(p[system]["date"] is not None for p in scored),
            "date_correct_without_suspect": sum(p[system]["date_correct"] for p in trusted),
            "date_pages_without_suspect": len(trusted),
            "dates_on_pages_without_gold": {p["file"]: p[system]["date"] for p in no_gold},
            "rejected": sum(p[system]["rejected"] is not None for p in pages),
            "zwnj_fa_pages": sum(p[system]["zwnj"] for p in pages if p["lang"] == "fa"),
        }
        summary["date_accuracy"] = summary["date_correct"] / max(summary["date_pages"], 1)
        summary["date_accuracy_without_suspect"] = (
            summary["date_correct_without_suspect"] / max(summary["date_pages_without_suspect"], 1))
        for key in ("must_contain", "must_not_contain"):
            found = sum(p[system].get(f"{key}_found", 0) for p in pages)
            total = sum(p[system].get(f"{key}_total", 0) for p in pages)
            summary[f"{key}_found"], summary[f"{key}_total"] = found, total
            summary[f"{key}_rate"] = found / total if total else None
        token_rows = [p[system]["tokens"] for p in pages if "tokens" in p[system]]
        for measure in ("precision", "recall", "f1"):
            summary[f"token_{measure}"] = (sum(t[measure] for t in token_rows) / len(token_rows)
                                           if token_rows else None)
        overall[system] = summary
    return overall


def _print(report: dict[str, Any]) -> None:
    print(f"{'page':44} {'gold date':10} | {'khabar date':18} {'ok':2} | {'trafilatura date':16} {'ok':2} "
          f"| zwnj k/t")
    for p in report["pages"]:
        k, t = p["khabar"], p["trafilatura"]

        def mark(scores: dict[str, Any]) -> str:
            return "" if "date_correct" not in scores else ("✓" if scores["date_correct"] else "✗")

        kdate = f"{k['date']} ({k['date_source']})" if k["date"] else "-"
        suspect = " *" if p["file"] == report["suspected_gold_error"] else ""
        print(f"{p['file'][6:]:44} {p['gold_date'] or '-':10} | {kdate:18} {mark(k):2} | "
              f"{t['date'] or '-':16} {mark(t):2} | {k['zwnj']}/{t['zwnj']}{suspect}")
    print(f"* suspected gold error ({report['suspected_gold_error']}): the page says 2 Tir 1399 = 2020-06-22\n")
    print(f"{'overall':34} {'khabar':>14} {'trafilatura':>14}")
    ok, ot = report["overall"]["khabar"], report["overall"]["trafilatura"]

    def frac(s: dict[str, Any], a: str, b: str) -> str:
        return f"{s[a]}/{s[b]}"

    rows = [
        ("date accuracy (11 gold pages)", frac(ok, "date_correct", "date_pages"),
         frac(ot, "date_correct", "date_pages")),
        ("date accuracy without suspect page", frac(ok, "date_correct_without_suspect", "date_pages_without_suspect"),
         frac(ot, "date_correct_without_suspect", "date_pages_without_suspect")),
        ("dates given on gold pages", str(ok["date_answered"]), str(ot["date_answered"])),
        ("must-contain found", frac(ok, "must_contain_found", "must_contain_total"),
         frac(ot, "must_contain_found", "must_contain_total")),
        ("must-not-contain found (want 0)", frac(ok, "must_not_contain_found", "must_not_contain_total"),
         frac(ot, "must_not_contain_found", "must_not_contain_total")),
        ("token P / R / F1 (CNN Arabic)",
         f"{ok['token_precision']:.3f}/{ok['token_recall']:.3f}/{ok['token_f1']:.3f}",
         f"{ot['token_precision']:.3f}/{ot['token_recall']:.3f}/{ot['token_f1']:.3f}"),
        ("ZWNJ kept in main text (3 fa pages)", str(ok["zwnj_fa_pages"]), str(ot["zwnj_fa_pages"])),
        ("rejected pages", str(ok["rejected"]), str(ot["rejected"])),
    ]
    for label, a, b in rows:
        print(f"{label:34} {a:>14} {b:>14}")
    for system in SYSTEMS:
        extra = report["overall"][system]["dates_on_pages_without_gold"]
        print(f"{system} dates on pages without gold: " + ", ".join(f"{f[6:]}={d}" for f, d in extra.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    parser.add_argument("--data", type=Path, default=DATA, help="folder with gold.jsonl and pages/")
    args = parser.parse_args(argv)
    report = evaluate(args.data)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
