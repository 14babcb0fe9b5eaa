"""What tickets can say: channels, categories, priorities, statuses, and the deadlines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from coordination.errors import InvalidInput


class Channel(StrEnum):
    HOTLINE = "hotline"
    TV = "tv"
    SOCIAL_MEDIA = "social_media"
    SITE = "site"


class Category(StrEnum):
    URGENT_NEED = "urgent_need"
    DISTRIBUTION_COMPLAINT = "distribution_complaint"
    MEDICAL = "medical"
    VOLUNTEER_CONDUCT = "volunteer_conduct"
    OTHER = "other"


class Priority(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


class Status(StrEnum):
    NEW = "new"
    TRIAGED = "triaged"
    ASSIGNED = "assigned"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class AssigneeKind(StrEnum):
    ASSOCIATION = "association"
    SITE = "site"


@dataclass(frozen=True)
class Deadlines:
    response: timedelta
    resolution: timedelta


DEFAULT_DEADLINES = {
    Priority.URGENT: Deadlines(timedelta(hours=1), timedelta(hours=24)),
    Priority.HIGH: Deadlines(timedelta(hours=4), timedelta(days=3)),
    Priority.NORMAL: Deadlines(timedelta(hours=24), timedelta(days=7)),
    Priority.LOW: Deadlines(timedelta(hours=72), timedelta(days=14)),
}


def deadlines_from(text: str) -> dict[Priority, Deadlines]:
    """``urgent=60/1440,high=240/4320``: minutes to respond / to resolve, per priority.

    Priorities not named keep their defaults; anything malformed is refused.
    """
    deadlines = dict(DEFAULT_DEADLINES)
    for part in filter(None, (p.strip() for p in text.split(","))):
        try:
            name, minutes = part.split("=")
            response, resolution = (int(m) for m in minutes.split("/"))
            priority = Priority(name.strip())
        except ValueError:
            raise InvalidDeadlines(part=part) from None
        if not 0 < response <= resolution:
            raise InvalidDeadlines(part=part)
        deadlines[priority] = Deadlines(timedelta(minutes=response), timedelta(minutes=resolution))
    return deadlines


class InvalidDeadlines(InvalidInput):
    code = "invalid_deadlines"
