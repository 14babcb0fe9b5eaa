"""Training scenarios: certificates as shift prerequisites, run on every event store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.areas.sign_ups.commands import SignUp
from coordination.areas.sites.commands import OpenSite, ScheduleShift
from coordination.areas.training.commands import Enrol, RecordAttendance, ScheduleSession
from coordination.errors import DomainError
from coordination.permissions import SYSTEM, Actor, Grant, Role
from coordination.signup import SignUpOutcome
from projections.training import enrolments_of, sessions_of_volunteer, upcoming_sessions
from tests.helpers import PASSWORD, mobile, national_id, tomorrow
from web.bootstrap import Services
from web.platform.errors import message_of


def kitchen_shift(services: Services, role: str = "cook") -> UUID:
    kitchen = services.dispatcher.run(
        OpenSite("giza-kitchen", "kitchen", "21", "مطبخ الجيزة", "Giza kitchen"), SYSTEM
    )
    start = tomorrow(10)
    return services.dispatcher.run(
        ScheduleShift(kitchen, role, start, start + timedelta(hours=6), 10), SYSTEM
    )


def cook(services: Services) -> UUID:
    return services.dispatcher.run(
        RegisterVolunteer("Hoda Samir", mobile(), national_id(), "21", PASSWORD)
    )


def refusal(action) -> DomainError:  # noqa: ANN001 - a callable expected to fail
    with pytest.raises(DomainError) as raised:
        action()
    return raised.value


class TrainingScenarios:
    """Subclasses provide a ``services`` fixture for one event store."""

    def test_a_cook_needs_food_hygiene_and_is_told_the_next_session(
        self, services: Services
    ) -> None:
        shift, volunteer = kitchen_shift(services), cook(services)
        alone = refusal(lambda: services.dispatcher.run(SignUp(shift, volunteer, "k1"), SYSTEM))
        assert alone.code == "missing_certificate"
        assert "سلامة الغذاء" in message_of(alone, "ar")
        soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
        later = services.dispatcher.run(
            ScheduleSession("food_hygiene", soon + timedelta(days=7), "Giza", 30), SYSTEM
        )
        first = services.dispatcher.run(
            ScheduleSession("food_hygiene", soon, "Imbaba youth centre", 30), SYSTEM
        )
        services.dispatcher.run(
            ScheduleSession("first_aid", soon - timedelta(days=1), "Elsewhere", 30), SYSTEM
        )
        told = refusal(lambda: services.dispatcher.run(SignUp(shift, volunteer, "k2"), SYSTEM))
        assert told.code == "missing_certificate_next_session"
        assert told.context["place"] == "Imbaba youth centre"
        english = message_of(told, "en")
        assert "Food hygiene certificate" in english and "Imbaba youth centre" in english
        assert services.dispatcher.run(Enrol(first, volunteer), Actor(volunteer_id=volunteer))
        assert services.dispatcher.run(RecordAttendance(first, volunteer), SYSTEM)
        assert not services.dispatcher.run(RecordAttendance(first, volunteer), SYSTEM)
        assert (
            services.dispatcher.run(SignUp(shift, volunteer, "k3"), SYSTEM).outcome
            is SignUpOutcome.SIGNED_UP
        )
        assert later != first

    def test_an_expired_certificate_does_not_count(self, services: Services) -> None:
        shift, volunteer = kitchen_shift(services, "medic"), cook(services)
        long_ago = datetime.now(UTC) - timedelta(days=800)
        session = services.dispatcher.run(
            ScheduleSession("first_aid", long_ago, "Cairo", 10), SYSTEM
        )
        services.dispatcher.run(Enrol(session, volunteer), SYSTEM)
        services.dispatcher.run(RecordAttendance(session, volunteer), SYSTEM)
        assert refusal(
            lambda: services.dispatcher.run(SignUp(shift, volunteer, "k"), SYSTEM)
        ).code == ("missing_certificate")

    def test_sessions_have_places_and_only_the_enrolled_attend(self, services: Services) -> None:
        session = services.dispatcher.run(
            ScheduleSession("crowd_marshalling", tomorrow(9), "Cairo Stadium", 1), SYSTEM
        )
        first, second = cook(services), cook(services)
        assert services.dispatcher.run(Enrol(session, first), SYSTEM)
        assert (
            refusal(lambda: services.dispatcher.run(Enrol(session, second), SYSTEM)).code
            == "session_full"
        )
        assert refusal(
            lambda: services.dispatcher.run(RecordAttendance(session, second), SYSTEM)
        ).code == ("not_enrolled")
        assert refusal(
            lambda: services.dispatcher.run(Enrol(session, second), Actor(volunteer_id=first))
        ).code == ("not_allowed")
        assert (
            refusal(
                lambda: services.dispatcher.run(
                    ScheduleSession("first_aid", tomorrow(), "X", 5), Actor(volunteer_id=first)
                )
            ).code
            == "not_allowed"
        )

    def test_only_the_sessions_organiser_records_attendance(self, services: Services) -> None:
        run = services.dispatcher.run
        organiser, other = coordinator(uuid4()), coordinator(uuid4())
        session = run(
            ScheduleSession("first_aid", tomorrow(9), "Shubra youth centre", 5), organiser
        )
        volunteer, stranger = cook(services), cook(services)
        run(Enrol(session, volunteer), Actor(volunteer_id=volunteer))
        assert refusal(lambda: run(RecordAttendance(session, volunteer), other)).code == (
            "not_allowed"
        )
        assert refusal(lambda: run(RecordAttendance(session, stranger), organiser)).code == (
            "not_enrolled"
        )
        assert run(RecordAttendance(session, volunteer), organiser)

    def test_a_session_scheduled_before_organisers_were_kept_is_recorded_by_admins_only(
        self, services: Services
    ) -> None:
        run = services.dispatcher.run
        session = run(ScheduleSession("first_aid", tomorrow(9), "Old centre", 5), SYSTEM)
        volunteer = cook(services)
        run(Enrol(session, volunteer), SYSTEM)
        assert services.dispatcher.store.load_or_none(session).organiser is None
        assert refusal(
            lambda: run(RecordAttendance(session, volunteer), coordinator(uuid4()))
        ).code == ("not_allowed")
        assert run(RecordAttendance(session, volunteer), SYSTEM)


def coordinator(account_id: UUID) -> Actor:
    association = uuid4()
    return Actor(
        account_id=account_id,
        grants=frozenset({Grant(Role.ASSOCIATION_COORDINATOR, str(association))}),
    )

    def test_the_training_view_lists_sessions_enrolments_and_attendance_and_rebuilds(
        self, services: Services
    ) -> None:
        run = services.dispatcher.run
        organiser = coordinator(uuid4())
        aid = run(ScheduleSession("first_aid", tomorrow(9), "Shubra youth centre", 2), organiser)
        hygiene = run(ScheduleSession("food_hygiene", tomorrow(12), "Giza", 30), SYSTEM)
        first, second = cook(services), cook(services)
        run(Enrol(aid, first), Actor(volunteer_id=first))
        run(Enrol(aid, second), Actor(volunteer_id=second))
        run(RecordAttendance(aid, first), organiser)
        services.runner.catch_up()

        def seen() -> tuple:
            now = datetime.now(UTC)
            return (
                upcoming_sessions(services.db, now),
                upcoming_sessions(services.db, now, "first_aid"),
                enrolments_of(services.db, str(aid)),
            )

        before = seen()
        everything, first_aid, enrolments = before
        assert [row["session_id"] for row in everything] == [str(aid), str(hygiene)]
        [row] = first_aid
        assert (row["enrolled"], row["attended"], row["capacity"]) == (2, 1, 2)
        assert row["organiser"] == str(organiser.account_id)
        attended = {e["volunteer_id"]: e["attended_at"] is not None for e in enrolments}
        assert attended == {str(first): True, str(second): False}
        assert sessions_of_volunteer(services.db, str(second)) == {str(aid)}
        services.runner.rebuild(services.runner.projection("training"))
        assert seen() == before
