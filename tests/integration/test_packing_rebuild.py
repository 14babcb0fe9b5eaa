"""The stadium board after 20,000 mixed events, followed live, equals a fresh rebuild."""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from uuid import UUID

import pytest

from coordination.areas.attendance.commands import AssignPlace, CheckIn, CheckOut
from coordination.areas.packing.commands import (
    ConfirmTruckload,
    DispatchTruck,
    LogBoxes,
    ReverseBoxes,
)
from coordination.badges import volunteer_of_badge
from coordination.errors import DomainError
from coordination.permissions import SYSTEM
from coordination.stock import Stock
from tests.conftest import started
from tests.e2e.stadium import stadium, volunteers_on
from tests.processes import wait_for
from web.bootstrap import Services
from web.platform.settings import Settings

EVENTS = int(os.environ.get("KATF_TEST_EVENTS", "20000"))


def snapshot(services: Services) -> dict[str, list[tuple]]:
    tables = {}
    for name in ("packing_board", "attendance_board"):
        for table in services.runner.projection(name).tables:
            rows = services.db.query(f"SELECT * FROM {table}")
            tables[table] = sorted((tuple(sorted(row.items())) for row in rows), key=repr)
    return tables


def events_recorded(services: Services) -> int:
    return len(services.app.recorder.select_notifications(start=None, limit=1_000_000))


@pytest.fixture
def services(pg_settings: Settings) -> Iterator[Services]:
    yield from started(pg_settings)


@pytest.mark.postgres
def test_the_board_followed_live_equals_a_fresh_rebuild(services: Services) -> None:
    world = stadium(services, capacity=3_000)
    site, point, shift = UUID(world["site"]), UUID(world["point"]), UUID(world["shift"])
    lines = [UUID(line) for line in world["lines"]]
    people = [
        volunteer_of_badge(services.app.fingerprints, code)
        for code in volunteers_on(services, world["shift"], 3_000)
    ]
    services.start_projections()
    app, rng = services.app, random.Random(17)

    def arrive(who: UUID) -> None:
        services.dispatcher.run(CheckIn(site, who, f"in-{who}"), SYSTEM)
        if rng.random() < 0.3:
            services.dispatcher.run(
                AssignPlace(shift, who, "", rng.choice(["packer", "loader"]), lines[0]), SYSTEM
            )
        if rng.random() < 0.3:
            services.dispatcher.run(CheckOut(site, who, f"out-{who}"), SYSTEM)

    def pack(n: int) -> None:
        key = f"boxes-{n}"
        services.dispatcher.run(LogBoxes(site, rng.choice(lines), rng.randint(5, 60), key), SYSTEM)
        try:
            if n % 17 == 0:
                services.dispatcher.run(ReverseBoxes(site, key, f"undo-{n}"), SYSTEM)
            if n % 11 == 0:
                truck = services.dispatcher.run(
                    DispatchTruck(site, point, rng.randint(50, 400), f"t-{n}"), SYSTEM
                )
                if n % 2:
                    services.dispatcher.run(
                        ConfirmTruckload(truck.truckload_id, truck.count - n % 3, f"r-{n}"), SYSTEM
                    )
        except DomainError as error:
            assert error.code in ("not_enough_stock", "already_sent_out")

    work: list[Callable[[], None]] = [lambda who=who: arrive(who) for who in people]
    arrivals = len(people) * 2.6  # opened, checked in; a third placed, a third gone home
    batches = int((EVENTS - events_recorded(services) - arrivals) / 2) + 500  # batch + stock
    work += [lambda n=n: pack(n) for n in range(batches)]
    rng.shuffle(work)
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda job: job(), work))
    assert events_recorded(services) >= EVENTS
    wait_for(services.runner.caught_up, seconds=120, interval=0.2)
    services.stop_projections()
    live = snapshot(services)
    stock = app.repository.get(Stock.create_id(site))
    [row] = [r for r in live["site_stock"] if dict(r)["site_id"] == str(site)]
    assert dict(row)["on_hand"] == stock.held("food_box")
    for name in ("packing_board", "attendance_board"):
        services.runner.rebuild(services.runner.projection(name))
    assert snapshot(services) == live
    services.runner.rebuild_all()
    assert snapshot(services) == live, "every view rebuilt at once gives the same board"
