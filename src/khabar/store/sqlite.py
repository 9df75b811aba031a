"""The embedded store: one SQLite file in WAL mode, named migrations, FTS5 over the search forms.

Ingest is idempotent on the document id (a hash of the text): the same text read twice is one
document, with both places it was read from kept in ``document_sources``. Every rejected input is
kept in ``rejections`` with its reason code and where it came from. For every ingest,
``read == ingested + duplicates + rejected``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from khabar.document import Document, Source
from khabar.errors import StoreError
from khabar.normalize import glued_form, make_views, search_form
from khabar.readers.base import Rejection

_BODY_KINDS = ("title", "lead", "body")


@dataclass(frozen=True, slots=True)
class IngestStats:
    read: int
    ingested: int
    duplicates: int
    rejected: int

    def __post_init__(self) -> None:
        if self.read != self.ingested + self.duplicates + self.rejected:
            raise StoreError(f"ingest counts do not add up: {self}; this is a khabar bug, please report it")

    def to_json(self) -> dict[str, int]:
        return {"read": self.read, "ingested": self.ingested, "duplicates": self.duplicates,
                "rejected": self.rejected}

    def summary(self) -> str:
        return (f"read {self.read} = ingested {self.ingested} + duplicates {self.duplicates} "
                f"+ rejected {self.rejected}")


@dataclass(frozen=True, slots=True)
class SearchHit:
    doc_id: str
    title: str | None
    lang: str | None
    published: str | None
    snippet: str
    match_start: int | None
    match_end: int | None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.doc_id, "title": self.title, "lang": self.lang, "published": self.published,
                "snippet": self.snippet, "match": None if self.match_start is None
                else {"start": self.match_start, "end": self.match_end}}


def _migrations() -> list[tuple[str, str]]:
    folder = resources.files("khabar.store").joinpath("migrations")
    files = sorted(p.name for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(name.removesuffix(".sql"), folder.joinpath(name).read_text(encoding="utf-8")) for name in files]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def fts_query(query: str) -> str | None:
    """Turn a user query into an FTS5 expression over the two folded columns.

    Each whitespace-separated term must match; a term matches its ``search`` form as a phrase
    (a ZWNJ or a restored ZWNJ becomes a token boundary) or its ``glued`` form. So ``وزیر`` finds
    ``وزير`` and ``می‌شود`` / ``میشود`` / ``می شود`` find each other. Returns None for an empty query.
    """
    clauses = []
    for term in query.split():
        searched = " ".join(_fts_tokens(search_form(term)))
        glued = " ".join(_fts_tokens(glued_form(term)))
        if not searched and not glued:
            continue
        options = []
        if searched:
            options.append(f'search : "{searched}"')
        if glued:
            options.append(f'glued : "{glued}"')
        clauses.append("(" + " OR ".join(options) + ")")
    return " AND ".join(clauses) or None


_TOKEN = re.compile(r"\w+")


def _fts_tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


class Store:
    """A khabar SQLite database. Use as a context manager or call `close()`."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            self.conn = sqlite3.connect(self.path)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {self.path!r}: {exc}; check the path and permissions") from None
        self.conn.row_factory = sqlite3.Row
        try:
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise StoreError(f"{self.path!r} is not a usable khabar database ({exc}); "
                             "point --db at a new file or a khabar database") from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # -- schema -----------------------------------------------------------------------------------
    def _migrate(self) -> None:
        self.conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        done = {row[0] for row in self.conn.execute("SELECT name FROM _migrations")}
        for name, sql in _migrations():
            if name in done:
                continue
            with self.conn:
                self.conn.executescript("BEGIN;" + sql + ";")
                self.conn.execute("INSERT INTO _migrations VALUES (?, ?)", (name, _now()))

    def applied_migrations(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT name FROM _migrations ORDER BY name")]

    def journal_mode(self) -> str:
        return str(self.conn.execute("PRAGMA journal_mode").fetchone()[0])

    # -- writing ------------------------------------------------------------------------------------
    def ingest(self, results: Iterable[Document | Rejection], *, analyse: Callable[[Document], Document],
               inputs: str = "", on_item: Callable[[Document | Rejection, str], None] | None = None,
               batch_size: int = 200) -> IngestStats:
        """Analyse and store every document; store every rejection. Returns the counts.

        ``on_item(item, outcome)`` is called after each item with outcome ingested, duplicate or
        rejected (the CLI uses it for its progress bar).
        """
        read = ingested = duplicates = rejected = 0
        started = _now()
        pending = 0
        self.conn.execute("BEGIN")
        try:
            for item in results:
                read += 1
                if isinstance(item, Rejection):
                    self._add_rejection(item)
                    rejected += 1
                    outcome = "rejected"
                elif self._has(item.id):
                    self._add_source(item.id, item.source)
                    duplicates += 1
                    outcome = "duplicate"
                else:
                    self._add_document(analyse(item))
                    ingested += 1
                    outcome = "ingested"
                if on_item:
                    on_item(item, outcome)
                pending += 1
                if pending >= batch_size:
                    self.conn.execute("COMMIT")
                    self.conn.execute("BEGIN")
                    pending = 0
            stats = IngestStats(read, ingested, duplicates, rejected)
            self.conn.execute(
                "INSERT INTO ingest_runs (started_at, inputs, read, ingested, duplicates, rejected) "
                "VALUES (?, ?, ?, ?, ?, ?)", (started, inputs, read, ingested, duplicates, rejected))
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return stats

    def _has(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def _add_source(self, doc_id: str, source: Source) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO document_sources (doc_id, path, url, record, line) VALUES (?, ?, ?, ?, ?)",
            (doc_id, source.path or "", source.url or "", source.record or "", source.line or 0))

    def _add_rejection(self, rejection: Rejection) -> None:
        src = rejection.source
        self.conn.execute(
            "INSERT OR IGNORE INTO rejections (path, url, record, line, reason, message, first_seen) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (src.path or "", src.url or "", src.record or "", src.line or 0, rejection.reason,
             rejection.message, _now()))

    def _add_document(self, doc: Document) -> None:
        data = doc.to_json()
        cur = self.conn.execute(
            "INSERT INTO documents (id, lang, lang_confidence, title, published, published_source, text, "
            "meta_json, doc_json, duplicate_of, story, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (doc.id, doc.lang, doc.lang_confidence, doc.span_text(doc.title) if doc.title else None,
             doc.published.value if doc.published else None, doc.published.source if doc.published else None,
             doc.text, json.dumps(data["meta"], ensure_ascii=False), json.dumps(data, ensure_ascii=False),
             doc.duplicate_of, doc.story, _now()))
        rowid = cur.lastrowid
        self._add_source(doc.id, doc.source)
        self.conn.executemany(
            "INSERT INTO blocks (doc_id, seq, start, end, kind, lang, lang_confidence, attrs_json) "
            "VALUES (?,?,?,?,?,?,?,?)",
            [(doc.id, i, b.start, b.end, b.kind, b.lang, b.lang_confidence,
              json.dumps(dict(b.attrs), ensure_ascii=False)) for i, b in enumerate(doc.blocks)])
        self.conn.executemany("INSERT INTO issues (doc_id, code, message) VALUES (?,?,?)",
                              [(doc.id, i.code, i.message) for i in doc.issues])
        self.conn.executemany(
            "INSERT INTO times (doc_id, seq, start, end, text, calendar, value, granularity, role) "
            "VALUES (?,?,?,?,?,?,?,?,?)",
            [(doc.id, i, t["start"], t["end"], t["text"], t["calendar"], t.get("value"), t.get("granularity"),
              t.get("role")) for i, t in enumerate(doc.times)])
        self.conn.executemany(
            "INSERT INTO mentions (doc_id, seq, start, end, text, type, entity, via, zone) VALUES (?,?,?,?,?,?,?,?,?)",
            [(doc.id, i, m["start"], m["end"], m["text"], m["type"], m.get("entity"), m.get("via"), m.get("zone"))
             for i, m in enumerate(doc.mentions)])
        for m in doc.mentions:
            if not m.get("entity"):
                continue
            self.conn.execute("INSERT OR IGNORE INTO entities (id, type, label) VALUES (?, ?, ?)",
                              (m["entity"], m["type"] if m["type"] != "ROLE" else "PER", m.get("label")))
            self.conn.execute(
                "INSERT INTO aliases (entity, alias, lang, count) VALUES (?, ?, ?, 1) "
                "ON CONFLICT (entity, alias, lang) DO UPDATE SET count = count + 1",
                (m["entity"], m["text"], doc.lang or ""))
        self._add_discourse(doc)
        searched, glued = _index_forms(doc)
        self.conn.execute("INSERT INTO doc_fts (rowid, search, glued) VALUES (?, ?, ?)", (rowid, searched, glued))

    def cluster_stories(self, on_document: Callable[[], None] | None = None) -> dict[str, int]:
        """(Re)build the stories of every stored document: near-duplicates, stories, merged events,
        and what each story tells its undated members. Documents are replayed in order of
        publication (undated ones last, in ingest order), as they would have arrived."""
        from dataclasses import replace

        from khabar.corpus.features import StoryFeatures
        from khabar.corpus.records import infer_from_story, story_records
        from khabar.corpus.stories import StoryClusterer

        rows = self.conn.execute(
            "SELECT doc_json FROM documents ORDER BY coalesce(published, '9999'), rowid").fetchall()
        docs = [Document.from_json(json.loads(r[0])) for r in rows]
        clusterer = StoryClusterer()
        assignments = []
        for doc in docs:
            assignments.append(clusterer.add(StoryFeatures.of(doc)))
            if on_document:
                on_document()
        by_story: dict[str, list[Document]] = {}
        for doc, a in zip(docs, assignments, strict=True):
            by_story.setdefault(a.story, []).append(doc)
        inferred = 0
        self.conn.execute("BEGIN")
        try:
            self.conn.execute("DELETE FROM story_documents")
            self.conn.execute("DELETE FROM stories")
            updated = []
            for doc, a in zip(docs, assignments, strict=True):
                new = infer_from_story(doc, by_story[a.story]) if len(by_story[a.story]) > 1 else doc
                if new is not doc:
                    inferred += 1
                    self._replace_discourse(new)
                new = replace(new, story=a.story, duplicate_of=a.duplicate_of)
                updated.append(new)
                self.conn.execute(
                    "UPDATE documents SET story = ?, duplicate_of = ?, published = ?, published_source = ?, "
                    "doc_json = ? WHERE id = ?",
                    (a.story, a.duplicate_of, new.published.value if new.published else None,
                     new.published.source if new.published else None, json.dumps(new.to_json(), ensure_ascii=False),
                     new.id))
            records = story_records(updated, assignments)
            for r in records:
                self.conn.execute(
                    "INSERT INTO stories (id, first_date, last_date, size, languages, outlets, headlines, key_entities, "
                    "events_json) VALUES (?,?,?,?,?,?,?,?,?)",
                    (r["id"], r["first_date"], r["last_date"], len(r["members"]), json.dumps(r["languages"]),
                     json.dumps(r["outlets"]), json.dumps(r["headlines"], ensure_ascii=False),
                     json.dumps(r["key_entities"]), json.dumps(r["events"], ensure_ascii=False)))
                self.conn.executemany(
                    "INSERT INTO story_documents (story_id, doc_id, duplicate_of) VALUES (?,?,?)",
                    [(r["id"], m["doc"], m["duplicate_of"]) for m in r["members"]])
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return {"documents": len(docs), "stories": len(records),
                "duplicates": sum(1 for a in assignments if a.duplicate_of), "inferred": inferred}

    def _replace_discourse(self, doc: Document) -> None:
        for table in ("event_participants", "events", "citations", "attributions", "quotes"):
            self.conn.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc.id,))
        self._add_discourse(doc)

    def stories(self, *, date_from: str | None = None, date_to: str | None = None, entity: str | None = None,
                lang: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Stories, largest first within the newest, filtered by dates, an entity or a language."""
        where, params = ["1 = 1"], []
        if date_from:
            where.append("coalesce(last_date, first_date) >= ?")
            params.append(date_from)
        if date_to:
            where.append("first_date <= ?")
            params.append(date_to)
        if entity:
            where.append("EXISTS (SELECT 1 FROM json_each(stories.key_entities) WHERE value = ?)")
            params.append(entity)
        if lang:
            where.append("EXISTS (SELECT 1 FROM json_each(stories.languages) WHERE value = ?)")
            params.append(lang)
        sql = (f"SELECT * FROM stories WHERE {' AND '.join(where)} "
               "ORDER BY first_date DESC, size DESC, id LIMIT ?")
        return [_story_row(r) for r in self.conn.execute(sql, [*params, limit])]

    def story(self, story_id: str) -> dict[str, Any] | None:
        """One story: its members by language and outlet, merged events and timeline."""
        row = self.conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None and len(story_id) >= 6:
            rows = self.conn.execute("SELECT * FROM stories WHERE id LIKE ? LIMIT 2", (story_id + "%",)).fetchall()
            row = rows[0] if len(rows) == 1 else None
        if row is None:
            return None
        out = _story_row(row)
        out["members"] = [dict(r) for r in self.conn.execute(
            "SELECT d.id, d.lang, d.published, d.published_source, d.title, sd.duplicate_of, "
            "json_extract(d.meta_json, '$.outlet') AS outlet FROM story_documents sd "
            "JOIN documents d ON d.id = sd.doc_id WHERE sd.story_id = ? ORDER BY d.published, d.rowid", (out["id"],))]
        out["events"] = sorted(out["events"], key=lambda e: ((e.get("when") or {}).get("value") or "9999", e["type"]))
        return out

    def timeline(self, entity: str, *, limit: int = 200) -> list[dict[str, Any]]:
        """The merged events of every story in which ``entity`` takes part, in time order."""
        out = []
        for row in self.conn.execute("SELECT * FROM stories ORDER BY first_date, id"):
            story = _story_row(row)
            for event in story["events"]:
                if entity in event["participants"]:
                    out.append({"story": story["id"], "headline": next(iter(story["headlines"].values()), None),
                                "first_date": story["first_date"], **event})
        out.sort(key=lambda e: ((e.get("when") or {}).get("value") or e["first_date"] or "9999", e["story"]))
        return out[:limit]

    def _add_discourse(self, doc: Document) -> None:
        for e in doc.events:
            first = e["evidence"][0]
            self.conn.execute(
                "INSERT INTO events (doc_id, event_id, type, cameo, place, when_value, granularity, status, negated, "
                "confidence, evidence_start, evidence_end, mentions) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.id, e["id"], e["type"], e.get("cameo"), (e.get("place") or {}).get("entity"),
                 (e.get("when") or {}).get("value"), (e.get("when") or {}).get("granularity"), e["status"],
                 int(bool(e.get("negated"))), e.get("confidence"), first["start"], first["end"],
                 len(e.get("triggers") or [None])))
            self.conn.executemany(
                "INSERT OR IGNORE INTO event_participants (doc_id, event_id, entity, role, start, end) "
                "VALUES (?,?,?,?,?,?)",
                [(doc.id, e["id"], p["entity"], p.get("role"), p.get("start"), p.get("end"))
                 for p in e["participants"] if p.get("entity")])
        self.conn.executemany(
            "INSERT INTO quotes (doc_id, seq, start, end, text, direct, cue, speaker, speaker_via) "
            "VALUES (?,?,?,?,?,?,?,?,?)",
            [(doc.id, i, q["start"], q["end"], q["text"], int(q["direct"]), (q.get("cue") or {}).get("text"),
              (q.get("speaker") or {}).get("entity"), (q.get("speaker") or {}).get("via"))
             for i, q in enumerate(doc.quotes)])
        for i, a in enumerate(doc.attributions):
            chain = [hop.get("entity") for hop in a["chain"]]
            for hop in a["chain"]:
                if hop.get("entity"):
                    self.conn.execute("INSERT OR IGNORE INTO entities (id, type, label) VALUES (?, ?, ?)",
                                      (hop["entity"], "PER" if hop.get("type") == "ROLE" else hop.get("type") or "ORG",
                                       hop.get("label")))
            self.conn.execute(
                "INSERT INTO attributions (doc_id, seq, start, end, text, kind, chain_json, reporter) "
                "VALUES (?,?,?,?,?,?,?,?)",
                (doc.id, i, a["start"], a["end"], a["text"], a["kind"], json.dumps(chain), a.get("reporter")))
            self.conn.executemany(
                "INSERT INTO citations (doc_id, seq, hop, source, cites) VALUES (?,?,?,?,?)",
                [(doc.id, i, n, chain[n], chain[n + 1]) for n in range(len(chain) - 1)])

    # -- reading ------------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        tables = ("documents", "document_sources", "blocks", "rejections", "issues", "ingest_runs", "times",
                  "mentions", "entities", "aliases", "events", "event_participants", "quotes", "attributions",
                  "citations", "stories", "story_documents")
        return {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    def document(self, doc_id: str) -> Document | None:
        """A stored document by id, or by a unique id prefix of at least 6 characters."""
        row = self.conn.execute("SELECT doc_json FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None and len(doc_id) >= 6:
            rows = self.conn.execute("SELECT doc_json FROM documents WHERE id LIKE ? LIMIT 2",
                                     (doc_id + "%",)).fetchall()
            row = rows[0] if len(rows) == 1 else None
        return Document.from_json(json.loads(row[0])) if row else None

    def document_sources(self, doc_id: str) -> list[Source]:
        rows = self.conn.execute("SELECT path, url, record, line FROM document_sources WHERE doc_id = ?",
                                 (doc_id,)).fetchall()
        return [Source(r["path"] or None, r["url"] or None, r["record"] or None, r["line"] or None) for r in rows]

    def iter_documents(self, *, lang: str | None = None) -> Iterator[Document]:
        sql = "SELECT doc_json FROM documents"
        params: tuple[Any, ...] = ()
        if lang:
            sql += " WHERE lang = ?"
            params = (lang,)
        for row in self.conn.execute(sql + " ORDER BY rowid", params):
            yield Document.from_json(json.loads(row[0]))

    def entities(self, *, type_: str | None = None, lang: str | None = None, limit: int = 50,
                 body_only: bool = True) -> list[dict[str, Any]]:
        """Entities by number of documents that mention them, with mention counts by language."""
        where = ["m.entity IS NOT NULL"]
        params: list[Any] = []
        if body_only:
            where.append("m.zone IN ('title', 'lead', 'body', 'caption', 'dateline')")
        if type_:
            where.append("e.type = ?")
            params.append(type_)
        if lang:
            where.append("d.lang = ?")
            params.append(lang)
        sql = (
            "SELECT m.entity AS id, e.type AS type, e.label AS label, count(*) AS mentions, "
            "count(DISTINCT m.doc_id) AS documents, group_concat(DISTINCT d.lang) AS langs "
            "FROM mentions m JOIN documents d ON d.id = m.doc_id LEFT JOIN entities e ON e.id = m.entity "
            f"WHERE {' AND '.join(where)} GROUP BY m.entity ORDER BY documents DESC, mentions DESC, m.entity LIMIT ?")
        rows = [dict(r) for r in self.conn.execute(sql, [*params, limit])]
        for row in rows:
            row["langs"] = sorted((row["langs"] or "").split(",")) if row["langs"] else []
        return rows

    def entity_report(self, entity_id: str, *, limit: int = 20) -> dict[str, Any] | None:
        """Aliases seen, mention counts by language, documents and co-mentioned entities of one entity."""
        row = self.conn.execute("SELECT id, type, label FROM entities WHERE id = ?", (entity_id,)).fetchone()
        if row is None:
            return None
        aliases = [dict(r) for r in self.conn.execute(
            "SELECT alias, lang, count FROM aliases WHERE entity = ? ORDER BY count DESC, alias", (entity_id,))]
        by_lang = {r["lang"]: r["n"] for r in self.conn.execute(
            "SELECT d.lang AS lang, count(*) AS n FROM mentions m JOIN documents d ON d.id = m.doc_id "
            "WHERE m.entity = ? GROUP BY d.lang", (entity_id,))}
        documents = [dict(r) for r in self.conn.execute(
            "SELECT d.id, d.lang, d.published, d.title, count(*) AS mentions FROM mentions m "
            "JOIN documents d ON d.id = m.doc_id WHERE m.entity = ? GROUP BY d.id "
            "ORDER BY d.published DESC, d.id LIMIT ?", (entity_id, limit))]
        co = [dict(r) for r in self.conn.execute(
            "SELECT o.entity AS id, e.label AS label, count(DISTINCT o.doc_id) AS documents "
            "FROM mentions m JOIN mentions o ON o.doc_id = m.doc_id AND o.entity != m.entity "
            "LEFT JOIN entities e ON e.id = o.entity WHERE m.entity = ? AND o.entity IS NOT NULL "
            "GROUP BY o.entity ORDER BY documents DESC, o.entity LIMIT ?", (entity_id, limit))]
        return {**dict(row), "aliases": aliases, "mentions_by_lang": by_lang, "documents": documents,
                "co_mentioned": co}

    def events(self, *, entity: str | None = None, type_: str | None = None, date_from: str | None = None,
               date_to: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Event records, newest first, with participants and the sentence that tells them.

        ``date_from``/``date_to`` compare ISO strings: an event dated by month or interval is kept
        when its value starts inside the range."""
        where, params = ["1 = 1"], []
        if entity:
            where.append("EXISTS (SELECT 1 FROM event_participants p WHERE p.doc_id = e.doc_id "
                         "AND p.event_id = e.event_id AND p.entity = ?)")
            params.append(entity)
        if type_:
            where.append("e.type = ?")
            params.append(type_.upper())
        if date_from:
            where.append("coalesce(e.when_value, d.published) >= ?")
            params.append(date_from)
        if date_to:
            where.append("substr(coalesce(e.when_value, d.published), 1, 10) <= ?")
            params.append(date_to)
        sql = ("SELECT e.doc_id, e.event_id, e.type, e.cameo, e.place, pl.label AS place_label, e.when_value, "
               "e.granularity, e.status, e.negated, e.confidence, e.mentions, d.published, d.lang, "
               "substr(d.text, e.evidence_start + 1, e.evidence_end - e.evidence_start) AS evidence "
               "FROM events e JOIN documents d ON d.id = e.doc_id LEFT JOIN entities pl ON pl.id = e.place "
               f"WHERE {' AND '.join(where)} "
               "ORDER BY coalesce(e.when_value, d.published) DESC, e.doc_id, e.event_id LIMIT ?")
        rows = [dict(r) for r in self.conn.execute(sql, [*params, limit])]
        for row in rows:
            row["negated"] = bool(row["negated"])
            row["participants"] = [dict(r) for r in self.conn.execute(
                "SELECT p.entity, e.label, p.role FROM event_participants p LEFT JOIN entities e ON e.id = p.entity "
                "WHERE p.doc_id = ? AND p.event_id = ? ORDER BY p.start", (row["doc_id"], row["event_id"]))]
        return rows

    def quotes(self, *, speaker: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Quotes with their speakers, newest documents first."""
        where, params = ["1 = 1"], []
        if speaker:
            where.append("q.speaker = ?")
            params.append(speaker)
        sql = ("SELECT q.doc_id, q.seq, q.text, q.direct, q.cue, q.speaker, e.label AS speaker_label, "
               "q.speaker_via, d.published, d.lang FROM quotes q JOIN documents d ON d.id = q.doc_id "
               f"LEFT JOIN entities e ON e.id = q.speaker WHERE {' AND '.join(where)} "
               "ORDER BY d.published DESC, q.doc_id, q.seq LIMIT ?")
        rows = [dict(r) for r in self.conn.execute(sql, [*params, limit])]
        for row in rows:
            row["direct"] = bool(row["direct"])
        return rows

    def sources(self, *, limit: int = 100) -> list[dict[str, Any]]:
        """Which source cites which, counted over all attribution chains (unnamed sources as null)."""
        sql = ("SELECT c.source, s.label AS source_label, c.cites, t.label AS cites_label, "
               "count(*) AS citations, count(DISTINCT c.doc_id) AS documents FROM citations c "
               "LEFT JOIN entities s ON s.id = c.source LEFT JOIN entities t ON t.id = c.cites "
               "GROUP BY c.source, c.cites ORDER BY citations DESC, c.source, c.cites LIMIT ?")
        return [dict(r) for r in self.conn.execute(sql, (limit,))]

    def rejections(self) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT path, url, record, line, reason, message FROM rejections ORDER BY id")
        return [dict(r) for r in rows]

    def search(self, query: str, *, limit: int = 20, lang: str | None = None) -> list[SearchHit]:
        """Documents whose body matches every query term, best first, with a snippet of the original text."""
        expression = fts_query(query)
        if expression is None:
            return []
        sql = ("SELECT d.id, d.title, d.lang, d.published, d.text FROM doc_fts "
               "JOIN documents d ON d.rowid = doc_fts.rowid WHERE doc_fts MATCH ?")
        params: list[Any] = [expression]
        if lang:
            sql += " AND d.lang = ?"
            params.append(lang)
        sql += " ORDER BY bm25(doc_fts) LIMIT ?"
        params.append(limit)
        hits = []
        for row in self.conn.execute(sql, params):
            start, end = _locate(row["text"], row["lang"], query)
            hits.append(SearchHit(row["id"], row["title"], row["lang"], row["published"],
                                  _snippet(row["text"], start, end), start, end))
        return hits


def _story_row(row: Any) -> dict[str, Any]:
    out = dict(row)
    for key, name in (("languages", "languages"), ("outlets", "outlets"), ("headlines", "headlines"),
                      ("key_entities", "key_entities"), ("events_json", "events")):
        out[name] = json.loads(out.pop(key))
    return out


def _index_forms(doc: Document) -> tuple[str, str]:
    """The folded forms of the title, lead and body blocks that go into the FTS index."""
    body_blocks = [b for b in doc.blocks if b.kind in _BODY_KINDS] or None
    search_view = doc.view("search")
    glued_view = doc.view("glued")
    if search_view is None or glued_view is None:
        _display, search_view, glued_view = make_views(doc.text, doc.lang)
    if body_blocks is None:
        return search_view.text, glued_view.text
    return (_slice_view(search_view, body_blocks), _slice_view(glued_view, body_blocks))


def _slice_view(view: Any, blocks: list[Any]) -> str:
    """The parts of a view that come from the given original spans, joined by newlines."""
    wanted = [False] * (max(b.end for b in blocks) + 1)
    for b in blocks:
        for i in range(b.start, b.end):
            wanted[i] = True
    pieces: list[str] = []
    last_in = False
    for ch, start in zip(view.text, view.starts, strict=True):
        inside = start < len(wanted) and wanted[start]
        if inside:
            pieces.append(ch)
        elif last_in:
            pieces.append("\n")
        last_in = inside
    return "".join(pieces)


def _locate(text: str, lang: str | None, query: str) -> tuple[int | None, int | None]:
    """Original offsets of the first place where a query term occurs (for the snippet)."""
    _display, search_view, glued_view = make_views(text, lang)
    for term in query.split():
        for view, form in ((search_view, search_form(term)), (glued_view, glued_form(term))):
            form = form.strip()
            if not form:
                continue
            pos = view.text.find(form)
            if pos >= 0:
                span = view.to_original(pos, pos + len(form))
                return span.start, span.end
    return None, None


def _snippet(text: str, start: int | None, end: int | None, width: int = 80) -> str:
    if start is None or end is None:
        return " ".join(text[: 2 * width].split())
    left = max(0, start - width)
    right = min(len(text), end + width)
    return ("…" if left else "") + " ".join(text[left:right].split()) + ("…" if right < len(text) else "")
