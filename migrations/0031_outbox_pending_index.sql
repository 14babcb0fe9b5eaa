-- The messages waiting to be sent, by when they are due: all the delivery worker's claims
-- read. The index it replaces held every message by its status, so each message sent added
-- an entry that stayed for good; this one holds only those waiting, and a message leaves it
-- as it is sent.
CREATE INDEX IF NOT EXISTS outbox_messages_pending ON outbox_messages (due_at)
    WHERE status = 'pending';
DROP INDEX IF EXISTS outbox_messages_due;
-- A message's pages keep room for its next version: a claim (its lease and attempt, in no
-- index) then rewrites the row beside itself, without a new entry in any index.
-- only: postgres
ALTER TABLE outbox_messages SET (fillfactor = 50);
