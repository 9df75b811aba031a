"""Validate `eval/data/events_dev.jsonl` against the texts and `events_dev.md`, and print its counts.

Checks: every document rebuilds to its id; every span's text equals the text at its offsets
and has no edge spaces; entity ids exist in the knowledge base or are `new:<slug>`; event types,
CAMEO codes, statuses, participant roles and `when` values are well formed; documents are not
in the dates or linking dev sets.

    .venv/bin/python eval/events_dev_check.py [PATH] [--json]
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "eval"))
sys.path.insert(0, str(REPO / "bench"))

from events import DEV, documents, load_records  # noqa: E402

from khabar.kb import load_kb  # noqa: E402
from khabar.stages.events import CAMEO  # noqa: E402

STATUSES = {"occurred", "planned", "reported"}
ROLES = {None, "host", "guest", "caller", "callee"}
_NEW_ID = re.compile(r"^new:[a-z0-9]+(?:-[a-z0-9]+)*$")
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$")


def check(path: Path = DEV) -> tuple[list[str], dict[str, Any]]:
    records = load_records(path)
    docs = documents(records)
    kb = load_kb()
    errors: list[str] = []
    others = set()
    for other in ("dates_dev.jsonl", "linking_dev.jsonl"):
        for line in (REPO / "eval" / "data" / other).read_text(encoding="utf-8").splitlines():
            if line.strip():
                others.add(json.dumps(json.loads(line)["doc"], sort_keys=True))

    def span(where: str, item: dict[str, Any] | None, text: str, *, nullable: bool = False) -> None:
        if item is None:
            return
        if item.get("start") is None:
            if not nullable:
                errors.append(f"{where}: span missing")
            return
        got = text[item["start"]:item["end"]]
        if got != item.get("text"):
            errors.append(f"{where}: text[{item['start']}:{item['end']}] is {got!r}, not {item.get('text')!r}")
        elif got != got.strip():
            errors.append(f"{where}: span {got!r} has edge spaces")

    def entity(where: str, ref: dict[str, Any] | None) -> None:
        if ref is None or ref.get("entity") is None:
            return
        value = ref["entity"]
        if not (kb.get(value) is not None or _NEW_ID.match(value)):
            errors.append(f"{where}: {value!r} is neither a knowledge-base id nor new:<slug>")

    counts: Counter[str] = Counter()
    for n, record in enumerate(records, 1):
        text = docs[record["id"]].text
        where = f"line {n} {record['doc']}"
        if json.dumps(record["doc"], sort_keys=True) in others:
            errors.append(f"{where}: also in the dates or linking dev set")
        counts[f"documents_{record['lang']}"] += 1
        for i, e in enumerate(record.get("events", [])):
            w = f"{where} event {i}"
            if e.get("type") not in CAMEO:
                errors.append(f"{w}: unknown type {e.get('type')!r}")
            elif not str(e.get("cameo", "")).startswith(CAMEO[e["type"]][:2]):
                errors.append(f"{w}: cameo {e.get('cameo')!r} is not in the class of {e['type']} ({CAMEO[e['type']]})")
            if e.get("status") not in STATUSES:
                errors.append(f"{w}: status {e.get('status')!r}")
            if not any(p.get("entity") for p in e.get("participants", [])):
                errors.append(f"{w}: no identifiable participant")
            for t in e.get("triggers", []):
                span(f"{w} trigger", t, text)
            for p in e.get("participants", []):
                span(f"{w} participant", p, text, nullable=True)
                entity(f"{w} participant", p)
                if p.get("role") not in ROLES:
                    errors.append(f"{w}: participant role {p.get('role')!r}")
            span(f"{w} place", e.get("place"), text, nullable=True)
            entity(f"{w} place", e.get("place"))
            when = e.get("when")
            if when is not None:
                span(f"{w} when", when, text, nullable=True)
                if when.get("value") is not None and not _ISO.match(when["value"]):
                    errors.append(f"{w}: when value {when['value']!r} is not ISO")
            counts[f"events_{record['lang']}"] += 1
            counts[f"event_{e.get('type')}"] += 1
        for i, q in enumerate(record.get("quotes", [])):
            w = f"{where} quote {i}"
            span(w, q, text)
            span(f"{w} cue", q.get("cue"), text)
            span(f"{w} speaker", q.get("speaker"), text, nullable=True)
            entity(f"{w} speaker", q.get("speaker"))
            counts[f"quotes_{record['lang']}"] += 1
        for i, a in enumerate(record.get("attributions", [])):
            w = f"{where} attribution {i}"
            span(w, a, text)
            if not a.get("chain"):
                errors.append(f"{w}: empty chain")
            for hop in a.get("chain", []):
                span(f"{w} hop", hop, text, nullable=True)
                entity(f"{w} hop", hop)
            counts[f"attributions_{record['lang']}"] += 1
    return errors, dict(sorted(counts.items()))


def main(argv: list[str]) -> int:
    paths = [a for a in argv if not a.startswith("--")]
    errors, counts = check(Path(paths[0]) if paths else DEV)
    if "--json" in argv:
        print(json.dumps({"errors": errors, "counts": counts}, ensure_ascii=False, indent=1))
    else:
        for e in errors:
            print("ERROR", e)
        for k, v in counts.items():
            print(f"{k:24} {v}")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
