-- Each request's complexity tier and score as the router saw them, so the routing grid can show
-- where past requests fell. Rows written before this migration have none (NULL).
ALTER TABLE usage ADD COLUMN tier TEXT;
ALTER TABLE usage ADD COLUMN complexity_score REAL;
ALTER TABLE calls_in_flight ADD COLUMN tier TEXT;
ALTER TABLE calls_in_flight ADD COLUMN complexity_score REAL;
