-- Read models of packing days: sites, lines, boxes per quarter hour, stock, trucks, attendance.
CREATE TABLE packing_sites (
    site_id TEXT PRIMARY KEY,
    governorate TEXT NOT NULL,
    name_ar TEXT NOT NULL,
    name_en TEXT NOT NULL,
    daily_target INTEGER NOT NULL DEFAULT 0,
    box_template TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE packing_lines (
    line_id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    name TEXT NOT NULL,
    zone TEXT NOT NULL,
    hourly_target INTEGER NOT NULL
);

CREATE INDEX packing_lines_by_site ON packing_lines (site_id);

CREATE TABLE box_quarters (
    line_id TEXT NOT NULL,
    quarter TEXT NOT NULL,
    site_id TEXT NOT NULL,
    day TEXT NOT NULL,
    boxes INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (line_id, quarter)
);

CREATE INDEX box_quarters_by_site ON box_quarters (site_id, day);

CREATE TABLE box_entries (
    site_id TEXT NOT NULL,
    batch_id TEXT NOT NULL,
    line_id TEXT NOT NULL,
    quarter TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (site_id, batch_id)
);

CREATE TABLE stocks (
    stock_id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    governorate TEXT NOT NULL
);

CREATE TABLE site_stock (
    site_id TEXT NOT NULL,
    item TEXT NOT NULL,
    governorate TEXT NOT NULL,
    packed INTEGER NOT NULL DEFAULT 0,
    received INTEGER NOT NULL DEFAULT 0,
    sent INTEGER NOT NULL DEFAULT 0,
    handed_out INTEGER NOT NULL DEFAULT 0,
    on_hand INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (site_id, item)
);

CREATE TABLE truckloads (
    truckload_id TEXT PRIMARY KEY,
    from_site_id TEXT NOT NULL,
    to_point_id TEXT NOT NULL,
    to_governorate TEXT NOT NULL,
    item TEXT NOT NULL,
    count INTEGER NOT NULL,
    label TEXT NOT NULL,
    day TEXT NOT NULL,
    dispatched_at TEXT NOT NULL,
    received INTEGER,
    received_at TEXT
);

CREATE INDEX truckloads_from ON truckloads (from_site_id, day);

CREATE INDEX truckloads_to ON truckloads (to_point_id);

CREATE TABLE site_shifts (
    shift_id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    role TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    day TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    signed_up INTEGER NOT NULL DEFAULT 0,
    checked_in INTEGER NOT NULL DEFAULT 0,
    no_shows INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX site_shifts_by_site ON site_shifts (site_id, day);

CREATE TABLE attendance (
    attendance_id TEXT PRIMARY KEY,
    shift_id TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    site_id TEXT NOT NULL,
    day TEXT NOT NULL,
    zone TEXT,
    line_id TEXT,
    position TEXT,
    checked_in_at TEXT,
    checked_out_at TEXT,
    seconds INTEGER,
    walk_in INTEGER NOT NULL DEFAULT 0,
    desk TEXT,
    no_show INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX attendance_by_site ON attendance (site_id, day);

CREATE INDEX attendance_by_volunteer ON attendance (volunteer_id);
