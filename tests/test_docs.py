"""docs/schema.md is checked against the code, as datasette checks its docs."""

from __future__ import annotations

import re
from pathlib import Path

from khabar.document import BLOCK_KINDS, ISSUE_CODES
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


def test_every_issue_code_is_registered_and_documented() -> None:
    src = Path(__file__).resolve().parents[1] / "src" / "khabar"
    used = set()
    for py in src.rglob("*.py"):
        code = py.read_text(encoding="utf-8")
        used |= set(re.findall(r"(?:with_issue|DocIssue)\(\s*\"([a-z_]+)\"", code))
        used |= set(re.findall(r"issues\.append\(\(\s*\"([a-z_]+)\"", code))
    assert "stage_failed" in used
    assert used <= set(ISSUE_CODES), f"issue codes used but not registered: {used - set(ISSUE_CODES)}"
    for code in ISSUE_CODES:
        assert f"| `{code}` |" in DOC, f"docs/schema.md does not document issue code {code!r}"
