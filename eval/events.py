"""Events, quotes and attribution chains on the hand-made dev set (issue 5).

Reads `eval/data/events_dev.jsonl` (format and guidelines in `events_dev.md`), rebuilds each
article from ../shared, runs the full default pipeline and scores, per language:

- events: detection P/R/F1 (a system event matches a gold one of the same type whose triggers
  it overlaps, or failing that, with which it shares a participant); per-field P/R/F1 of
  participants, place, time, status and negation over matched events (a field left empty
  where the gold fills it is a miss, one filled where the gold is empty a false alarm); and the
  issue's goal, **event F1 with all arguments right** (type, the participant set, place, time
  value, status and negation all equal);
- quotes: detection P/R/F1 (content spans overlap) and **speaker accuracy** over gold quotes
  (the speaker entity equal; a gold quote the system missed counts wrong);
- attribution: **chain exact match** over gold phrases (the hops the text names, in order; the
  publisher khabar adds from the URL is scored apart, as publisher accuracy), and the share of
  system chains that match a gold one.

A gold `new:` id (an entity the knowledge base lacks) is matched by span: the system argument
must overlap one of the gold spans of that id in the document.

    .venv/bin/python eval/events.py [--json] [--errors [events|quotes|attribution]]

`--errors` lists what the scores count wrong (all layers, or the one named), one JSON line each:
the document (corpus address and id), gold against system (quote speakers and attribution
chains as `entity "span text"` with how khabar found the speaker), and the sentence around it.
The listing only reads what the scoring decided; it never changes a score.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from corpora import farsnews, saudinewsnet, shared  # noqa: E402

from khabar.document import Document  # noqa: E402
from khabar.pipeline import Pipeline  # noqa: E402
from khabar.readers.files import read_file  # noqa: E402
from khabar.stages.attribution import publisher_of  # noqa: E402

DEV = REPO / "eval" / "data" / "events_dev.jsonl"
FIELDS = ("participants", "place", "when", "status", "negated")


def load_records(path: Path = DEV) -> list[dict[str, Any]]:
    if not path.exists():
        raise SystemExit(f"missing {path}")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def documents(records: list[dict[str, Any]]) -> dict[str, Document]:
    """The articles of the records, by id, as the annotators read them."""
    fars = {r["doc"]["line"] for r in records if r["doc"]["corpus"] == "farsnews"}
    saudi: dict[str, set[int]] = defaultdict(set)
    seeds = [r["doc"]["file"] for r in records if r["doc"]["corpus"] == "seeds"]
    for r in records:
        if r["doc"]["corpus"] == "saudinewsnet":
            saudi[r["doc"]["day"]].add(r["doc"]["index"])
    docs: dict[str, Document] = {}
    if fars:
        for doc in farsnews(max(fars)):
            if doc.source.line in fars:
                docs[doc.id] = doc
    for day, indexes in saudi.items():
        for doc in saudinewsnet(day, limit=max(indexes)):
            if int(str(doc.source.path).rsplit("#", 1)[1]) in indexes:
                docs[doc.id] = doc
    for name in seeds:
        doc = next(read_file(shared("seeds", name)))
        docs[doc.id] = doc
    missing = [r["doc"] for r in records if r["id"] not in docs]
    if missing:
        raise SystemExit(f"{len(missing)} dev documents no longer rebuild to their id (first: {missing[0]}); "
                         "the corpus or a reader changed: re-check the dev set")
    return docs


# -- entity comparison -----------------------------------------------------------------------
class _Ids:
    """Gold ids of one document, with the spans of its `new:` entities for span matching."""

    def __init__(self, record: dict[str, Any], doc: Document) -> None:
        self.spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for ref in _gold_refs(record):
            if ref.get("entity") and ref.get("start") is not None:
                self.spans[ref["entity"]].append((ref["start"], ref["end"]))
        # where khabar names each of its entities in the document (a speaker continued from an
        # earlier sentence has no span of its own, but its entity has mentions)
        self.system_spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for m in doc.mentions:
            if m.get("entity"):
                self.system_spans[m["entity"]].append((m["start"], m["end"]))

    def same(self, gold: dict[str, Any] | None, system: dict[str, Any] | None) -> bool:
        g = (gold or {}).get("entity")
        s = (system or {}).get("entity")
        if g is None or s is None:
            return g is None and s is None and (gold is None) == (system is None)
        if g == s:
            return True
        if g.startswith("new:"):
            spans = list(self.system_spans.get(s, []))
            if system.get("start") is not None:
                spans.append((system["start"], system["end"]))
            return any(a < d and c < b for a, b in self.spans[g] for c, d in spans)
        return False


def _gold_refs(record: dict[str, Any]) -> list[dict[str, Any]]:
    refs = []
    for e in record.get("events", []):
        refs += e.get("participants", [])
        refs += [e["place"]] if e.get("place") else []
    for q in record.get("quotes", []):
        refs += [q["speaker"]] if q.get("speaker") else []
    for a in record.get("attributions", []):
        refs += a.get("chain", [])
    return refs


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a.get("start") is not None and b.get("start") is not None and a["start"] < b["end"] and b["start"] < a["end"]


# -- events ----------------------------------------------------------------------------------
def _match_events(gold: list[dict[str, Any]], system: list[dict[str, Any]], ids: _Ids) -> list[tuple[int, int]]:
    scored = []
    for gi, g in enumerate(gold):
        for si, s in enumerate(system):
            if g["type"] != s["type"]:
                continue
            triggers = any(_overlap(gt, st) for gt in g.get("triggers", []) for st in s.get("triggers", []))
            shared_people = sum(1 for gp in g["participants"] if any(ids.same(gp, sp) for sp in s["participants"]))
            if triggers or shared_people:
                scored.append((-int(triggers), -shared_people, gi, si))
    pairs, used_g, used_s = [], set(), set()
    for _t, _p, gi, si in sorted(scored):
        if gi not in used_g and si not in used_s:
            pairs.append((gi, si))
            used_g.add(gi)
            used_s.add(si)
    return pairs


def _participants_equal(g: dict[str, Any], s: dict[str, Any], ids: _Ids) -> tuple[int, int, int]:
    """(true positives, system total, gold total) of one matched event's participants."""
    used: set[int] = set()
    tp = 0
    for gp in g["participants"]:
        for i, sp in enumerate(s["participants"]):
            if i not in used and ids.same(gp, sp):
                used.add(i)
                tp += 1
                break
    return tp, len(s["participants"]), len(g["participants"])


