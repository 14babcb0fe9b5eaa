"""A line lead corrects a box batch of their own line from their phone's page, by plain form
or htmx; a batch of another line, and another line's page, are refused with a sentence."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from litestar.testing import TestClient
from markupsafe import escape

from coordination.areas.attendance.commands import AssignPlace, CheckIn
from coordination.areas.packing.commands import LogBoxes
from coordination.areas.packing.lookups import on_hand
from coordination.areas.packing.policy import NotYourLine
from coordination.meal_batch import CorrectionReasonNeeded
from coordination.permissions import SYSTEM
from tests.e2e.stadium import stadium
from tests.e2e.test_packing_pages import volunteer
from tests.e2e.test_pages import form_token
from tests.e2e.test_plain_form_refusals_packing import plain_post, signed_in_as_a_browser
from tests.helpers import certified
from web.bootstrap import Services
from web.platform.errors import message_of


def leading(services: Services, world: dict[str, Any], line: str, key: str) -> dict[str, str]:
    """A volunteer placed as the lead of ``line`` and checked in at the stadium."""
    lead = volunteer(services, world)
    certified(services.dispatcher.run, UUID(lead["id"]))
    services.dispatcher.run(
        AssignPlace(UUID(world["shift"]), UUID(lead["id"]), "", "line_lead", UUID(line)), SYSTEM
    )
    services.dispatcher.run(CheckIn(UUID(world["site"]), UUID(lead["id"]), key), SYSTEM)
    return lead


def batch_row(page: str, key: str) -> str:
    found = re.search(rf'<tr data-batch="{re.escape(key)}"[^>]*>.*?</tr>', page, re.S)
    assert found, f"no batch {key}"
    return found.group(0)


def test_a_line_lead_takes_back_a_batch_of_their_line_with_its_reason(
    client: TestClient, services: Services
) -> None:
    world = stadium(services)
    site, mine, theirs = world["site"], world["lines"][1], world["lines"][2]
    run = services.dispatcher.run
    run(LogBoxes(UUID(site), UUID(mine), 25, "mine-25"), SYSTEM)
    run(LogBoxes(UUID(site), UUID(mine), 50, "mine-50"), SYSTEM)
    run(LogBoxes(UUID(site), UUID(theirs), 20, "theirs-20"), SYSTEM)
    lead = leading(services, world, mine, "lead-in")
    services.runner.catch_up()
    signed_in_as_a_browser(client, lead["phone"])
    page = f"/packing/{site}/lines/{mine}"
    action = f"{page}/boxes/reversals"
    before = client.get(page).text
    assert "دفعات هذا الخط اليوم" in before and "تصحيح" in batch_row(before, "mine-50")
    assert 'data-batch="theirs-20"' not in before  # only this line's batches

    said = plain_post(client, page, action, entry_key="theirs-20", reason="عد مرتين")
    assert str(escape(message_of(NotYourLine(), "ar"))) in said
    assert message_of(NotYourLine(), "en") == (
        "You can correct only the batches of the line you lead."
    )
    assert on_hand(services.app, UUID(site)) == 95

    token = form_token(client.get(page).text)
    empty = client.post(
        action,
        data={"entry_key": "mine-50", "reason": " "},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert empty.status_code == 422
    assert str(escape(message_of(CorrectionReasonNeeded(), "ar"))) in empty.text

    after = plain_post(client, page, action, entry_key="mine-50", reason="عد مرتين")
    corrected = batch_row(after, "mine-50")
    assert 'class="reversed"' in corrected and "عد مرتين" in corrected
    assert "<form" not in corrected and "<form" in batch_row(after, "mine-25")
    assert re.search(r'data-total="line">٢٥<', after)
    assert on_hand(services.app, UUID(site)) == 45

    client.get(f"/language/en?next={page}")
    again = client.post(
        action,
        data={"entry_key": "mine-50", "reason": "again"},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert again.status_code == 409
    assert "There is no such entry to correct, or it was already corrected." in again.text


def test_the_lead_of_another_line_can_neither_open_nor_correct_this_line(
    client: TestClient, services: Services
) -> None:
    world = stadium(services)
    site, line, other = world["site"], world["lines"][1], world["lines"][2]
    services.dispatcher.run(LogBoxes(UUID(site), UUID(line), 25, "line-25"), SYSTEM)
    stranger = leading(services, world, other, "other-lead-in")
    services.runner.catch_up()
    signed_in_as_a_browser(client, stranger["phone"])
    token = form_token(client.get(f"/packing/{site}/lines/{other}").text)
    assert client.get(f"/packing/{site}/lines/{line}").status_code == 403
    refused = client.post(
        f"/packing/{site}/lines/{line}/boxes/reversals",
        data={"entry_key": "line-25", "reason": "not mine", "_csrf_token": token},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    by_own_page = client.post(
        f"/packing/{site}/lines/{other}/boxes/reversals",
        data={"entry_key": "line-25", "reason": "not mine"},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert by_own_page.status_code == 403
    assert str(escape(message_of(NotYourLine(), "ar"))) in by_own_page.text
    assert on_hand(services.app, UUID(site)) == 25
