-- Provider settings. API keys are never stored here: they live in the OS keychain, keyed by id.
CREATE TABLE providers (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind        TEXT NOT NULL CHECK (kind IN ('openai', 'anthropic', 'gemini', 'openai-compatible')),
    preset      TEXT NOT NULL DEFAULT 'custom',
    base_url    TEXT NOT NULL,
    headers     TEXT NOT NULL DEFAULT '[]',
    enabled     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
