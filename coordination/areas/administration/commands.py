"""What the national admin and governorate coordinators ask: edit and close sites, edit
associations, invite staff who then set their own password with a one-time code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple
from uuid import UUID

from coordination.text import KEY, NAME, Text, free_text


@free_text(name_ar=NAME, name_en=NAME, address=Text(240))
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


@free_text(name_ar=NAME, name_en=NAME, kind=KEY)
@dataclass(frozen=True)
class EditAssociation:
    association_id: UUID
    name_ar: str
    name_en: str
    kind: str


@free_text(phone=KEY, full_name=NAME)
@dataclass(frozen=True)
class InviteStaff:
    """An account without a password, and a set-password code to hand to the person."""

    phone: str
    full_name: str


@dataclass(frozen=True)
class ReissueSetUpCode:
    account_id: UUID


@free_text(phone=KEY, code=KEY)
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


@free_text(phone=KEY)
@dataclass(frozen=True)
class IssueResetCode:
    """A one-time code for a volunteer who forgot their password, issued by their association's
    coordinator or the operations room, said to them by telephone; it opens /set-password."""

    phone: str
