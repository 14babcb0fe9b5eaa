-- Each desk keeps the time of its last check-in scan, shown on the desk codes page. Rebuild
-- device_tokens to fill it for scans recorded before (older check-ins name no device).
ALTER TABLE device_tokens ADD COLUMN last_scan_at TEXT;
