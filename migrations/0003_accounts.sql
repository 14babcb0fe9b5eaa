-- Read models for accounts and associations. Names and phones are sealed (encrypted).
CREATE TABLE volunteer_directory (
    volunteer_id TEXT PRIMARY KEY,
    association_id TEXT,
    governorate TEXT NOT NULL,
    full_name_sealed TEXT NOT NULL,
    phone_sealed TEXT NOT NULL,
    national_id_last4 TEXT NOT NULL
);

CREATE INDEX volunteer_directory_by_association ON volunteer_directory (association_id);

CREATE TABLE associations (
    association_id TEXT PRIMARY KEY,
    slug TEXT NOT NULL,
    name_ar TEXT NOT NULL,
    name_en TEXT NOT NULL,
    governorate TEXT NOT NULL
);

CREATE TABLE device_tokens (
    token_id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    label TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX device_tokens_by_site ON device_tokens (site_id);
