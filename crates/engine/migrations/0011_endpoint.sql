-- The local endpoint: which client (the name of the bearer token it used) made a call. NULL for
-- the app and the CLI.
ALTER TABLE usage ADD COLUMN client TEXT;
ALTER TABLE calls_in_flight ADD COLUMN client TEXT;

-- The daily rollups gain the source and the client, so Spend can filter and break down by them
-- at rollup speed. Rebuilt from the ledger, which is exact.
CREATE TABLE usage_daily_new (
    day            INTEGER NOT NULL,
    model          TEXT NOT NULL,
    provider_id    TEXT NOT NULL,
    task           TEXT NOT NULL,
    rule           TEXT NOT NULL,
    source         TEXT NOT NULL,
    -- '' for the app and the CLI.
    client         TEXT NOT NULL,
    requests       INTEGER NOT NULL DEFAULT 0,
    calls          INTEGER NOT NULL DEFAULT 0,
    cost_nusd      INTEGER NOT NULL DEFAULT 0,
    baseline_nusd  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, model, provider_id, task, rule, source, client)
) WITHOUT ROWID;
INSERT INTO usage_daily_new
SELECT unixepoch(at) / 86400, model, provider_id, COALESCE(task, ''), COALESCE(rule, ''), source,
       '', SUM(outcome IN ('answered', 'partial', 'stopped')), SUM(outcome != 'correction'),
       SUM(cost_nusd), SUM(COALESCE(baseline_cost_nusd, cost_nusd))
FROM usage GROUP BY 1, 2, 3, 4, 5, 6;
DROP TRIGGER usage_rollup;
DROP TABLE usage_daily;
ALTER TABLE usage_daily_new RENAME TO usage_daily;
CREATE TRIGGER usage_rollup AFTER INSERT ON usage BEGIN
    INSERT OR IGNORE INTO usage_daily (day, model, provider_id, task, rule, source, client)
    VALUES (unixepoch(new.at) / 86400, new.model, new.provider_id, COALESCE(new.task, ''),
            COALESCE(new.rule, ''), new.source, COALESCE(new.client, ''));
    UPDATE usage_daily
    SET requests = requests + (new.outcome IN ('answered', 'partial', 'stopped')),
        calls = calls + (new.outcome != 'correction'),
        cost_nusd = cost_nusd + new.cost_nusd,
        baseline_nusd = baseline_nusd + COALESCE(new.baseline_cost_nusd, new.cost_nusd)
    WHERE day = unixepoch(new.at) / 86400 AND model = new.model
      AND provider_id = new.provider_id AND task = COALESCE(new.task, '')
      AND rule = COALESCE(new.rule, '') AND source = new.source
      AND client = COALESCE(new.client, '');

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


-- The endpoint's bearer tokens, by name. The secret itself is only in the keychain, under the
-- account `endpoint-token/<id>` (a random id, so two databases never share an entry); this
-- table lists the names so they can be shown and revoked.
CREATE TABLE endpoint_tokens (
    name       TEXT PRIMARY KEY NOT NULL,
    id         TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
