-- Background jobs (imports) on a durable queue in the database: a worker leases a job
-- (worker_id, leased_until) and renews the lease with every chunk it records; a job whose
-- lease ran out (its worker died) is taken over by another worker, its attempts counted.
-- state: queued, running, finished or failed (too many attempts).
CREATE TABLE jobs (
    job_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    worker_id TEXT,
    leased_until TEXT NOT NULL,
    created_at TEXT NOT NULL,
    finished_at TEXT
);

CREATE INDEX jobs_due ON jobs (leased_until) WHERE state IN ('queued', 'running');

-- The rows of a job not yet recorded, a chunk at a time; a chunk's rows are deleted in the
-- transaction that records its outcomes, so what the list said is not kept once imported.
CREATE TABLE job_chunks (
    job_id TEXT NOT NULL,
    chunk INTEGER NOT NULL,
    first_row INTEGER NOT NULL,
    rows TEXT NOT NULL,
    PRIMARY KEY (job_id, chunk)
);
