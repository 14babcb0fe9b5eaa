-- Read models of the kitchens: each kitchen, its batches and entries, totals per day.
CREATE TABLE kitchens (
    kitchen_id TEXT PRIMARY KEY,
    governorate TEXT NOT NULL,
    name_ar TEXT NOT NULL,
    name_en TEXT NOT NULL,
    daily_target INTEGER NOT NULL DEFAULT 0,
    latitude DOUBLE PRECISION NOT NULL,
    longitude DOUBLE PRECISION NOT NULL
);

CREATE INDEX kitchens_by_governorate ON kitchens (governorate);

CREATE TABLE meal_batches (
    batch_id TEXT PRIMARY KEY,
    kitchen_id TEXT NOT NULL,
    governorate TEXT NOT NULL,
    day TEXT NOT NULL,
    dish TEXT NOT NULL,
    cooked INTEGER NOT NULL,
    served INTEGER NOT NULL DEFAULT 0,
    discarded INTEGER NOT NULL DEFAULT 0,
    late_served INTEGER NOT NULL DEFAULT 0,
    held_too_long INTEGER NOT NULL DEFAULT 0,
    cooked_at TEXT NOT NULL,
    iftar_at TEXT NOT NULL
);

CREATE INDEX meal_batches_by_kitchen ON meal_batches (kitchen_id, day);

CREATE TABLE meal_entries (
    batch_id TEXT NOT NULL,
    entry_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    count INTEGER NOT NULL,
    late_served INTEGER NOT NULL DEFAULT 0,
    held_too_long INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (batch_id, entry_key)
);

CREATE TABLE kitchen_days (
    kitchen_id TEXT NOT NULL,
    day TEXT NOT NULL,
    governorate TEXT NOT NULL,
    cooked INTEGER NOT NULL DEFAULT 0,
    served INTEGER NOT NULL DEFAULT 0,
    discarded INTEGER NOT NULL DEFAULT 0,
    late_served INTEGER NOT NULL DEFAULT 0,
    held_too_long INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kitchen_id, day)
);

CREATE INDEX kitchen_days_by_governorate ON kitchen_days (governorate, day);