def _when(value: dict[str, Any] | None) -> str | None:
    return (value or {}).get("value")


def score_events(records: list[dict[str, Any]], docs: dict[str, Document], errors: list[dict[str, Any]]) -> dict[str, Any]:
    by_lang: dict[str, dict[str, Any]] = {}
    for record in records:
        doc = docs[record["id"]]
        ids = _Ids(record, doc)
        gold, system = record.get("events", []), list(doc.events)
        counts = by_lang.setdefault(record["lang"], defaultdict(int))
        pairs = _match_events(gold, system, ids)
        counts["gold"] += len(gold)
        counts["system"] += len(system)
        counts["matched"] += len(pairs)
        for gi, si in pairs:
            g, s = gold[gi], system[si]
            tp, sn, gn = _participants_equal(g, s, ids)
            counts["participants_tp"] += tp
            counts["participants_sys"] += sn
            counts["participants_gold"] += gn
            right = {"participants": tp == sn == gn}
            for field, same in (("place", ids.same(g.get("place"), s.get("place"))),
                                ("when", _when(g.get("when")) == _when(s.get("when"))),
                                ("status", g["status"] == s["status"]),
                                ("negated", bool(g.get("negated")) == bool(s.get("negated")))):
                right[field] = same
                counts[f"{field}_right"] += int(same)
            if all(right.values()):
                counts["all_right"] += 1
            elif errors is not None:
                errors.append({"doc": record["doc"], "layer": "event", "type": g["type"],
                               "wrong": [f for f, ok in right.items() if not ok],
                               "gold": _event_summary(g), "system": _event_summary(s)})
        if errors is not None:
            matched_g = {gi for gi, _ in pairs}
            matched_s = {si for _, si in pairs}
            errors += [{"doc": record["doc"], "layer": "event", "missed": _event_summary(g)}
                       for i, g in enumerate(gold) if i not in matched_g]
            errors += [{"doc": record["doc"], "layer": "event", "spurious": _event_summary(s)}
                       for i, s in enumerate(system) if i not in matched_s]
    return {lang: _event_scores(c) for lang, c in sorted(by_lang.items())} | {"all": _event_scores(_sum(by_lang))}


