-- Extra headers gain a `secret` flag; a secret header's value lives in the system keychain and
-- the database keeps only its name. Existing headers whose names carry credentials (the
-- authentication headers, cookies, and any name with token, secret or key in it) are marked
-- secret here, keeping their value for now: SQL cannot reach the keychain, so on the next open
-- the engine (Settings::secure_stored_header_values) moves each such value to the keychain, or
-- blanks it when no keychain answers, and rewrites the row with an empty value.
UPDATE providers SET headers = (
    SELECT json_group_array(json_object(
        'name', json_extract(h.value, '$.name'),
        'value', json_extract(h.value, '$.value'),
        'secret', json(CASE
            WHEN lower(json_extract(h.value, '$.name')) IN
                ('authorization', 'proxy-authorization', 'api-key', 'x-api-key', 'x-goog-api-key', 'cookie')
              OR lower(json_extract(h.value, '$.name')) LIKE '%token%'
              OR lower(json_extract(h.value, '$.name')) LIKE '%secret%'
              OR lower(json_extract(h.value, '$.name')) LIKE '%key%'
            THEN 'true' ELSE 'false' END)))
    FROM (SELECT value FROM json_each(providers.headers) ORDER BY key) AS h
)
WHERE json_valid(headers) AND json_array_length(headers) > 0;
