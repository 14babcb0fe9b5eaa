"""The launch day replayed through the HTTP API (needs the bench extra: aiohttp)."""
