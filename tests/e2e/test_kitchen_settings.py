"""A kitchen's settings from its page: the lead sets the daily target and the place by plain
form; the room, who watches the kitchen, is not offered the form; a place outside Egypt is
refused with its reason."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from coordination.areas.accounts.commands import CreateUser
from coordination.permissions import SYSTEM, Grant, Role
from tests.conftest import started
from tests.e2e.clients import sign_in
from tests.e2e.world import World, build_world
from tests.helpers import PASSWORD, mobile
from web.app import create_app
from web.platform.settings import Settings


@pytest.fixture
def world(sqlite_settings: Settings) -> Iterator[World]:
    for services in started(sqlite_settings):
        world = build_world(services, create_app(services, secure_cookies=False))
        staff = {
            "lead": Grant(Role.KITCHEN_LEAD, world.ids["kitchen"]),
            "agent": Grant(Role.OPERATIONS_AGENT),
        }
        for name, grant in staff.items():
            world.phones[name] = mobile()
            services.dispatcher.run(
                CreateUser(world.phones[name], name.title(), PASSWORD, [grant]), SYSTEM
            )
        yield world


def signed_in(world: World, name: str) -> TestClient:
    client = TestClient(world.app)
    client.__enter__()
    sign_in(client, world.phones[name])
    return client


def test_the_lead_sets_the_target_and_the_place_by_plain_form(world: World) -> None:
    kitchen = f"/kitchens/{world.ids['kitchen']}"
    client = signed_in(world, "lead")
    try:
        assert 'name="daily_target"' in client.get(kitchen).text
        saved = client.post(
            f"{kitchen}/settings",
            data={"daily_target": "١٢٠٠", "latitude": "30.0444", "longitude": "31,2357"},
            follow_redirects=False,
        )
        assert saved.status_code == 303 and saved.headers["location"] == kitchen
        world.services.runner.catch_up()
        page = client.get(f"{kitchen}?lang=en").text
    finally:
        client.__exit__(None, None, None)
    assert 'class="notice success"' in page
    assert 'value="1200"' in page and 'value="30.0444"' in page and 'value="31.2357"' in page


def settings_sent(world: World, data: dict[str, str]) -> tuple[Any, str]:
    """The kitchen lead's settings form sent with ``data``: the answer, then the kitchen's page
    in English."""
    kitchen = f"/kitchens/{world.ids['kitchen']}"
    client = signed_in(world, "lead")
    try:
        answer = client.post(f"{kitchen}/settings", data=data, follow_redirects=False)
        return answer, client.get(f"{kitchen}?lang=en").text
    finally:
        client.__exit__(None, None, None)


def test_a_place_outside_egypt_is_refused_with_its_reason(world: World) -> None:
    _, page = settings_sent(
        world, {"daily_target": "900", "latitude": "48.85", "longitude": "2.35"}
    )
    assert 'class="notice error" role="status"' in page
    assert 'value="900"' not in page


def test_a_word_typed_for_the_place_is_refused_in_the_reader_s_words(world: World) -> None:
    answer, page = settings_sent(
        world, {"daily_target": "٩٠٠", "latitude": "north", "longitude": "٣١٫٢٣"}
    )
    assert answer.status_code < 500
    notice = page[page.index('class="notice error"') :].split("</", 1)[0]
    assert "Egypt" in notice or "مصر" in notice, notice
    assert 'value="900"' not in page, "nothing saved"


def test_the_room_watches_the_kitchen_but_is_not_offered_its_settings(world: World) -> None:
    kitchen = f"/kitchens/{world.ids['kitchen']}"
    client = signed_in(world, "agent")
    try:
        page = client.get(kitchen)
        client.post(f"{kitchen}/settings", data={"daily_target": "5"}, follow_redirects=False)
        refused = client.get(kitchen)
    finally:
        client.__exit__(None, None, None)
    assert page.status_code == 200 and 'name="daily_target"' not in page.text
    assert 'class="notice error" role="status"' in refused.text
    assert 'value="5"' not in refused.text


def seen_by(world: World, name: str, path: str) -> str:
    client = signed_in(world, name)
    try:
        return client.get(path).text
    finally:
        client.__exit__(None, None, None)


def test_a_target_not_yet_set_shows_as_a_dash_on_the_kitchen_and_its_dashboard(
    world: World,
) -> None:
    """No target is not a target of zero: the lead's page and the room's dashboard of the
    governorate show a dash until the lead sets one, then the target in the page's digits."""
    kitchen = f"/kitchens/{world.ids['kitchen']}"
    dashboard = "/kitchens/governorates/21"
    before = seen_by(world, "lead", kitchen), seen_by(world, "agent", dashboard)
    lead = signed_in(world, "lead")
    try:
        place = {"latitude": "30.0444", "longitude": "31.2357"}
        lead.post(f"{kitchen}/settings", data={"daily_target": "1200", **place})
    finally:
        lead.__exit__(None, None, None)
    world.services.runner.catch_up()
    after = seen_by(world, "lead", kitchen), seen_by(world, "agent", dashboard)
    assert 'data-total="target">–<' in before[0]
    assert 'data-total="target">–<' in before[1] and "<td data-target>–</td>" in before[1]
    assert 'data-total="target">١٬٢٠٠<' in after[0]
    assert 'data-total="target">١٬٢٠٠<' in after[1] and "<td data-target>١٬٢٠٠</td>" in after[1]
