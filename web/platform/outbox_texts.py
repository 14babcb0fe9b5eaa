"""What each outbox message says, through the catalogue: one SMS segment where possible
(70 characters in Arabic, sent as UCS-2; 160 in English, GSM-7), checked with sample values
by tests/unit/test_outbox_texts.py."""

from __future__ import annotations

from collections.abc import Mapping

from web.platform.i18n import N_, translations

TEXTS: dict[str, str] = {
    "signed_up": N_("Katf: you are signed up for the shift of %(day)s at %(time)s."),
    "promoted": N_("Katf: a place came free and is yours: the shift of %(day)s at %(time)s."),
    "retimed": N_("Katf: your shift now starts on %(day)s at %(time)s."),
    "lost_cancelled": N_("Katf: your shift of %(day)s at %(time)s was cancelled."),
    "lost_removed": N_("Katf: you are no longer on the shift of %(day)s at %(time)s."),
    "lost_moved": N_(
        "Katf: you were moved from the shift of %(day)s at %(time)s. See your shifts."
    ),
    "lost_no_show": N_(
        "Katf: your shift of %(day)s at %(time)s began without you; your place went to another."
    ),
    "waitlist_cancelled": N_(
        "Katf: the shift of %(day)s at %(time)s you were waiting for was cancelled."
    ),
    "password_code": N_("Katf: your code for a new password is %(code)s. Share it with no one."),
    "reminder_evening": N_("Katf: a reminder of your shift tomorrow, %(day)s at %(time)s."),
    "reminder_soon": N_("Katf: your shift starts today at %(time)s. See you there."),
    "ticket_assigned": N_(
        "Katf: ticket %(ticket)s was assigned to you. It is on the operations page."
    ),
}

# Values as long as they get: the lengths test fills every text with these.
SAMPLES = {"day": "17/03", "time": "14:00", "code": "ABCDEFGH23", "ticket": "1A2B3C4D"}


def render(kind: str, params: Mapping[str, str], locale: str) -> str:
    """Values keep Western digits: a code or a time is typed or read as it is written."""
    return translations(locale).gettext(TEXTS[kind]) % dict(params)
