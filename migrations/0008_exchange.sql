-- Read models of the volunteer exchange: requests, each step, loans and the hours ledger.
CREATE TABLE exchange_requests (
    request_id TEXT PRIMARY KEY,
    association_id TEXT NOT NULL,
    shift_id TEXT NOT NULL,
    role TEXT NOT NULL,
    asked INTEGER NOT NULL,
    accepted INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL,
    asked_at TEXT NOT NULL
);

CREATE TABLE exchange_steps (
    request_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    at TEXT NOT NULL,
    step TEXT NOT NULL,
    volunteer_id TEXT,
    detail TEXT,
    PRIMARY KEY (request_id, version)
);

CREATE TABLE loans (
    attendance_id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    lender_id TEXT NOT NULL,
    borrower_id TEXT NOT NULL
);

CREATE TABLE hours_ledger (
    lender_id TEXT NOT NULL,
    borrower_id TEXT NOT NULL,
    seconds BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (lender_id, borrower_id)
);

CREATE TABLE volunteer_links (
    volunteer_id TEXT NOT NULL,
    association_id TEXT NOT NULL,
    PRIMARY KEY (volunteer_id, association_id)
);

CREATE TABLE exchange_offers (
    request_id TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    lender_id TEXT NOT NULL,
    state TEXT NOT NULL,
    PRIMARY KEY (request_id, volunteer_id)
);

CREATE INDEX exchange_offers_by_volunteer ON exchange_offers (volunteer_id);

CREATE TABLE volunteer_certificates (
    volunteer_id TEXT NOT NULL,
    programme TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (volunteer_id, programme)
);

ALTER TABLE associations ADD COLUMN kind TEXT NOT NULL DEFAULT 'grassroots';
