-- Shifts the staff change after planning them: a cancelled shift keeps its row with the
-- reason, and each volunteer keeps the shifts they were taken off, why and by what reason.
ALTER TABLE shift_board ADD COLUMN cancelled_reason TEXT;

ALTER TABLE site_shifts ADD COLUMN cancelled INTEGER NOT NULL DEFAULT 0;

CREATE TABLE lost_shifts (
    volunteer_id TEXT NOT NULL,
    shift_id TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    why TEXT NOT NULL,
    reason TEXT NOT NULL,
    lost_at TEXT NOT NULL,
    PRIMARY KEY (volunteer_id, shift_id)
);
