-- The events, quotes and attributions layers as rows (issue 5), beside the document JSON.
CREATE TABLE events (
    doc_id      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    event_id    TEXT NOT NULL,          -- e1, e2... within the document
    type        TEXT NOT NULL,
    cameo       TEXT,
    place       TEXT,                   -- entity id
    when_value  TEXT,                   -- ISO day, month, year or interval
    granularity TEXT,
    status      TEXT NOT NULL,
    negated     INTEGER NOT NULL DEFAULT 0,
    confidence  REAL,
    evidence_start INTEGER NOT NULL,    -- the first sentence that tells it
    evidence_end   INTEGER NOT NULL,
    mentions    INTEGER NOT NULL,       -- how many times the document tells it
    PRIMARY KEY (doc_id, event_id)
);
CREATE INDEX events_type ON events(type);
CREATE INDEX events_when ON events(when_value);

CREATE TABLE event_participants (
    doc_id   TEXT NOT NULL,
    event_id TEXT NOT NULL,
    entity   TEXT NOT NULL,
    role     TEXT,                      -- host, guest, caller, callee or null
    start    INTEGER,
    end      INTEGER,
    PRIMARY KEY (doc_id, event_id, entity),
    FOREIGN KEY (doc_id, event_id) REFERENCES events(doc_id, event_id) ON DELETE CASCADE
);
CREATE INDEX event_participants_entity ON event_participants(entity);

CREATE TABLE quotes (
    doc_id   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    start    INTEGER NOT NULL,
    end      INTEGER NOT NULL,
    text     TEXT NOT NULL,
    direct   INTEGER NOT NULL,
    cue      TEXT,
    speaker  TEXT,                      -- entity id
    speaker_via TEXT,
    PRIMARY KEY (doc_id, seq)
);
CREATE INDEX quotes_speaker ON quotes(speaker);

CREATE TABLE attributions (
    doc_id   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    start    INTEGER NOT NULL,
    end      INTEGER NOT NULL,
    text     TEXT NOT NULL,
    kind     TEXT NOT NULL,
    chain_json TEXT NOT NULL,           -- entity ids, reporting source first
    reporter TEXT,
    PRIMARY KEY (doc_id, seq)
);

-- One row per hop of a chain: `cites` is the next source down the chain (who `source` cites).
CREATE TABLE citations (
    doc_id TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    hop    INTEGER NOT NULL,
    source TEXT,
    cites  TEXT,
    PRIMARY KEY (doc_id, seq, hop),
    FOREIGN KEY (doc_id, seq) REFERENCES attributions(doc_id, seq) ON DELETE CASCADE
);
