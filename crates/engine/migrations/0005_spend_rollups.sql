-- Daily rollups of the usage ledger, kept by a trigger, so the Spend dashboard reads a few
-- thousand rows for a year instead of a million. Days are UTC days since 1970
-- (unixepoch(at) / 86400); a query reads whole days here and the ledger itself for the part
-- days at either end of its range, so every figure stays exact.

-- Latency histogram buckets: a bucket holds latencies from its `lo` up to the next one's.
-- Exact below 10 ms, then 12 per decade (10, 12, 15, 20, 25, 30, 40, 50, 60, 70, 80, 90).
CREATE TABLE latency_buckets (lo INTEGER PRIMARY KEY NOT NULL);
INSERT INTO latency_buckets (lo)
WITH digits(d) AS (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)),
     mantissas(m) AS (VALUES (10), (12), (15), (20), (25), (30), (40), (50), (60), (70), (80), (90)),
     powers(p) AS (VALUES (1), (10), (100), (1000), (10000), (100000), (1000000))
SELECT d FROM digits UNION SELECT m * p FROM mantissas, powers;

-- Money per day and every key the dashboard groups by.
CREATE TABLE usage_daily (
    day            INTEGER NOT NULL,
    model          TEXT NOT NULL,
    provider_id    TEXT NOT NULL,
    task           TEXT NOT NULL,
    rule           TEXT NOT NULL,
    -- Calls that produced the reply the user saw (answered, partial, stopped).
    requests       INTEGER NOT NULL DEFAULT 0,
    calls          INTEGER NOT NULL DEFAULT 0,
    cost_nusd      INTEGER NOT NULL DEFAULT 0,
    -- A call with no baseline counts at its own cost.
    baseline_nusd  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, model, provider_id, task, rule)
) WITHOUT ROWID;

-- Per day and model: `latency` counts answered calls per bucket, {"lo": calls}; `slots`
-- splits the day into 96 quarter-hours, {"quarter": [requests, cost_nusd, baseline_nusd]}, so
-- a chart can cut days at any local midnight. Rows of a few kilobytes: a rowid table, with
-- the short column first so reading it skips the long one.
CREATE TABLE usage_day_model (
    day      INTEGER NOT NULL,
    model    TEXT NOT NULL,
    latency  TEXT NOT NULL DEFAULT '{}',
    slots    TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (day, model)
);

INSERT INTO usage_daily
SELECT unixepoch(at) / 86400, model, provider_id, COALESCE(task, ''), COALESCE(rule, ''),
       SUM(outcome IN ('answered', 'partial', 'stopped')), COUNT(*), SUM(cost_nusd),
       SUM(COALESCE(baseline_cost_nusd, cost_nusd))
FROM usage GROUP BY 1, 2, 3, 4, 5;

INSERT INTO usage_day_model (day, model, slots)
SELECT day, model, json_group_object(CAST(slot AS TEXT), json_array(r, c, b))
FROM (SELECT unixepoch(at) / 86400 AS day, model, (unixepoch(at) % 86400) / 900 AS slot,
             SUM(outcome IN ('answered', 'partial', 'stopped')) AS r, SUM(cost_nusd) AS c,
             SUM(COALESCE(baseline_cost_nusd, cost_nusd)) AS b
      FROM usage GROUP BY 1, 2, 3)
GROUP BY day, model;

WITH buckets AS (
         SELECT unixepoch(at) / 86400 AS day, model,
                (SELECT MAX(lo) FROM latency_buckets WHERE lo <= latency_ms) AS lo, COUNT(*) AS n
         FROM usage WHERE outcome = 'answered' GROUP BY 1, 2, 3),
     histograms AS (
         SELECT day, model, json_group_object(CAST(lo AS TEXT), n) AS latency
         FROM buckets GROUP BY day, model)
UPDATE usage_day_model SET latency = histograms.latency
FROM histograms
WHERE histograms.day = usage_day_model.day AND histograms.model = usage_day_model.model;

CREATE TRIGGER usage_rollup AFTER INSERT ON usage BEGIN
    INSERT OR IGNORE INTO usage_daily (day, model, provider_id, task, rule)
    VALUES (unixepoch(new.at) / 86400, new.model, new.provider_id, COALESCE(new.task, ''),
            COALESCE(new.rule, ''));
    UPDATE usage_daily
    SET requests = requests + (new.outcome IN ('answered', 'partial', 'stopped')),
        calls = calls + 1,
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

-- The ledger records what happened; rows are never changed or removed, which is also what
-- keeps the rollups equal to it.
CREATE TRIGGER usage_no_update BEFORE UPDATE ON usage BEGIN
    SELECT RAISE(ABORT, 'the usage ledger is append-only');
END;
CREATE TRIGGER usage_no_delete BEFORE DELETE ON usage BEGIN
    SELECT RAISE(ABORT, 'the usage ledger is append-only');
END;

-- The dashboard now reads the ledger only for part days at the edges of a range.
DROP INDEX usage_by_provider_time;
