-- The inbox's own copy of who waits for each shift, so those waiting for a shift that is
-- cancelled are told too (rebuilt from the log with the inbox).
CREATE TABLE inbox_waiting (
    shift_id TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    PRIMARY KEY (shift_id, volunteer_id)
);
