"""What people ask of accounts: registering as a volunteer, staff accounts and their roles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from coordination.permissions import Grant


@dataclass(frozen=True)
class RegisterVolunteer:
    """Open to anyone; a volunteer imported by an association sets a password this way."""

    full_name: str
    phone: str
    national_id: str
    governorate: str
    password: str
    association_id: UUID | None = None
    language: str = "ar"  # the page's: their messages are written in it


@dataclass(frozen=True)
class CreateUser:
    phone: str
    full_name: str
    password: str
    grants: Iterable[Grant] = ()


@dataclass(frozen=True)
class GrantRole:
    account_id: UUID
    role: str
    scope: str = ""


@dataclass(frozen=True)
class RevokeRole:
    account_id: UUID
    role: str
    scope: str = ""


@dataclass(frozen=True)
class ChangePassword:
    """A signed-in person's own new password, given the one they have now."""

    current_password: str
    new_password: str


@dataclass(frozen=True)
class ChooseMessageLanguage:
    """The language a volunteer's own messages are written in (the page's, when they switch)."""

    language: str


@dataclass(frozen=True)
class ChangeMyEmail:
    """The address a volunteer's own messages also go to by e-mail (empty: none)."""

    email: str


@dataclass(frozen=True)
class ResetCalendarLink:
    """A volunteer ends the link to their calendar of shifts and gets a new one."""


@dataclass(frozen=True)
class ChangeMyDetails:
    """A volunteer's own name, home governorate and home association (None: none)."""

    full_name: str
    governorate: str
    association_id: UUID | None
