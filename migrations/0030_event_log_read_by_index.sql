-- The event log is read by aggregate and by position, through its indexes: never by a
-- parallel scan, which the planner picks for one aggregate's few events when the table has no
-- statistics yet (grown faster than autovacuum analyzes it): launching the workers took 5 ms
-- and more a read, against well under one by the index. No read is compiled either
-- (web/bootstrap.py, sessions_without_jit).
-- only: postgres
ALTER TABLE coordination_events SET (parallel_workers = 0);
