"""`katf simulate-day`: the launch day through the HTTP API of real worker processes, at a
small scale, and every view shows the day once the projection worker has caught up."""

from __future__ import annotations

import json
import subprocess
import sys
from contextlib import ExitStack

import pytest

from coordination.areas.accounts.commands import CreateUser
from coordination.permissions import SYSTEM, Grant, Role
from tests.processes import environment, katf, server, stop
from web.bootstrap import Services
from web.platform.settings import Settings
from workers.simulation.day import DAY_GOVERNORATES, Plan

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
ADMIN, PASSWORD = "01199990000", "launch-day-admin-42"
SCALE = 0.0005


def one(services: Services, sql: str) -> int:
    return int(services.db.query(sql)[0]["n"] or 0)


def test_the_launch_day_replayed_through_the_api_shows_in_every_view(
    production: tuple[Settings, Services],
) -> None:
    settings, services = production
    services.dispatcher.run(
        CreateUser(ADMIN, "Day Admin", PASSWORD, [Grant(Role.NATIONAL_ADMIN)]), SYSTEM
    )
    plan = Plan.at(SCALE)
    with ExitStack() as running:
        projector = katf(settings, "project")
        running.callback(stop, projector)
        bases = [running.enter_context(server(settings)) for _ in range(2)]
        day = subprocess.run(
            [sys.executable, "-m", "web.cli", "simulate-day", "--phone", ADMIN, "--views"]
            + ["--scale", str(SCALE), "--clients", "16"]
            + [arg for base in bases for arg in ("--base", base)],
            input=PASSWORD + "\n",
            env=environment(settings),
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
    outcome = json.loads(day.stdout)
    assert outcome["plan"] == plan.described()
    assert outcome["views_caught_up_s"] is not None, "every view reached the head of the log"
    phases = {p["phase"]: p for p in outcome["phases"]}
    for phase in phases.values():
        assert phase["refusals"] == {}, phase
    assert phases["hand-offs uploaded by points"]["statuses"]["hand-offs recorded"] == plan.boxes
    assert "household lists imported" in phases and outcome["day_s"] > 0
    ordered = outcome["phases"]  # each phase's start on the machine's clock, for CPU by phase
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        ended = earlier["started_monotonic"] + earlier["seconds"]
        assert ended <= later["started_monotonic"] + 0.01  # seconds are given to a hundredth

    services.runner.catch_up()
    assert one(services, "SELECT COUNT(*) AS n FROM attendance WHERE seconds IS NOT NULL") == (
        plan.volunteers
    ), "every volunteer checked in and out"
    assert one(services, "SELECT SUM(packed) AS n FROM site_stock") == plan.boxes
    assert one(services, "SELECT SUM(handed_out) AS n FROM site_stock") == plan.boxes
    on_hand = one(services, "SELECT SUM(on_hand) AS n FROM site_stock")
    assert on_hand == 0, "every box reached a family"
    assert one(services, "SELECT COUNT(*) AS n FROM households") == plan.households
    points = services.db.query("SELECT COUNT(DISTINCT governorate) AS n FROM handoffs")
    assert points[0]["n"] == len(DAY_GOVERNORATES)
    assert one(services, "SELECT SUM(served) AS n FROM meal_batches") == plan.meals
