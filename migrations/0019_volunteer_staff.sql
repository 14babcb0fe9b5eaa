-- A volunteer's account may be made staff from the pages: the campaign administration's
-- accounts keep every account, a volunteer's with its record (listed with the staff once
-- granted a role). Rebuild campaign_admin to fill it for accounts opened before.
ALTER TABLE admin_accounts ADD COLUMN volunteer_id TEXT;
