-- The local endpoint: which client (the name of the bearer token it used) made a call. NULL for
-- the app and the CLI.
ALTER TABLE usage ADD COLUMN client TEXT;
ALTER TABLE calls_in_flight ADD COLUMN client TEXT;
CREATE INDEX usage_source_client ON usage (source, client);

-- The endpoint's bearer tokens, by name. The secret itself is only in the keychain, under the
-- account `endpoint-token/<id>` (a random id, so two databases never share an entry); this
-- table lists the names so they can be shown and revoked.
CREATE TABLE endpoint_tokens (
    name       TEXT PRIMARY KEY NOT NULL,
    id         TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
