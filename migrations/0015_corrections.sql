-- Corrections from the lists: each box batch and meal entry keeps when it was logged (and a
-- box batch the key it was logged with, which a correction names), and whether it was
-- reversed, when and why. Rebuild packing_board and kitchen_dashboard to fill them for
-- what was logged before.
ALTER TABLE box_entries ADD COLUMN entry_key TEXT;

ALTER TABLE box_entries ADD COLUMN logged_at TEXT;

ALTER TABLE box_entries ADD COLUMN day TEXT;

ALTER TABLE box_entries ADD COLUMN reversed_at TEXT;

ALTER TABLE box_entries ADD COLUMN reason TEXT;

CREATE INDEX box_entries_by_day ON box_entries (site_id, day);

ALTER TABLE meal_entries ADD COLUMN logged_at TEXT;

ALTER TABLE meal_entries ADD COLUMN reversed_at TEXT;

ALTER TABLE meal_entries ADD COLUMN reason TEXT;
