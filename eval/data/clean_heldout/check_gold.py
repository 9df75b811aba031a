"""Check that gold.tsv labels exactly the non-empty lines of every page in this folder.

Usage: python eval/data/clean_heldout/check_gold.py  (exit status 1 on any mismatch)
Line numbers are 1-based over text.split("\\n"); a line is non-empty when line.strip() != "".
"""

from __future__ import annotations

import collections
import csv
import sys
import unicodedata
from pathlib import Path

ALLOWED_KINDS = frozenset(
    {"title", "lead", "body", "boilerplate", "comment", "caption", "byline", "dateline", "tags"}
)
HERE = Path(__file__).resolve().parent


def problems(folder: Path = HERE) -> list[str]:
    found: list[str] = []
    gold: dict[str, dict[int, str]] = collections.defaultdict(dict)
    with open(folder / "gold.tsv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        if reader.fieldnames != ["file", "line", "kind", "note"]:
            found.append(f"unexpected header {reader.fieldnames}")
        for row in reader:
            if row["kind"] not in ALLOWED_KINDS:
                found.append(f"{row['file']}:{row['line']} kind {row['kind']!r} not allowed")
            line_number = int(row["line"])
            if line_number in gold[row["file"]]:
                found.append(f"{row['file']}:{line_number} labelled twice")
            gold[row["file"]][line_number] = row["kind"]
    pages = sorted(path.name for path in folder.glob("*.txt"))
    for name in sorted(set(gold) - set(pages)):
        found.append(f"gold names a missing page {name}")
    for name in pages:
        text = (folder / name).read_text(encoding="utf-8")
        if "\r" in text or not unicodedata.is_normalized("NFC", text):
            found.append(f"{name}: CR or non-NFC text")
        non_empty = {n for n, line in enumerate(text.split("\n"), start=1) if line.strip()}
        labelled = set(gold.get(name, {}))
        if non_empty != labelled:
            found.append(
                f"{name}: unlabelled {sorted(non_empty - labelled)}, labelled but empty {sorted(labelled - non_empty)}"
            )
        if not 12 <= len(non_empty) <= 40:
            found.append(f"{name}: {len(non_empty)} non-empty lines, expected 12-40")
    return found


def kind_counts(folder: Path = HERE) -> collections.Counter[str]:
    with open(folder / "gold.tsv", encoding="utf-8", newline="") as handle:
        return collections.Counter(
            row["kind"] for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        )


if __name__ == "__main__":
    issues = problems()
    for issue in issues:
        print(issue)
    counts = kind_counts()
    print(dict(sorted(counts.items())), "total", sum(counts.values()))
    sys.exit(1 if issues else 0)
