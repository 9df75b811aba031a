"""Lint of the language data: parseable, NFC, no stray whitespace, no duplicates, a SOURCES note.

Language knowledge lives in `src/khabar/lang/<code>/` and `src/khabar/data/`; this test keeps it
clean the way dateparser's data-integrity test keeps its generated data honest.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "khabar"
DATA_DIRS = sorted([p for p in (PACKAGE / "lang").iterdir() if p.is_dir() and not p.name.startswith("_")]
                   + [PACKAGE / "lang", PACKAGE / "data"])
DATA_FILES = sorted(p for d in [PACKAGE / "lang", PACKAGE / "data"] for p in d.rglob("*")
                    if p.suffix in (".yaml", ".yml", ".tsv", ".txt") and "__pycache__" not in p.parts)


class _StrictLoader(yaml.SafeLoader):
    """A YAML loader that refuses duplicate mapping keys (PyYAML keeps the last one silently)."""


def _mapping_without_duplicates(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise AssertionError(f"duplicate key {key!r} at line {key_node.start_mark.line + 1}")
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def _strings(value: Any, where: str = "") -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(where, value)]
    if isinstance(value, dict):
        found = []
        for k, v in value.items():
            found += _strings(k, f"{where}/{k}") if isinstance(k, str) else []
            found += _strings(v, f"{where}/{k}")
        return found
    if isinstance(value, list):
        return [s for i, item in enumerate(value) for s in _strings(item, f"{where}[{i}]")]
    return []


def _lists(value: Any, where: str = "") -> list[tuple[str, list[Any]]]:
    if isinstance(value, list):
        return [(where, value)] + [x for i, v in enumerate(value) for x in _lists(v, f"{where}[{i}]")]
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in _lists(v, f"{where}/{k}")]
    return []


def test_there_is_language_data_to_check() -> None:
    assert len(DATA_FILES) >= 2


@pytest.mark.parametrize("folder", DATA_DIRS, ids=lambda p: p.name)
def test_every_data_folder_says_where_its_data_comes_from(folder: Path) -> None:
    sources = folder / "SOURCES.md"
    assert sources.exists(), f"{folder} needs a SOURCES.md naming the origin of each file"
    text = sources.read_text(encoding="utf-8")
    for data_file in folder.iterdir():
        if data_file.suffix in (".yaml", ".yml", ".tsv", ".txt"):
            assert data_file.name in text, f"{sources} does not mention {data_file.name}"


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_data_file_is_clean(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", raw) == raw, f"{path} is not NFC"
    if path.suffix in (".tsv", ".txt"):
        rows = [line for line in raw.splitlines() if line and not line.startswith("#")]
        assert len(rows) == len(set(rows)), f"duplicate rows in {path}"
        for n, row in enumerate(rows, 1):
            for cell in row.split("\t"):
                assert cell == cell.strip(), f"{path} row {n}: stray whitespace in {cell!r}"
        return
    data = yaml.load(raw, Loader=_StrictLoader)
    for where, s in _strings(data):
        assert s == s.strip(), f"{path}{where}: stray whitespace in {s!r}"
        assert s, f"{path}{where}: empty string"
        assert "  " not in s or s.startswith("(?"), f"{path}{where}: double space in {s!r}"
    for where, items in _lists(data):
        # YAML 1.1 reads bare on/off/yes/no as booleans: a word list must hold strings.
        assert not any(isinstance(i, bool) for i in items), f"{path}{where}: a boolean in a list; quote it"
        hashable = [repr(i) for i in items]
        dupes = {i for i in hashable if hashable.count(i) > 1}
        assert not dupes, f"{path}{where}: duplicate entries {sorted(dupes)}"


def test_strict_loader_catches_duplicate_keys() -> None:
    with pytest.raises(AssertionError, match="duplicate key"):
        yaml.load("a: 1\na: 2\n", Loader=_StrictLoader)
