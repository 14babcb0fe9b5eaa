-- Box batches logged within one second listed in the order they were logged: the moment to
-- the microsecond beside the second the pages show (rows from before fill in on a rebuild).
ALTER TABLE box_entries ADD COLUMN logged_exactly TEXT;
