-- The campaign administration's read model: sites, associations, rounds and staff accounts
-- as the national admin and governorate coordinators manage them. Names and phones of staff
-- are sealed (encrypted).
CREATE TABLE admin_sites (
    site_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    governorate TEXT NOT NULL,
    name_ar TEXT NOT NULL,
    name_en TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    closed INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX admin_sites_by_governorate ON admin_sites (governorate);

CREATE TABLE admin_associations (
    association_id TEXT PRIMARY KEY,
    governorate TEXT NOT NULL,
    name_ar TEXT NOT NULL,
    name_en TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'grassroots'
);

CREATE TABLE admin_rounds (
    round_id TEXT PRIMARY KEY,
    name_ar TEXT NOT NULL,
    name_en TEXT NOT NULL,
    target BIGINT NOT NULL,
    allowances TEXT NOT NULL,
    opened_at TEXT NOT NULL
);

CREATE TABLE admin_accounts (
    account_id TEXT PRIMARY KEY,
    full_name_sealed TEXT NOT NULL,
    phone_sealed TEXT NOT NULL,
    has_password INTEGER NOT NULL DEFAULT 0,
    opened_at TEXT NOT NULL
);

CREATE TABLE admin_grants (
    account_id TEXT NOT NULL,
    role TEXT NOT NULL,
    scope TEXT NOT NULL,
    PRIMARY KEY (account_id, role, scope)
);
