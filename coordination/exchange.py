"""A volunteer exchange: an association asks for hands on a shift, others offer their
volunteers, each volunteer consents, the asking association accepts; every step is an event."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.errors import InvalidInput, NotFound, RuleViolation

MAX_ASKED = 1_000


class OfferState(StrEnum):
    OFFERED = "offered"
    CONSENTED = "consented"
    REFUSED = "refused"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class ExchangeRequest(Aggregate):
    if TYPE_CHECKING:  # @event makes these classes at runtime; the type checker sees them here
        Asked: ClassVar[type[Aggregate.Event]]
        Offered: ClassVar[type[Aggregate.Event]]
        Answered: ClassVar[type[Aggregate.Event]]
        Accepted: ClassVar[type[Aggregate.Event]]
        Declined: ClassVar[type[Aggregate.Event]]

    @classmethod
    def ask(
        cls, association_id: UUID, shift_id: UUID, role: str, asked: int, note: str
    ) -> ExchangeRequest:
        if not 1 <= asked <= MAX_ASKED:
            raise InvalidAsked(maximum=MAX_ASKED)
        return cls(association_id, shift_id, role, asked, " ".join(note.split())[:500])

    @event("Asked")
    def __init__(
        self, association_id: UUID, shift_id: UUID, role: str, asked: int, note: str
    ) -> None:
        self.association_id, self.shift_id, self.role = association_id, shift_id, role
        self.asked, self.note = asked, note
        self.offers: dict[UUID, tuple[UUID, str]] = {}
        self.closed = False

    @property
    def accepted(self) -> int:
        return sum(state == OfferState.ACCEPTED for _, state in self.offers.values())

    def offer(self, lender_id: UUID, volunteer_id: UUID) -> bool:
        if self.closed or self.accepted >= self.asked:
            raise RequestFilled()
        if lender_id == self.association_id:
            raise OwnVolunteer()
        if volunteer_id in self.offers:
            return False
        self._offered(lender_id, volunteer_id)
        return True

    @event("Offered")
    def _offered(self, lender_id: UUID, volunteer_id: UUID) -> None:
        self.offers[volunteer_id] = (lender_id, OfferState.OFFERED)

    def answer(self, volunteer_id: UUID, consents: bool) -> bool:
        """The volunteer's own word; nobody is lent without it."""
        state = self._state(volunteer_id)
        wanted = OfferState.CONSENTED if consents else OfferState.REFUSED
        if state == wanted:
            return False
        if state != OfferState.OFFERED:
            raise OfferAnswered()
        self._answered(volunteer_id, consents)
        return True

    @event("Answered")
    def _answered(self, volunteer_id: UUID, consents: bool) -> None:
        lender, _ = self.offers[volunteer_id]
        self.offers[volunteer_id] = (
            lender,
            OfferState.CONSENTED if consents else OfferState.REFUSED,
        )

    def accept(self, volunteer_id: UUID) -> UUID:
        """Only a consenting volunteer; returns the lending association."""
        state = self._state(volunteer_id)
        if state != OfferState.CONSENTED:
            raise NoConsent()
        if self.accepted >= self.asked:
            raise RequestFilled()
        lender, _ = self.offers[volunteer_id]
        self._accepted(volunteer_id, lender, self.shift_id)
        return lender

    @event("Accepted")
    def _accepted(self, volunteer_id: UUID, lender_id: UUID, shift_id: UUID) -> None:
        self.offers[volunteer_id] = (lender_id, OfferState.ACCEPTED)

    def decline(self, volunteer_id: UUID) -> None:
        if self._state(volunteer_id) in (OfferState.ACCEPTED, OfferState.DECLINED):
            raise OfferAnswered()
        self._declined(volunteer_id)

    @event("Declined")
    def _declined(self, volunteer_id: UUID) -> None:
        lender, _ = self.offers[volunteer_id]
        self.offers[volunteer_id] = (lender, OfferState.DECLINED)

    def _state(self, volunteer_id: UUID) -> str:
        if volunteer_id not in self.offers:
            raise OfferNotFound()
        return self.offers[volunteer_id][1]


class InvalidAsked(InvalidInput):
    code = "invalid_asked"


class RequestFilled(RuleViolation):
    code = "request_filled"


class OwnVolunteer(RuleViolation):
    code = "own_volunteer"


class OfferAnswered(RuleViolation):
    code = "offer_answered"


class NoConsent(RuleViolation):
    code = "no_consent"


class OfferNotFound(NotFound):
    code = "offer_not_found"


class ExchangeRequestNotFound(NotFound):
    code = "exchange_request_not_found"
