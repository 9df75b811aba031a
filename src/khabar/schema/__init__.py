"""The JSON Schema of `khabar analyze` output (schema version 1) and a validator for it."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator


@functools.cache
def document_schema() -> dict[str, Any]:
    return json.loads(resources.files("khabar.schema").joinpath("document.v1.json").read_text(encoding="utf-8"))


@functools.cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(document_schema())


def schema_errors(data: dict[str, Any]) -> list[str]:
    """Every way ``data`` breaks schema 1, plus offset checks JSON Schema cannot express."""
    problems = [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
                for e in _validator().iter_errors(data)]
    text = data.get("text", "")
    def check(where: str, start: int, end: int, claimed: str | None) -> None:
        if not (0 <= start <= end <= len(text)):
            problems.append(f"{where}: span ({start}, {end}) outside text of length {len(text)}")
        elif claimed is not None and text[start:end] != claimed:
            problems.append(f"{where}: text[{start}:{end}] is {text[start:end]!r}, span claims {claimed!r}")
    if data.get("title"):
        t = data["title"]
        check("title", t["start"], t["end"], t["text"])
    for i, b in enumerate(data.get("blocks", [])):
        check(f"blocks/{i}", b["start"], b["end"], b.get("text"))
        if "author_start" in b:
            check(f"blocks/{i}/author", b["author_start"], b["author_end"], b.get("author"))
        if "timestamp_start" in b:
            check(f"blocks/{i}/timestamp", b["timestamp_start"], b["timestamp_end"], b.get("timestamp"))
    for layer in ("times", "mentions", "quotes", "attributions"):
        for i, item in enumerate(data.get(layer, [])):
            check(f"{layer}/{i}", item["start"], item["end"], item.get("text"))
    return problems
