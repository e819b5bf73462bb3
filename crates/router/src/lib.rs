//! switchyard-router: which model answers a request. Pure: no clock, no network, no database.
