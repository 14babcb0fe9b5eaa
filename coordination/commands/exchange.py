"""Volunteer exchange between associations: ask, offer, consent, accept (which signs up)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from coordination.association import Association, AssociationNotFound
from coordination.commands.base import CommandBase
from coordination.exchange import ExchangeRequest, ExchangeRequestNotFound
from coordination.permissions import Actor, require
from coordination.retry import retrying
from coordination.shift import Shift, ShiftNotFound
from coordination.signup import sign_up
from coordination.volunteer import Volunteer, VolunteerNotFound


class ExchangeCommands(CommandBase):
    def request_volunteers(
        self, actor: Actor, association_id: UUID, shift_id: UUID, asked: int, note: str = ""
    ) -> UUID:
        require(actor.is_admin or actor.coordinates(association_id))
        self._get(association_id, Association, AssociationNotFound)
        shift = self._get(shift_id, Shift, ShiftNotFound)
        request = ExchangeRequest.ask(association_id, shift.id, shift.role, asked, note)
        self.save(request)
        return request.id

    def offer_volunteer(self, actor: Actor, request_id: UUID, volunteer_id: UUID) -> bool:
        """A coordinator offers one of the association's own volunteers."""

        def attempt() -> bool:
            request = self._request(request_id)
            volunteer = self._get(volunteer_id, Volunteer, VolunteerNotFound)
            require(
                volunteer.association_id is not None
                and (actor.is_admin or actor.coordinates(volunteer.association_id))
            )
            offered = request.offer(volunteer.association_id, volunteer.id)
            if offered:
                self.save(request)
            return offered

        return retrying(attempt)

    def answer_offer(self, actor: Actor, request_id: UUID, consents: bool) -> bool:
        """Only the volunteer answers for themself."""
        require(actor.volunteer_id is not None)

        def attempt() -> bool:
            request = self._request(request_id)
            changed = request.answer(actor.volunteer_id, consents)  # type: ignore[arg-type]
            if changed:
                self.save(request)
            return changed

        return retrying(attempt)

    def accept_offer(self, actor: Actor, request_id: UUID, volunteer_id: UUID) -> UUID:
        """The asking association takes the volunteer: signed up to the shift in the same write,
        so every shift rule holds (places, overlapping shifts, certificates)."""

        def attempt() -> UUID:
            request = self._request(request_id)
            require(actor.is_admin or actor.coordinates(request.association_id))
            shift = self._get(request.shift_id, Shift, ShiftNotFound)
            volunteer = self._get(volunteer_id, Volunteer, VolunteerNotFound)
            lender = request.accept(volunteer.id)
            sign_up(shift, volunteer, f"exchange:{request.id}", self.clock())
            changed: list[Any] = [a for a in (request, shift, volunteer) if a.pending_events]
            self.save(*changed)
            return lender

        return retrying(attempt)

    def decline_offer(self, actor: Actor, request_id: UUID, volunteer_id: UUID) -> None:
        def attempt() -> None:
            request = self._request(request_id)
            require(actor.is_admin or actor.coordinates(request.association_id))
            request.decline(volunteer_id)
            self.save(request)

        retrying(attempt)

    def _request(self, request_id: UUID) -> ExchangeRequest:
        return self._get(request_id, ExchangeRequest, ExchangeRequestNotFound)