def _event_summary(e: dict[str, Any]) -> dict[str, Any]:
    return {"type": e["type"], "participants": [p.get("entity") for p in e["participants"]],
            "place": (e.get("place") or {}).get("entity"), "when": _when(e.get("when")),
            "status": e["status"], "negated": bool(e.get("negated")),
            "triggers": [t["text"] for t in e.get("triggers", [])][:3]}


def _event_scores(c: dict[str, int]) -> dict[str, Any]:
    detection = _prf(c["matched"], c["system"], c["gold"])
    full = _prf(c["all_right"], c["system"], c["gold"])
    matched = max(1, c["matched"])
    return {
        "gold": c["gold"], "system": c["system"], "detection": detection, "all_arguments": full,
        "participants": _prf(c["participants_tp"], c["participants_sys"], c["participants_gold"]),
        "accuracy_on_matched": {f: round(c[f"{f}_right"] / matched, 3) for f in FIELDS if f != "participants"},
    }


# -- quotes ----------------------------------------------------------------------------------
def score_quotes(records: list[dict[str, Any]], docs: dict[str, Document], errors: list[dict[str, Any]] | None) -> dict[str, Any]:
    by_lang: dict[str, dict[str, int]] = {}
    for record in records:
        doc = docs[record["id"]]
        ids = _Ids(record, doc)
        counts = by_lang.setdefault(record["lang"], defaultdict(int))
        gold, system = record.get("quotes", []), list(doc.quotes)
        counts["gold"] += len(gold)
        counts["system"] += len(system)
        used: set[int] = set()
        for g in gold:
            match = next((i for i, s in enumerate(system) if i not in used and _overlap(g, s)), None)
            if match is None:
                if errors is not None:
                    errors.append({"doc": record["doc"], "id": record["id"], "layer": "quote", "missed": g["text"][:80],
                                   "speaker": (g.get("speaker") or {}).get("entity"),
                                   "gold_speaker": _ref(g.get("speaker")), "sentence": _sentence(doc, g)})
                continue
            used.add(match)
            s = system[match]
            counts["matched"] += 1
            same = ids.same(g.get("speaker"), s.get("speaker")) or (
                not (g.get("speaker") or {}).get("entity") and not (s.get("speaker") or {}).get("entity"))
            counts["speaker_right"] += int(same)
            counts["direct_right"] += int(bool(g.get("direct")) == bool(s.get("direct")))
            if not same and errors is not None:
                errors.append({"doc": record["doc"], "id": record["id"], "layer": "quote", "text": g["text"][:80],
                               "gold_speaker": _ref(g.get("speaker")),
                               "system_speaker": _ref(s.get("speaker")),
                               "via": (s.get("speaker") or {}).get("via"),
                               "cue": ((g.get("cue") or {}).get("text"), (s.get("cue") or {}).get("text")),
                               "sentence": _sentence(doc, g)})
        if errors is not None:
            errors += [{"doc": record["doc"], "id": record["id"], "layer": "quote", "spurious": s["text"][:80],
                        "system_speaker": _ref(s.get("speaker")), "sentence": _sentence(doc, s)}
                       for i, s in enumerate(system) if i not in used]
    return {lang: _quote_scores(c) for lang, c in sorted(by_lang.items())} | {"all": _quote_scores(_sum(by_lang))}


