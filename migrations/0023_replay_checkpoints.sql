-- Checkpoints of the board as it was (projections/time_travel.py): a replay's scratch
-- database saved whole at a notification, so a later replay of the same views starts from
-- the nearest one and plays only the tail. ``version`` fingerprints the migrations and the
-- views' code: a checkpoint of another version is never read, and is deleted by the next save.
-- only: sqlite
CREATE TABLE replay_checkpoints (
    view TEXT NOT NULL,
    version TEXT NOT NULL,
    notification_id BIGINT NOT NULL,
    replayed BIGINT NOT NULL,
    latest BIGINT NOT NULL,
    image BLOB NOT NULL,
    PRIMARY KEY (view, version, notification_id)
);

-- only: postgres
CREATE TABLE replay_checkpoints (
    view TEXT NOT NULL,
    version TEXT NOT NULL,
    notification_id BIGINT NOT NULL,
    replayed BIGINT NOT NULL,
    latest BIGINT NOT NULL,
    image BYTEA NOT NULL,
    PRIMARY KEY (view, version, notification_id)
);
