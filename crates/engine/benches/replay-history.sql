-- 100,000 past requests from the app over the last 29 days: 25,000 conversations of four
-- exchanges (a ~300-byte prompt, a ~1 KB reply), one ledger row per request, and a failed first
-- call before the fallback for one request in 20. Read by the replay bench.
WITH RECURSIVE
  n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < 99999),
  p(j, text) AS (VALUES
    (0, 'Write a short poem about the rain falling on a quiet city at night, in the style of a haiku sequence.'),
    (1, 'Fix this Python function so it handles an empty list: def mean(xs): return sum(xs) / len(xs)'),
    (2, 'Translate into French: the meeting is moved to Thursday afternoon, please bring the quarterly figures.'),
    (3, 'What is 17% of 340, and how would I compute it in my head quickly?'),
    (4, 'Summarize this paragraph in two sentences: the committee met for three hours and agreed on the budget.'),
    (5, 'Prove that the square root of 2 is irrational, step by step, and explain each step to a student.'),
    (6, 'Return a JSON object with the fields name, email and age for this contact: Ana, ana@example.org, 34.'),
    (7, 'Write a SQL query that lists the ten customers with the highest total order value last month.'),
    (8, 'Explain the difference between a process and a thread, with an example from a web server.'),
    (9, 'Draft a polite email asking a colleague to review my pull request before Friday.')
  )
INSERT INTO conversations (id, title, model, created_at, updated_at)
SELECT 'c' || k, 'Conversation ' || k, 'auto',
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (k * 100) || ' seconds'),
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (k * 100) || ' seconds')
FROM n WHERE k < 25000;

WITH RECURSIVE
  n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < 99999),
  p(j, text) AS (VALUES
    (0, 'Write a short poem about the rain falling on a quiet city at night, in the style of a haiku sequence.'),
    (1, 'Fix this Python function so it handles an empty list: def mean(xs): return sum(xs) / len(xs)'),
    (2, 'Translate into French: the meeting is moved to Thursday afternoon, please bring the quarterly figures.'),
    (3, 'What is 17% of 340, and how would I compute it in my head quickly?'),
    (4, 'Summarize this paragraph in two sentences: the committee met for three hours and agreed on the budget.'),
    (5, 'Prove that the square root of 2 is irrational, step by step, and explain each step to a student.'),
    (6, 'Return a JSON object with the fields name, email and age for this contact: Ana, ana@example.org, 34.'),
    (7, 'Write a SQL query that lists the ten customers with the highest total order value last month.'),
    (8, 'Explain the difference between a process and a thread, with an example from a web server.'),
    (9, 'Draft a polite email asking a colleague to review my pull request before Friday.')
  )
INSERT INTO messages (id, conversation_id, role, content, status, requested_model)
SELECT k * 2 + 1, 'c' || (k / 4), 'user',
       p.text || ' Context ' || k || ': ' || substr(replace(printf('%.200c', 'x'), 'x', 'more detail '), 1, 180),
       'complete', 'auto'
FROM n JOIN p ON p.j = (k * 7) % 10
UNION ALL
SELECT k * 2 + 2, 'c' || (k / 4), 'assistant',
       substr(replace(printf('%.100c', 'x'), 'x', 'Here is an answer sentence. '), 1, 1000),
       'complete', 'auto'
FROM n;

WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < 99999)
INSERT INTO usage (at, source, conversation_id, message_id, provider_id, provider, model, task,
                   rule, hop, outcome, input_tokens, output_tokens, cost_nusd, latency_ms)
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (k * 25) || ' seconds'),
       CASE WHEN k % 3 = 0 THEN 'cli' ELSE 'app' END, 'c' || (k / 4), k * 2 + 2, 'p', 'Provider',
       CASE WHEN k % 2 = 0 THEN 'gpt-4o-mini' ELSE 'gpt-4o' END, 'writing', 'rule-' || (k % 8),
       0, CASE WHEN k % 20 = 0 THEN 'failed' ELSE 'answered' END,
       CASE WHEN k % 20 = 0 THEN 0 ELSE 80 + (k % 4) * 300 END,
       CASE WHEN k % 20 = 0 THEN 0 ELSE 250 END,
       CASE WHEN k % 20 = 0 THEN 0 ELSE 1000 + k % 9000 END, 900
FROM n;

WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 20 FROM n WHERE k < 99980)
INSERT INTO usage (at, source, conversation_id, message_id, provider_id, provider, model, task,
                   rule, hop, outcome, input_tokens, output_tokens, cost_nusd, latency_ms)
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (k * 25) || ' seconds'),
       'app', 'c' || (k / 4), k * 2 + 2, 'p', 'Provider', 'claude-haiku', 'writing',
       'rule-' || (k % 8), 1, 'answered', 400, 250, 1320000, 1100
FROM n;
