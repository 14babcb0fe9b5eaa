"""Background work outside the web process: the rounds that issue commands, the day simulator."""
