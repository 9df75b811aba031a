"""Shared fixtures. Data under ../shared is read in place; a missing file fails the test."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
SEEDS = SHARED / "seeds"
SEED_LANGS = {"000": "fa", "001": "ar", "002": "ar", "003": "fa", "004": "fa"}


def shared_path(*parts: str) -> Path:
    """A file under ../shared; fails (never skips) when it is missing, as CI requires."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"missing shared data {path}: tests read ../shared beside the repository")
    return path


@pytest.fixture(scope="session")
def seed_files() -> list[Path]:
    files = sorted(shared_path("seeds").glob("*.txt"))
    assert len(files) == 5, f"expected the 5 seed articles in {SEEDS}, found {len(files)}"
    return files


@pytest.fixture(scope="session")
def seed_texts(seed_files: list[Path]) -> dict[str, str]:
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in seed_files}


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    from khabar.cli import samples_dir

    return samples_dir()
