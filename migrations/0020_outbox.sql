-- Messages to send by SMS or e-mail, filled by the outbox view: one row per event, recipient
-- and channel (message_key), inserted only if absent. A rebuild of the view never empties
-- outbox_messages, so what was sent (status, attempts) stays and nothing is sent twice.
CREATE TABLE outbox_messages (
    message_key TEXT PRIMARY KEY,
    recipient_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    destination TEXT NOT NULL,
    params TEXT NOT NULL,
    locale TEXT NOT NULL,
    urgent INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_until TEXT,
    sent_at TEXT,
    last_error TEXT NOT NULL DEFAULT ''
);

CREATE INDEX outbox_messages_due ON outbox_messages (status, due_at);

-- The view's own copies of what its messages need (rebuilt from the log with it): each
-- volunteer's and staff member's phone (sealed), shifts, sites, who holds which shift and
-- who coordinates which association or site.
CREATE TABLE outbox_contacts (
    person_id TEXT PRIMARY KEY,
    phone TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT ''
);

CREATE TABLE outbox_shifts (
    shift_id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    role TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    cancelled INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX outbox_shifts_by_start ON outbox_shifts (starts_at);

CREATE TABLE outbox_sites (
    site_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    latitude DOUBLE PRECISION NOT NULL,
    longitude DOUBLE PRECISION NOT NULL
);

CREATE TABLE outbox_holders (
    shift_id TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    PRIMARY KEY (shift_id, volunteer_id)
);

CREATE TABLE outbox_waiting (
    shift_id TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    PRIMARY KEY (shift_id, volunteer_id)
);

CREATE TABLE outbox_staff (
    account_id TEXT NOT NULL,
    role TEXT NOT NULL,
    scope TEXT NOT NULL,
    PRIMARY KEY (account_id, role, scope)
);

CREATE INDEX outbox_staff_by_scope ON outbox_staff (role, scope);