def _quote_scores(c: dict[str, int]) -> dict[str, Any]:
    return {"gold": c["gold"], "system": c["system"], "detection": _prf(c["matched"], c["system"], c["gold"]),
            "speaker_accuracy": round(c["speaker_right"] / max(1, c["gold"]), 3),
            "speaker_accuracy_on_matched": round(c["speaker_right"] / max(1, c["matched"]), 3),
            "direct_accuracy_on_matched": round(c["direct_right"] / max(1, c["matched"]), 3)}


# -- attributions ----------------------------------------------------------------------------
def score_attributions(records: list[dict[str, Any]], docs: dict[str, Document],
                       errors: list[dict[str, Any]] | None) -> dict[str, Any]:
    by_lang: dict[str, dict[str, int]] = {}
    for record in records:
        doc = docs[record["id"]]
        ids = _Ids(record, doc)
        counts = by_lang.setdefault(record["lang"], defaultdict(int))
        gold = record.get("attributions", [])
        system = list(doc.attributions)
        counts["gold"] += len(gold)
        counts["system"] += len(system)
        counts["docs"] += 1
        counts["publisher_right"] += int(publisher_of(doc) == record.get("publisher")
                                         or ((record.get("publisher") or "").startswith("new:") and publisher_of(doc) is None))
        used: set[int] = set()
        for g in gold:
            match = next((i for i, s in enumerate(system) if i not in used and _overlap(g, s)), None)
            if match is None:
                if errors is not None:
                    errors.append({"doc": record["doc"], "id": record["id"], "layer": "attribution", "missed": g["text"][:80],
                                   "chain": [h.get("entity") for h in g["chain"]],
                                   "gold_chain": [_ref(h) for h in g["chain"]], "sentence": _sentence(doc, g)})
                continue
            used.add(match)
            counts["matched"] += 1
            hops = [h for h in system[match]["chain"] if h.get("source") != "url"]
            exact = len(hops) == len(g["chain"]) and all(ids.same(gh, sh) for gh, sh in zip(g["chain"], hops, strict=True))
            counts["exact"] += int(exact)
            if not exact and errors is not None:
                errors.append({"doc": record["doc"], "id": record["id"], "layer": "attribution", "text": g["text"][:80],
                               "gold": [h.get("entity") for h in g["chain"]], "system": [h.get("entity") for h in hops],
                               "gold_chain": [_ref(h) for h in g["chain"]], "system_chain": [_ref(h) for h in hops],
                               "publisher": (record.get("publisher"), publisher_of(doc)),
                               "sentence": _sentence(doc, g)})
        if errors is not None:
            errors += [{"doc": record["doc"], "id": record["id"], "layer": "attribution", "spurious": s["text"][:80],
                        "system_chain": [_ref(h) for h in s["chain"] if h.get("source") != "url"],
                        "sentence": _sentence(doc, s)}
                       for i, s in enumerate(system) if i not in used]
    return {lang: _attribution_scores(c) for lang, c in sorted(by_lang.items())} | {"all": _attribution_scores(_sum(by_lang))}


def _attribution_scores(c: dict[str, int]) -> dict[str, Any]:
    return {"gold": c["gold"], "system": c["system"], "detection": _prf(c["matched"], c["system"], c["gold"]),
            "chain_exact_match": round(c["exact"] / max(1, c["gold"]), 3),
            "publisher_accuracy": round(c["publisher_right"] / max(1, c["docs"]), 3)}


# -- shared ----------------------------------------------------------------------------------
_CONTEXT_CHARS = 120  # of the sentence shown before a quote or attribution in an error line


def _ref(ref: dict[str, Any] | None) -> str | None:
    """An entity reference as `entity "span text"` (span text `-` when it has no span of its own)."""
    if ref is None:
        return None
    return f'{ref.get("entity")} "{ref.get("text") or "-"}"'


