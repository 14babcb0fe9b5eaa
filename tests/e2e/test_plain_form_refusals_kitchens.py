"""A refused kitchen entry posted from a plain form (no JavaScript) shows its reason."""

from __future__ import annotations

from uuid import UUID

import pytest
from litestar.testing import TestClient

from coordination.areas.accounts.commands import CreateUser
from coordination.areas.kitchens.commands import LogCooked, LogServed
from coordination.areas.sites.commands import OpenSite
from coordination.errors import DomainError
from coordination.permissions import SYSTEM, Grant, Role
from tests.e2e.plain_forms import plain_post, says, signed_in_as_a_browser
from tests.helpers import PASSWORD, mobile
from web.bootstrap import Services


def kitchen_with_a_batch(services: Services) -> tuple[UUID, UUID, str]:
    """A kitchen, its lead's phone, and a batch of ten meals."""
    kitchen = services.dispatcher.run(
        OpenSite("giza-kitchen", "kitchen", "21", "مطبخ الجيزة", "Giza kitchen"), SYSTEM
    )
    lead = mobile()
    grant = Grant(Role.KITCHEN_LEAD, str(kitchen))
    services.dispatcher.run(CreateUser(lead, "Lead", PASSWORD, [grant]), SYSTEM)
    batch = services.dispatcher.run(LogCooked(kitchen, "كشري", 10, "cooked"), SYSTEM).batch_id
    services.runner.catch_up()
    return kitchen, batch, lead


def refusal_of(services: Services, command: object) -> DomainError:
    with pytest.raises(DomainError) as raised:
        services.dispatcher.run(command, SYSTEM)
    return raised.value


def test_serving_more_than_was_cooked_is_explained_on_the_kitchen_page(
    client: TestClient, services: Services
) -> None:
    kitchen, batch, lead = kitchen_with_a_batch(services)
    signed_in_as_a_browser(client, lead)
    page = f"/kitchens/{kitchen}"
    answer = plain_post(client, page, f"{page}/batches/{batch}/served", count="50", how="on_site")
    refused = refusal_of(services, LogServed(batch, 50, "on_site", "again"))
    assert says(answer, refused)
    assert not says(client.get(page).text, refused)  # said once, by the answer
