"""An account: one per mobile number, with a password and scoped role grants."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.errors import NotFound, RuleViolation
from coordination.fingerprints import stable_id
from coordination.permissions import Grant, Role


class Account(Aggregate):
    if TYPE_CHECKING:  # @event makes these classes at runtime; the type checker sees them here
        Opened: ClassVar[type[Aggregate.Event]]
        PasswordChanged: ClassVar[type[Aggregate.Event]]
        RoleGranted: ClassVar[type[Aggregate.Event]]
        RoleRevoked: ClassVar[type[Aggregate.Event]]
        SetUpCodeIssued: ClassVar[type[Aggregate.Event]]
        SetUpCodeRedeemed: ClassVar[type[Aggregate.Event]]
        VolunteerDetached: ClassVar[type[Aggregate.Event]]

    # Accounts opened before invitations existed have no set-up code.
    set_up_code_hash = ""
    set_up_code_expires_at: datetime | None = None

    @staticmethod
    def create_id(phone_hash: str) -> UUID:
        return stable_id("account", phone_hash)

    @event("Opened")
    def __init__(
        self,
        phone_hash: str,
        phone: str,
        full_name: str,
        password_hash: str,
        volunteer_id: UUID | None,
    ) -> None:
        self.phone_hash, self.phone, self.full_name = phone_hash, phone, full_name
        self.password_hash, self.volunteer_id = password_hash, volunteer_id
        self.grants: set[Grant] = {Grant(Role.VOLUNTEER)} if volunteer_id else set()

    @event("PasswordChanged")
    def change_password(self, password_hash: str) -> None:
        self.password_hash = password_hash

    @event("RoleGranted")
    def grant(self, role: str, scope: str, granted_by: UUID | None) -> None:
        self.grants.add(Grant(Role(role), scope))

    @event("RoleRevoked")
    def revoke(self, role: str, scope: str, revoked_by: UUID | None) -> None:
        self.grants.discard(Grant(Role(role), scope))

    @event("SetUpCodeIssued")
    def issue_set_up_code(
        self, code_hash: str, expires_at: datetime, by: UUID | None, sms_code: str = ""
    ) -> None:
        """A one-time code the invited person sets a password with, kept hashed; a reset code
        also carries its text (``sms_code``) for the outbox to send it by SMS (the event is
        encrypted; older events have none)."""
        self.set_up_code_hash, self.set_up_code_expires_at = code_hash, expires_at

    def redeem_set_up_code(self, code_hash: str, password_hash: str, now: datetime) -> None:
        expires_at = self.set_up_code_expires_at
        if not self.set_up_code_hash or self.set_up_code_hash != code_hash:
            raise BadSetUpCode()
        if expires_at is None or now >= expires_at:
            raise BadSetUpCode()
        self._set_up_code_redeemed(password_hash)

    @event("SetUpCodeRedeemed")
    def _set_up_code_redeemed(self, password_hash: str) -> None:
        self.password_hash = password_hash
        self.set_up_code_hash, self.set_up_code_expires_at = "", None

    @event("VolunteerDetached")
    def detach_volunteer(self, by: UUID | None) -> None:
        """A registration refused after its check: the account no longer speaks for the record."""
        self.volunteer_id = None
        self.grants.discard(Grant(Role.VOLUNTEER))


class BadSetUpCode(RuleViolation):
    code = "bad_set_up_code"


class PhoneTaken(RuleViolation):
    code = "phone_taken"


class BadCredentials(RuleViolation):
    code = "bad_credentials"


class AccountNotFound(NotFound):
    code = "account_not_found"


class WrongCurrentPassword(BadCredentials):
    code = "wrong_current_password"
