-- What each holder of a shift was last reminded of (the reminder's kind and the start it
-- named): a reminder round reads only the holders not yet reminded, through the index,
-- instead of every holder of every shift of the next day and a half each second.
ALTER TABLE outbox_holders ADD COLUMN reminded TEXT NOT NULL DEFAULT '';

CREATE INDEX outbox_holders_by_reminder ON outbox_holders (shift_id, reminded);
