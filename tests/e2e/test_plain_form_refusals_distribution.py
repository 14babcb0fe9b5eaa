"""A refused hand-off posted from a plain form (no JavaScript) shows its reason."""

from __future__ import annotations

from uuid import UUID

import pytest
from litestar.testing import TestClient

from coordination.areas.distribution.commands import HandOff
from coordination.areas.distribution.lookups import household_id_for
from coordination.errors import DomainError
from coordination.identity import parse_national_id
from coordination.permissions import SYSTEM
from projections.distribution import current_round
from tests.e2e.plain_forms import says, signed_in_as_a_browser
from tests.e2e.test_distribution_pages import giza
from tests.e2e.test_pages import form_token
from web.bootstrap import Services


def plain_hand_off(client: TestClient, point: str, national_id: str) -> str:
    """The point's page as a browser without JavaScript shows it after posting the form."""
    page = f"/points/{point}"
    form = {"national_id": national_id, "_csrf_token": form_token(client.get(page).text)}
    answer = client.post(f"{page}/hand-offs", data=form, follow_redirects=True)
    assert "HX-Request" not in answer.request.headers
    assert answer.url.path.rstrip("/") == page and answer.status_code == 200
    return answer.text


def test_a_second_box_for_a_family_is_explained_on_the_point_page(
    client: TestClient, services: Services
) -> None:
    world = giza(services)
    signed_in_as_a_browser(client, world["manager"])
    family = world["families"][0]
    first = plain_hand_off(client, world["point"], family)
    assert 'class="notice error"' not in first
    page = plain_hand_off(client, world["point"], family)
    row = current_round(services.db)
    assert row is not None
    again = HandOff(
        UUID(world["point"]),
        UUID(row["round_id"]),
        household_id_for(services.app, family),
        "food_box",
        1,
        "another-key",
    )
    with pytest.raises(DomainError) as refused:
        services.dispatcher.run(again, SYSTEM)
    assert refused.value.code == "allowance_used" and says(page, refused.value)
    assert not says(client.get(f"/points/{world['point']}").text, refused.value)


def test_a_mistyped_national_id_is_explained_on_the_point_page(
    client: TestClient, services: Services
) -> None:
    world = giza(services)
    signed_in_as_a_browser(client, world["manager"])
    page = plain_hand_off(client, world["point"], "2990101")
    with pytest.raises(DomainError) as refused:
        parse_national_id("2990101")
    assert says(page, refused.value)
