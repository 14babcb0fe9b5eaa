"""Training sessions: scheduled by associations and national staff, attended for a certificate."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from coordination.calendar import local
from coordination.commands.base import CommandBase
from coordination.permissions import Actor, Role, require
from coordination.retry import retrying
from coordination.training import (
    MissingCertificate,
    MissingCertificateNextSession,
    ProgrammeCalendar,
    TrainingSession,
    TrainingSessionNotFound,
)
from coordination.volunteer import Volunteer, VolunteerNotFound


def runs_training(actor: Actor) -> bool:
    return actor.is_admin or bool(actor.scopes(Role.ASSOCIATION_COORDINATOR))


class TrainingCommands(CommandBase):
    def schedule_session(
        self, actor: Actor, programme: str, starts_at: datetime, place: str, capacity: int
    ) -> UUID:
        require(runs_training(actor))
        session = TrainingSession.schedule(programme, starts_at, place, capacity)

        def attempt() -> UUID:
            if session.id in self.repository:
                return session.id
            calendar = self._find(ProgrammeCalendar.create_id(session.programme), ProgrammeCalendar)
            calendar = calendar or ProgrammeCalendar(session.programme)
            calendar.add(session.id, session.starts_at, session.place)
            self.save(session, calendar)
            return session.id

        return retrying(attempt)

    def enrol(self, actor: Actor, session_id: UUID, volunteer_id: UUID) -> bool:
        def attempt() -> bool:
            session = self._get(session_id, TrainingSession, TrainingSessionNotFound)
            volunteer = self._get(volunteer_id, Volunteer, VolunteerNotFound)
            require(
                actor.volunteer_id == volunteer.id
                or actor.coordinates(volunteer.association_id)
                or runs_training(actor)
            )
            enrolled = session.enrol(volunteer.id)
            if enrolled:
                self.save(session)
            return enrolled

        return retrying(attempt)

    def record_attendance(self, actor: Actor, session_id: UUID, volunteer_id: UUID) -> bool:
        """Attending certifies the volunteer, valid for the programme's term from the session."""
        require(runs_training(actor))

        def attempt() -> bool:
            session = self._get(session_id, TrainingSession, TrainingSessionNotFound)
            volunteer = self._get(volunteer_id, Volunteer, VolunteerNotFound)
            if not session.attend(volunteer.id):
                return False
            volunteer.certify(session.programme, session.expires_at, session.id)
            self.save(session, volunteer)
            return True

        return retrying(attempt)

    def with_next_session(self, refused: MissingCertificate) -> MissingCertificate:
        """The refusal names the next session offering the certificate, when there is one."""
        programme = str(refused.context["programme"])
        calendar = self._find(ProgrammeCalendar.create_id(programme), ProgrammeCalendar)
        upcoming = calendar.next_after(self.clock()) if calendar else None
        if upcoming is None:
            return refused
        starts_at, place = upcoming
        when = local(starts_at).strftime("%Y-%m-%d %H:%M")
        return MissingCertificateNextSession(programme=programme, when=when, place=place)
