-- Read models of the foundation: the shift board and each volunteer's shifts.
CREATE TABLE projection_tracking (
    name TEXT PRIMARY KEY,
    position BIGINT NOT NULL
);

CREATE TABLE board_sites (
    site_id TEXT PRIMARY KEY,
    slug TEXT NOT NULL,
    kind TEXT NOT NULL,
    governorate TEXT NOT NULL,
    name_ar TEXT NOT NULL,
    name_en TEXT NOT NULL
);

CREATE TABLE shift_board (
    shift_id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    governorate TEXT NOT NULL,
    role TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    day TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    taken INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX shift_board_by_governorate ON shift_board (governorate, day, starts_at);

CREATE INDEX shift_board_by_site ON shift_board (site_id, starts_at);

CREATE TABLE my_shifts (
    volunteer_id TEXT NOT NULL,
    shift_id TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    PRIMARY KEY (volunteer_id, shift_id)
);
