"""A site's shifts as its staff run them: the day's plan, a shift's volunteers, changes."""
