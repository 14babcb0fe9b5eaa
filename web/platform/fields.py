"""What the pages read from forms, and the campaign's today, the same way in every area."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from coordination.calendar import CAMPAIGN_TIMEZONE


def today() -> str:
    return datetime.now(CAMPAIGN_TIMEZONE).date().isoformat()


def point_of(text: str) -> UUID | None:
    try:
        return UUID(text.strip()) if text.strip() else None
    except ValueError:
        return None


def count_of(text: str) -> int:
    return int(text) if text.strip().isdigit() else 0
