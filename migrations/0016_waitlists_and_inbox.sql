-- Who waits for a place on a full shift, in the order they joined (seq: the shift's event
-- version), and each person's in-app inbox: at most one message per event and recipient.
CREATE TABLE shift_waitlist (
    shift_id TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    joined_at TEXT NOT NULL,
    PRIMARY KEY (shift_id, volunteer_id)
);

CREATE INDEX shift_waitlist_by_volunteer ON shift_waitlist (volunteer_id);

CREATE TABLE inbox_messages (
    event_key TEXT NOT NULL,
    recipient_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    shift_id TEXT,
    reason TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    sent_at TEXT NOT NULL,
    read_at TEXT,
    PRIMARY KEY (event_key, recipient_id)
);

CREATE INDEX inbox_messages_by_recipient ON inbox_messages (recipient_id, sent_at);

CREATE TABLE inbox_attendances (
    attendance_id TEXT PRIMARY KEY,
    volunteer_id TEXT NOT NULL,
    shift_id TEXT NOT NULL
);

-- The board shows how many wait for each full shift.
ALTER TABLE shift_board ADD COLUMN waiting INTEGER NOT NULL DEFAULT 0;
