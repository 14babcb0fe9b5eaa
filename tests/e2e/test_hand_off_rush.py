"""A thousand hand-offs at once for 300 households across five points, over HTTP on PostgreSQL."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from typing import Any
from uuid import UUID

import httpx
import pytest

from coordination.areas.distribution.commands import OpenRound, RegisterHousehold
from coordination.areas.distribution.lookups import household_id_for
from coordination.areas.packing.commands import AddLine, ConfirmTruckload, DispatchTruck, LogBoxes
from coordination.areas.packing.lookups import on_hand
from coordination.areas.sites.commands import IssueDeviceToken, OpenSite
from coordination.household import Household
from coordination.permissions import SYSTEM
from projections.distribution import national_overview, points_of
from tests.conftest import started
from tests.helpers import national_id
from tests.processes import katf, server, stop
from web.bootstrap import Services
from web.platform.settings import Settings

HOUSEHOLDS = 300
ATTEMPTS = 1_000
WELL_STOCKED = 300
SHORT = 20


def five_points(services: Services) -> dict[str, Any]:
    """Four well-stocked points and one short of boxes, all in Giza; a round; households."""
    stadium = services.dispatcher.run(
        OpenSite("stadium", "packing", "01", "الاستاد", "Stadium"), SYSTEM
    )
    line = services.dispatcher.run(AddLine(stadium, "Line 1", "North", 400), SYSTEM)
    services.dispatcher.run(LogBoxes(stadium, line, 4 * WELL_STOCKED + SHORT, "packed"), SYSTEM)
    points, desks = [], []
    for n in range(5):
        point = services.dispatcher.run(
            OpenSite(f"giza-{n}", "distribution_point", "21", f"نقطة {n}", f"Point {n}"), SYSTEM
        )
        boxes = SHORT if n == 4 else WELL_STOCKED
        truck = services.dispatcher.run(
            DispatchTruck(stadium, point, boxes, f"truck-{n}"), SYSTEM
        ).truckload_id
        services.dispatcher.run(ConfirmTruckload(truck, boxes), SYSTEM)
        points.append(str(point))
        desks.append(services.dispatcher.run(IssueDeviceToken(point, f"Desk {n}"), SYSTEM)[1])
    round_id = services.dispatcher.run(
        OpenRound("ramadan-1447", "رمضان ١٤٤٧", "Ramadan 1447", 4_000_000), SYSTEM
    )
    families = [national_id() for _ in range(HOUSEHOLDS)]
    for n, digits in enumerate(families):
        services.dispatcher.run(RegisterHousehold(digits, 5, "", UUID(points[n % 5])), SYSTEM)
    return {"points": points, "desks": desks, "round": str(round_id), "families": families}


def attempts(world: dict[str, Any]) -> list[tuple[int, str]]:
    """Every household first at a well-stocked point, then anywhere: 1,000 in all, shuffled."""
    plan = [(n % 4, digits) for n, digits in enumerate(world["families"])]
    rng = random.Random(5)
    plan += [(rng.randrange(5), rng.choice(world["families"])) for _ in range(ATTEMPTS - len(plan))]
    rng.shuffle(plan)
    return plan


async def rush(base: str, world: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    plan = attempts(world)
    answers: list[tuple[int, dict[str, Any]]] = []
    clients = [
        httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {desk}"}, timeout=60)
        for desk in world["desks"]
    ]
    gate = asyncio.Semaphore(64)

    async def give(n: int, point: int, digits: str) -> None:
        async with gate:
            answer = await clients[point].post(
                f"/api/v1/points/{world['points'][point]}/hand-offs",
                json={"national_id": digits, "item": "food_box"},
                headers={"Idempotency-Key": f"rush-{n}"},
            )
            answers.append((answer.status_code, answer.json()))

    await asyncio.gather(*(give(n, point, digits) for n, (point, digits) in enumerate(plan)))
    for client in clients:
        await client.aclose()
    return answers


def totals(services: Services, round_id: str) -> tuple[list[Any], list[Any]]:
    return national_overview(services.db, round_id), points_of(services.db, "21", round_id)


@pytest.mark.postgres
def test_every_household_gets_its_allowance_and_no_point_goes_negative(
    pg_settings: Settings,
) -> None:
    for services in started(pg_settings):
        world = five_points(services)
        services.runner.catch_up()
    worker = katf(pg_settings, "project")
    try:
        with server(pg_settings) as base:
            answers = asyncio.run(rush(base, world))
    finally:
        stop(worker)
    statuses = Counter(status for status, _ in answers)
    assert set(statuses) <= {201, 409}, statuses
    assert statuses[201] == HOUSEHOLDS
    reasons = Counter(body["error"]["code"] for status, body in answers if status == 409)
    assert set(reasons) <= {"allowance_used", "point_out_of_stock"}
    assert reasons["allowance_used"] > 0 and reasons["point_out_of_stock"] > 0
    assert all(body["error"]["message"] for status, body in answers if status == 409)
    for services in started(pg_settings):
        app = services.app
        for digits in world["families"]:
            household = app.repository.get(household_id_for(app, digits))
            assert isinstance(household, Household)
            assert household.taken(UUID(world["round"]), "food_box") == 1
        stocks = [on_hand(app, UUID(point)) for point in world["points"]]
        assert min(stocks) >= 0 and stocks[4] == 0
        assert sum(stocks) == 4 * WELL_STOCKED + SHORT - HOUSEHOLDS
        services.runner.catch_up()
        live = totals(services, world["round"])
        giza = next(row for row in live[0] if row["code"] == "21")
        assert (giza["boxes"], giza["households_served"]) == (HOUSEHOLDS, HOUSEHOLDS)
        for name in ("distribution", "packing_board"):
            services.runner.rebuild(services.runner.projection(name))
        assert totals(services, world["round"]) == live
