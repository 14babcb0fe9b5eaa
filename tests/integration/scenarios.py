"""The sign-up scenarios, run on every event store through one base class."""

from __future__ import annotations

import gc
import weakref
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from uuid import UUID

import pytest

from coordination.account import PhoneTaken
from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.areas.sign_ups.commands import SignUp, Withdraw
from coordination.areas.sites.commands import OpenSite, ScheduleShift
from coordination.errors import DomainError
from coordination.permissions import SYSTEM
from coordination.shift import ShiftFull
from coordination.signup import SignUpOutcome
from coordination.volunteer import AlreadyRegistered, InvalidName
from projections.my_shifts import shifts_of
from projections.shift_board import find_shifts, get_shift
from tests.helpers import PASSWORD, mobile, national_id, tomorrow
from web.bootstrap import Services


def register(services: Services, name: str = "Mona Hassan") -> UUID:
    return services.dispatcher.run(RegisterVolunteer(name, mobile(), national_id(), "01", PASSWORD))


def refused(attempt: Callable[[], object]) -> DomainError:
    try:
        attempt()
    except DomainError as error:
        return error
    raise AssertionError("not refused")


def make_shift(services: Services, capacity: int, hour: int = 8, hours: int = 4) -> UUID:
    site = services.dispatcher.run(
        OpenSite("stadium", "packing", "01", "الاستاد", "Stadium"), SYSTEM
    )
    start = tomorrow(hour)
    return services.dispatcher.run(
        ScheduleShift(site, "packer", start, start + timedelta(hours=hours), capacity), SYSTEM
    )


def board_row(services: Services, shift_id: UUID) -> dict:
    services.runner.catch_up()
    row = get_shift(services.db, str(shift_id))
    assert row is not None
    return row


def event_count(services: Services) -> int:
    return services.app.recorder.max_notification_id() or 0


