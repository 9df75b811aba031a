"""Validate the story-clustering dev set `eval/data/clusters_dev.jsonl` against the corpora and print its counts.

Each line is one story (one real event) with its member articles: SaudiNewsNet articles named by day
and 1-based index (the ``#N`` suffix of ``Source.path`` in ``bench/corpora.py:saudinewsnet``) and the
five seed articles of ``../shared/seeds`` named by file. The texts are rebuilt exactly as the readers
build them, and the check fails when:

- a member's ``id`` is not ``khabar.document.document_id`` of the rebuilt text (the corpus or the
  reader changed), its outlet is not the corpus outlet, or a SaudiNewsNet day is outside the scope
  of issue 6 (2015-08-01 to 2015-08-03);
- an article is a member of two stories, or a story id is used twice;
- a ``copy_of`` (``{"day", "index"}``) does not name another member of the same story, or names a member that is itself a copy;
- a ``not_same_as`` names an unknown story, the story itself, or has no reason;
- fewer than ``MIN_CROSS_OUTLET_STORIES`` stories have 2+ articles from 2+ outlets, or the five
  seeds are not all labelled.

    .venv/bin/python eval/clusters_dev_check.py [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from corpora import saudinewsnet, shared  # noqa: E402

from khabar.document import Document, document_id  # noqa: E402
from khabar.readers.files import read_file  # noqa: E402

DEV_SET = REPO / "eval" / "data" / "clusters_dev.jsonl"
SCOPE_DAYS = ("2015-08-01", "2015-08-02", "2015-08-03")  # issue 6: "SaudiNewsNet 2015-08-01 to 2015-08-03"
SEED_COUNT = 5
MIN_CROSS_OUTLET_STORIES = 30  # issue 6: "at least 30 stories with 2+ articles from different outlets"
_STORY_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_LANGS = frozenset({"ar", "fa", "en"})


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    counts: dict[str, Any] = field(default_factory=dict)

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")


def read_records(path: Path) -> list[dict[str, Any]]:
    records = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"{path}:{number}: {exc}") from exc
    return records


def member_key(member: dict[str, Any]) -> tuple:
    if member.get("corpus") == "seeds":
        return ("seeds", member.get("file"))
    return ("saudinewsnet", member.get("day"), member.get("index"))


def copy_key(member: dict[str, Any]) -> tuple:
    """The `member_key` of the original that ``copy_of`` points to (a day and index in the same corpus)."""
    target = member.get("copy_of") or {}
    return (member.get("corpus"), target.get("day"), target.get("index"))


def load_documents(records: list[dict[str, Any]]) -> dict[tuple, Document]:
    """Rebuild every SaudiNewsNet day and every seed file that the records name, keyed like `member_key`."""
    members = [m for r in records for m in r.get("members", [])]
    documents: dict[tuple, Document] = {}
    for day in sorted({m.get("day") for m in members if m.get("corpus") == "saudinewsnet"}):
        if day not in SCOPE_DAYS:
            continue
        for doc in saudinewsnet(day):
            documents[("saudinewsnet", day, int(doc.source.path.rsplit("#", 1)[1]))] = doc
    for path in sorted(shared("seeds").iterdir()):
        for result in read_file(path):
            if isinstance(result, Document):
                documents[("seeds", path.name)] = result
    return documents


def _is_date(text: Any) -> bool:
    try:
        dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return False
    return True


def check_member(where: str, member: dict[str, Any], documents: dict[tuple, Document], report: Report) -> None:
    corpus = member.get("corpus")
    if corpus == "saudinewsnet" and member.get("day") not in SCOPE_DAYS:
        report.error(where, f"day {member.get('day')} is outside {SCOPE_DAYS[0]}..{SCOPE_DAYS[-1]}")
        return
    if corpus not in ("saudinewsnet", "seeds"):
        report.error(where, f"unknown corpus {corpus!r}")
        return
    doc = documents.get(member_key(member))
    if doc is None:
        report.error(where, "no such document")
        return
    if member.get("id") != document_id(doc.text):
        report.error(where, f"id {member.get('id')} != {document_id(doc.text)}: the text changed")
    if corpus == "saudinewsnet" and member.get("outlet") != dict(doc.meta).get("outlet"):
        report.error(where, f"outlet {member.get('outlet')!r} != {dict(doc.meta).get('outlet')!r}")
    if not member.get("outlet"):
        report.error(where, "no outlet")
    if member.get("lang") not in _LANGS:
        report.error(where, f"lang {member.get('lang')!r}")


def check_story(record: dict[str, Any], documents: dict[tuple, Document], story_ids: set[str],
                report: Report) -> None:
    story = record.get("story", "?")
    if not _STORY_ID.fullmatch(str(story)):
        report.error(story, "story id is not a lowercase slug")
    if not str(record.get("description", "")).strip():
        report.error(story, "no description")
    dates = record.get("dates")
    if not dates or not all(_is_date(d) for d in dates) or list(dates) != sorted(dates):
        report.error(story, f"dates {dates!r} must be a non-empty sorted list of ISO dates")
    members = record.get("members") or []
    if not members:
        report.error(story, "no members")
    keys = {member_key(m) for m in members}
    copied = {copy_key(m) for m in members if m.get("copy_of")}
    for member in members:
        where = f"{story} {json.dumps(member_key(member), ensure_ascii=False)}"
        check_member(where, member, documents, report)
        if member.get("copy_of") is not None:
            target = copy_key(member)
            if target == member_key(member) or target not in keys:
                report.error(where, f"copy_of {member['copy_of']} is not another member of the story")
            if member_key(member) in copied:
                report.error(where, "a copy is itself the target of copy_of: point copies at the original")
    for negative in record.get("not_same_as", []):
        other = negative.get("story")
        if other not in story_ids or other == story:
            report.error(story, f"not_same_as names {other!r}: not another story of the file")
        if not str(negative.get("reason", "")).strip():
            report.error(story, f"not_same_as {other!r} has no reason")


def validate(path: Path = DEV_SET) -> Report:
    records = read_records(path)
    report = Report()
    documents = load_documents(records)
    story_ids = [r.get("story") for r in records]
    for story, count in Counter(story_ids).items():
        if count > 1:
            report.error(str(story), f"story id used {count} times")
    seen: dict[tuple, str] = {}
    seen_ids: dict[str, str] = {}
    for record in records:
        for member in record.get("members", []):
            key, story = member_key(member), record.get("story")
            if key in seen:
                report.error(str(key), f"in two stories: {seen[key]} and {story}")
            seen[key] = story
            if member.get("id") in seen_ids and seen_ids[member["id"]] != story:
                report.error(str(key), f"same text (id {member['id']}) in {seen_ids[member['id']]} and {story}")
            seen_ids.setdefault(member.get("id"), story)
        check_story(record, documents, set(story_ids), report)
    report.counts = tally(records)
    if report.counts["cross_outlet_stories"] < MIN_CROSS_OUTLET_STORIES:
        report.error(str(path), f"{report.counts['cross_outlet_stories']} stories with 2+ outlets "
                                f"< {MIN_CROSS_OUTLET_STORIES}")
    if report.counts["articles"].get("seeds", 0) != SEED_COUNT:
        report.error(str(path), f"{report.counts['articles'].get('seeds', 0)} seeds labelled, expected {SEED_COUNT}")
    return report


def tally(records: list[dict[str, Any]]) -> dict[str, Any]:
    members = [m for r in records for m in r["members"]]
    sizes = [len(r["members"]) for r in records]
    negatives = {frozenset((r["story"], n["story"])) for r in records for n in r.get("not_same_as", [])}
    negative_members = {s for pair in negatives for s in pair}
    same_pairs = sum(n * (n - 1) // 2 for n in sizes)
    cross_day = sum(1 for r in records if len({m.get("day") for m in r["members"] if m.get("day")}) > 1)
    same_outlet_pairs = sum(
        1 for r in records for a, b in itertools.combinations(r["members"], 2)
        if a["corpus"] == "saudinewsnet" and a["outlet"] == b["outlet"])
    return {
        "stories": len(records),
        "cross_outlet_stories": sum(1 for r in records if len({m["outlet"] for m in r["members"]}) >= 2),
        "singletons": sum(1 for n in sizes if n == 1),
        "singletons_with_not_same_as": sum(1 for r in records if len(r["members"]) == 1
                                           and r["story"] in negative_members),
        "largest_story": max(sizes),
        "stories_spanning_2_days": cross_day,
        "articles": dict(Counter(m["corpus"] for m in members)),
        "articles_by_day": dict(sorted(Counter(m["day"] for m in members if m.get("day")).items())),
        "outlets": dict(Counter(m["outlet"] for m in members).most_common()),
        "copies": sum(1 for m in members if m.get("copy_of")),
        "hard_negative_pairs": len(negatives),
        "stories_in_a_hard_negative_pair": len(negative_members),
        "same_story_article_pairs": same_pairs,
        "same_story_same_outlet_pairs": same_outlet_pairs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEV_SET)
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    args = parser.parse_args()
    report = validate(args.path)
    if args.json:
        print(json.dumps(report.counts, ensure_ascii=False, indent=1))
    else:
        for key, value in report.counts.items():
            print(f"{key}: {value}")
    for error in report.errors:
        print("ERROR", error, file=sys.stderr)
    print("OK" if not report.errors else f"{len(report.errors)} errors")
    sys.exit(1 if report.errors else 0)


if __name__ == "__main__":
    main()
