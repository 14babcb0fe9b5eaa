"""Human names for what campaign administration shows: staff roles, and the scope of a grant."""

from __future__ import annotations

from typing import Any

from coordination.governorates import get_governorate
from coordination.permissions import Role
from projections.campaign_admin import admin_association, admin_site
from projections.database import Database
from web.platform.i18n import N_, gettext_for

STAFF_ROLE_NAMES: dict[str, str] = {
    Role.VOLUNTEER: N_("Volunteer"),
    Role.ASSOCIATION_COORDINATOR: N_("Association coordinator"),
    Role.SITE_MANAGER: N_("Site manager"),
    Role.KITCHEN_LEAD: N_("Kitchen lead"),
    Role.GOVERNORATE_COORDINATOR: N_("Governorate coordinator"),
    Role.OPERATIONS_AGENT: N_("Operations room agent"),
    Role.NATIONAL_ADMIN: N_("National admin"),
}

GRANTABLE = [
    Role.SITE_MANAGER,
    Role.KITCHEN_LEAD,
    Role.ASSOCIATION_COORDINATOR,
    Role.GOVERNORATE_COORDINATOR,
    Role.OPERATIONS_AGENT,
    Role.NATIONAL_ADMIN,
]

ASSOCIATION_KIND_NAMES: dict[str, str] = {
    "grassroots": N_("Grassroots association"),
    "member_entity": N_("Member entity of the alliance"),
}


def role_label(locale: str, role: str) -> str:
    return gettext_for(locale, STAFF_ROLE_NAMES.get(role, role))


def scope_label(db: Database, locale: str, role: str, scope: str) -> str:
    """The name of what a grant covers: a site, a kitchen, an association or a governorate."""
    if not scope:
        return ""
    if role == Role.GOVERNORATE_COORDINATOR:
        return get_governorate(scope).name(locale)
    row: Any = (
        admin_association(db, scope)
        if role == Role.ASSOCIATION_COORDINATOR
        else admin_site(db, scope)
    )
    if row is None:
        return gettext_for(locale, N_("(unknown)"))
    return str(row["name_ar" if locale == "ar" else "name_en"])
