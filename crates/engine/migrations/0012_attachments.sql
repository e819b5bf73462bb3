-- Whether a catalog model reads images, and the files sent with messages.
ALTER TABLE models ADD COLUMN vision INTEGER NOT NULL DEFAULT 0;
-- Saved catalogs get the bundled catalog's answer for the models it knows.
UPDATE models SET vision = 1 WHERE id IN (
    'gpt-4o', 'gpt-4o-mini', 'o1', 'o3', 'o4-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano',
    'gpt-5', 'gpt-5-mini', 'gpt-5-nano',
    'claude-opus-4', 'claude-opus-4-1', 'claude-opus-4-5', 'claude-sonnet-4', 'claude-sonnet-4-5',
    'claude-haiku-4-5',
    'gemini-flash', 'gemini-2.5-flash-lite', 'gemini-2.5-flash', 'gemini-2.5-pro',
    'mistral-medium-3', 'mistral-small'
);

-- A file sent with a user message. The bytes live in the data directory at `path`
-- (attachments/<conversation id>/<sha256>.<ext>), never in the database; the rows go with
-- their message and conversation, the files with the conversation.
CREATE TABLE attachments (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id       INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    conversation_id  TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    name             TEXT NOT NULL,
    mime_type        TEXT NOT NULL,
    -- image | text
    kind             TEXT NOT NULL CHECK (kind IN ('image', 'text')),
    size             INTEGER NOT NULL,
    sha256           TEXT NOT NULL,
    path             TEXT NOT NULL,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX attachments_by_message ON attachments (message_id, position);
CREATE INDEX attachments_by_conversation ON attachments (conversation_id);
