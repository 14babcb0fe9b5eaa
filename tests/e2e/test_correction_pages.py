"""Corrections from the lists, by plain form: a box batch from the site console and a meal
entry from the kitchen page, each taken back with a reason and then shown as reversed with it;
the console also lists who is placed where and the trucks sent with what was received."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from coordination.areas.attendance.commands import AssignPlace
from coordination.areas.sign_ups.commands import SignUp
from coordination.areas.sites.commands import ScheduleShift
from coordination.permissions import SYSTEM
from tests.conftest import started
from tests.e2e.world import World, build_world
from web.app import create_app
from web.platform.settings import Settings


@pytest.fixture
def world(sqlite_settings: Settings) -> Iterator[World]:
    for services in started(sqlite_settings):
        yield build_world(services, create_app(services, secure_cookies=False))


def row(page: str, attribute: str, key: str) -> str:
    found = re.search(rf'<tr {attribute}="{re.escape(key)}"[^>]*>.*?</tr>', page, re.S)
    assert found, f"no row {attribute}={key}"
    return found.group(0)


def test_a_box_batch_is_taken_back_from_the_console_with_its_reason(world: World) -> None:
    console = f"/packing/{world.ids['site']}/console"
    with world.client("site_manager") as client:
        before = client.get(f"{console}?lang=en").text
        assert "Correct" in row(before, "data-batch", "to-unpack")
        refused = client.post(
            f"{console.removesuffix('/console')}/boxes/reversals?lang=en",
            data={"entry_key": "world-boxes", "reason": "  "},
            follow_redirects=False,
        )
        assert refused.status_code == 303 and refused.headers["location"] == console
        said = client.get(f"{console}?lang=en").text
        assert 'class="notice error"' in said and "Please say why this entry is corrected." in said
        taken = client.post(
            f"{console.removesuffix('/console')}/boxes/reversals?lang=en",
            data={"entry_key": "to-unpack", "reason": "Counted twice", "idempotency_key": "c-1"},
            follow_redirects=False,
        )
        assert taken.status_code == 303
        world.services.runner.catch_up()
        after = client.get(f"{console}?lang=en").text
    corrected = row(after, "data-batch", "to-unpack")
    assert 'class="reversed"' in corrected and "Counted twice" in corrected
    assert "<form" not in corrected
    assert 'class="reversed"' not in row(after, "data-batch", "world-boxes")


def test_a_meal_entry_is_taken_back_from_the_kitchen_list_with_its_reason(world: World) -> None:
    kitchen = f"/kitchens/{world.ids['kitchen']}"
    with world.client("admin") as client:
        before = client.get(f"{kitchen}?lang=en").text
        assert "Correct" in row(before, "data-entry", "to-reverse")
        taken = client.post(
            f"{kitchen}/batches/{world.ids['batch']}/reversals",
            data={"entry_key": "to-reverse", "reason": "Served from the wrong pot"},
            follow_redirects=False,
        )
        assert taken.status_code == 303 and taken.headers["location"] == kitchen
        world.services.runner.catch_up()
        after = client.get(f"{kitchen}?lang=en").text
    corrected = row(after, "data-entry", "to-reverse")
    assert 'class="reversed"' in corrected and "Served from the wrong pot" in corrected
    assert re.search(r'data-total="served">\s*0<', after)


def test_the_console_lists_places_by_line_and_the_trucks_with_what_was_received(
    world: World,
) -> None:
    run = world.services.dispatcher.run
    start = datetime.now(UTC) + timedelta(minutes=5)  # today's shift: the console shows today
    shift = run(
        ScheduleShift(UUID(world.ids["site"]), "packer", start, start + timedelta(hours=1), 5),
        SYSTEM,
    )
    run(SignUp(shift, UUID(world.ids["placed"]), "placed-today"), SYSTEM)
    run(
        AssignPlace(
            shift,
            UUID(world.ids["placed"]),
            "",
            "packer",
            UUID(world.ids["line"]),
        ),
        SYSTEM,
    )
    world.services.runner.catch_up()
    with world.client("site_manager") as client:
        page = client.get(f"/packing/{world.ids['site']}/console?lang=en").text
    table = r'<table class="table cards" data-places="Line 1[^"]*">.*?</table>'
    places = re.search(table, page, re.S)
    assert places and "Placed Person" in places.group(0)
    truck = row(page, "data-truck", world.ids["truckload"])
    assert "Point" in truck and "None" in truck and "10" in truck
