-- Budgets, app-wide settings (the baseline model), and the indexes the Spend dashboard reads.
CREATE TABLE budgets (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    -- '' limits every provider together; otherwise the provider's id.
    provider_id  TEXT NOT NULL DEFAULT '',
    period       TEXT NOT NULL CHECK (period IN ('day', 'month')),
    -- Nano-dollars, like the ledger.
    limit_nusd   INTEGER NOT NULL CHECK (limit_nusd > 0),
    -- What happens at 100%: refuse the request, or send it to the cheapest model whose quality
    -- is at least min_quality.
    policy       TEXT NOT NULL DEFAULT 'block' CHECK (policy IN ('block', 'downgrade')),
    min_quality  REAL NOT NULL DEFAULT 0,
    UNIQUE (provider_id, period)
);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY NOT NULL,
    value  TEXT NOT NULL
);

-- Covering indexes: every dashboard aggregate is a range scan over `at` that never touches the
-- table itself, which is what keeps a million rows under 100 ms.
CREATE INDEX usage_spend ON usage (
    at, model, provider_id, outcome, cost_nusd, baseline_cost_nusd, latency_ms, task, rule
);
CREATE INDEX usage_by_provider_time ON usage (provider_id, at, cost_nusd);
