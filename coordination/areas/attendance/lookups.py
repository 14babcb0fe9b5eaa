"""What desks read before they decide: the volunteer a badge or mobile number names, and the
facts of sites and shifts that never change, remembered so a scan need not load them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from coordination.account import Account
from coordination.areas.accounts.lookups import account_id_for
from coordination.attendance import EARLY_CHECK_IN, NotSignedUpHere
from coordination.badges import volunteer_of_badge
from coordination.dispatch import Store
from coordination.errors import InvalidInput
from coordination.shift import Shift, ShiftNotFound
from coordination.site import Site, SiteKind, SiteNotFound
from coordination.volunteer import Volunteer, VolunteerNotFound

MAX_REMEMBERED = 100_000


@dataclass(frozen=True)
class ShiftFacts:
    """What never changes about a shift, remembered so a desk scan need not load it."""

    shift_id: UUID
    site_id: UUID
    governorate: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class SiteFacts:
    id: UUID
    governorate: str


class NoVolunteerGiven(InvalidInput):
    code = "no_volunteer_given"


def volunteer_for_badge(store: Store, code: str) -> UUID:
    return volunteer_of_badge(store.fingerprints, code)


def volunteer_for_phone(store: Store, phone: str) -> UUID:
    account = store.find(account_id_for(store, phone), Account)
    if account is None or account.volunteer_id is None:
        raise VolunteerNotFound()
    return account.volunteer_id


def volunteer_named(store: Store, volunteer_id: UUID | None, badge: str, phone: str) -> UUID:
    """The badge scanned, the phone number typed, or the id from a list: whichever came."""
    if badge.strip():
        return volunteer_for_badge(store, badge)
    if phone.strip():
        return volunteer_for_phone(store, phone)
    if volunteer_id is not None:
        return volunteer_id
    raise NoVolunteerGiven()


def names_by_phone(badge: str, phone: str) -> bool:
    """Whether the volunteer is named by a mobile number, which is read from the store."""
    return bool(phone.strip() and not badge.strip())


def remembers_scan(store: Store, site_id: UUID, shift_id: UUID | None) -> bool:
    """Whether a scan of this shift at this site is decided without reading the store
    before it is enqueued (the desk's site and the shift are remembered)."""
    facts = store.facts
    return shift_id is not None and ("site", site_id) in facts and ("shift", shift_id) in facts


def shift_facts(store: Store, shift_id: UUID) -> ShiftFacts:
    def look_up() -> ShiftFacts:
        # Its place never changes and its first event says it, where reading it whole replays
        # every sign-up. Its times as scheduled: a check-in takes them from the volunteer's
        # own copy of the shift, which follows a change of times.
        shift = store.get(shift_id, Shift, ShiftNotFound, version=1)
        return ShiftFacts(
            shift.id, shift.site_id, shift.governorate, shift.starts_at, shift.ends_at
        )

    return store.remembered(("shift", shift_id), look_up, MAX_REMEMBERED)


def desk_site(store: Store, site_id: UUID) -> SiteFacts:
    """The packing site a desk scans at: desks check volunteers in and out at packing sites."""

    def look_up() -> SiteFacts:
        site = store.get(site_id, Site, SiteNotFound)
        if site.kind != SiteKind.PACKING:
            raise SiteNotFound()
        return SiteFacts(site.id, site.governorate)

    return store.remembered(("site", site_id), look_up, MAX_REMEMBERED)


def current_shift(
    store: Store, site_id: UUID, volunteer_id: UUID, now: datetime, leaving: bool = False
) -> ShiftFacts:
    """The volunteer's shift at this site open for arrivals now (or, leaving, the last one)."""
    volunteer = store.get(volunteer_id, Volunteer, VolunteerNotFound)
    candidates = sorted(
        (start, shift_id)
        for shift_id, (start, end) in volunteer.shifts.items()
        if start - EARLY_CHECK_IN <= now and (leaving or now < end)
    )
    for _, shift_id in reversed(candidates):
        facts = shift_facts(store, shift_id)
        if facts.site_id == site_id:
            return facts
    raise NotSignedUpHere()
