"""Training scenarios: certificates as shift prerequisites, run on every event store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from coordination.errors import DomainError
from coordination.permissions import SYSTEM, Actor
from coordination.signup import SignUpOutcome
from tests.helpers import PASSWORD, mobile, national_id, tomorrow
from web.bootstrap import Services
from web.platform.errors import message_of


def kitchen_shift(services: Services, role: str = "cook") -> UUID:
    core = services.app
    kitchen = core.open_site(SYSTEM, "giza-kitchen", "kitchen", "21", "مطبخ الجيزة", "Giza kitchen")
    start = tomorrow(10)
    return core.schedule_shift(SYSTEM, kitchen, role, start, start + timedelta(hours=6), 10)


def cook(services: Services) -> UUID:
    return services.app.register_volunteer("Hoda Samir", mobile(), national_id(), "21", PASSWORD)


def refusal(action) -> DomainError:  # noqa: ANN001 - a callable expected to fail
    with pytest.raises(DomainError) as raised:
        action()
    return raised.value


class TrainingScenarios:
    """Subclasses provide a ``services`` fixture for one event store."""

    def test_a_cook_needs_food_hygiene_and_is_told_the_next_session(
        self, services: Services
    ) -> None:
        shift, volunteer, app = kitchen_shift(services), cook(services), services.app
        alone = refusal(lambda: app.sign_up(SYSTEM, shift, volunteer, "k1"))
        assert alone.code == "missing_certificate"
        assert "سلامة الغذاء" in message_of(alone, "ar")
        soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
        later = app.schedule_session(SYSTEM, "food_hygiene", soon + timedelta(days=7), "Giza", 30)
        first = app.schedule_session(SYSTEM, "food_hygiene", soon, "Imbaba youth centre", 30)
        app.schedule_session(SYSTEM, "first_aid", soon - timedelta(days=1), "Elsewhere", 30)
        told = refusal(lambda: app.sign_up(SYSTEM, shift, volunteer, "k2"))
        assert told.code == "missing_certificate_next_session"
        assert told.context["place"] == "Imbaba youth centre"
        english = message_of(told, "en")
        assert "Food hygiene certificate" in english and "Imbaba youth centre" in english
        assert app.enrol(Actor(volunteer_id=volunteer), first, volunteer)
        assert app.record_attendance(SYSTEM, first, volunteer)
        assert not app.record_attendance(SYSTEM, first, volunteer)
        assert app.sign_up(SYSTEM, shift, volunteer, "k3").outcome is SignUpOutcome.SIGNED_UP
        assert later != first

    def test_an_expired_certificate_does_not_count(self, services: Services) -> None:
        shift, volunteer, app = kitchen_shift(services, "medic"), cook(services), services.app
        long_ago = datetime.now(UTC) - timedelta(days=800)
        session = app.schedule_session(SYSTEM, "first_aid", long_ago, "Cairo", 10)
        app.enrol(SYSTEM, session, volunteer)
        app.record_attendance(SYSTEM, session, volunteer)
        assert refusal(lambda: app.sign_up(SYSTEM, shift, volunteer, "k")).code == (
            "missing_certificate"
        )

    def test_sessions_have_places_and_only_the_enrolled_attend(self, services: Services) -> None:
        app = services.app
        session = app.schedule_session(SYSTEM, "crowd_marshalling", tomorrow(9), "Cairo Stadium", 1)
        first, second = cook(services), cook(services)
        assert app.enrol(SYSTEM, session, first)
        assert refusal(lambda: app.enrol(SYSTEM, session, second)).code == "session_full"
        assert refusal(lambda: app.record_attendance(SYSTEM, session, second)).code == (
            "not_enrolled"
        )
        assert refusal(lambda: app.enrol(Actor(volunteer_id=first), session, second)).code == (
            "not_allowed"
        )
        assert (
            refusal(
                lambda: app.schedule_session(
                    Actor(volunteer_id=first), "first_aid", tomorrow(), "X", 5
                )
            ).code
            == "not_allowed"
        )
