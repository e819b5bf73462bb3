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

-- A correction is not a call: the rollups count it in money only.
DROP TRIGGER usage_rollup;
CREATE TRIGGER usage_rollup AFTER INSERT ON usage BEGIN
    INSERT OR IGNORE INTO usage_daily (day, model, provider_id, task, rule)
    VALUES (unixepoch(new.at) / 86400, new.model, new.provider_id, COALESCE(new.task, ''),
            COALESCE(new.rule, ''));
    UPDATE usage_daily
    SET requests = requests + (new.outcome IN ('answered', 'partial', 'stopped')),
        calls = calls + (new.outcome != 'correction'),
        cost_nusd = cost_nusd + new.cost_nusd,
        baseline_nusd = baseline_nusd + COALESCE(new.baseline_cost_nusd, new.cost_nusd)
    WHERE day = unixepoch(new.at) / 86400 AND model = new.model
      AND provider_id = new.provider_id AND task = COALESCE(new.task, '')
      AND rule = COALESCE(new.rule, '');

    INSERT OR IGNORE INTO usage_day_model (day, model)
    VALUES (unixepoch(new.at) / 86400, new.model);
    UPDATE usage_day_model
    SET slots = json_set(slots, '$."' || ((unixepoch(new.at) % 86400) / 900) || '"', json_array(
        COALESCE(json_extract(slots, '$."' || ((unixepoch(new.at) % 86400) / 900) || '"[0]'), 0)
            + (new.outcome IN ('answered', 'partial', 'stopped')),
        COALESCE(json_extract(slots, '$."' || ((unixepoch(new.at) % 86400) / 900) || '"[1]'), 0)
            + new.cost_nusd,
        COALESCE(json_extract(slots, '$."' || ((unixepoch(new.at) % 86400) / 900) || '"[2]'), 0)
            + COALESCE(new.baseline_cost_nusd, new.cost_nusd)))
    WHERE day = unixepoch(new.at) / 86400 AND model = new.model;
    UPDATE usage_day_model
    SET latency = json_set(latency,
        '$."' || (SELECT MAX(lo) FROM latency_buckets WHERE lo <= new.latency_ms) || '"',
        COALESCE(json_extract(latency,
            '$."' || (SELECT MAX(lo) FROM latency_buckets WHERE lo <= new.latency_ms) || '"'), 0)
            + 1)
    WHERE day = unixepoch(new.at) / 86400 AND model = new.model AND new.outcome = 'answered';
END;
