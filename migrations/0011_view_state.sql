-- A view that cannot apply an event stops visibly: its tracking row says it is stalled, at
-- which event and why, until an operator fixes the cause and runs `katf resume VIEW`.
ALTER TABLE projection_tracking ADD COLUMN state TEXT NOT NULL DEFAULT 'running';

ALTER TABLE projection_tracking ADD COLUMN stalled_event BIGINT;

ALTER TABLE projection_tracking ADD COLUMN stalled_topic TEXT;

ALTER TABLE projection_tracking ADD COLUMN stalled_error TEXT;

ALTER TABLE projection_tracking ADD COLUMN stalled_at TEXT;
