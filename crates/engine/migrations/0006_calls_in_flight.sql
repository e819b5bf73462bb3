-- Provider calls in flight. A row is written, in the same write transaction as the budget
-- check, just before a call is sent; it holds the call's budget reservation and everything the
-- ledger row will need. When the call ends the row is removed and its ledger row written in one
-- transaction. A row left by a process that died is settled as estimated by the next start.
CREATE TABLE calls_in_flight (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    at                 TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- Past this the reservation no longer holds headroom and the row may be settled by anyone.
    expires_at         TEXT NOT NULL,
    -- The process that sent the call: a row whose process is gone is settled at once.
    pid                INTEGER NOT NULL,
    source             TEXT NOT NULL,
    conversation_id    TEXT,
    message_id         INTEGER,
    provider_id        TEXT NOT NULL,
    provider           TEXT NOT NULL,
    model              TEXT NOT NULL,
    task               TEXT,
    rule               TEXT,
    hop                INTEGER NOT NULL,
    attempt            INTEGER NOT NULL,
    -- The estimate the budgets reserve, and the tokens it assumes (prompt, expected reply).
    estimate_nusd      INTEGER NOT NULL,
    input_tokens       INTEGER NOT NULL,
    output_tokens      INTEGER NOT NULL,
    baseline_model     TEXT,
    baseline_cost_nusd INTEGER
);
CREATE INDEX calls_in_flight_provider ON calls_in_flight (provider_id);

-- Reported usage the engine did not believe (more tokens than the model's window and output
-- limit allow): the row keeps what was reported, its cost is the estimate, and it is flagged.
ALTER TABLE usage ADD COLUMN usage_flag TEXT;
-- A correction row offsets the cost of the row it names (the ledger stays append-only).
ALTER TABLE usage ADD COLUMN corrects INTEGER REFERENCES usage (id);
