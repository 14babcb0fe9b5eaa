"""Roles with scopes, and who may do what. Checked by the application for every command."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID

from coordination.errors import Forbidden, InvalidInput


class Role(StrEnum):
    VOLUNTEER = "volunteer"
    ASSOCIATION_COORDINATOR = "association_coordinator"
    SITE_MANAGER = "site_manager"
    KITCHEN_LEAD = "kitchen_lead"
    GOVERNORATE_COORDINATOR = "governorate_coordinator"
    OPERATIONS_AGENT = "operations_agent"
    NATIONAL_ADMIN = "national_admin"


NATIONAL_ROLES = {Role.OPERATIONS_AGENT, Role.NATIONAL_ADMIN}


@dataclass(frozen=True)
class Grant:
    role: Role
    scope: str = ""


@dataclass(frozen=True)
class Actor:
    """Who is asking: an account with its grants, or a desk device scoped to one site (and
    which desk it is: its token's id)."""

    account_id: UUID | None = None
    volunteer_id: UUID | None = None
    grants: frozenset[Grant] = field(default_factory=frozenset)
    device_site_id: UUID | None = None
    device_id: UUID | None = None

    def has(self, role: Role, scope: object = "") -> bool:
        return Grant(role, str(scope) if scope != "" else "") in self.grants

    @property
    def is_admin(self) -> bool:
        return self.has(Role.NATIONAL_ADMIN)

    def scopes(self, role: Role) -> set[str]:
        return {grant.scope for grant in self.grants if grant.role is role}

    def manages_site(self, site_id: UUID, governorate: str) -> bool:
        return (
            self.is_admin
            or self.has(Role.SITE_MANAGER, site_id)
            or self.has(Role.KITCHEN_LEAD, site_id)
            or self.has(Role.GOVERNORATE_COORDINATOR, governorate)
        )

    def coordinates(self, association_id: UUID | None) -> bool:
        return association_id is not None and self.has(Role.ASSOCIATION_COORDINATOR, association_id)


ANONYMOUS = Actor()
SYSTEM = Actor(grants=frozenset({Grant(Role.NATIONAL_ADMIN)}))


def grant_for(role: str, scope: str) -> Grant:
    try:
        parsed = Role(role)
    except ValueError:
        raise UnknownRole(role=role) from None
    if parsed in NATIONAL_ROLES or parsed is Role.VOLUNTEER:
        return Grant(parsed)
    if not scope.strip():
        raise MissingScope(role=role)
    return Grant(parsed, scope.strip())


def require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed()


class NotAllowed(Forbidden):
    code = "not_allowed"


class UnknownRole(InvalidInput):
    code = "unknown_account_role"


class MissingScope(InvalidInput):
    code = "missing_scope"
