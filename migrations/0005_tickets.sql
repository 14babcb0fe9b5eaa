-- Read models of the operations room: the ticket queue and each ticket's timeline.
CREATE TABLE tickets (
    ticket_id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    category TEXT NOT NULL,
    priority TEXT,
    governorate TEXT NOT NULL,
    status TEXT NOT NULL,
    assignee_kind TEXT,
    assignee_id TEXT,
    opened_at TEXT NOT NULL,
    acknowledged_at TEXT,
    resolved_at TEXT,
    response_due TEXT,
    resolution_due TEXT,
    escalations INTEGER NOT NULL DEFAULT 0,
    escalated_response INTEGER NOT NULL DEFAULT 0,
    escalated_resolution INTEGER NOT NULL DEFAULT 0,
    resolution_seconds BIGINT,
    description_sealed TEXT NOT NULL,
    contact_name_sealed TEXT NOT NULL,
    contact_phone_sealed TEXT NOT NULL
);

CREATE INDEX tickets_by_governorate ON tickets (governorate, status);

CREATE INDEX tickets_by_assignee ON tickets (assignee_id, status);

CREATE TABLE ticket_timeline (
    ticket_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    actor_id TEXT,
    detail_sealed TEXT NOT NULL,
    PRIMARY KEY (ticket_id, version)
);
