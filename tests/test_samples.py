"""The bundled demo samples agree with their gold file (src/khabar/samples/gold.yaml)."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "khabar" / "samples"
GOLD = yaml.safe_load((SAMPLES / "gold.yaml").read_text(encoding="utf-8"))


def _gold_strings(entry: dict[str, Any]) -> Iterator[str]:
    for d in entry.get("dates", []) + entry.get("comment_dates", []) + entry.get("date_decoys", []):
        yield d["text"]
    if entry.get("published"):
        yield entry["published"]["evidence"]
    for forms in entry.get("people", {}).values():
        yield from forms
    yield from entry.get("roles", [])
    for quote in entry.get("quotes", []):
        yield quote["text"]
    for chain in entry.get("attributions", []):
        yield from chain
    yield from entry.get("must_contain", [])


def test_every_sample_file_has_gold_and_the_reverse() -> None:
    files = {p.name for p in SAMPLES.iterdir() if p.suffix in (".txt", ".html", ".jsonl")}
    assert files == set(GOLD["files"])
    assert sum(1 for f in files if f.startswith("fa_") and f.endswith(".txt")) >= 4
    assert sum(1 for f in files if f.startswith("ar_") and f.endswith(".txt")) >= 3


@pytest.mark.parametrize("name", sorted(GOLD["files"]))
def test_sample_gold_strings_occur_in_the_file(name: str) -> None:
    entry = GOLD["files"][name]
    raw = (SAMPLES / name).read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", raw) == raw
    if entry["format"] == "jsonl":
        records = {json.loads(line)["id"]: json.loads(line) for line in raw.splitlines()}
        assert set(records) == set(entry["records"])
        for rid, gold in entry["records"].items():
            hay = "\n".join([records[rid]["text"], records[rid]["url"], records[rid].get("published", "")])
            for s in _gold_strings(gold):
                assert s in hay, f"{rid}: {s!r}"
        return
    for s in _gold_strings(entry):
        assert s in raw, f"{name}: {s!r}"
    if entry["format"] == "txt":
        lines = [line for line in raw.split("\n") if line.strip()]
        assert len(lines) == len(entry["kinds"])
        assert lines[entry["kinds"].index("title")].strip() == entry["title"]
