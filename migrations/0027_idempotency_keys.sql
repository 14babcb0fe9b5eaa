-- The idempotency keys' records: the fingerprint of the one request each key stands for,
-- written by the store's recorder in the transaction of that request's events: part of the
-- record with the event table (backups take both; a restored dump holds the table already).
-- Earlier releases kept them as events of their own; the next step copies those here.
-- only: postgres
CREATE TABLE IF NOT EXISTS idempotency_keys (
    id UUID PRIMARY KEY,
    fingerprint TEXT NOT NULL
);
-- only: sqlite
CREATE TABLE IF NOT EXISTS idempotency_keys (
    id TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL
);
