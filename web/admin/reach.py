"""Which staff accounts a person administering roles may find and open: the national admin
every account; a governorate coordinator those holding a role in their governorate and the
volunteers who live there. Found by name among the staff, or by any account's mobile number."""

from __future__ import annotations

from typing import Any

from coordination.areas.accounts.lookups import account_id_for
from coordination.areas.accounts.policy import GOVERNORATE_GRANTS, changes_grant
from coordination.identity import InvalidPhone, mask_phone
from coordination.permissions import Actor, Grant, Role
from projections.campaign_admin import SEARCH_LIMIT, admin_association, admin_site, staff_account
from projections.campaign_admin import staff_accounts as list_staff_accounts
from projections.database import Database, Row
from projections.volunteer_directory import find_volunteer


def grant_governorate(db: Database, role: str, scope: str) -> str | None:
    """The governorate a grant's scope lies in, read from the administration's read model."""
    if role == Role.GOVERNORATE_COORDINATOR:
        return scope
    if role not in GOVERNORATE_GRANTS:
        return None
    row = (
        admin_association(db, scope)
        if role == Role.ASSOCIATION_COORDINATOR
        else admin_site(db, scope)
    )
    return str(row["governorate"]) if row else None


def may_change(actor: Actor, db: Database, role: str, scope: str) -> bool:
    return changes_grant(actor, Grant(Role(role), scope), grant_governorate(db, role, scope))


def sees_account(actor: Actor, services: Any, account: Row) -> bool:
    if actor.is_admin:
        return True
    mine = actor.scopes(Role.GOVERNORATE_COORDINATOR)
    if any(
        grant_governorate(services.db, g["role"], g["scope"]) in mine for g in account["grants"]
    ):
        return True
    if account["volunteer_id"] is None:
        return False
    volunteer = find_volunteer(services.db, services.sealer, account["volunteer_id"])
    return volunteer is not None and volunteer["governorate"] in mine


def shown(actor: Actor, account: Row) -> Row:
    """The admin calls staff back; a governorate coordinator recognises a number."""
    return account if actor.is_admin else {**account, "phone": mask_phone(account["phone"])}


def listed_accounts(actor: Actor, services: Any) -> list[Row]:
    accounts = list_staff_accounts(services.db, services.sealer)
    return [shown(actor, a) for a in accounts if sees_account(actor, services, a)]


def found_accounts(actor: Actor, services: Any, query: str) -> list[Row]:
    """Staff whose name has every word searched, and the account of a mobile number typed."""
    by_phone = _by_phone(services, query)
    if by_phone is not None:
        return [shown(actor, by_phone)] if sees_account(actor, services, by_phone) else []
    words = query.casefold().split()
    if not words:
        return []
    found = [
        a
        for a in list_staff_accounts(services.db, services.sealer)
        if all(word in a["full_name"].casefold() for word in words)
        and sees_account(actor, services, a)
    ]
    return [shown(actor, a) for a in found[:SEARCH_LIMIT]]


def _by_phone(services: Any, query: str) -> Row | None:
    if not any(ch.isdigit() for ch in query):
        return None
    try:
        account_id = account_id_for(services.app, query)
    except InvalidPhone:
        return None
    return staff_account(services.db, services.sealer, str(account_id))
