"""Training: programmes that build volunteers' skills, their sessions, and which shift roles
need whose certificate."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.errors import InvalidInput, NotFound, RuleViolation
from coordination.fingerprints import stable_id


class Programme(StrEnum):
    FOOD_HYGIENE = "food_hygiene"
    FIRST_AID = "first_aid"
    CROWD_MARSHALLING = "crowd_marshalling"
    LINE_LEAD = "line_lead"


VALIDITY = {
    Programme.FOOD_HYGIENE: timedelta(days=365),
    Programme.FIRST_AID: timedelta(days=730),
    Programme.CROWD_MARSHALLING: timedelta(days=730),
    Programme.LINE_LEAD: timedelta(days=1095),
}
REQUIRED_FOR_ROLE: dict[str, tuple[Programme, ...]] = {
    "cook": (Programme.FOOD_HYGIENE,),
    "medic": (Programme.FIRST_AID,),
    "line_lead": (Programme.LINE_LEAD,),
}
MAX_SESSION = 500


def check_programme(programme: str) -> Programme:
    try:
        return Programme(programme)
    except ValueError:
        raise UnknownProgramme(programme=programme) from None


class TrainingSession(Aggregate):
    if TYPE_CHECKING:  # @event makes these classes at runtime; the type checker sees them here
        Scheduled: ClassVar[type[Aggregate.Event]]
        Enrolled: ClassVar[type[Aggregate.Event]]
        Attended: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(programme: str, starts_at: datetime, place: str) -> UUID:
        return stable_id("training-session", programme, starts_at.isoformat(), place)

    @classmethod
    def schedule(
        cls,
        programme: str,
        starts_at: datetime,
        place: str,
        capacity: int,
        organiser: UUID | None = None,
    ) -> TrainingSession:
        place = " ".join(place.split())
        if starts_at.tzinfo is None or not 0 < len(place) <= 120:
            raise InvalidSession()
        if not 1 <= capacity <= MAX_SESSION:
            raise InvalidSession()
        return cls(check_programme(programme).value, starts_at, place, capacity, organiser)

    @event("Scheduled")
    def __init__(
        self,
        programme: str,
        starts_at: datetime,
        place: str,
        capacity: int,
        organiser: UUID | None = None,
    ) -> None:
        """``organiser``: the account that scheduled the session; None (every session
        scheduled before it was recorded) means only the national admins may record it."""
        self.programme, self.starts_at, self.place, self.capacity = (
            programme,
            starts_at,
            place,
            capacity,
        )
        self.organiser = organiser
        self.enrolled: set[UUID] = set()
        self.attended: set[UUID] = set()

    def enrol(self, volunteer_id: UUID) -> bool:
        if volunteer_id in self.enrolled:
            return False
        if len(self.enrolled) >= self.capacity:
            raise SessionFull()
        self._enrolled(volunteer_id)
        return True

    @event("Enrolled")
    def _enrolled(self, volunteer_id: UUID) -> None:
        self.enrolled.add(volunteer_id)

    def attend(self, volunteer_id: UUID) -> bool:
        if volunteer_id not in self.enrolled:
            raise NotEnrolled()
        if volunteer_id in self.attended:
            return False
        self._attended(volunteer_id)
        return True

    @event("Attended")
    def _attended(self, volunteer_id: UUID) -> None:
        self.attended.add(volunteer_id)

    @property
    def expires_at(self) -> datetime:
        return self.starts_at + VALIDITY[Programme(self.programme)]


class ProgrammeCalendar(Aggregate):
    """A programme's sessions by date, so a refusal can name the next one."""

    if TYPE_CHECKING:  # @event makes these classes at runtime; the type checker sees them here
        Opened: ClassVar[type[Aggregate.Event]]
        SessionAdded: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(programme: str) -> UUID:
        return stable_id("programme-calendar", programme)

    @event("Opened")
    def __init__(self, programme: str) -> None:
        self.programme = programme
        self.sessions: dict[UUID, tuple[datetime, str]] = {}

    @event("SessionAdded")
    def add(self, session_id: UUID, starts_at: datetime, place: str) -> None:
        self.sessions[session_id] = (starts_at, place)

    def next_after(self, moment: datetime) -> tuple[datetime, str] | None:
        upcoming = sorted(value for value in self.sessions.values() if value[0] > moment)
        return upcoming[0] if upcoming else None


class UnknownProgramme(InvalidInput):
    code = "unknown_programme"


class InvalidSession(InvalidInput):
    code = "invalid_session"


class SessionFull(RuleViolation):
    code = "session_full"


class NotEnrolled(RuleViolation):
    code = "not_enrolled"


class TrainingSessionNotFound(NotFound):
    code = "training_session_not_found"


class MissingCertificate(RuleViolation):
    code = "missing_certificate"


class MissingCertificateNextSession(MissingCertificate):
    code = "missing_certificate_next_session"
