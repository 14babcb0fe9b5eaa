"""Signing up for shifts and withdrawing, by the volunteer or by the staff in charge."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from coordination.commands.base import CommandBase
from coordination.permissions import Actor, require
from coordination.shift import Shift, ShiftNotFound
from coordination.signup import SignUpOutcome, sign_up, withdraw
from coordination.training import MissingCertificate
from coordination.volunteer import Volunteer, VolunteerNotFound


@dataclass(frozen=True)
class SignUpResult:
    outcome: SignUpOutcome
    shift_id: UUID
    volunteer_id: UUID
    taken: int
    capacity: int


def may_sign_up(actor: Actor, shift: Shift, volunteer: Volunteer) -> bool:
    return (
        actor.volunteer_id == volunteer.id
        or actor.device_site_id == shift.site_id
        or actor.manages_site(shift.site_id, shift.governorate)
        or actor.coordinates(volunteer.association_id)
    )


class SignUpCommands(CommandBase):
    with_next_session: Callable[[MissingCertificate], MissingCertificate]

    def sign_up(
        self,
        actor: Actor,
        shift_id: UUID,
        volunteer_id: UUID,
        idempotency_key: str,
        *,
        batched: bool = True,
    ) -> SignUpResult:
        try:
            return self.sign_up_later(
                actor, shift_id, volunteer_id, idempotency_key, batched=batched
            ).result()
        except MissingCertificate as refused:
            raise self.with_next_session(refused) from None

    def sign_up_later(
        self,
        actor: Actor,
        shift_id: UUID,
        volunteer_id: UUID,
        idempotency_key: str,
        *,
        batched: bool = True,
    ) -> Future[SignUpResult]:
        """The sign-up enqueued for the batcher (decided now when there is none). A caller
        that awaits it names the next training session in a missing certificate's refusal
        with ``with_next_session``, as ``sign_up`` does."""
        key = idempotency_key.strip()[:100] or f"{shift_id}:{volunteer_id}"
        return self._decide(
            actor,
            shift_id,
            volunteer_id,
            lambda s, v: sign_up(s, v, key, self.clock()),
            batched,
        )

    def withdraw(self, actor: Actor, shift_id: UUID, volunteer_id: UUID) -> SignUpResult:
        return self._decide(
            actor, shift_id, volunteer_id, lambda s, v: withdraw(s, v, self.clock()), True
        ).result()

    def _decide(
        self,
        actor: Actor,
        shift_id: UUID,
        volunteer_id: UUID,
        decision: Callable[[Shift, Volunteer], SignUpOutcome],
        batched: bool,
    ) -> Future[SignUpResult]:
        def decide(aggregates: dict[UUID, Any]) -> SignUpResult:
            shift = self._held(aggregates, shift_id, Shift, ShiftNotFound)
            volunteer = self._held(aggregates, volunteer_id, Volunteer, VolunteerNotFound)
            require(may_sign_up(actor, shift, volunteer))
            outcome = decision(shift, volunteer)
            return SignUpResult(outcome, shift.id, volunteer.id, shift.taken, shift.capacity)

        return self._decision(decide, (shift_id, volunteer_id), (shift_id,), shift_id, batched)
