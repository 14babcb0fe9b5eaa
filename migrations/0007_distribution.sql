-- Read models of distribution: campaign rounds, households, hand-offs to households.
CREATE TABLE rounds (
    round_id TEXT PRIMARY KEY,
    slug TEXT NOT NULL,
    name_ar TEXT NOT NULL,
    name_en TEXT NOT NULL,
    target BIGINT NOT NULL,
    allowances TEXT NOT NULL,
    opened_at TEXT NOT NULL
);

CREATE TABLE households (
    household_id TEXT PRIMARY KEY,
    governorate TEXT NOT NULL,
    size INTEGER NOT NULL,
    last_four TEXT NOT NULL
);

CREATE INDEX households_by_governorate ON households (governorate);

CREATE TABLE handoffs (
    household_id TEXT NOT NULL,
    entry_key TEXT NOT NULL,
    round_id TEXT NOT NULL,
    point_id TEXT NOT NULL,
    governorate TEXT NOT NULL,
    item TEXT NOT NULL,
    count INTEGER NOT NULL,
    at TEXT NOT NULL,
    day TEXT NOT NULL,
    PRIMARY KEY (household_id, entry_key)
);

CREATE INDEX handoffs_by_point ON handoffs (round_id, point_id);

CREATE INDEX handoffs_by_governorate ON handoffs (round_id, governorate);