def _sentence(doc: Document, span: dict[str, Any]) -> str:
    """The text around a span: back to the line start (at most `_CONTEXT_CHARS`) and on to the end
    of the span's sentence, for reading an error without opening the article."""
    text = doc.text
    start, end = span["start"], span["end"]
    line_start = text.rfind("\n", 0, start) + 1
    left = max(line_start, start - _CONTEXT_CHARS)
    stops = [i for i in (text.find(ch, end) for ch in ".؟!?\n") if i >= 0]
    right = min([*stops, len(text), end + _CONTEXT_CHARS])
    return text[left:right + 1].strip()


def _prf(tp: int, system: int, gold: int) -> dict[str, float]:
    p = tp / system if system else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3)}


def _sum(by_lang: dict[str, dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for counts in by_lang.values():
        for k, v in counts.items():
            total[k] += v
    return total


def evaluate(include_errors: bool = False) -> dict[str, Any]:
    records = load_records()
    docs = documents(records)
    pipeline = Pipeline()
    analysed = {doc_id: pipeline(doc) for doc_id, doc in docs.items()}
    errors: list[dict[str, Any]] | None = [] if include_errors else None
    out = {
        "documents": {lang: sum(1 for r in records if r["lang"] == lang) for lang in sorted({r["lang"] for r in records})},
        "events": score_events(records, analysed, errors),
        "quotes": score_quotes(records, analysed, errors),
        "attributions": score_attributions(records, analysed, errors),
    }
    if errors is not None:
        out["errors"] = errors
    return out


_LAYERS = {"events": "event", "quotes": "quote", "attribution": "attribution"}


def _error_layer(argv: list[str]) -> str | None:
    """The layer named after `--errors` (`events`, `quotes`, `attribution`), None for all."""
    i = argv.index("--errors")
    if i + 1 < len(argv) and not argv[i + 1].startswith("--"):
        if argv[i + 1] not in _LAYERS:
            raise SystemExit(f"--errors takes one of {', '.join(_LAYERS)}, not {argv[i + 1]!r}")
        return _LAYERS[argv[i + 1]]
    return None


def main(argv: list[str]) -> int:
    layer = _error_layer(argv) if "--errors" in argv else None
    result = evaluate(include_errors="--errors" in argv)
    if layer is not None:
        result["errors"] = [e for e in result["errors"] if e["layer"] == layer]
    if "--json" in argv:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    print(f"documents: {result['documents']}")
    print("\nevents      gold  sys   detect P/R/F1        all-arguments P/R/F1   participants F1  place  when  status  negated")
    for lang, s in result["events"].items():
        d, a, acc = s["detection"], s["all_arguments"], s["accuracy_on_matched"]
        print(f"  {lang:4} {s['gold']:7} {s['system']:5}   {d['p']:.3f}/{d['r']:.3f}/{d['f1']:.3f}    "
              f"{a['p']:.3f}/{a['r']:.3f}/{a['f1']:.3f}      {s['participants']['f1']:.3f}        "
              f"{acc['place']:.3f}  {acc['when']:.3f}  {acc['status']:.3f}   {acc['negated']:.3f}")
    print("\nquotes      gold  sys   detect P/R/F1        speaker acc (all gold / matched)   direct acc")
    for lang, s in result["quotes"].items():
        d = s["detection"]
        print(f"  {lang:4} {s['gold']:7} {s['system']:5}   {d['p']:.3f}/{d['r']:.3f}/{d['f1']:.3f}    "
              f"{s['speaker_accuracy']:.3f} / {s['speaker_accuracy_on_matched']:.3f}                    "
              f"{s['direct_accuracy_on_matched']:.3f}")
    print("\nattribution gold  sys   detect P/R/F1        chain exact match   publisher acc")
    for lang, s in result["attributions"].items():
        d = s["detection"]
        print(f"  {lang:4} {s['gold']:7} {s['system']:5}   {d['p']:.3f}/{d['r']:.3f}/{d['f1']:.3f}    "
              f"{s['chain_exact_match']:.3f}               {s['publisher_accuracy']:.3f}")
    if "--errors" in argv:
        print()
        for e in result["errors"]:
            print(json.dumps(e, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
