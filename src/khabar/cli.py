"""The `khabar` command line: analyze, ingest, search, show, export, rejections, stages, demo.

Errors are one line saying what to do next, with a non-zero exit code; ``--debug`` (anywhere on
the command line) shows the traceback instead.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from khabar.corpus.features import StoryFeatures
from khabar.corpus.stories import StoryClusterer
from khabar.document import Document
from khabar.errors import ConfigError, KhabarError
from khabar.pipeline import DEFAULT_STAGES, Pipeline, registered_stages
from khabar.readers import count_input_files, read_inputs
from khabar.readers.base import Rejection
from khabar.store import Store

DEFAULT_DB = os.environ.get("KHABAR_DB", "khabar.db")

app = typer.Typer(
    name="khabar",
    help="Turn Persian, Arabic and English news pages into evidence-linked records.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

DbOption = Annotated[str, typer.Option("--db", help="SQLite database file (env KHABAR_DB).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
StagesOption = Annotated[
    str | None, typer.Option("--stages", help=f"Comma-separated stage names (default: {','.join(DEFAULT_STAGES)}).")
]
MaxBytesOption = Annotated[int, typer.Option("--max-bytes", help="Reject single inputs larger than this.")]
StoriesOption = Annotated[bool, typer.Option("--stories/--no-stories",
                                             help="Find near-duplicates and stories (needs the default stages).")]


@app.callback()
def _root(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False) -> None:
    """khabar: who met whom, where and when, who said what, who reported it citing whom."""


def _pipeline(stages: str | None) -> Pipeline:
    names = tuple(s.strip() for s in stages.split(",") if s.strip()) if stages else DEFAULT_STAGES
    return Pipeline(names)


def _check_paths(paths: Sequence[str]) -> None:
    if not paths:
        raise ConfigError("give at least one PATH (a file, a folder, or - for JSONL on standard input)")
    for p in paths:
        if p != "-" and not os.path.lexists(p):
            raise ConfigError(f"no such file or folder: {p}; check the path")


def _progress(enabled: bool) -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[status]}"), TimeElapsedColumn(), console=err,
                    disable=not enabled, transient=True)


@app.command()
def analyze(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, or - for JSONL on stdin.")],
    stages: StagesOption = None,
    max_bytes: MaxBytesOption = 20_000_000,
    rejections: Annotated[
        Path | None, typer.Option("--rejections", help="Also write rejected inputs as JSONL to this file.")
    ] = None,
    stories: StoriesOption = True,
) -> None:
    """Analyse inputs and print one JSON document per line (schema 1, docs/schema.md) to stdout.

    All inputs are one corpus: a text read twice is printed once, a near-copy gets `duplicate_of`,
    and every document its `story` as of its arrival (online). The counts go to stderr.
    """
    _check_paths(paths)
    pipeline = _pipeline(stages)
    clusterer = _clusterer(stories)
    seen: set[str] = set()
    counts: Counter[str] = Counter()
    rejected_out = rejections.open("w", encoding="utf-8") if rejections else None
    show = sys.stderr.isatty() and "-" not in paths
    total = count_input_files(paths) if show else None
    try:
        with _progress(show) as progress:
            task = progress.add_task("analysing", total=total, status="")
            for item in read_inputs(paths, max_bytes=max_bytes):
                counts["read"] += 1
                if isinstance(item, Rejection):
                    counts["rejected"] += 1
                    err.print(f"[yellow]rejected[/] {item.source.describe()}: {item.reason}: {item.message}",
                              markup=True, highlight=False)
                    if rejected_out:
                        rejected_out.write(json.dumps(item.to_json(), ensure_ascii=False) + "\n")
                elif item.id in seen:
                    counts["duplicates"] += 1
                else:
                    seen.add(item.id)
                    counts["analysed"] += 1
                    doc = pipeline(item)
                    if clusterer is not None:  # assigned on arrival: the story as of this document
                        a = clusterer.add(StoryFeatures.of(doc))
                        doc = replace(doc, story=a.story, duplicate_of=a.duplicate_of)
                    sys.stdout.write(doc.to_json_line() + "\n")
                progress.update(task, advance=1 if item.source.line in (None, 1) else 0,
                                status=f"{counts['analysed']} docs")
    finally:
        if rejected_out:
            rejected_out.close()
    sys.stdout.flush()
    err.print(f"read {counts['read']} = analysed {counts['analysed']} + duplicates {counts['duplicates']} "
              f"+ rejected {counts['rejected']}", highlight=False)


def _clusterer(enabled: bool) -> StoryClusterer | None:
    return StoryClusterer() if enabled else None


def _ingest(db: str, paths: Sequence[str], stages: str | None, max_bytes: int, show_progress: bool,
            stories: bool = True) -> Any:
    pipeline = _pipeline(stages)
    total = count_input_files(paths) if show_progress else None
    with Store(db) as store, _progress(show_progress) as progress:
        task = progress.add_task("ingesting", total=total, status="")
        tally: Counter[str] = Counter()

        def on_item(item: Document | Rejection, outcome: str) -> None:
            tally[outcome] += 1
            if item.source.line in (None, 1):
                progress.advance(task)
            progress.update(task, status=f"{tally['ingested']} new, {tally['duplicate']} dup, "
                                         f"{tally['rejected']} rejected")

        stats = store.ingest(read_inputs(paths, max_bytes=max_bytes), analyse=pipeline,
                             inputs=" ".join(paths), on_item=on_item)
        if stories and stats.ingested:
            total_docs = store.counts()["documents"]
            story_task = progress.add_task("stories", total=total_docs, status="")
            store.cluster_stories(on_document=lambda: progress.advance(story_task))
        return stats, store.rejections()


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, or - for JSONL on stdin.")],
    db: DbOption = DEFAULT_DB,
    stages: StagesOption = None,
    max_bytes: MaxBytesOption = 20_000_000,
    as_json: JsonOption = False,
    stories: StoriesOption = True,
) -> None:
    """Analyse inputs and store them; re-running on the same inputs adds nothing. Stories are then
    rebuilt over every stored document (`--no-stories` to skip)."""
    _check_paths(paths)
    stats, _rejections = _ingest(db, paths, stages, max_bytes, show_progress=not as_json and sys.stderr.isatty(),
                                 stories=stories)
    if as_json:
        out.print_json(data={"db": db, **stats.to_json()})
    else:
        out.print(stats.summary())


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find; Persian and Arabic spellings match each other.")],
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option("--limit", "-n")] = 20,
    lang: Annotated[str | None, typer.Option("--lang", help="Only documents in this language.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Full-text search over the stored bodies (letter variants, digits, diacritics and ZWNJ folded)."""
    _require_db(db)
    with Store(db) as store:
        hits = store.search(query, limit=limit, lang=lang)
    if as_json:
        out.print_json(data=[h.to_json() for h in hits])
        return
    if not hits:
        out.print(f"no documents match {query!r}")
        return
    table = Table("id", "lang", "published", "title", "snippet", show_lines=True)
    for h in hits:
        table.add_row(h.doc_id, h.lang or "", h.published or "", h.title or "", h.snippet)
    out.print(table)


