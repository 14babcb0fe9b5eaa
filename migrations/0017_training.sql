-- Training sessions by programme, each with its places, organiser, enrolments and attendance.
CREATE TABLE training_sessions (
    session_id TEXT PRIMARY KEY,
    programme TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    place TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    organiser TEXT,
    enrolled INTEGER NOT NULL DEFAULT 0,
    attended INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX training_sessions_by_programme ON training_sessions (programme, starts_at);

CREATE TABLE training_enrolments (
    session_id TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    enrolled_at TEXT NOT NULL,
    attended_at TEXT,
    PRIMARY KEY (session_id, volunteer_id)
);

CREATE INDEX training_enrolments_by_volunteer ON training_enrolments (volunteer_id);
