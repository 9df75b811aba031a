-- Documents as read and analysed, the places each copy was read from, their blocks, the inputs
-- that were rejected, and the full-text index over the search forms (see docs/schema.md).
CREATE TABLE documents (
    rowid            INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,          -- sha256(text)[:16]
    lang             TEXT,
    lang_confidence  REAL,
    title            TEXT,
    published        TEXT,                          -- ISO date or null
    published_source TEXT,                          -- metadata | url | text | story
    text             TEXT NOT NULL,                 -- exactly as read: every span points into it
    meta_json        TEXT NOT NULL DEFAULT '{}',
    doc_json         TEXT NOT NULL,                 -- the schema-1 JSON of `khabar analyze`
    duplicate_of     TEXT,
    story            TEXT,
    ingested_at      TEXT NOT NULL
);
CREATE INDEX documents_lang ON documents(lang);
CREATE INDEX documents_published ON documents(published);

CREATE TABLE document_sources (
    doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    path    TEXT NOT NULL DEFAULT '',
    url     TEXT NOT NULL DEFAULT '',
    record  TEXT NOT NULL DEFAULT '',
    line    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (doc_id, path, url, record, line)
);

CREATE TABLE blocks (
    doc_id          TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    start           INTEGER NOT NULL,
    end             INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    lang            TEXT,
    lang_confidence REAL,
    attrs_json      TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (doc_id, seq)
);
CREATE INDEX blocks_kind ON blocks(kind);

CREATE TABLE issues (
    doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    code    TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX issues_code ON issues(code);

CREATE TABLE rejections (
    id       INTEGER PRIMARY KEY,
    path     TEXT NOT NULL DEFAULT '',
    url      TEXT NOT NULL DEFAULT '',
    record   TEXT NOT NULL DEFAULT '',
    line     INTEGER NOT NULL DEFAULT 0,
    reason   TEXT NOT NULL,
    message  TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    UNIQUE (path, url, record, line, reason)
);

CREATE TABLE ingest_runs (
    id         INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    inputs     TEXT NOT NULL,
    read       INTEGER NOT NULL,
    ingested   INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    rejected   INTEGER NOT NULL
);

-- Two folded forms of the body (title, lead and body blocks): `search` has ZWNJ restored then
-- split into spaces, `glued` has ZWNJ removed. A query matches either (khabar.store.fts_query).
CREATE VIRTUAL TABLE doc_fts USING fts5(
    search, glued,
    tokenize = 'unicode61 remove_diacritics 2'
);
