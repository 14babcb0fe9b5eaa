"""Asking, offering, consenting, accepting and declining; accepting signs the volunteer up
with every shift rule (places, overlapping shifts, certificates) in the same write."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from coordination.areas.exchange.commands import (
    AcceptOffer,
    AnswerOffer,
    DeclineOffer,
    OfferVolunteer,
    RequestVolunteers,
)
from coordination.areas.exchange.policy import is_a_volunteer, may_lend, speaks_for
from coordination.association import Association, AssociationNotFound
from coordination.dispatch import Store, handles
from coordination.exchange import ExchangeRequest, ExchangeRequestNotFound
from coordination.permissions import Actor, require
from coordination.retry import retrying
from coordination.shift import Shift, ShiftNotFound
from coordination.signup import sign_up
from coordination.volunteer import Volunteer, VolunteerNotFound


@handles(RequestVolunteers)
def request_volunteers(store: Store, command: RequestVolunteers, actor: Actor) -> UUID:
    require(speaks_for(actor, command.association_id))
    store.get(command.association_id, Association, AssociationNotFound)
    shift = store.get(command.shift_id, Shift, ShiftNotFound)
    request = ExchangeRequest.ask(
        command.association_id, shift.id, shift.role, command.asked, command.note
    )
    store.save(request)
    return request.id


@handles(OfferVolunteer)
def offer_volunteer(store: Store, command: OfferVolunteer, actor: Actor) -> bool:
    def attempt() -> bool:
        request = _request(store, command.request_id)
        volunteer = store.get(command.volunteer_id, Volunteer, VolunteerNotFound)
        require(may_lend(actor, volunteer))
        assert volunteer.association_id is not None  # may_lend says so
        offered = request.offer(volunteer.association_id, volunteer.id)
        if offered:
            store.save(request)
        return offered

    return retrying(attempt)


@handles(AnswerOffer)
def answer_offer(store: Store, command: AnswerOffer, actor: Actor) -> bool:
    require(is_a_volunteer(actor))
    volunteer_id = actor.volunteer_id
    assert volunteer_id is not None  # is_a_volunteer says so

    def attempt() -> bool:
        request = _request(store, command.request_id)
        changed = request.answer(volunteer_id, command.consents)
        if changed:
            store.save(request)
        return changed

    return retrying(attempt)


@handles(AcceptOffer)
def accept_offer(store: Store, command: AcceptOffer, actor: Actor) -> UUID:
    """The lending association's id. The request, the shift and the volunteer are read afresh
    for each attempt: a refused sign-up leaves the accepted offer unsaved."""

    def attempt() -> UUID:
        request = _request(store, command.request_id)
        require(speaks_for(actor, request.association_id))
        shift = store.get(request.shift_id, Shift, ShiftNotFound)
        volunteer = store.get(command.volunteer_id, Volunteer, VolunteerNotFound)
        lender = request.accept(volunteer.id)
        sign_up(shift, volunteer, f"exchange:{request.id}:{volunteer.id}", store.clock())
        changed: list[Any] = [a for a in (request, shift, volunteer) if a.pending_events]
        store.save(*changed)
        return lender

    return retrying(attempt)


@handles(DeclineOffer)
def decline_offer(store: Store, command: DeclineOffer, actor: Actor) -> None:
    def attempt() -> None:
        request = _request(store, command.request_id)
        require(speaks_for(actor, request.association_id))
        request.decline(command.volunteer_id)
        store.save(request)

    retrying(attempt)


def _request(store: Store, request_id: UUID) -> ExchangeRequest:
    return store.get(request_id, ExchangeRequest, ExchangeRequestNotFound)
