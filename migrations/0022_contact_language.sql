-- The language each person's messages are written in, as they chose it (Arabic until then).
ALTER TABLE outbox_contacts ADD COLUMN locale TEXT NOT NULL DEFAULT 'ar';
