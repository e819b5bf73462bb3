-- Conversations, their messages (with full-text search), and the usage ledger: one row per
-- provider call, written by the app and the CLI alike.
CREATE TABLE conversations (
    id          TEXT PRIMARY KEY NOT NULL,
    title       TEXT NOT NULL,
    -- 'auto' lets the router decide; otherwise a catalog model id.
    model       TEXT NOT NULL DEFAULT 'auto',
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX conversations_by_update ON conversations (updated_at DESC);

CREATE TABLE messages (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id  TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    role             TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    content          TEXT NOT NULL DEFAULT '',
    -- streaming | complete | partial | stopped | failed
    status           TEXT NOT NULL DEFAULT 'complete',
    requested_model  TEXT,
    model            TEXT,
    provider         TEXT,
    -- The router's decision with its trace, and the reply's details (usage, cost, hops, timings).
    decision         TEXT,
    details          TEXT,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, id);

CREATE VIRTUAL TABLE messages_fts USING fts5 (
    content,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
    INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
END;

CREATE TABLE usage (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    at                 TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    source             TEXT NOT NULL DEFAULT 'app',
    conversation_id    TEXT,
    message_id         INTEGER,
    provider_id        TEXT NOT NULL,
    provider           TEXT NOT NULL,
    model              TEXT NOT NULL,
    task               TEXT,
    rule               TEXT,
    -- 0 for the first model tried, 1 for the first fallback, …
    hop                INTEGER NOT NULL DEFAULT 0,
    attempt            INTEGER NOT NULL DEFAULT 1,
    -- answered | partial | failed | skipped | stopped
    outcome            TEXT NOT NULL,
    error_code         TEXT,
    input_tokens       INTEGER NOT NULL DEFAULT 0,
    output_tokens      INTEGER NOT NULL DEFAULT 0,
    cached_tokens      INTEGER NOT NULL DEFAULT 0,
    reasoning_tokens   INTEGER NOT NULL DEFAULT 0,
    -- Costs in nano-dollars (1e-9 USD): integers, so sums never drift.
    cost_nusd          INTEGER NOT NULL DEFAULT 0,
    cost_estimated     INTEGER NOT NULL DEFAULT 0,
    baseline_model     TEXT,
    baseline_cost_nusd INTEGER,
    first_token_ms     INTEGER,
    latency_ms         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX usage_by_time ON usage (at);
CREATE INDEX usage_by_model_time ON usage (model, at);
