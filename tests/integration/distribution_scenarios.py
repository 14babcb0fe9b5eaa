"""Distribution scenarios, run on every event store through one base class."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from coordination.areas.distribution.commands import (
    HandOff,
    HandOffItems,
    OpenRound,
    RegisterHousehold,
    TakeIn,
)
from coordination.areas.distribution.lookups import household_id_for
from coordination.areas.packing.commands import AddLine, ConfirmTruckload, DispatchTruck, LogBoxes
from coordination.areas.packing.lookups import on_hand
from coordination.areas.sites.commands import OpenSite
from coordination.dispatch import Store
from coordination.errors import DomainError
from coordination.permissions import SYSTEM
from coordination.site import Site
from coordination.stock import Stock
from projections.distribution import current_round, national_overview, points_of
from tests.helpers import national_id
from web.bootstrap import Services


@dataclass
class Item:
    national_id: str
    item: str = "food_box"
    count: int = 1
    key: str = ""
    at: datetime | None = None
    volunteer_id: UUID | None = None


def distribution(services: Services, boxes: int = 10) -> dict[str, UUID]:
    stadium = services.dispatcher.run(
        OpenSite("stadium", "packing", "01", "الاستاد", "Stadium"), SYSTEM
    )
    line = services.dispatcher.run(AddLine(stadium, "Line 1", "North", 400), SYSTEM)
    points = [
        services.dispatcher.run(
            OpenSite(f"point-{n}", "distribution_point", "21", f"نقطة {n}", f"Point {n}"), SYSTEM
        )
        for n in range(2)
    ]
    round_id = services.dispatcher.run(
        OpenRound("ramadan-1447", "رمضان ١٤٤٧", "Ramadan 1447", 4_000_000), SYSTEM
    )
    services.dispatcher.run(LogBoxes(stadium, line, boxes * 2, "packed"), SYSTEM)
    for n, point in enumerate(points):
        truck = services.dispatcher.run(
            DispatchTruck(stadium, point, boxes, f"truck-{n}"), SYSTEM
        ).truckload_id
        services.dispatcher.run(ConfirmTruckload(truck, boxes, f"received-{n}"), SYSTEM)
    return {"stadium": stadium, "a": points[0], "b": points[1], "round": round_id}


def household(services: Services, point: UUID, size: int = 5) -> tuple[str, UUID]:
    digits = national_id()
    household_id, created = services.dispatcher.run(
        RegisterHousehold(digits, size, "", point), SYSTEM
    )
    assert created
    return digits, household_id


def refusal(action) -> DomainError:  # noqa: ANN001 - a callable expected to fail
    with pytest.raises(DomainError) as raised:
        action()
    return raised.value


class DistributionScenarios:
    """Subclasses provide a ``services`` fixture for one event store."""

    def test_a_household_gets_its_allowance_once_across_points(self, services: Services) -> None:
        world = distribution(services)
        digits, family = household(services, world["a"])
        round_id = world["round"]
        first = services.dispatcher.run(
            HandOff(world["a"], round_id, family, "food_box", 1, "k1"), SYSTEM
        )
        assert (first.recorded, first.taken, first.allowance, first.on_hand) == (True, 1, 1, 9)
        assert not services.dispatcher.run(
            HandOff(world["a"], round_id, family, "food_box", 1, "k1"), SYSTEM
        ).recorded
        refused = refusal(
            lambda: services.dispatcher.run(
                HandOff(world["b"], round_id, family, "food_box", 1, "k2"), SYSTEM
            )
        )
        assert refused.code == "allowance_used"
        assert refused.context["point"] == "نقطة 0 (Point 0)" and refused.context["date"] != "-"
        assert household_id_for(services.app, digits) == family
        again, created = services.dispatcher.run(
            RegisterHousehold(digits, 5, "", world["b"]), SYSTEM
        )
        assert (again, created) == (family, False)

    def test_a_point_never_hands_out_what_it_does_not_hold(self, services: Services) -> None:
        world = distribution(services, boxes=2)
        families = [household(services, world["a"])[1] for _ in range(3)]
        for n, family in enumerate(families[:2]):
            services.dispatcher.run(
                HandOff(world["a"], world["round"], family, "food_box", 1, f"k{n}"), SYSTEM
            )
        refused = refusal(
            lambda: services.dispatcher.run(
                HandOff(world["a"], world["round"], families[2], "food_box", 1, "x"), SYSTEM
            )
        )
        assert refused.code == "point_out_of_stock" and refused.context["on_hand"] == 0
        lantern = refusal(
            lambda: services.dispatcher.run(
                HandOff(world["a"], world["round"], families[2], "lantern", 1, "y"), SYSTEM
            )
        )
        assert lantern.code == "point_out_of_stock"
        assert services.dispatcher.run(TakeIn(world["a"], "lantern", 5, "donated"), SYSTEM) == 5
        assert services.dispatcher.run(TakeIn(world["a"], "lantern", 5, "donated"), SYSTEM) == 5
        given = services.dispatcher.run(
            HandOff(world["a"], world["round"], families[2], "lantern", 1, "z"), SYSTEM
        )
        assert (given.recorded, given.on_hand) == (True, 4)

    def test_concurrent_hand_offs_keep_every_rule(self, services: Services) -> None:
        world = distribution(services, boxes=25)
        families = [household(services, world["a"])[1] for _ in range(30)]
        app = services.app

        def attempt(n: int) -> str:
            point = world["a"] if n % 2 else world["b"]
            try:
                services.dispatcher.run(
                    HandOff(point, world["round"], families[n % 30], "food_box", 1, f"t{n}"), SYSTEM
                )
                return "given"
            except DomainError as error:
                return error.code

        with ThreadPoolExecutor(max_workers=4) as pool:
            outcomes = list(pool.map(attempt, range(90)))
        assert outcomes.count("given") == 30
        assert set(outcomes) <= {"given", "allowance_used", "point_out_of_stock"}
        assert all(on_hand(app, world[p]) >= 0 for p in ("a", "b"))
        assert on_hand(app, world["a"]) + on_hand(app, world["b"]) == 20

    def test_a_resent_batch_counts_once_and_lists_invalid_items(self, services: Services) -> None:
        world = distribution(services)
        families = [household(services, world["a"])[0] for _ in range(4)]
        items = [Item(digits, key=f"off-{n}") for n, digits in enumerate(families)]
        items += [Item("123", key="bad-id"), Item(families[0], item="car", key="bad-item")]
        for _ in range(3):
            answers = services.dispatcher.run(
                HandOffItems(world["a"], world["round"], items), SYSTEM
            )
        refused = {
            index: answer.code for index, answer in answers if isinstance(answer, DomainError)
        }
        assert refused == {4: "national_id_length", 5: "unknown_item"}
        assert on_hand(services.app, world["a"]) == 6
        assert all(not answer.recorded for _, answer in answers[:4])

    def test_an_upload_counts_every_hand_out_on_the_point_board(self, services: Services) -> None:
        world = distribution(services)
        services.dispatcher.run(TakeIn(world["a"], "toy", 5, "toys"), SYSTEM)
        families = [household(services, world["a"])[0] for _ in range(3)]
        items = [Item(digits, key=f"box-{n}") for n, digits in enumerate(families)]
        items += [Item(families[0], item="toy", count=2, key="toy-0")]
        answers = services.dispatcher.run(HandOffItems(world["a"], world["round"], items), SYSTEM)
        assert all(answer.recorded for _, answer in answers)
        services.runner.catch_up()
        stock = {
            row["item"]: (row["handed_out"], row["on_hand"])
            for row in services.db.query(
                "SELECT item, handed_out, on_hand FROM site_stock WHERE site_id = %s",
                (str(world["a"]),),
            )
        }
        assert stock == {"food_box": (3, 7), "toy": (2, 3)}
        assert on_hand(services.app, world["a"]) == 7

    def test_families_served_elsewhere_are_told_where_with_one_read_of_the_point(
        self, services: Services, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        world = distribution(services)
        families = [household(services, world["a"])[0] for _ in range(6)]
        served = [Item(digits, key=f"a-{n}") for n, digits in enumerate(families)]
        services.dispatcher.run(HandOffItems(world["a"], world["round"], served), SYSTEM)
        points_read: list[UUID] = []
        find = Store.find

        def counted(store: Store, aggregate_id: UUID, kind: type) -> object:
            if kind is Site:
                points_read.append(aggregate_id)
            return find(store, aggregate_id, kind)

        monkeypatch.setattr(Store, "find", counted)
        again = [Item(digits, key=f"b-{n}") for n, digits in enumerate(families)]
        answers = services.dispatcher.run(HandOffItems(world["b"], world["round"], again), SYSTEM)
        assert [answer.code for _, answer in answers] == ["allowance_used"] * 6
        assert {answer.context["point"] for _, answer in answers} == {"نقطة 0 (Point 0)"}
        assert points_read == [world["a"]]

    def test_hand_outs_logged_one_by_one_still_count(self, services: Services) -> None:
        world = distribution(services)
        stock = services.app.repository.get(Stock.create_id(world["a"]))
        stock._handed_out_one(uuid4(), world["round"], "food_box", 2, datetime.now(UTC))
        services.app.save(stock)
        services.runner.catch_up()
        points = {p["site_id"]: p for p in points_of(services.db, "21", str(world["round"]))}
        assert (points[str(world["a"])]["handed_out"], points[str(world["a"])]["on_hand"]) == (2, 8)
        assert on_hand(services.app, world["a"]) == 8

    def test_the_boards_count_what_happened(self, services: Services) -> None:
        world = distribution(services)
        _, family = household(services, world["a"])
        services.dispatcher.run(
            HandOff(world["a"], world["round"], family, "food_box", 1, "k"), SYSTEM
        )
        services.runner.catch_up()
        round_row = current_round(services.db)
        assert round_row is not None and round_row["round_id"] == str(world["round"])
        giza = next(
            r for r in national_overview(services.db, str(world["round"])) if r["code"] == "21"
        )
        assert (giza["registered"], giza["households_served"], giza["boxes"]) == (1, 1, 1)
        points = {p["site_id"]: p for p in points_of(services.db, "21", str(world["round"]))}
        point_a = points[str(world["a"])]
        assert (point_a["received"], point_a["handed_out"], point_a["on_hand"]) == (10, 1, 9)
