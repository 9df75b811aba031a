"""docs/schema.md is checked against the code, as datasette checks its docs."""

from __future__ import annotations

import re
from pathlib import Path

from khabar.document import BLOCK_KINDS
from khabar.readers.base import REASONS
from khabar.schema import document_schema

DOC = (Path(__file__).resolve().parents[1] / "docs" / "schema.md").read_text(encoding="utf-8")
MIGRATIONS = Path(__file__).resolve().parents[1] / "src" / "khabar" / "store" / "migrations"


def test_every_output_field_is_documented() -> None:
    for name in document_schema()["properties"]:
        assert f"| `{name}` |" in DOC, f"docs/schema.md does not document field {name!r}"


def test_every_block_kind_is_documented() -> None:
    for kind in BLOCK_KINDS:
        assert f"`{kind}`" in DOC


def test_every_rejection_reason_is_documented() -> None:
    for reason in REASONS:
        assert f"| `{reason}` |" in DOC, f"docs/schema.md does not document rejection reason {reason!r}"


def test_every_table_is_documented() -> None:
    sql = "\n".join(p.read_text(encoding="utf-8") for p in MIGRATIONS.glob("*.sql"))
    tables = re.findall(r"CREATE (?:VIRTUAL )?TABLE (\w+)", sql)
    assert tables
    for table in tables:
        assert f"| `{table}` |" in DOC, f"docs/schema.md does not document table {table!r}"


def test_every_issue_code_in_the_code_is_documented() -> None:
    src = Path(__file__).resolve().parents[1] / "src" / "khabar"
    codes = set()
    for py in src.rglob("*.py"):
        codes |= set(re.findall(r"with_issue\(\s*\"([a-z_]+)\"", py.read_text(encoding="utf-8")))
        codes |= set(re.findall(r"DocIssue\(\s*\"([a-z_]+)\"", py.read_text(encoding="utf-8")))
    assert "stage_failed" in codes
    for code in codes:
        assert f"| `{code}` |" in DOC, f"docs/schema.md does not document issue code {code!r}"
