"""What every area shares: sessions, CSRF, guards, limits, errors, i18n, rendering, live updates."""
