-- One year of calls before now, 1,000,000 ledger rows: 12 models on 4 providers, 6 tasks,
-- 8 rules, one call in 20 failed. Read by the spend bench and by e2e/specs/spend-million.e2e.js.
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999999)
INSERT INTO usage (at, source, provider_id, provider, model, task, rule, outcome, input_tokens,
                   output_tokens, cost_nusd, baseline_cost_nusd, first_token_ms, latency_ms)
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (i * 31536 / 1000) || ' seconds'),
       'app', 'p' || (i % 4), 'Provider ' || (i % 4), 'model-' || (i % 12),
       'task-' || (i % 6), 'rule-' || (i % 8),
       CASE WHEN i % 20 = 0 THEN 'failed' ELSE 'answered' END,
       500 + i % 3000, 100 + i % 900, (i * 7919) % 100000, (i * 7919) % 100000 * 4,
       (i * 31) % 900, (i * 104729) % 5000
FROM n;
