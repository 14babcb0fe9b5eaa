"""What a ticket's page says in words: assignees by name, timeline steps, deadlines in time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from babel.dates import format_date, format_time, format_timedelta

from coordination.calendar import from_utc_text, local
from coordination.governorates import get_governorate
from coordination.ticket_policy import AssigneeKind
from projections.campaign_admin import (
    SEARCH_LIMIT,
    admin_association,
    admin_associations,
    admin_site,
    admin_sites,
)
from projections.database import Database
from web.platform.i18n import N_, babel_locale, gettext_for, in_digits, separator
from web.platform.messages import TICKET_WORDS

ESCALATION_REASONS = {
    "response": N_("the response deadline passed"),
    "resolution": N_("the resolution deadline passed"),
    "manual": N_("escalated by hand"),
}


def _named(row: dict[str, Any], locale: str) -> str:
    return str(row["name_ar" if locale == "ar" else "name_en"])


def assignee_name(db: Database, locale: str, kind: str | None, assignee_id: str | None) -> str:
    """``Association: Resala`` in the reader's language, never the id."""
    if not kind or not assignee_id:
        return ""
    row = (
        admin_association(db, assignee_id) if kind == "association" else admin_site(db, assignee_id)
    )
    name = _named(row, locale) if row else gettext_for(locale, N_("(unknown)"))
    return f"{gettext_for(locale, TICKET_WORDS.get(kind, kind))}: {name}"


def assignee_called(db: Database, locale: str, assignee_id: str) -> str:
    """An assignee known only by its id (the statistics' rows): the association or the
    site of that id, by name in the reader's language."""
    for kind, row in (
        ("association", admin_association(db, assignee_id)),
        ("site", admin_site(db, assignee_id)),
    ):
        if row:
            return f"{gettext_for(locale, TICKET_WORDS.get(kind, kind))}: {_named(row, locale)}"
    return gettext_for(locale, N_("(unknown)"))


def step_detail(db: Database, locale: str, step: dict[str, Any]) -> str:
    """What a timeline step says after its name: a priority, an assignee, a reason, or text."""
    kind, detail = step["kind"], step["detail"] or ""
    if kind == "triaged":
        return gettext_for(locale, TICKET_WORDS.get(detail, detail))
    if kind == "assigned" and ":" in detail:
        assignee_kind, assignee_id = detail.split(":", 1)
        return assignee_name(db, locale, assignee_kind, assignee_id)
    if kind == "escalated":
        return gettext_for(locale, ESCALATION_REASONS.get(detail, detail))
    return detail


def deadline(text: str | None, now: datetime, locale: str, *, running: bool) -> dict[str, str]:
    """The deadline's date and time, and while it runs how far it is: in 3 hours, overdue by 20
    minutes."""
    if not text:
        return {}
    due = from_utc_text(text)
    moment, written = local(due), babel_locale(locale)
    day = format_date(moment, format="EEEE d MMMM", locale=written)
    comma = "، " if locale == "ar" else ", "
    when = day + comma + format_time(moment, format="short", locale=written)
    shown = {"when": in_digits(when, locale)}
    if running:
        span = format_timedelta(abs(due - now), threshold=1, format="long", locale=written)
        message = N_("in %(span)s") if due >= now else N_("overdue by %(span)s")
        shown["relative"] = in_digits(gettext_for(locale, message, span=span), locale)
        shown["overdue"] = "overdue" if due < now else ""
    return shown


def assignee_choices(
    db: Database, locale: str, kind: str, query: str, governorate: str
) -> list[tuple[str, str]]:
    """Associations or open sites whose name (in either language) has every word searched;
    the ticket's governorate first."""
    words = query.casefold().split()
    rows = admin_associations(db) if kind == AssigneeKind.ASSOCIATION else admin_sites(db)
    found = [
        row
        for row in rows
        if not row.get("closed")
        and all(w in f"{row['name_ar']} {row['name_en']}".casefold() for w in words)
    ]
    found.sort(key=lambda row: row["governorate"] != governorate)
    return [
        (
            str(row["association_id" if kind == AssigneeKind.ASSOCIATION else "site_id"]),
            _named(row, locale)
            + separator(locale)
            + get_governorate(row["governorate"]).name(locale),
        )
        for row in found[:SEARCH_LIMIT]
    ]
