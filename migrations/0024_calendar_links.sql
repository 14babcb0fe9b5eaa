-- Which link to each volunteer's calendar of shifts works (the count of resets; none: the first).
CREATE TABLE calendar_links (
    volunteer_id TEXT PRIMARY KEY,
    generation INTEGER NOT NULL
);
