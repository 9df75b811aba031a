"""The command line, run as a user runs it: a real process, real files, a real SQLite file."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from khabar.schema import schema_errors


def khabar(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "khabar", *args], input=stdin, capture_output=True,
                          text=True, timeout=300, cwd=cwd)


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory, seed_files: list[Path]) -> Path:
    db = tmp_path_factory.mktemp("cli") / "k.db"
    run = khabar("ingest", *map(str, seed_files), "--db", str(db), "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"db": str(db), "read": 5, "ingested": 5, "duplicates": 0, "rejected": 0}
    return db


def test_analyze_prints_valid_schema_1_lines(seed_files: list[Path]) -> None:
    run = khabar("analyze", *map(str, seed_files), str(seed_files[0]))
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 5  # the repeated file is one corpus member, printed once
    for line in lines:
        data = json.loads(line)
        assert schema_errors(data) == []
    assert "read 6 = analysed 5 + duplicates 1 + rejected 0" in run.stderr


def test_analyze_reads_jsonl_from_stdin() -> None:
    lines = [json.dumps({"id": "a1", "url": "https://news.example.com/2024/04/09/x", "title": "دیدار وزیران",
                         "text": "وزیر امور خارجه امروز با همتای خود دیدار کرد.", "lang": "fa"}, ensure_ascii=False),
             "{not json",
             json.dumps({"text": "التقى وزير الخارجية نظيره في بكين اليوم."}, ensure_ascii=False)]
    run = khabar("analyze", "-", stdin="\n".join(lines) + "\n")
    assert run.returncode == 0, run.stderr
    docs = [json.loads(x) for x in run.stdout.splitlines()]
    assert [d["source"]["line"] for d in docs] == [1, 3]
    assert docs[0]["title"]["text"] == "دیدار وزیران"
    assert docs[0]["published"] == {"value": "2024-04-09", "source": "url", "evidence": None}
    assert "bad_json" in run.stderr
    assert "read 3 = analysed 2 + duplicates 0 + rejected 1" in run.stderr


def test_ingest_again_adds_nothing(seeded_db: Path, seed_files: list[Path]) -> None:
    run = khabar("ingest", *map(str, seed_files), "--db", str(seeded_db), "--json")
    assert json.loads(run.stdout)["ingested"] == 0
    assert json.loads(run.stdout)["duplicates"] == 5


def test_search_finds_arabic_with_a_persian_query(seeded_db: Path) -> None:
    run = khabar("search", "وزیر", "--db", str(seeded_db), "--json")
    assert run.returncode == 0, run.stderr
    langs = {hit["lang"] for hit in json.loads(run.stdout)}
    assert langs == {"fa", "ar"}


def test_search_is_zwnj_insensitive(seeded_db: Path) -> None:
    # seed 000 writes `میشود` (ZWNJ stripped), seed 004 `می شود` (a space): one query finds both
    def ids(query: str) -> set[str]:
        return {h["id"] for h in json.loads(khabar("search", query, "--db", str(seeded_db), "--json").stdout)}

    assert ids("می\u200cشود") == ids("میشود") == ids("می شود")
    assert len(ids("میشود")) == 2


def test_show_and_export(seeded_db: Path, tmp_path: Path) -> None:
    hits = json.loads(khabar("search", "لافروف", "--db", str(seeded_db), "--json").stdout)
    assert hits
    shown = khabar("show", hits[0]["id"][:8], "--db", str(seeded_db), "--json")
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["id"] == hits[0]["id"] and data["sources"]

    jsonl = khabar("export", "--db", str(seeded_db), "--format", "jsonl")
    docs = [json.loads(x) for x in jsonl.stdout.splitlines()]
    assert len(docs) == 5 and all(schema_errors(d) == [] for d in docs)

    csv_run = khabar("export", "--db", str(seeded_db), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(csv_run.stdout)))
    assert len(rows) == 5 and {r["lang"] for r in rows} == {"fa", "ar"}

    parquet = tmp_path / "docs.parquet"
    run = khabar("export", "--db", str(seeded_db), "--format", "parquet", "-o", str(parquet))
    assert run.returncode == 0, run.stderr
    import pyarrow.parquet as pq

    table = pq.read_table(parquet)
    assert table.num_rows == 5 and "doc_json" in table.column_names


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("analyze", "/no/such/file.txt"), "no such file or folder"),
        (("search", "x", "--db", "/no/such.db"), "no database at"),
        (("export", "--format", "xml", "--db", "{db}"), "unknown format"),
        (("show", "ffffffffff", "--db", "{db}"), "no document with id"),
    ],
)
def test_errors_are_one_line_without_traceback(args: tuple[str, ...], message: str, seeded_db: Path) -> None:
    run = khabar(*(a.replace("{db}", str(seeded_db)) for a in args))
    assert run.returncode != 0
    assert message in run.stderr
    assert "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_debug_shows_the_traceback() -> None:
    run = khabar("--debug", "analyze", "/no/such/file.txt")
    assert run.returncode != 0 and "Traceback" in run.stderr


def test_demo_ingests_the_samples_and_is_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    first = khabar("demo", "--db", str(db), "--json")
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert data["ingested"] >= 8 and data["rejected"] == 0
    assert data["read"] == data["ingested"] + data["duplicates"] + data["rejected"]
    assert {d["lang"] for d in data["documents"]} >= {"fa", "ar"}
    assert data["searches"]["وزیر"], "the demo's cross-script search found nothing"
    second = json.loads(khabar("demo", "--db", str(db), "--json").stdout)
    assert second["ingested"] == 0 and second["duplicates"] == data["ingested"]
    text = khabar("demo", "--db", str(db))
    assert "read" in text.stdout and "khabar demo" in text.stdout


def test_events_quotes_and_sources_commands(seeded_db: Path) -> None:
    run = khabar("events", "--db", str(seeded_db), "--entity", "per:nikolai-patrushev", "--json")
    assert run.returncode == 0, run.stderr
    rows = json.loads(run.stdout)
    assert [(r["type"], r["when_value"], r["place"]) for r in rows] == [("MEET", "2023-02-21", "city:moscow-ru")]
    assert {p["entity"] for p in rows[0]["participants"]} == {"per:nikolai-patrushev", "per:wang-yi"}
    assert "نیکلای پاتروشف" in rows[0]["evidence"]

    run = khabar("events", "--db", str(seeded_db), "--type", "meet", "--from", "2023-01-01", "--to", "2023-12-31",
                 "--csv")
    assert run.returncode == 0, run.stderr
    table = list(csv.DictReader(io.StringIO(run.stdout)))
    assert table and all(r["type"] == "MEET" and r["when_value"].startswith("2023") for r in table)

    run = khabar("quotes", "--db", str(seeded_db), "--speaker", "per:sergey-lavrov", "--json")
    assert run.returncode == 0, run.stderr
    quotes = json.loads(run.stdout)
    assert any(q["text"].startswith("سایر محافل چندجانبه") and q["direct"] for q in quotes)
    assert all(q["speaker"] == "per:sergey-lavrov" for q in quotes)

    run = khabar("sources", "--db", str(seeded_db), "--json")
    assert run.returncode == 0, run.stderr
    pairs = {(r["source"], r["cites"]) for r in json.loads(run.stdout)}
    assert {("org:webangah", "org:tasnim"), ("org:tasnim", "org:tass"), ("org:mehr-news-agency", "org:sputnik")} <= pairs


def test_stories_story_and_timeline_commands(seeded_db: Path, seed_files: list[Path]) -> None:
    run = khabar("stories", "--db", str(seeded_db), "--json")
    assert run.returncode == 0, run.stderr
    stories = json.loads(run.stdout)
    assert sorted(s["size"] for s in stories) == [1, 1, 3]
    beijing = next(s for s in stories if s["size"] == 3)
    assert beijing["languages"] == ["ar", "fa"] and "per:sergey-lavrov" in beijing["key_entities"]

    run = khabar("story", beijing["id"][:10], "--db", str(seeded_db), "--json")
    assert run.returncode == 0, run.stderr
    story = json.loads(run.stdout)
    assert {m["lang"] for m in story["members"]} == {"ar", "fa"}
    visit = next(e for e in story["events"] if e["type"] == "VISIT" and "per:sergey-lavrov" in e["participants"])
    assert visit["place"] == "city:beijing-cn" and len({s["doc"] for s in visit["sources"]}) == 3

    run = khabar("timeline", "per:wang-yi", "--db", str(seeded_db), "--json")
    assert run.returncode == 0, run.stderr
    timeline = json.loads(run.stdout)
    dated = [(e["type"], (e["when"] or {}).get("value")) for e in timeline if (e["when"] or {}).get("value")]
    assert ("MEET", "2023-02-22") in dated and dated == sorted(dated, key=lambda x: x[1])

    run = khabar("show", next(m["id"] for m in story["members"] if m["lang"] == "fa"), "--db", str(seeded_db), "--json")
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    visit = next(e for e in doc["events"] if e["type"] == "VISIT" and e["when"])
    assert visit["when"] == {**visit["when"], "value": "2024-04-08", "source": "story"}  # «روز دوشنبه», dated by the story

    run = khabar("analyze", *map(str, seed_files))
    assert run.returncode == 0, run.stderr
    docs = [json.loads(line) for line in run.stdout.splitlines()]
    by_seed = {Path(d["source"]["path"]).name[:3]: d["story"] for d in docs}
    assert by_seed["000"] == by_seed["001"] == by_seed["002"] and len(set(by_seed.values())) == 3
