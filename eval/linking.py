"""Entity linking on the hand-made dev set: pairwise precision and recall of "same entity" decisions.

For every pair of annotated mentions (within and across documents and languages) the gold says
whether they are the same entity; khabar says so when it linked both spans to the same id. A
mention khabar did not link (no mention over the span, or entity null) is the same as nothing.
Goal of issue 4: precision and recall >= 0.95.

    .venv/bin/python eval/linking.py [--json] [--errors]

`--errors` lists, worst first, the gold pairs lost per gold entity (recall: how its mentions were
split among system ids) and the wrong pairs per system id (precision: which gold entities it
joined), then every mention linked apart from its entity's usual id, with its document id. The
listing only reads what the scoring decided; it never changes a score.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from math import comb
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from corpora import farsnews, saudinewsnet  # noqa: E402

from khabar.document import Document, document_id  # noqa: E402
from khabar.pipeline import Pipeline  # noqa: E402

DEV = REPO / "eval" / "data" / "linking_dev.jsonl"


def _documents(records: list[dict[str, Any]]) -> dict[str, Document]:
    wanted_fa = {r["doc"]["line"] for r in records if r["doc"]["corpus"] == "farsnews"}
    wanted_ar: dict[str, set[int]] = {}
    for r in records:
        if r["doc"]["corpus"] == "saudinewsnet":
            wanted_ar.setdefault(r["doc"]["day"], set()).add(r["doc"]["index"])
    docs: dict[str, Document] = {}
    if wanted_fa:
        for doc in farsnews(max(wanted_fa)):
            if doc.source.line in wanted_fa:
                docs[doc.id] = doc
    for day, indexes in wanted_ar.items():
        for doc in saudinewsnet(day, limit=max(indexes)):
            if int(str(doc.source.path).rsplit("#", 1)[1]) in indexes:
                docs[doc.id] = doc
    return docs


def _system_entity(doc: Document, start: int, end: int) -> str | None:
    exact = [m for m in doc.mentions if m["start"] == start and m["end"] == end and m.get("entity")]
    if exact:
        return exact[0]["entity"]
    over = [m for m in doc.mentions if m["start"] < end and start < m["end"] and m.get("entity")]
    # prefer the mention that covers most of the gold span, then the shorter one (a name inside a role)
    over.sort(key=lambda m: (-(min(end, m["end"]) - max(start, m["start"])), m["end"] - m["start"]))
    return over[0]["entity"] if over else None


def evaluate(include_errors: bool = False) -> dict[str, Any]:
    records = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = _documents(records)
    pipeline = Pipeline()
    rows: list[tuple[str, str | None, str, str, str]] = []  # gold, system, lang, doc, text
    for record in records:
        doc = docs.get(record["id"])
        if doc is None:
            raise SystemExit(f"document {record['doc']} (id {record['id']}) not found: the corpus or reader changed")
        assert document_id(doc.text) == record["id"]
        analysed = pipeline(doc)
        for m in record["mentions"]:
            rows.append((m["entity"], _system_entity(analysed, m["start"], m["end"]), record["lang"], record["id"],
                         m["text"]))
    gold_sizes = Counter(g for g, *_ in rows)
    system_sizes = Counter(s for _, s, *_ in rows if s is not None)
    cells = Counter((g, s) for g, s, *_ in rows if s is not None)
    gold_pairs = sum(comb(n, 2) for n in gold_sizes.values())
    system_pairs = sum(comb(n, 2) for n in system_sizes.values())
    both = sum(comb(n, 2) for n in cells.values())
    precision = both / system_pairs if system_pairs else 0.0
    recall = both / gold_pairs if gold_pairs else 0.0
    cross = _cross_language(rows)
    result: dict[str, Any] = {
        "documents": len(records), "mentions": len(rows), "gold_entities": len(gold_sizes),
        "linked_mentions": sum(1 for _, s, *_ in rows if s is not None),
        "pairwise_precision": round(precision, 4), "pairwise_recall": round(recall, 4),
        "pairwise_f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "cross_language": cross,
    }
    if include_errors:
        majority: dict[str, str | None] = {}
        for gold in gold_sizes:
            found = Counter(s for g, s, *_ in rows if g == gold)
            majority[gold] = found.most_common(1)[0][0]
        result["errors"] = [{"gold": g, "system": s, "expected": majority[g], "lang": lang, "doc": doc, "text": text}
                            for g, s, lang, doc, text in rows if s != majority[g] or s is None]
        result["lost_pairs"] = _lost_pairs(rows)
    return result


def _lost_pairs(rows: list[tuple[str, str | None, str, str, str]]) -> list[dict[str, Any]]:
    """Per gold entity, the gold pairs khabar missed and how its mentions were linked, worst first
    (where recall goes); and per system id, the pairs it wrongly joined (where precision goes)."""
    out: list[dict[str, Any]] = []
    by_gold: dict[str, Counter[str | None]] = {}
    for g, s, *_ in rows:
        by_gold.setdefault(g, Counter())[s] += 1
    for gold, found in by_gold.items():
        n = sum(found.values())
        kept = sum(comb(k, 2) for s, k in found.items() if s is not None)
        if comb(n, 2) > kept:
            out.append({"kind": "recall", "id": gold, "lost": comb(n, 2) - kept,
                        "split": {str(s): k for s, k in found.most_common()}})
    by_system: dict[str, Counter[str]] = {}
    for g, s, *_ in rows:
        if s is not None:
            by_system.setdefault(s, Counter())[g] += 1
    for system, golds in by_system.items():
        n = sum(golds.values())
        right = sum(comb(k, 2) for k in golds.values())
        if comb(n, 2) > right:
            out.append({"kind": "precision", "id": system, "lost": comb(n, 2) - right,
                        "split": dict(golds.most_common())})
    return sorted(out, key=lambda e: (-e["lost"], e["kind"], e["id"]))


def _cross_language(rows: list[tuple[str, str | None, str, str, str]]) -> dict[str, Any]:
    """Recall on the pairs whose two mentions are in different languages (the point of the exercise)."""
    by_gold: dict[str, dict[str, Counter[str | None]]] = {}
    for g, s, lang, *_ in rows:
        by_gold.setdefault(g, {}).setdefault(lang, Counter())[s] += 1
    pairs = hits = 0
    for langs in by_gold.values():
        if "fa" in langs and "ar" in langs:
            for s_fa, n_fa in langs["fa"].items():
                for s_ar, n_ar in langs["ar"].items():
                    pairs += n_fa * n_ar
                    if s_fa is not None and s_fa == s_ar:
                        hits += n_fa * n_ar
    return {"pairs": pairs, "recall": round(hits / pairs, 4) if pairs else None}


def main() -> None:
    as_json = "--json" in sys.argv
    result = evaluate(include_errors="--errors" in sys.argv)
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    print(f"linking dev set: {result['documents']} documents, {result['mentions']} mentions of "
          f"{result['gold_entities']} entities; {result['linked_mentions']} linked by khabar")
    print(f"pairwise precision {result['pairwise_precision']:.4f}  recall {result['pairwise_recall']:.4f}  "
          f"F1 {result['pairwise_f1']:.4f}   (goal: >= 0.95 both)")
    print(f"fa-ar pairs: {result['cross_language']['pairs']}, recall {result['cross_language']['recall']}")
    if "lost_pairs" in result:
        print("pairs lost, by gold entity (recall) and by system id (precision):")
        for e in result["lost_pairs"]:
            split = ", ".join(f"{k} x{v}" for k, v in e["split"].items())
            print(f"  {e['kind']:9} {e['lost']:6}  {e['id']}: {split}")
        print("mentions linked apart from their entity's usual id:")
    for e in result.get("errors", []):
        print(f"  {e['lang']} {e['doc']} {e['text']!r}: gold {e['gold']} -> {e['system']} (usual: {e['expected']})")


if __name__ == "__main__":
    main()