@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(help="Document id (or a unique prefix of 6+ characters).")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Show one stored document: its blocks with their kinds and languages, and its issues."""
    _require_db(db)
    with Store(db) as store:
        doc = store.document(doc_id)
        sources = store.document_sources(doc.id) if doc else []
    if doc is None:
        raise ConfigError(f"no document with id {doc_id!r} in {db}; list ids with `khabar search` or `khabar export`")
    if as_json:
        out.print_json(data={**doc.to_json(), "sources": [s.to_json() for s in sources]})
        return
    out.print(f"[bold]{doc.id}[/]  lang={doc.lang} ({doc.lang_confidence})  "
              f"published={doc.published.value if doc.published else None} "
              f"({doc.published.source if doc.published else '-'})")
    for s in sources:
        out.print(f"  from {s.describe()}" + (f"  {s.url}" if s.url else ""))
    table = Table("kind", "lang", "text")
    for b in doc.blocks:
        table.add_row(b.kind, b.lang or "", doc.span_text(b))
    out.print(table)
    for issue in doc.issues:
        out.print(f"[yellow]issue[/] {issue.code}: {issue.message}")


_CSV_COLUMNS = ("id", "lang", "lang_confidence", "title", "published", "published_source", "source_path",
                "source_url", "blocks", "issues", "body")


def _flat_row(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id, "lang": doc.lang, "lang_confidence": doc.lang_confidence,
        "title": doc.span_text(doc.title) if doc.title else None,
        "published": doc.published.value if doc.published else None,
        "published_source": doc.published.source if doc.published else None,
        "source_path": doc.source.path, "source_url": doc.source.url or doc.meta_value("url"),
        "blocks": json.dumps(dict(Counter(b.kind for b in doc.blocks)), ensure_ascii=False),
        "issues": ";".join(i.code for i in doc.issues), "body": doc.body_text(),
    }


@app.command()
def export(
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or parquet.")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (stdout if omitted).")] = None,
    lang: Annotated[str | None, typer.Option("--lang")] = None,
) -> None:
    """Export stored documents: full schema-1 JSONL, or a flat table as CSV or Parquet."""
    _require_db(db)
    if fmt not in ("jsonl", "csv", "parquet"):
        raise ConfigError(f"unknown format {fmt!r}; use jsonl, csv or parquet")
    if fmt == "parquet" and output is None:
        raise ConfigError("parquet is binary: give --output FILE.parquet")
    with Store(db) as store:
        docs: Iterator[Document] = store.iter_documents(lang=lang)
        if fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            rows = [{**_flat_row(d), "doc_json": d.to_json_line()} for d in docs]
            columns = {*_CSV_COLUMNS, "doc_json"}
            table = pa.Table.from_pylist(rows) if rows else pa.table({c: pa.array([], pa.string()) for c in columns})
            pq.write_table(table, str(output))
            err.print(f"wrote {len(rows)} documents to {output}")
            return
        stream = output.open("w", encoding="utf-8", newline="") if output else io.TextIOWrapper(
            sys.stdout.buffer, encoding="utf-8", newline="", write_through=True)
        try:
            if fmt == "jsonl":
                for d in docs:
                    stream.write(d.to_json_line() + "\n")
            else:
                writer = csv.DictWriter(stream, fieldnames=_CSV_COLUMNS)
                writer.writeheader()
                for d in docs:
                    writer.writerow(_flat_row(d))
        finally:
            stream.flush()
            if output:
                stream.close()
            else:
                stream.detach()


@app.command("entities")
def list_entities(
    db: DbOption = DEFAULT_DB,
    type_: Annotated[str | None, typer.Option("--type", help="PER, ORG, GPE, LOC or ROLE.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Only mentions in documents of this language.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Entities the stored documents mention, most documents first (article text only, not page chrome)."""
    _require_db(db)
    with Store(db) as store:
        rows = store.entities(type_=type_, lang=lang, limit=limit)
    if as_json:
        out.print_json(data=rows)
        return
    table = Table("entity", "type", "label", "documents", "mentions", "languages")
    for r in rows:
        table.add_row(r["id"], r["type"] or "", r["label"] or "", str(r["documents"]), str(r["mentions"]),
                      ",".join(r["langs"]))
    out.print(table)


