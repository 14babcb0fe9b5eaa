"""A sign-up or a withdrawal: the pure decision of ``coordination.signup`` over a shift and a
volunteer, saved together."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any
from uuid import UUID

from coordination.areas.sign_ups.commands import (
    JoinWaitlist,
    LeaveWaitlist,
    ReadInbox,
    SignUp,
    SignUpResult,
    WaitlistPlace,
    Withdraw,
)
from coordination.areas.sign_ups.policy import may_sign_up, may_withdraw
from coordination.areas.sites.lookups import site_is_open
from coordination.areas.training.handlers import with_next_session
from coordination.dispatch import Decision, Store, handles
from coordination.permissions import Actor, NotAllowed, require
from coordination.retry import retrying
from coordination.shift import Shift, ShiftNotFound
from coordination.signup import SignUpOutcome, sign_up, withdraw
from coordination.site import SiteClosed
from coordination.volunteer import Volunteer, VolunteerNotFound
from coordination.waitlist import fill_places, join, leave, waiting_head

# Unique, not secret: decided on the event loop, where uuid4's kernel read would give up the
# interpreter lock and queue the loop behind the request threads.
UNKEYED = random.Random()


@handles(SignUp, planned=True)
def decide_sign_up(store: Store, command: SignUp, actor: Actor) -> Decision[SignUpResult]:
    # Without a key nothing is replayed: a sign-up after a withdrawal is a new one.
    key = command.idempotency_key.strip()[:100] or f"unkeyed:{UNKEYED.getrandbits(128):032x}"
    return _over_shift_and_volunteer(
        store,
        actor,
        command.shift_id,
        command.volunteer_id,
        lambda s, v, _: sign_up(s, v, key, store.clock()),
        may_sign_up,
        at_open_site=True,
        explain=lambda refused: with_next_session(store, refused),
    )


@handles(Withdraw)
def decide_withdrawal(store: Store, command: Withdraw, actor: Actor) -> Decision[SignUpResult]:
    """The freed place goes to the waitlist in the same write: its head is read with the
    shift, anyone further down while deciding."""

    def withdrawn(shift: Shift, volunteer: Volunteer, aggregates: dict[UUID, Any]) -> SignUpOutcome:
        outcome = withdraw(shift, volunteer, store.clock())
        if outcome is SignUpOutcome.WITHDRAWN:
            fill_places(shift, waiting_in(store, aggregates), store.clock())
        return outcome

    return _over_shift_and_volunteer(
        store,
        actor,
        command.shift_id,
        command.volunteer_id,
        withdrawn,
        may_withdraw,
        also=waiting_head(store.find(command.shift_id, Shift)),
    )


@handles(JoinWaitlist, planned=True)
def decide_join(store: Store, command: JoinWaitlist, actor: Actor) -> Decision[WaitlistPlace]:
    c = command

    def decide(aggregates: dict[UUID, Any]) -> WaitlistPlace:
        shift = store.held(aggregates, c.shift_id, Shift, ShiftNotFound)
        volunteer = store.held(aggregates, c.volunteer_id, Volunteer, VolunteerNotFound)
        require(may_sign_up(actor, shift, volunteer))
        if not site_is_open(store, shift.site_id):
            raise SiteClosed()
        return WaitlistPlace(shift.id, volunteer.id, join(shift, volunteer, store.clock()))

    return Decision(
        decide,
        (c.shift_id, c.volunteer_id),
        lock=c.shift_id,
        explain=lambda refused: with_next_session(store, refused),
    )


@handles(LeaveWaitlist, planned=True)
def decide_leave(store: Store, command: LeaveWaitlist, actor: Actor) -> Decision[WaitlistPlace]:
    c = command

    def decide(aggregates: dict[UUID, Any]) -> WaitlistPlace:
        shift = store.held(aggregates, c.shift_id, Shift, ShiftNotFound)
        volunteer = store.held(aggregates, c.volunteer_id, Volunteer, VolunteerNotFound)
        require(may_withdraw(actor, shift, volunteer))
        leave(shift, volunteer.id)
        return WaitlistPlace(shift.id, volunteer.id, None)

    return Decision(decide, (c.shift_id, c.volunteer_id), lock=c.shift_id)


def waiting_in(store: Store, aggregates: dict[UUID, Any]) -> Callable[[UUID], Volunteer | None]:
    """A waiting volunteer as the decision holds them, read now if not read with the shift."""

    def volunteer(volunteer_id: UUID) -> Volunteer | None:
        try:
            return store.held(aggregates, volunteer_id, Volunteer, VolunteerNotFound)
        except VolunteerNotFound:
            return None

    return volunteer


def _over_shift_and_volunteer(
    store: Store,
    actor: Actor,
    shift_id: UUID,
    volunteer_id: UUID,
    decision: Callable[[Shift, Volunteer, dict[UUID, Any]], SignUpOutcome],
    may: Callable[[Actor, Shift, Volunteer], bool],
    explain: Any = None,
    also: tuple[UUID, ...] = (),
    at_open_site: bool = False,
) -> Decision[SignUpResult]:
    """``at_open_site``: refused at a closed site (as the process knew it a moment ago)."""

    def decide(aggregates: dict[UUID, Any]) -> SignUpResult:
        shift = store.held(aggregates, shift_id, Shift, ShiftNotFound)
        volunteer = store.held(aggregates, volunteer_id, Volunteer, VolunteerNotFound)
        require(may(actor, shift, volunteer))
        if at_open_site and not site_is_open(store, shift.site_id):
            raise SiteClosed()
        outcome = decision(shift, volunteer, aggregates)
        return SignUpResult(outcome, shift.id, volunteer.id, shift.taken, shift.capacity)

    needs = (shift_id, volunteer_id, *(v for v in also if v != volunteer_id))
    return Decision(decide, needs, lock=shift_id, explain=explain)


@handles(ReadInbox)
def read_inbox(store: Store, command: ReadInbox, actor: Actor) -> None:
    if actor.volunteer_id != command.volunteer_id:
        raise NotAllowed()

    def attempt() -> None:
        volunteer = store.get(command.volunteer_id, Volunteer, VolunteerNotFound)
        volunteer.read_inbox()
        store.save(volunteer)

    retrying(attempt)
