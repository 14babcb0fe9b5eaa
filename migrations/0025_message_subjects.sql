-- What a message the staff caused is about (a shift, a ticket), so those who manage it see
-- what became of each message; none for the messages a volunteer's own act caused.
ALTER TABLE outbox_messages ADD COLUMN about TEXT;
CREATE INDEX outbox_messages_about ON outbox_messages (about, created_at) WHERE about IS NOT NULL;
