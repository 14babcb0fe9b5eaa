"""What the staff who run sites ask: open sites and associations, schedule shifts, enrol desks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple
from uuid import UUID

from coordination.text import KEY, LABEL, NAME, free_text


@free_text(slug=KEY, name_ar=NAME, name_en=NAME)
@dataclass(frozen=True)
class OpenSite:
    slug: str
    kind: str
    governorate: str
    name_ar: str
    name_en: str


@dataclass(frozen=True)
class ScheduleShift:
    site_id: UUID
    role: str
    starts_at: datetime
    ends_at: datetime
    capacity: int


@free_text(slug=KEY, name_ar=NAME, name_en=NAME)
@dataclass(frozen=True)
class FoundAssociation:
    slug: str
    name_ar: str
    name_en: str
    governorate: str
    kind: str = "grassroots"


@free_text(label=LABEL)
@dataclass(frozen=True)
class IssueDeviceToken:
    """A new token for a desk device; its secret is shown once and only its hash is kept."""

    site_id: UUID
    label: str


@dataclass(frozen=True)
class RevokeDeviceToken:
    token_id: UUID


class IssuedDeviceToken(NamedTuple):
    token_id: UUID
    secret: str
