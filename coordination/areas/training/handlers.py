"""Scheduling, enrolment and attendance; a missing certificate's refusal names the next
session that gives it."""

from __future__ import annotations

from uuid import UUID

from coordination.areas.training.commands import Enrol, RecordAttendance, ScheduleSession
from coordination.areas.training.policy import may_enrol, organises, runs_training
from coordination.calendar import local
from coordination.dispatch import Store, handles
from coordination.errors import DomainError
from coordination.permissions import Actor, require
from coordination.retry import retrying
from coordination.training import (
    MissingCertificate,
    MissingCertificateNextSession,
    ProgrammeCalendar,
    TrainingSession,
    TrainingSessionNotFound,
)
from coordination.volunteer import Volunteer, VolunteerNotFound


@handles(ScheduleSession)
def schedule_session(store: Store, command: ScheduleSession, actor: Actor) -> UUID:
    require(runs_training(actor))
    session = TrainingSession.schedule(
        command.programme, command.starts_at, command.place, command.capacity, actor.account_id
    )

    def attempt() -> UUID:
        if store.exists(session.id):
            return session.id
        calendar = store.find(ProgrammeCalendar.create_id(session.programme), ProgrammeCalendar)
        calendar = calendar or ProgrammeCalendar(session.programme)
        calendar.add(session.id, session.starts_at, session.place)
        store.save(session, calendar)
        return session.id

    return retrying(attempt)


@handles(Enrol)
def enrol(store: Store, command: Enrol, actor: Actor) -> bool:
    def attempt() -> bool:
        session = store.get(command.session_id, TrainingSession, TrainingSessionNotFound)
        volunteer = store.get(command.volunteer_id, Volunteer, VolunteerNotFound)
        require(may_enrol(actor, volunteer))
        enrolled = session.enrol(volunteer.id)
        if enrolled:
            store.save(session)
        return enrolled

    return retrying(attempt)


@handles(RecordAttendance)
def record_attendance(store: Store, command: RecordAttendance, actor: Actor) -> bool:
    require(runs_training(actor))

    def attempt() -> bool:
        session = store.get(command.session_id, TrainingSession, TrainingSessionNotFound)
        require(organises(actor, session))
        volunteer = store.get(command.volunteer_id, Volunteer, VolunteerNotFound)
        if not session.attend(volunteer.id):
            return False
        volunteer.certify(session.programme, session.expires_at, session.id)
        store.save(session, volunteer)
        return True

    return retrying(attempt)


def with_next_session(store: Store, refused: DomainError) -> DomainError:
    """A missing certificate's refusal names the next session offering it, when there is one."""
    if not isinstance(refused, MissingCertificate):
        return refused
    programme = str(refused.context["programme"])
    calendar = store.find(ProgrammeCalendar.create_id(programme), ProgrammeCalendar)
    upcoming = calendar.next_after(store.clock()) if calendar else None
    if upcoming is None:
        return refused
    starts_at, place = upcoming
    when = local(starts_at).strftime("%Y-%m-%d %H:%M")
    return MissingCertificateNextSession(programme=programme, when=when, place=place)
