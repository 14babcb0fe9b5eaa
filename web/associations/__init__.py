"""Associations: their pages, the shared pool, volunteer import, exchange and training API."""
