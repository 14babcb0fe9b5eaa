"""Training sessions: scheduled by associations and national staff, attended for a certificate."""
