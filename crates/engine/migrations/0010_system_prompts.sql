-- A conversation's system prompt, and named reusable ones ("assistants") to start a chat with.
ALTER TABLE conversations ADD COLUMN system_prompt TEXT;

CREATE TABLE assistants (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL UNIQUE,
    system_prompt  TEXT NOT NULL,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
