"""A full shift's waitlist: joined in order, freed places given to the first waiting volunteer
whom every sign-up rule lets in, in the same write, and each promotion told in the inbox."""

from __future__ import annotations

from uuid import UUID

from coordination.areas.shifts.commands import CancelShift, ChangeShift, RemoveVolunteer
from coordination.areas.sign_ups.commands import JoinWaitlist, LeaveWaitlist, ReadInbox, Withdraw
from coordination.permissions import Actor
from coordination.shift import Shift
from projections.inbox import messages_of, told, unread_count
from projections.my_shifts import shifts_of
from projections.shift_board import get_shift
from projections.waitlists import positions_of, waiting_counts, waiting_order
from tests.helpers import tomorrow
from tests.integration.shift_scenarios import (
    manager_of,
    open_site,
    plan_day,
    refused,
    sign_up,
    volunteer,
)
from web.bootstrap import Services


def join(services: Services, shift: UUID, person: UUID) -> int | None:
    return services.dispatcher.run(JoinWaitlist(shift, person), Actor(volunteer_id=person)).position


def withdraw(services: Services, shift: UUID, person: UUID) -> object:
    return services.dispatcher.run(Withdraw(shift, person), Actor(volunteer_id=person))


def kinds_told(services: Services, person: UUID) -> list[str]:
    return [m["kind"] for m in messages_of(services.db, str(person))]


class WaitlistScenarios:
    """Subclasses provide a ``services`` fixture for one event store."""

    def full_shift(self, services: Services, capacity: int = 1) -> tuple[UUID, list[UUID]]:
        site = open_site(services)
        self.manager = manager_of(site)
        shifts = plan_day(services, site, self.manager, capacity=capacity)
        self.shifts = shifts
        holders = [volunteer(services, f"Holder {i}") for i in range(capacity)]
        for person in holders:
            sign_up(services, shifts[0], person)
        return shifts[0], holders

    def test_only_a_full_shift_is_waited_for_and_each_sees_their_place(
        self, services: Services
    ) -> None:
        shift, _ = self.full_shift(services)
        mona, omar = volunteer(services, "Mona Adel"), volunteer(services, "Omar Fathy")
        assert refused(lambda: join(services, self.shifts[1], mona)) == "shift_not_full"
        assert join(services, shift, mona) == 1
        assert join(services, shift, omar) == 2
        assert join(services, shift, mona) == 1  # joining again keeps the first place
        services.runner.catch_up()
        assert positions_of(services.db, str(omar)) == {str(shift): 2}
        assert waiting_counts(services.db, [str(shift)]) == {str(shift): 2}
        services.dispatcher.run(LeaveWaitlist(shift, mona), Actor(volunteer_id=mona))
        services.runner.catch_up()
        assert positions_of(services.db, str(omar)) == {str(shift): 1}
        assert refused(
            lambda: services.dispatcher.run(LeaveWaitlist(shift, mona), Actor(volunteer_id=mona))
        ) == ("not_waiting")

    def test_a_withdrawal_gives_the_place_to_the_first_waiting_in_the_same_write(
        self, services: Services
    ) -> None:
        shift, (holder,) = self.full_shift(services)
        mona, omar = volunteer(services, "Mona Adel"), volunteer(services, "Omar Fathy")
        join(services, shift, mona)
        join(services, shift, omar)
        version = services.app.repository.get(shift).version
        withdraw(services, shift, holder)
        after = services.app.repository.get(shift)
        assert isinstance(after, Shift)
        assert set(after.volunteers) == {mona} and after.waiting == [omar]
        # withdrawn and promoted by one decision, saved together
        assert after.version == version + 2
        services.runner.catch_up()
        assert [r["shift_id"] for r in shifts_of(services.db, str(mona))] == [str(shift)]
        assert kinds_told(services, mona) == ["promoted"]
        assert get_shift(services.db, str(shift))["taken"] == 1  # type: ignore[index]
        assert positions_of(services.db, str(omar)) == {str(shift): 1}

    def test_a_waiting_volunteer_whose_time_is_taken_keeps_their_place_and_is_passed_over(
        self, services: Services
    ) -> None:
        shift, (holder,) = self.full_shift(services)
        busy, free = volunteer(services, "Busy Bee"), volunteer(services, "Free Hand")
        join(services, shift, busy)
        join(services, shift, free)
        sign_up(services, self.shifts[2], busy)  # the loaders' morning, at the same time
        withdraw(services, shift, holder)
        after = services.app.repository.get(shift)
        assert set(after.volunteers) == {free} and after.waiting == [busy]

    def test_removal_and_more_places_fill_from_the_waitlist_cancellation_empties_it(
        self, services: Services
    ) -> None:
        shift, (holder,) = self.full_shift(services)
        waiting = [volunteer(services, f"Waiting {i}") for i in range(4)]
        for person in waiting:
            join(services, shift, person)
        services.dispatcher.run(RemoveVolunteer(shift, holder, "No ID"), self.manager)
        change = ChangeShift(shift, tomorrow(8), tomorrow(12), 3)
        services.dispatcher.run(change, self.manager)
        after = services.app.repository.get(shift)
        assert set(after.volunteers) == set(waiting[:3]) and after.waiting == [waiting[3]]
        services.dispatcher.run(CancelShift(shift, "Flooded"), self.manager)
        services.runner.catch_up()
        assert waiting_order(services.db, str(shift)) == []
        assert kinds_told(services, waiting[0]) == ["lost_cancelled", "promoted"]
        assert kinds_told(services, waiting[3]) == ["waitlist_cancelled"]
        assert [m["detail"] for m in messages_of(services.db, str(waiting[3]))] == ["Flooded"]
        assert kinds_told(services, holder) == ["lost_removed", "signed_up"]

    def test_the_promoted_give_the_place_back_and_it_moves_on(self, services: Services) -> None:
        shift, (holder,) = self.full_shift(services)
        mona, omar = volunteer(services, "Mona Adel"), volunteer(services, "Omar Fathy")
        join(services, shift, mona)
        join(services, shift, omar)
        withdraw(services, shift, holder)
        withdraw(services, shift, mona)
        assert set(services.app.repository.get(shift).volunteers) == {omar}
        services.runner.catch_up()
        assert unread_count(services.db, str(mona)) == 1
        services.dispatcher.run(ReadInbox(mona), Actor(volunteer_id=mona))
        services.runner.catch_up()
        assert unread_count(services.db, str(mona)) == 0
        assert refused(
            lambda: services.dispatcher.run(ReadInbox(mona), Actor(volunteer_id=omar))
        ) == ("not_allowed")

    def test_rebuilding_gives_the_same_inbox_and_waitlists(self, services: Services) -> None:
        shift, (holder,) = self.full_shift(services)
        waiting = [volunteer(services, f"Waiting {i}") for i in range(3)]
        for person in waiting:
            join(services, shift, person)
        withdraw(services, shift, holder)
        services.runner.catch_up()

        def seen() -> tuple[object, ...]:
            return (
                services.db.query("SELECT * FROM inbox_messages ORDER BY event_key, recipient_id"),
                services.db.query("SELECT * FROM shift_waitlist ORDER BY shift_id, seq"),
            )

        before = seen()
        services.runner.rebuild_all()
        assert seen() == before
        assert len(told(services.db, "promoted")) == 1