@app.command("entity")
def show_entity(
    entity_id: Annotated[str, typer.Argument(help="Entity id, e.g. per:sergey-lavrov or country:CN.")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """One entity: the spellings seen, mentions by language, documents, co-mentioned entities."""
    _require_db(db)
    with Store(db) as store:
        report = store.entity_report(entity_id)
    if report is None:
        raise ConfigError(f"no entity {entity_id!r} in {db}; list them with `khabar entities --db {db}`")
    if as_json:
        out.print_json(data=report)
        return
    out.print(f"[bold]{report['id']}[/]  {report['type']}  {report['label'] or ''}")
    out.print("mentions by language: " + ", ".join(f"{k or '?'} {v}" for k, v in report["mentions_by_lang"].items()))
    out.print("spellings: " + " | ".join(f"{a['alias']} ({a['lang']}, {a['count']})" for a in report["aliases"]))
    table = Table("document", "lang", "published", "title", "mentions")
    for d in report["documents"]:
        table.add_row(d["id"], d["lang"] or "", d["published"] or "", d["title"] or "", str(d["mentions"]))
    out.print(table)
    out.print("co-mentioned: " + ", ".join(f"{c['id']} ({c['documents']})" for c in report["co_mentioned"]))


@app.command("events")
def list_events(
    db: DbOption = DEFAULT_DB,
    entity: Annotated[str | None, typer.Option("--entity", help="Only events with this participant.")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="MEET, VISIT, CALL, NEGOTIATE, AGREE, STATEMENT, "
                                                               "SANCTION or THREATEN.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Earliest date (ISO), by event or publication date.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Latest date (ISO).")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n")] = 100,
    as_json: JsonOption = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV output, one row per event.")] = False,
) -> None:
    """Who met, visited, called or signed with whom, where and when, newest first."""
    _require_db(db)
    with Store(db) as store:
        rows = store.events(entity=entity, type_=type_, date_from=date_from, date_to=date_to, limit=limit)
    if as_json:
        out.print_json(data=rows)
        return
    if as_csv:
        buffer = io.StringIO()
        fields = ["doc_id", "event_id", "type", "cameo", "participants", "place", "when_value", "granularity",
                  "status", "negated", "confidence", "mentions", "published", "lang", "evidence"]
        writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        for r in rows:
            writer.writerow({**r, "participants": ";".join(p["entity"] for p in r["participants"])})
        sys.stdout.write(buffer.getvalue())
        return
    table = Table("when", "type", "participants", "place", "status", "document")
    for r in rows:
        people = ", ".join((p["label"] or p["entity"]) + (f" ({p['role']})" if p["role"] else "")
                           for p in r["participants"])
        status = r["status"] + (" (negated)" if r["negated"] else "")
        table.add_row(r["when_value"] or f"~{r['published'] or '?'}", r["type"], people,
                      r["place_label"] or r["place"] or "", status, f"{r['doc_id']}#{r['event_id']}")
    out.print(table)


@app.command("quotes")
def list_quotes(
    db: DbOption = DEFAULT_DB,
    speaker: Annotated[str | None, typer.Option("--speaker", help="Only quotes of this entity id.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n")] = 100,
    as_json: JsonOption = False,
) -> None:
    """What was said and by whom, newest documents first."""
    _require_db(db)
    with Store(db) as store:
        rows = store.quotes(speaker=speaker, limit=limit)
    if as_json:
        out.print_json(data=rows)
        return
    table = Table("speaker", "quote", "kind", "document")
    for r in rows:
        table.add_row(r["speaker_label"] or r["speaker"] or "?", r["text"][:120],
                      "direct" if r["direct"] else "indirect", r["doc_id"])
    out.print(table)


@app.command("sources")
def list_sources(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option("--limit", "-n")] = 100,
    as_json: JsonOption = False,
) -> None:
    """Which outlets cite which, counted over the attribution chains of the stored documents."""
    _require_db(db)
    with Store(db) as store:
        rows = store.sources(limit=limit)
    if as_json:
        out.print_json(data=rows)
        return
    table = Table("source", "cites", "citations", "documents")
    for r in rows:
        table.add_row(r["source_label"] or r["source"] or "(unnamed)", r["cites_label"] or r["cites"] or "(unnamed)",
                      str(r["citations"]), str(r["documents"]))
    out.print(table)


@app.command("stories")
def list_stories(
    db: DbOption = DEFAULT_DB,
    date_from: Annotated[str | None, typer.Option("--from", help="Stories still running on or after this day.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Stories begun on or before this day.")] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="Only stories with this key entity.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Only stories with articles in this language.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Stories: articles about one real event, across languages and outlets, newest first."""
    _require_db(db)
    with Store(db) as store:
        rows = store.stories(date_from=date_from, date_to=date_to, entity=entity, lang=lang, limit=limit)
    if as_json:
        out.print_json(data=rows)
        return
    table = Table("story", "dates", "articles", "languages", "headline", "events")
    for r in rows:
        dates = r["first_date"] or "?"
        if r["last_date"] and r["last_date"] != r["first_date"]:
            dates += f"..{r['last_date']}"
        headline = next(iter(r["headlines"].values()), "")
        table.add_row(r["id"], dates, str(r["size"]), ",".join(r["languages"]), headline[:70],
                      ", ".join(sorted({e["type"] for e in r["events"]})))
    out.print(table)


@app.command("story")
def show_story(
    story_id: Annotated[str, typer.Argument(help="Story id (or a unique prefix of 6+ characters).")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """One story: members by language and outlet, merged events, timeline."""
    _require_db(db)
    with Store(db) as store:
        story = store.story(story_id)
    if story is None:
        raise ConfigError(f"no story {story_id!r} in {db}; list them with `khabar stories --db {db}`")
    if as_json:
        out.print_json(data=story)
        return
    out.print(f"[bold]{story['id']}[/]  {story['first_date'] or '?'}..{story['last_date'] or '?'}  "
              f"{story['size']} articles  {', '.join(story['languages'])}")
    for lang, headline in story["headlines"].items():
        out.print(f"  {lang}: {headline}")
    members = Table("document", "lang", "outlet", "published", "copy of", "title")
    for m in story["members"]:
        published = (m["published"] or "") + (" (story)" if m["published_source"] == "story" else "")
        members.add_row(m["id"], m["lang"] or "", m["outlet"] or "", published, m["duplicate_of"] or "",
                        (m["title"] or "")[:60])
    out.print(members)
    events = Table("when", "type", "participants", "place", "sources", "mentions", "conflicts")
    for e in story["events"]:
        events.add_row((e.get("when") or {}).get("value") or "", e["type"], ", ".join(e["participants"]),
                       e.get("place") or "", str(len({s["doc"] for s in e["sources"]})), str(e["mentions"]),
                       ", ".join(e.get("conflicts") or []))
    out.print(events)


@app.command("timeline")
def show_timeline(
    entity: Annotated[str, typer.Argument(help="Entity id, e.g. per:sergey-lavrov.")],
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option("--limit", "-n")] = 200,
    as_json: JsonOption = False,
) -> None:
    """The events an entity took part in, over time, one row per real event (merged across articles)."""
    _require_db(db)
    with Store(db) as store:
        rows = store.timeline(entity, limit=limit)
    if as_json:
        out.print_json(data=rows)
        return
    table = Table("when", "type", "participants", "place", "sources", "story")
    for e in rows:
        table.add_row((e.get("when") or {}).get("value") or f"~{e['first_date'] or '?'}", e["type"],
                      ", ".join(e["participants"]), e.get("place") or "", str(len({s["doc"] for s in e["sources"]})),
                      e["story"])
    out.print(table)


@app.command("rejections")
def list_rejections(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Inputs that were not ingested, with their reason codes."""
    _require_db(db)
    with Store(db) as store:
        rows = store.rejections()
    if as_json:
        out.print_json(data=rows)
        return
    table = Table("reason", "source", "message")
    for r in rows:
        where = r["path"] + (f":{r['line']}" if r["line"] else "") + (f" {r['record']}" if r["record"] else "")
        table.add_row(r["reason"], where, r["message"])
    out.print(table)


@app.command("stages")
def list_stages(as_json: JsonOption = False) -> None:
    """The registered pipeline stages, what they need and what they set."""
    infos = registered_stages()
    if as_json:
        out.print_json(data=[{"name": s.name, "requires": s.requires, "assigns": s.assigns, "doc": s.doc}
                             for s in infos])
        return
    table = Table("stage", "requires", "assigns", "what it does")
    for s in infos:
        table.add_row(s.name, ", ".join(s.requires), ", ".join(s.assigns), s.doc.splitlines()[0] if s.doc else "")
    out.print(table)


def samples_dir() -> Path:
    """The sample articles bundled with khabar (written for the demo; see samples/README.md)."""
    return Path(str(resources.files("khabar").joinpath("samples")))


@app.command()
def demo(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Ingest the bundled sample articles into the database and show what was found."""
    folder = samples_dir()
    inputs = sorted(str(p) for p in folder.iterdir()
                    if p.suffix in (".txt", ".html", ".jsonl", ".warc", ".gz") and not p.name.startswith("."))
    if not inputs:
        raise ConfigError(f"no sample articles in {folder}; reinstall khabar")
    stats, rejections = _ingest(db, inputs, None, 20_000_000, show_progress=sys.stderr.isatty() and not as_json)
    with Store(db) as store:
        docs = list(store.iter_documents())
        queries = ("وزیر", "گفت\u200cوگو", "مسقط")
        found = {q: [h.to_json() for h in store.search(q, limit=5)] for q in queries}
        top = store.entities(limit=8)
        stories = [st for st in store.stories(limit=100) if st["size"] > 1]
        events = store.events(limit=5)
    if as_json:
        out.print_json(data={"db": db, **stats.to_json(), "stories": stories, "events": events,
                             "documents": [_flat_row(d) | {"body": None, "times": len(d.times),
                                                           "mentions": len(d.mentions)} for d in docs],
                             "rejections": rejections, "searches": found, "entities": top})
        return
    out.print(f"[bold]khabar demo[/]: {len(inputs)} sample files from {folder} into {db}")
    out.print(stats.summary())
    table = Table("id", "lang", "published", "title", "blocks", "dates", "mentions")
    for d in docs:
        kinds = Counter(b.kind for b in d.blocks)
        table.add_row(d.id[:10], f"{d.lang} {d.lang_confidence or 0:.2f}",
                      f"{d.published.value} ({d.published.source})" if d.published else "-",
                      d.span_text(d.title)[:60] if d.title else "-",
                      " ".join(f"{k}:{n}" for k, n in sorted(kinds.items())), str(len(d.times)),
                      str(len(d.mentions)))
    out.print(table)
    out.print("most mentioned: " + ", ".join(
        f"{e['label'] or e['id']} ({e['documents']} docs; {','.join(e['langs'])})" for e in top))
    for st in stories[:3]:
        out.print(f"story {st['id'][:11]}: {st['size']} articles in {','.join(st['languages'])} - "
                  + next(iter(st["headlines"].values()), ""))
    for e in events[:5]:
        people = ", ".join(p["label"] or p["entity"] for p in e["participants"])
        out.print(f"event {e['type']} {e['when_value'] or '~' + str(e['published'] or '?')}: {people}"
                  + (f" in {e['place_label'] or e['place']}" if e["place"] else "") + f" ({e['status']})")
    for q, hits in found.items():
        out.print(f"search «{q}»: {len(hits)} documents " +
                  ", ".join(f"{h['id'][:10]} ({h['lang']})" for h in hits))
    out.print(f"next: khabar search QUERY --db {db} | khabar show ID --db {db} | khabar stories --db {db} | "
              f"khabar events --db {db} | khabar export --db {db}")


def _require_db(db: str) -> None:
    if not os.path.exists(db):
        raise ConfigError(f"no database at {db}; create one with `khabar ingest PATH --db {db}` or `khabar demo`")


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: run the app, turning errors into one actionable line."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    if debug:
        args.remove("--debug")
    try:
        app(args=args, prog_name="khabar", standalone_mode=False)
    except KhabarError as exc:
        if debug:
            raise
        err.print(f"[red]error:[/] {exc}", highlight=False)
        raise SystemExit(2) from None
    except (typer.Abort, KeyboardInterrupt):
        err.print("aborted")
        raise SystemExit(130) from None
    except SystemExit:
        raise
    except Exception as exc:  # click usage errors arrive here too
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            raise SystemExit(exc.exit_code) from None
        if debug:
            raise
        err.print(f"[red]internal error:[/] {type(exc).__name__}: {exc}. Re-run with --debug for the traceback "
                  "and report it.", highlight=False)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
