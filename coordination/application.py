"""The coordination application: one intention-revealing method per command."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError

from coordination.fingerprints import Fingerprints
from coordination.governorates import get_governorate
from coordination.identity import parse_mobile, parse_national_id
from coordination.phone_claim import PhoneClaim, PhoneTaken
from coordination.retry import KeyedLocks, retrying
from coordination.shift import Shift, ShiftNotFound
from coordination.signup import SignUpOutcome, sign_up, withdraw
from coordination.site import Site, SiteNotFound
from coordination.volunteer import AlreadyRegistered, Volunteer, VolunteerNotFound, clean_full_name

Clock = Callable[[], datetime]
T = TypeVar("T")


@dataclass(frozen=True)
class SignUpResult:
    outcome: SignUpOutcome
    shift_id: UUID
    volunteer_id: UUID
    taken: int
    capacity: int


class Coordination(Application[UUID]):
    name = "Coordination"

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        secret_key: str,
        clock: Clock = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(env)
        self.fingerprints = Fingerprints(secret_key)
        self.clock = clock
        self.listeners: list[Callable[[], None]] = []
        self._shift_locks = KeyedLocks()

    def _notify(self, recordings: Any) -> None:
        super()._notify(recordings)
        for listener in self.listeners:
            listener()

    def open_site(self, slug: str, kind: str, governorate: str, name_ar: str, name_en: str) -> UUID:
        site = Site.open(slug, kind, governorate, name_ar, name_en)
        self._save_new(site)
        return site.id

    def schedule_shift(
        self, site_id: UUID, role: str, starts_at: datetime, ends_at: datetime, capacity: int
    ) -> UUID:
        site = self._get(site_id, Site, SiteNotFound)
        shift = Shift.schedule(site.id, site.governorate, role, starts_at, ends_at, capacity)
        self._save_new(shift)
        return shift.id

    def register_volunteer(
        self, full_name: str, phone: str, national_id: str, governorate: str
    ) -> UUID:
        name = clean_full_name(full_name)
        mobile = parse_mobile(phone)
        nid = parse_national_id(national_id, today=self.clock().date())
        home = get_governorate(governorate).code
        volunteer = Volunteer(
            self.fingerprints.of("national_id", nid.digits), nid.last_four, name, mobile, home
        )
        claim = PhoneClaim(self.fingerprints.of("phone", mobile), volunteer.id)
        try:
            self.save(volunteer, claim)
        except IntegrityError:
            if volunteer.id in self.repository:
                raise AlreadyRegistered() from None
            raise PhoneTaken() from None
        return volunteer.id

    def volunteer_by_phone(self, phone: str) -> UUID | None:
        claim_id = PhoneClaim.create_id(self.fingerprints.of("phone", parse_mobile(phone)))
        try:
            return self.repository.get(claim_id).volunteer_id
        except AggregateNotFoundError:
            return None

    def sign_up(self, shift_id: UUID, volunteer_id: UUID, idempotency_key: str) -> SignUpResult:
        key = idempotency_key.strip()[:100] or f"{shift_id}:{volunteer_id}"
        return self._decide(shift_id, volunteer_id, lambda s, v: sign_up(s, v, key, self.clock()))

    def withdraw(self, shift_id: UUID, volunteer_id: UUID) -> SignUpResult:
        return self._decide(shift_id, volunteer_id, lambda s, v: withdraw(s, v, self.clock()))

    def _decide(
        self,
        shift_id: UUID,
        volunteer_id: UUID,
        decision: Callable[[Shift, Volunteer], SignUpOutcome],
    ) -> SignUpResult:
        def attempt() -> SignUpResult:
            shift = self._get(shift_id, Shift, ShiftNotFound)
            volunteer = self._get(volunteer_id, Volunteer, VolunteerNotFound)
            outcome = decision(shift, volunteer)
            self.save(shift, volunteer)
            return SignUpResult(outcome, shift.id, volunteer.id, shift.taken, shift.capacity)

        with self._shift_locks(shift_id):
            return retrying(attempt)

    def _get(self, aggregate_id: UUID, kind: type[T], not_found: type[Exception]) -> T:
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise not_found() from None
        if not isinstance(aggregate, kind):
            raise not_found()
        return aggregate

    def _save_new(self, aggregate: Any) -> None:
        """Creating what already exists is a no-op: seeding and set-up can be re-run."""
        try:
            self.save(aggregate)
        except IntegrityError:
            if aggregate.id not in self.repository:
                raise
