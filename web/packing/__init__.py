"""Packing sites: console, live board and TV, check-in desk, line leads, reports and API."""
