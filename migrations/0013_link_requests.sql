-- Associations asking a registered volunteer to count them among their own: the volunteer
-- answers on their service page; until then the association sees nothing of them.
CREATE TABLE volunteer_link_requests (
    volunteer_id TEXT NOT NULL,
    association_id TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    PRIMARY KEY (volunteer_id, association_id)
);
