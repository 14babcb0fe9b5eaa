"""An account: one per mobile number, with a password and scoped role grants."""

from __future__ import annotations

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


class PhoneTaken(RuleViolation):
    code = "phone_taken"


class BadCredentials(RuleViolation):
    code = "bad_credentials"


class AccountNotFound(NotFound):
    code = "account_not_found"
