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

-- Imports of uploaded tables run in the background; any web worker shows their progress.
CREATE TABLE import_jobs (
    job_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    owner TEXT NOT NULL,
    target TEXT NOT NULL,
    total INTEGER NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL DEFAULT 0,
    existing INTEGER NOT NULL DEFAULT 0,
    linked INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    report TEXT NOT NULL DEFAULT '[]',
    started_at TEXT NOT NULL,
    finished_at TEXT
);
