"""A refused kitchen entry posted from a plain form (no JavaScript) shows its reason."""

from __future__ import annotations

from uuid import UUID

import pytest
from litestar.testing import TestClient
from markupsafe import escape

from coordination.areas.accounts.commands import CreateUser
from coordination.areas.kitchens.commands import LogCooked, LogServed
from coordination.areas.sites.commands import OpenSite
from coordination.errors import DomainError
from coordination.permissions import SYSTEM, Grant, Role
from tests.e2e.clients import sign_in
from tests.e2e.test_pages import form_token
from tests.helpers import PASSWORD, mobile
from web.bootstrap import Services
from web.platform.errors import message_of


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
    sign_in(client, lead)
    del client.headers["X-CSRF-Token"]  # a plain form carries its token in a field
    page = f"/kitchens/{kitchen}"
    form = {"count": "50", "how": "on_site", "_csrf_token": form_token(client.get(page).text)}
    answer = client.post(f"{page}/batches/{batch}/served", data=form, follow_redirects=True)
    assert "HX-Request" not in answer.request.headers
    assert answer.url.path == page and answer.status_code == 200
    refused = refusal_of(services, LogServed(batch, 50, "on_site", "again"))
    said = str(escape(message_of(refused, "ar")))
    assert said in answer.text
    assert said not in client.get(page).text  # said once, by the answer
