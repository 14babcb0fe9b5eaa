"""A sign-up or a withdrawal: the pure decision of ``coordination.signup`` over a shift and a
volunteer, saved together."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

from coordination.areas.sign_ups.commands import SignUp, SignUpResult, Withdraw
from coordination.areas.sign_ups.policy import may_sign_up, may_withdraw
from coordination.areas.training.handlers import with_next_session
from coordination.dispatch import Decision, Store, handles
from coordination.permissions import Actor, require
from coordination.shift import Shift, ShiftNotFound
from coordination.signup import SignUpOutcome, sign_up, withdraw
from coordination.volunteer import Volunteer, VolunteerNotFound


@handles(SignUp, planned=True)
def decide_sign_up(store: Store, command: SignUp, actor: Actor) -> Decision[SignUpResult]:
    # Without a key nothing is replayed: a sign-up after a withdrawal is a new one.
    key = command.idempotency_key.strip()[:100] or f"unkeyed:{uuid4()}"
    return _over_shift_and_volunteer(
        store,
        actor,
        command.shift_id,
        command.volunteer_id,
        lambda s, v: sign_up(s, v, key, store.clock()),
        may_sign_up,
        explain=lambda refused: with_next_session(store, refused),
    )


@handles(Withdraw, planned=True)
def decide_withdrawal(store: Store, command: Withdraw, actor: Actor) -> Decision[SignUpResult]:
    return _over_shift_and_volunteer(
        store,
        actor,
        command.shift_id,
        command.volunteer_id,
        lambda s, v: withdraw(s, v, store.clock()),
        may_withdraw,
    )


def _over_shift_and_volunteer(
    store: Store,
    actor: Actor,
    shift_id: UUID,
    volunteer_id: UUID,
    decision: Callable[[Shift, Volunteer], SignUpOutcome],
    may: Callable[[Actor, Shift, Volunteer], bool],
    explain: Any = None,
) -> Decision[SignUpResult]:
    def decide(aggregates: dict[UUID, Any]) -> SignUpResult:
        shift = store.held(aggregates, shift_id, Shift, ShiftNotFound)
        volunteer = store.held(aggregates, volunteer_id, Volunteer, VolunteerNotFound)
        require(may(actor, shift, volunteer))
        outcome = decision(shift, volunteer)
        return SignUpResult(outcome, shift.id, volunteer.id, shift.taken, shift.capacity)

    return Decision(decide, (shift_id, volunteer_id), lock=shift_id, explain=explain)
