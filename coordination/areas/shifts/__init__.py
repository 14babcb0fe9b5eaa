"""A site's shifts as the staff run them: planned by the day, changed, cancelled, staffed."""
