-- Stories over the stored documents (issue 6), rebuilt by `Store.cluster_stories`.
CREATE TABLE stories (
    id           TEXT PRIMARY KEY,     -- "s" + the id of its first document
    first_date   TEXT,
    last_date    TEXT,
    size         INTEGER NOT NULL,
    languages    TEXT NOT NULL,        -- JSON list
    outlets      TEXT NOT NULL,        -- JSON list
    headlines    TEXT NOT NULL,        -- JSON object: language -> headline
    key_entities TEXT NOT NULL,        -- JSON list of entity ids
    events_json  TEXT NOT NULL         -- merged events (khabar.corpus.records.merge_events)
);
CREATE INDEX stories_first_date ON stories(first_date);

CREATE TABLE story_documents (
    story_id     TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    doc_id       TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    duplicate_of TEXT,
    PRIMARY KEY (story_id, doc_id)
);
CREATE INDEX story_documents_doc ON story_documents(doc_id);
