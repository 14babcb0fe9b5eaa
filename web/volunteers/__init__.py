"""A volunteer's own pages and API: registration, sign-in, shifts, profile, service, badges."""
