-- The models each configured provider serves, from its own model list (fetched on Test
-- connection and when a day old). A provider with no rows has no list yet: its models are
-- assumed served. The list is replaced whole, so every row of a provider has one fetched_at.
CREATE TABLE provider_models (
    provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    model_id    TEXT NOT NULL,
    fetched_at  INTEGER NOT NULL DEFAULT (unixepoch()),
    PRIMARY KEY (provider_id, model_id)
) WITHOUT ROWID;
