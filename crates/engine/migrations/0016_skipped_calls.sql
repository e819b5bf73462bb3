-- Models a request passed over without calling them: no provider or key, an open circuit, a
-- budget, a context window too small. Nothing was sent, so they are not in the usage ledger
-- (which holds calls), but Spend counts them beside the calls, and says why models were skipped.
CREATE TABLE skipped_calls (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- `app`, `cli` or `endpoint`, as in the ledger.
    source       TEXT NOT NULL,
    -- The endpoint client (its token's name); NULL for the app and the CLI.
    client       TEXT,
    provider_id  TEXT NOT NULL,
    model        TEXT NOT NULL,
    -- Why: the hop's error code (`unavailable`, `circuit_open`, `budget_exceeded`, …).
    code         TEXT NOT NULL
);
CREATE INDEX skipped_calls_at ON skipped_calls (at);
