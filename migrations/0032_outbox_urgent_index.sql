-- The urgent messages waiting (password codes), by when they are due: in the quiet hours, and
-- while the delivery worker gives way to a burst of sign-ups, its claims ask for these alone.
-- By the index of every waiting message a claim read each of them to find the few urgent
-- (11 ms a claim among 30,000 waiting, once a second for as long as it lasts).
CREATE INDEX IF NOT EXISTS outbox_messages_urgent ON outbox_messages (due_at)
    WHERE status = 'pending' AND urgent = 1;
