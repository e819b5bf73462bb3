-- Whether a catalog model calls tools (function calling): a request that offers tools through
-- the local endpoint is routed only to models that do.
ALTER TABLE models ADD COLUMN tools INTEGER NOT NULL DEFAULT 0;
-- Saved catalogs get the bundled catalog's answer for the models it knows (every bundled model
-- but DeepSeek's reasoner).
UPDATE models SET tools = 1 WHERE id IN (
    'gpt-4o', 'gpt-4o-mini', 'o1', 'o3', 'o4-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano',
    'gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'claude-opus-4', 'claude-opus-4-1', 'claude-opus-4-5',
    'claude-sonnet-4', 'claude-sonnet-4-5', 'claude-haiku', 'claude-haiku-4-5', 'gemini-flash',
    'gemini-2.5-flash-lite', 'gemini-2.5-flash', 'gemini-2.5-pro', 'deepseek-v3',
    'mistral-large', 'mistral-medium-3', 'mistral-small', 'codestral',
    'llama-3.3-70b-versatile', 'llama-3.1-8b-instant'
);
