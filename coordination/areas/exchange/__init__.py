"""Volunteer exchange between associations: ask, offer, consent, accept (which signs up)."""
