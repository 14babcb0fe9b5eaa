-- An import's rejected rows are appended as they are decided, never rewritten whole; one
-- import runs at a time for a place (an association's list, a point's list).
CREATE TABLE import_report_rows (
    job_id TEXT NOT NULL,
    row_number INTEGER NOT NULL,
    code TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (job_id, row_number)
);

ALTER TABLE import_jobs ADD COLUMN updated_at TEXT;

-- Imports left unfinished by a process that stopped are over: they ran in that process.
UPDATE import_jobs SET finished_at = started_at WHERE finished_at IS NULL;

CREATE UNIQUE INDEX import_jobs_running ON import_jobs (kind, target) WHERE finished_at IS NULL;
