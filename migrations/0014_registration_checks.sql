-- Who imported a volunteer's record (an account; empty when registered in person or before it
-- was recorded), and registrations waiting for a check: someone registered with the national
-- ID of a record imported with another mobile number and never claimed.
ALTER TABLE volunteer_directory ADD COLUMN imported_by TEXT;

CREATE TABLE volunteer_verifications (
    volunteer_id TEXT PRIMARY KEY,
    association_id TEXT,
    imported_by TEXT,
    full_name_sealed TEXT NOT NULL,
    phone_sealed TEXT NOT NULL,
    asked_at TEXT NOT NULL
);

CREATE INDEX volunteer_verifications_by_association ON volunteer_verifications (association_id);
