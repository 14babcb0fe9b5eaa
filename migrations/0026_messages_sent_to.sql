-- The messages each person was sent by each channel, by when: the delivery worker counts a
-- recipient's last hour through it (a message enters it as it is recorded sent).
CREATE INDEX outbox_messages_sent_to ON outbox_messages (recipient_id, channel, sent_at)
    WHERE status = 'sent';
