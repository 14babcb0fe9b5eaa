"""Shifts as the staff run them: a day planned in one write, changed under the rules of its
volunteers' places and times, cancelled or staffed with a reason the volunteer reads."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.areas.shifts.commands import (
    CancelShift,
    ChangeShift,
    MoveVolunteer,
    PlannedShift,
    PlanShifts,
    RemoveVolunteer,
)
from coordination.areas.sign_ups.commands import SignUp
from coordination.areas.sites.commands import OpenSite
from coordination.errors import DomainError
from coordination.permissions import SYSTEM, Actor, Grant, Role
from projections.my_shifts import lost_shifts_of, shifts_of
from projections.shift_board import find_shifts, get_shift
from tests.helpers import PASSWORD, mobile, national_id, tomorrow
from web.bootstrap import Services

ROLES = ("packer", "loader", "runner")


def manager_of(site: UUID) -> Actor:
    return Actor(account_id=uuid4(), grants=frozenset({Grant(Role.SITE_MANAGER, str(site))}))


def open_site(services: Services, slug: str = "tanta") -> UUID:
    return services.dispatcher.run(
        OpenSite(slug, "packing", "16", "موقع طنطا", "Tanta site"), SYSTEM
    )


def plan_day(services: Services, site: UUID, actor: Actor, capacity: int = 2) -> list[UUID]:
    """Three roles in two blocks, 8-12 and 13-17 tomorrow."""
    blocks = ((tomorrow(8), tomorrow(12)), (tomorrow(13), tomorrow(17)))
    grid = tuple(
        PlannedShift(role, start, end, capacity) for role in ROLES for start, end in blocks
    )
    return list(services.dispatcher.run(PlanShifts(site, grid), actor).scheduled)


def volunteer(services: Services, name: str = "Mona Adel") -> UUID:
    return services.dispatcher.run(RegisterVolunteer(name, mobile(), national_id(), "16", PASSWORD))


def sign_up(services: Services, shift: UUID, person: UUID) -> object:
    """Volunteers sign themselves up; the staff only move those who did."""
    return services.dispatcher.run(SignUp(shift, person), Actor(volunteer_id=person))


def refused(action) -> str:  # noqa: ANN001 - a callable expected to fail
    with pytest.raises(DomainError) as raised:
        action()
    return raised.value.code


class ShiftScenarios:
    """Subclasses provide a ``services`` fixture for one event store."""

    def test_a_day_is_planned_as_one_grid_and_planning_it_again_adds_nothing(
        self, services: Services
    ) -> None:
        site = open_site(services)
        manager = manager_of(site)
        shifts = plan_day(services, site, manager, capacity=5)
        assert len(shifts) == 6
        again = services.dispatcher.run(
            PlanShifts(site, (PlannedShift("packer", tomorrow(8), tomorrow(12), 5),)), manager
        )
        assert again.scheduled == () and again.already_there == 1
        services.runner.catch_up()
        board = find_shifts(services.db, site_id=str(site))
        assert sorted(row["role"] for row in board) == sorted(ROLES * 2)
        assert {row["capacity"] for row in board} == {5}

    def test_a_bad_cell_refuses_the_whole_grid(self, services: Services) -> None:
        site = open_site(services)
        bad = (
            PlannedShift("packer", tomorrow(8), tomorrow(12), 3),
            PlannedShift("packer", tomorrow(13), tomorrow(12), 3),
        )
        assert refused(lambda: services.dispatcher.run(PlanShifts(site, bad), SYSTEM)) == (
            "invalid_shift_times"
        )
        services.runner.catch_up()
        assert find_shifts(services.db, site_id=str(site)) == []

    def test_only_those_who_run_the_site_plan_and_change_its_shifts(
        self, services: Services
    ) -> None:
        site, elsewhere = open_site(services), open_site(services, "mahalla")
        stranger = manager_of(elsewhere)
        grid = (PlannedShift("packer", tomorrow(8), tomorrow(12), 3),)
        assert refused(lambda: services.dispatcher.run(PlanShifts(site, grid), stranger)) == (
            "not_allowed"
        )
        shift = plan_day(services, site, manager_of(site))[0]
        for command in (
            ChangeShift(shift, tomorrow(8), tomorrow(12), 9),
            CancelShift(shift, "rain"),
        ):
            assert refused(lambda c=command: services.dispatcher.run(c, stranger)) == (
                "not_allowed"
            )
        mona = volunteer(services)
        assert refused(
            lambda: services.dispatcher.run(CancelShift(shift, "x"), Actor(volunteer_id=mona))
        ) == ("not_allowed")

    def test_capacity_never_falls_below_the_volunteers_signed_up(self, services: Services) -> None:
        site = open_site(services)
        manager = manager_of(site)
        shift = plan_day(services, site, manager, capacity=3)[0]
        for name in ("Mona Adel", "Omar Fathy"):
            sign_up(services, shift, volunteer(services, name))
        change = ChangeShift(shift, tomorrow(8), tomorrow(12), 1)
        assert refused(lambda: services.dispatcher.run(change, manager)) == ("capacity_below_taken")
        assert services.dispatcher.run(ChangeShift(shift, tomorrow(8), tomorrow(12), 2), manager)
        services.runner.catch_up()
        row = get_shift(services.db, str(shift))
        assert row is not None and (row["capacity"], row["taken"]) == (2, 2)

    def test_new_times_never_overlap_a_volunteers_other_shift(self, services: Services) -> None:
        site = open_site(services)
        manager = manager_of(site)
        packing = plan_day(services, site, manager)
        morning, afternoon = packing[0], packing[1]
        mona = volunteer(services)
        for shift in (morning, afternoon):
            sign_up(services, shift, mona)
        later = ChangeShift(morning, tomorrow(10), tomorrow(14), 2)
        assert refused(lambda: services.dispatcher.run(later, manager)) == "retime_overlaps"
        earlier = ChangeShift(morning, tomorrow(6), tomorrow(8), 2)
        assert services.dispatcher.run(earlier, manager)
        # the volunteer's own record follows: the morning's old hours are free to take now
        sign_up(services, packing[2], mona)
        services.runner.catch_up()
        mine = shifts_of(services.db, str(mona))
        assert [row["shift_id"] for row in mine] == [str(morning), str(packing[2]), str(afternoon)]
        assert mine[0]["starts_at"].startswith(tomorrow(6).isoformat()[:16])

    def test_a_cancelled_shift_tells_its_volunteers_why_and_frees_their_time(
        self, services: Services
    ) -> None:
        site = open_site(services)
        manager = manager_of(site)
        packer_morning, _, loader_morning, *_ = plan_day(services, site, manager)
        mona = volunteer(services)
        sign_up(services, packer_morning, mona)
        assert services.dispatcher.run(CancelShift(packer_morning, "The hall is flooded"), manager)
        assert not services.dispatcher.run(CancelShift(packer_morning, "again"), manager)
        assert refused(lambda: sign_up(services, packer_morning, mona)) == ("shift_cancelled")
        sign_up(services, loader_morning, mona)
        services.runner.catch_up()
        told = lost_shifts_of(services.db, str(mona))
        assert [(r["shift_id"], r["why"], r["reason"]) for r in told] == [
            (str(packer_morning), "cancelled", "The hall is flooded")
        ]
        assert [r["shift_id"] for r in shifts_of(services.db, str(mona))] == [str(loader_morning)]
        assert str(packer_morning) not in {r["shift_id"] for r in find_shifts(services.db)}
        kept = get_shift(services.db, str(packer_morning))
        assert kept is not None and kept["cancelled_reason"] == "The hall is flooded"
        assert kept["taken"] == 0

    def test_a_volunteer_removed_or_moved_reads_the_reason(self, services: Services) -> None:
        site = open_site(services)
        manager = manager_of(site)
        packer_am, packer_pm, loader_am, *_ = plan_day(services, site, manager, capacity=1)
        mona, omar = volunteer(services, "Mona Adel"), volunteer(services, "Omar Fathy")
        sign_up(services, packer_am, mona)
        sign_up(services, loader_am, omar)
        full = MoveVolunteer(packer_am, mona, loader_am, "Loaders needed")
        assert refused(lambda: services.dispatcher.run(full, manager)) == "shift_full"
        moved = MoveVolunteer(packer_am, mona, packer_pm, "Too many packers this morning")
        assert services.dispatcher.run(moved, manager) == "signed_up"
        assert refused(
            lambda: services.dispatcher.run(RemoveVolunteer(packer_am, mona, "x"), manager)
        ) == ("not_on_shift")
        services.dispatcher.run(RemoveVolunteer(loader_am, omar, "Did not bring an ID"), manager)
        services.runner.catch_up()
        assert [r["shift_id"] for r in shifts_of(services.db, str(mona))] == [str(packer_pm)]
        assert [(r["why"], r["reason"]) for r in lost_shifts_of(services.db, str(mona))] == [
            ("moved", "Too many packers this morning")
        ]
        assert [(r["why"], r["reason"]) for r in lost_shifts_of(services.db, str(omar))] == [
            ("removed", "Did not bring an ID")
        ]
        taken = {r["shift_id"]: r["taken"] for r in find_shifts(services.db, site_id=str(site))}
        assert (taken[str(packer_am)], taken[str(packer_pm)], taken[str(loader_am)]) == (0, 1, 0)
        sign_up(services, loader_am, omar)  # back on the shift: no longer told it was lost
        services.runner.catch_up()
        assert [r["shift_id"] for r in shifts_of(services.db, str(omar))] == [str(loader_am)]
        assert lost_shifts_of(services.db, str(omar)) == []

    def test_rebuilding_the_views_gives_the_same_shifts(self, services: Services) -> None:
        site = open_site(services)
        manager = manager_of(site)
        shifts = plan_day(services, site, manager, capacity=4)
        mona, omar = volunteer(services, "Mona Adel"), volunteer(services, "Omar Fathy")
        for person in (mona, omar):
            sign_up(services, shifts[0], person)
        services.dispatcher.run(ChangeShift(shifts[0], tomorrow(7), tomorrow(11), 3), manager)
        services.dispatcher.run(MoveVolunteer(shifts[0], omar, shifts[1], "balance"), manager)
        services.dispatcher.run(CancelShift(shifts[1], "no trucks"), manager)
        services.runner.catch_up()

        def seen() -> tuple[object, ...]:
            return (
                find_shifts(services.db, site_id=str(site), with_cancelled=True),
                [shifts_of(services.db, str(p)) for p in (mona, omar)],
                [lost_shifts_of(services.db, str(p)) for p in (mona, omar)],
                services.db.query("SELECT * FROM site_shifts ORDER BY shift_id"),
            )

        before = seen()
        services.runner.rebuild_all()
        assert seen() == before
        assert before[1][0][0]["starts_at"].startswith(
            (tomorrow(7) - timedelta(0)).isoformat()[:16]
        )
