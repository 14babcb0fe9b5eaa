"""What happened to one site, association, round or account: who, what, when.

This reads the aggregate's own events from the event store — the one query here that does
not read a read model. It is small (one aggregate's events, in order) and it is the record
itself, which is what an audited campaign wants to show; names of the staff who acted come
from the campaign administration read model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from babel.dates import format_datetime

from coordination.calendar import local
from projections.campaign_admin import staff_names
from web.admin.labels import ASSOCIATION_KIND_NAMES, role_label, scope_label
from web.platform.i18n import N_, babel_locale, gettext_for, in_digits, number, separator
from web.platform.messages import SITE_KIND_NAMES

if TYPE_CHECKING:
    from web.bootstrap import Services

WHAT: dict[str, str] = {
    "Site.Opened": N_("Opened the site"),
    "Site.KitchenConfigured": N_("Set the kitchen's daily target and location"),
    "Site.PackingConfigured": N_("Set the daily box target and the box contents"),
    "Site.LineAdded": N_("Added a packing line"),
    "Site.Renamed": N_("Renamed the site"),
    "Site.Located": N_("Changed the address or the location"),
    "Site.Closed": N_("Closed the site"),
    "Association.Founded": N_("Founded the association"),
    "Association.Classified": N_("Changed the kind of association"),
    "Association.Renamed": N_("Renamed the association"),
    "CampaignRound.Opened": N_("Opened the round"),
    "Account.Opened": N_("Opened the account"),
    "Account.PasswordChanged": N_("Changed the password"),
    "Account.RoleGranted": N_("Granted a role"),
    "Account.RoleRevoked": N_("Revoked a role"),
    "Account.SetUpCodeIssued": N_("Issued a set-password code"),
    "Account.SetUpCodeRedeemed": N_("Set a password with the code"),
}
WHO_FIELDS = ("by", "granted_by", "revoked_by", "opened_by", "founded_by")
UNRECORDED = N_("not recorded")
SYSTEM = N_("the system (set-up)")


def history(services: Services, aggregate_id: UUID, locale: str) -> list[dict[str, str]]:
    """The aggregate's events as lines a person reads, newest first."""
    events = list(services.app.repository.event_store.get(aggregate_id))
    actors = {
        str(getattr(event, name))
        for event in events
        for name in WHO_FIELDS
        if getattr(event, name, None) is not None
    }
    names = staff_names(services.db, services.sealer, actors)
    lines = [_line(services, event, names, locale) for event in events]
    return lines[::-1]


def _line(services: Services, event: Any, names: dict[str, str], locale: str) -> dict[str, str]:
    kind = type(event).__qualname__
    what = gettext_for(locale, WHAT.get(kind, kind.rsplit(".", 1)[-1]))
    return {
        "when": in_digits(
            format_datetime(local(event.timestamp), format="medium", locale=babel_locale(locale)),
            locale,
        ),
        "when_iso": event.timestamp.isoformat(),
        "who": _who(event, names, locale),
        "what": what,
        "detail": _detail(services, event, kind, locale),
    }


def _who(event: Any, names: dict[str, str], locale: str) -> str:
    for name in WHO_FIELDS:
        if hasattr(event, name):
            actor = getattr(event, name)
            if actor is None:
                return gettext_for(locale, SYSTEM)
            return names.get(str(actor)) or gettext_for(locale, UNRECORDED)
    return gettext_for(locale, UNRECORDED)


def _detail(services: Services, event: Any, kind: str, locale: str) -> str:
    def named() -> str:
        return str(event.name_ar if locale == "ar" else event.name_en)

    if kind in ("Site.Opened", "Site.Renamed", "Association.Founded", "Association.Renamed"):
        extra = (
            separator(locale) + gettext_for(locale, SITE_KIND_NAMES.get(event.kind, event.kind))
            if kind == "Site.Opened"
            else ""
        )
        return named() + extra
    if kind == "CampaignRound.Opened":
        return named() + separator(locale) + number(event.target, locale)
    if kind == "Site.Located":
        return str(event.address)
    if kind == "Site.LineAdded":
        return f"{event.name}{separator(locale)}{event.zone}"
    if kind == "Association.Classified":
        return gettext_for(locale, ASSOCIATION_KIND_NAMES.get(event.kind, event.kind))
    if kind in ("Account.RoleGranted", "Account.RoleRevoked"):
        scope = scope_label(services.db, locale, event.role, event.scope)
        role = role_label(locale, event.role)
        return f"{role}{separator(locale)}{scope}" if scope else role
    return ""
