-- The times and mentions layers as rows, and the entities and aliases the corpus has seen.
CREATE TABLE times (
    doc_id      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    calendar    TEXT NOT NULL,
    value       TEXT,
    granularity TEXT,
    role        TEXT,
    PRIMARY KEY (doc_id, seq)
);
CREATE INDEX times_value ON times(value);

CREATE TABLE mentions (
    doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    start   INTEGER NOT NULL,
    end     INTEGER NOT NULL,
    text    TEXT NOT NULL,
    type    TEXT NOT NULL,
    entity  TEXT,
    via     TEXT,
    zone    TEXT,
    PRIMARY KEY (doc_id, seq)
);
CREATE INDEX mentions_entity ON mentions(entity);

CREATE TABLE entities (
    id     TEXT PRIMARY KEY,      -- knowledge-base id, or local:<type>:<name key> for names no base holds
    type   TEXT NOT NULL,
    label  TEXT
);

CREATE TABLE aliases (
    entity TEXT NOT NULL,
    alias  TEXT NOT NULL,         -- the spelling as written in a document
    lang   TEXT NOT NULL DEFAULT '',
    count  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (entity, alias, lang)
);
