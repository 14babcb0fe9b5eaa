"""Signing up for shifts and withdrawing, by the volunteer or by the staff in charge."""
