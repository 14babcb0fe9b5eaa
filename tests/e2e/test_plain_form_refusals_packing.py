"""A refused packing command posted from a plain form (no JavaScript) shows its reason on the
page the form returns to: the site's console, and the line lead's page."""

from __future__ import annotations

from uuid import UUID

from litestar.testing import TestClient

from coordination.areas.attendance.commands import AssignPlace, CheckIn
from coordination.areas.packing.commands import LogBoxes
from coordination.permissions import SYSTEM
from coordination.stock import MAX_COUNT, InvalidBoxCount, NotEnoughStock
from tests.e2e.plain_forms import plain_post, says, signed_in_as_a_browser
from tests.e2e.stadium import stadium
from tests.e2e.test_packing_pages import volunteer
from tests.helpers import certified
from web.bootstrap import Services


def test_sending_more_boxes_than_the_site_holds_is_explained_on_the_console(
    client: TestClient, services: Services
) -> None:
    world = stadium(services)
    site = world["site"]
    services.dispatcher.run(LogBoxes(UUID(site), UUID(world["lines"][0]), 40, "b"), SYSTEM)
    services.runner.catch_up()
    signed_in_as_a_browser(client, world["manager"])
    page = plain_post(
        client,
        f"/packing/{site}/console",
        f"/packing/{site}/dispatches",
        point_id=world["point"],
        count="50",
        label="ABC 123",
    )
    assert says(page, NotEnoughStock(on_hand=40, asked=50), "ar")


def test_a_batch_of_no_boxes_is_explained_on_the_line_leads_page(
    client: TestClient, services: Services
) -> None:
    world = stadium(services)
    lead = volunteer(services, world)
    site, line = world["site"], world["lines"][1]
    certified(services.dispatcher.run, UUID(lead["id"]))
    services.dispatcher.run(
        AssignPlace(UUID(world["shift"]), UUID(lead["id"]), "", "line_lead", UUID(line)), SYSTEM
    )
    services.dispatcher.run(CheckIn(UUID(site), UUID(lead["id"]), "lead-in"), SYSTEM)
    services.runner.catch_up()
    signed_in_as_a_browser(client, lead["phone"])
    client.get("/language/en?next=/my-shifts")
    page = plain_post(
        client,
        f"/packing/{site}/lines/{line}",
        f"/packing/{site}/lines/{line}/boxes",
        count="0",
        idempotency_key="no-boxes",
    )
    assert says(page, InvalidBoxCount(maximum=MAX_COUNT), "en")
