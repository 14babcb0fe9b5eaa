"""Distribution points: campaign rounds, households, items taken in, and hand-offs to families."""
