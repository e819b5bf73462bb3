-- Every provider call writes its in-flight row, then its ledger row, through each index on
-- them (each index is one more page in the write-ahead log per call). Two never pay for that:
-- `usage_by_time (at)` is the first column of `usage_spend (at, model, …)`, which serves every
-- query by time as well (and covers more of them); `calls_in_flight` only holds the calls
-- running now, a few rows a scan reads faster than an index on them is kept up to date.
DROP INDEX usage_by_time;
DROP INDEX calls_in_flight_provider;
