-- Compare, feedback and suggestions: what the user thinks of the answers, kept on this machine.

-- A compared answer: `compare_of` is the user message every column answered, `compare_column`
-- 0 for the routed model and 1.. for the others. `alternative` = 1 marks an answer that is
-- shown but never sent upstream (a compared answer that was not chosen).
ALTER TABLE messages ADD COLUMN compare_of INTEGER;
ALTER TABLE messages ADD COLUMN compare_column INTEGER;
ALTER TABLE messages ADD COLUMN alternative INTEGER NOT NULL DEFAULT 0;

-- One row per judgement. `model` is the model judged: for `compare` the routed model (its
-- result against `other_model`), for `thumb` the reply's model, for `regenerate` the model the
-- user asked another (`other_model`) to answer instead of (a loss).
CREATE TABLE votes (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    at               TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    kind             TEXT NOT NULL CHECK (kind IN ('compare', 'thumb', 'regenerate')),
    conversation_id  TEXT,
    -- The reply judged (compare: the routed reply).
    message_id       INTEGER,
    -- compare: the user message the columns answered.
    compare_of       INTEGER,
    task             TEXT NOT NULL,
    rule             TEXT,
    model            TEXT NOT NULL,
    other_model      TEXT,
    result           TEXT NOT NULL CHECK (result IN ('win', 'tie', 'loss', 'up', 'down'))
);
CREATE INDEX votes_by_time ON votes (at);
CREATE UNIQUE INDEX votes_one_thumb ON votes (message_id) WHERE kind = 'thumb';
CREATE UNIQUE INDEX votes_one_pick ON votes (compare_of, other_model) WHERE kind = 'compare';

-- Suggestions the user answered: accepted (with the rules version it became) or dismissed, so a
-- dismissed one is not offered again.
CREATE TABLE suggestions (
    key          TEXT PRIMARY KEY NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('accepted', 'dismissed')),
    at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    task         TEXT NOT NULL,
    rule         TEXT NOT NULL,
    from_model   TEXT NOT NULL,
    to_model     TEXT NOT NULL,
    direction    TEXT NOT NULL,
    -- The counts it was based on, as JSON.
    evidence     TEXT NOT NULL,
    version_id   INTEGER
);
