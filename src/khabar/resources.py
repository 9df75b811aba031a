"""Read-only access to the language data shipped inside the package (`lang/`, `data/`).

Files are parsed once per process and cached; callers get immutable views or copies, so the
cache is not shared mutable state.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

from khabar.errors import ResourceError


@functools.cache
def load_yaml(relative_path: str) -> Any:
    """Parse a YAML file under the `khabar` package, e.g. ``"lang/fa/zwnj.yaml"``."""
    path = resources.files("khabar").joinpath(relative_path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ResourceError(f"missing data file {relative_path!r} inside the khabar package; "
                            "reinstall khabar (`make venv`) or restore the file from git") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ResourceError(f"{relative_path} is not valid YAML ({exc}); fix the file") from None


def codepoint(spec: str) -> str:
    """``"U+0649"`` -> the character; any other string is returned as is."""
    if spec.startswith("U+"):
        return chr(int(spec[2:], 16))
    return spec


def codepoint_range(spec: str) -> list[str]:
    """``"U+064B-U+065F"`` -> every character of the inclusive range."""
    first, _, last = spec.partition("-")
    lo = ord(codepoint(first))
    hi = ord(codepoint(last)) if last else lo
    return [chr(c) for c in range(lo, hi + 1)]
