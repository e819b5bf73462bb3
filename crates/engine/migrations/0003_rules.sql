-- The routing configuration the rule editor saves: rules, detector data, complexity weights and
-- catalog. A save adds a version and never changes an old one, so every saved version stays
-- restorable; the newest version is the one in use (restoring saves a copy as the newest).
CREATE TABLE rule_versions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    saved_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- What made this version: "Saved", "Imported from TOML", "Restored version 3"…
    note          TEXT NOT NULL DEFAULT '',
    -- JSON of the router's `Settings`, `DetectorConfig` and `ComplexityConfig`: nested data the
    -- router alone reads, always written and read whole.
    settings      TEXT NOT NULL,
    detector      TEXT NOT NULL,
    complexity    TEXT NOT NULL,
    prices_taken  TEXT
);

-- One row per rule of a version, in the order they are tried; the last is the default.
CREATE TABLE rules (
    version_id  INTEGER NOT NULL REFERENCES rule_versions(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    enabled     INTEGER NOT NULL,
    -- JSON: the rule's conditions (a list) and its action.
    conditions  TEXT NOT NULL,
    action      TEXT NOT NULL,
    PRIMARY KEY (version_id, position),
    UNIQUE (version_id, name)
);

-- The catalog of a version. Prices are integer micro-dollars per million tokens, as the router
-- keeps them, so a save and a load never round a price.
CREATE TABLE models (
    version_id      INTEGER NOT NULL REFERENCES rule_versions(id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    id              TEXT NOT NULL,
    provider        TEXT NOT NULL,
    api_id          TEXT,
    input           INTEGER NOT NULL,
    output          INTEGER NOT NULL,
    cached_input    INTEGER,
    reasoning       INTEGER,
    context_window  INTEGER NOT NULL,
    quality         REAL NOT NULL,
    enabled         INTEGER NOT NULL,
    PRIMARY KEY (version_id, position),
    UNIQUE (version_id, id)
);
