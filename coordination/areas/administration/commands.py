"""What the national admin and governorate coordinators ask: edit and close sites, edit
associations, invite staff who then set their own password with a one-time code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple
from uuid import UUID


@dataclass(frozen=True)
class EditSite:
    site_id: UUID
    name_ar: str
    name_en: str
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class CloseSite:
    site_id: UUID


@dataclass(frozen=True)
class EditAssociation:
    association_id: UUID
    name_ar: str
    name_en: str
    kind: str


@dataclass(frozen=True)
class InviteStaff:
    """An account without a password, and a set-password code to hand to the person."""

    phone: str
    full_name: str


@dataclass(frozen=True)
class ReissueSetUpCode:
    account_id: UUID


@dataclass(frozen=True)
class SetPassword:
    """Open to anyone who holds the phone's unexpired code; the code works once."""

    phone: str
    code: str
    password: str


class Invitation(NamedTuple):
    account_id: UUID
    code: str
    expires_at: datetime