class SignUpScenarios:
    """Subclasses provide a ``services`` fixture for one event store."""

    def test_a_sign_up_shows_on_the_board_and_in_my_shifts(self, services: Services) -> None:
        shift = make_shift(services, capacity=3)
        volunteer = register(services)
        result = services.dispatcher.run(SignUp(shift, volunteer, "key-1"), SYSTEM)
        assert result.outcome is SignUpOutcome.SIGNED_UP
        assert board_row(services, shift)["taken"] == 1
        assert [r["shift_id"] for r in shifts_of(services.db, str(volunteer))] == [str(shift)]

    def test_capacity_holds_under_concurrent_sign_ups(self, services: Services) -> None:
        shift = make_shift(services, capacity=10)
        volunteers = [register(services, f"Volunteer {i}") for i in range(60)]

        def attempt(volunteer: UUID) -> str:
            try:
                return services.dispatcher.run(
                    SignUp(shift, volunteer, f"k-{volunteer}"), SYSTEM
                ).outcome.value
            except DomainError as error:
                return error.code

        with ThreadPoolExecutor(max_workers=16) as pool:
            answers = Counter(pool.map(attempt, volunteers))
        assert answers == {"signed_up": 10, "shift_full": 50}
        assert board_row(services, shift)["taken"] == 10

    def test_one_volunteer_racing_for_overlapping_shifts_gets_one(self, services: Services) -> None:
        first = make_shift(services, capacity=5, hour=8)
        second = make_shift(services, capacity=5, hour=10)
        volunteer = register(services)

        def attempt(i: int) -> str:
            shift = (first, second)[i % 2]
            try:
                return services.dispatcher.run(
                    SignUp(shift, volunteer, f"k-{i}"), SYSTEM
                ).outcome.value
            except DomainError as error:
                return error.code

        with ThreadPoolExecutor(max_workers=20) as pool:
            answers = Counter(pool.map(attempt, range(20)))
        assert answers["signed_up"] == 1
        assert set(answers) <= {"signed_up", "already_signed_up", "overlapping_shift"}
        services.runner.catch_up()
        assert len(shifts_of(services.db, str(volunteer))) == 1
        assert board_row(services, first)["taken"] + board_row(services, second)["taken"] == 1

    def test_signing_up_twice_is_a_no_op_answered_clearly(self, services: Services) -> None:
        shift = make_shift(services, capacity=3)
        volunteer = register(services)
        services.dispatcher.run(SignUp(shift, volunteer, "first"), SYSTEM)
        before = event_count(services)
        again = services.dispatcher.run(SignUp(shift, volunteer, "second"), SYSTEM)
        assert again.outcome is SignUpOutcome.ALREADY_SIGNED_UP
        assert event_count(services) == before

    def test_a_replayed_key_returns_the_first_answer_and_records_nothing(
        self, services: Services
    ) -> None:
        shift = make_shift(services, capacity=1)
        volunteer = register(services)
        first = services.dispatcher.run(SignUp(shift, volunteer, "device-key"), SYSTEM)
        services.dispatcher.run(Withdraw(shift, volunteer), SYSTEM)
        before = event_count(services)
        replay = services.dispatcher.run(SignUp(shift, volunteer, "device-key"), SYSTEM)
        assert replay.outcome is first.outcome is SignUpOutcome.SIGNED_UP
        assert event_count(services) == before
        assert board_row(services, shift)["taken"] == 0

    def test_a_refused_sign_up_leaves_nothing_for_the_cycle_collector(
        self, services: Services
    ) -> None:
        """A full shift refuses hundreds of sign-ups a second in a rush: each refusal, with
        what its traceback held, was garbage only the cycle collector freed."""
        shift, later_shift = make_shift(services, capacity=1), make_shift(services, 1, hour=14)
        services.dispatcher.run(SignUp(shift, register(services), "a"), SYSTEM)
        late = register(services)
        gc.collect()
        gc.disable()
        try:
            refusal = refused(lambda: services.dispatcher.run(SignUp(shift, late, "b"), SYSTEM))
            assert isinstance(refusal, ShiftFull)
            gone = weakref.ref(refusal)
            del refusal
            services.dispatcher.run(
                SignUp(later_shift, late, "c"), SYSTEM
            )  # the batcher's next batch
            assert gone() is None
        finally:
            gc.enable()

    def test_signing_up_again_after_withdrawing_without_a_key_takes_a_place(
        self, services: Services
    ) -> None:
        shift = make_shift(services, capacity=2)
        volunteer = register(services)
        services.dispatcher.run(SignUp(shift, volunteer), SYSTEM)
        services.dispatcher.run(Withdraw(shift, volunteer), SYSTEM)
        again = services.dispatcher.run(SignUp(shift, volunteer), SYSTEM)
        assert again.outcome is SignUpOutcome.SIGNED_UP and again.taken == 1
        assert board_row(services, shift)["taken"] == 1

    def test_withdrawing_frees_the_place(self, services: Services) -> None:
        shift = make_shift(services, capacity=1)
        first, second = register(services), register(services)
        services.dispatcher.run(SignUp(shift, first, "a"), SYSTEM)
        with pytest.raises(ShiftFull):
            services.dispatcher.run(SignUp(shift, second, "b"), SYSTEM)
        assert (
            services.dispatcher.run(Withdraw(shift, first), SYSTEM).outcome
            is SignUpOutcome.WITHDRAWN
        )
        assert (
            services.dispatcher.run(SignUp(shift, second, "b"), SYSTEM).outcome
            is SignUpOutcome.SIGNED_UP
        )
        assert board_row(services, shift)["taken"] == 1

    def test_one_volunteer_per_national_id_and_per_phone(self, services: Services) -> None:
        nid, phone = national_id(), mobile()
        services.dispatcher.run(RegisterVolunteer("Omar Adel", phone, nid, "01", PASSWORD))
        with pytest.raises(AlreadyRegistered):
            services.dispatcher.run(RegisterVolunteer("Omar Adel", mobile(), nid, "01", PASSWORD))
        with pytest.raises(PhoneTaken):
            services.dispatcher.run(
                RegisterVolunteer("Other Person", phone, national_id(), "02", PASSWORD)
            )

    def test_invalid_registration_records_nothing(self, services: Services) -> None:
        before = event_count(services)
        with pytest.raises(InvalidName):
            services.dispatcher.run(
                RegisterVolunteer("x" * 10_000, mobile(), national_id(), "01", PASSWORD)
            )
        assert event_count(services) == before

    def test_views_equal_a_fresh_rebuild(self, services: Services) -> None:
        shift = make_shift(services, capacity=4)
        volunteers = [register(services) for _ in range(6)]
        for volunteer in volunteers[:4]:
            services.dispatcher.run(SignUp(shift, volunteer, str(volunteer)), SYSTEM)
        services.dispatcher.run(Withdraw(shift, volunteers[0]), SYSTEM)
        services.runner.catch_up()
        before = (find_shifts(services.db), [shifts_of(services.db, str(v)) for v in volunteers])
        for projection in services.runner.projections:
            services.runner.rebuild(projection)
        after = (find_shifts(services.db), [shifts_of(services.db, str(v)) for v in volunteers])
        assert after == before
        assert before[0][0]["taken"] == 3

    def test_a_view_without_a_tracking_row_starts_from_the_beginning(
        self, services: Services
    ) -> None:
        shift = make_shift(services, capacity=2)
        with services.db.transaction() as cursor:
            cursor.execute("DELETE FROM projection_tracking")
        assert board_row(services, shift)["capacity"] == 2
        assert services.runner.caught_up()
