"""A refused ticket step posted from a plain form (no JavaScript) shows its reason: on the
ticket's page after the redirect, or on the queue shown again with what was typed."""

from __future__ import annotations

from uuid import UUID

from litestar.testing import TestClient

from coordination.areas.accounts.commands import CreateUser
from coordination.areas.sites.commands import FoundAssociation
from coordination.areas.tickets.commands import OpenTicket
from coordination.permissions import SYSTEM, Grant, NotAllowed, Role
from coordination.ticket import NotTriaged, StillOpen
from tests.e2e.plain_forms import plain_post, says, signed_in_as_a_browser
from tests.e2e.test_pages import form_token
from tests.helpers import PASSWORD, mobile
from web.bootstrap import Services


def staff(services: Services, grant: Grant) -> str:
    phone = mobile()
    services.dispatcher.run(CreateUser(phone, "Room staff", PASSWORD, [grant]), SYSTEM)
    return phone


def a_ticket(services: Services) -> UUID:
    ticket = services.dispatcher.run(
        OpenTicket("hotline", "urgent_need", "01", "A family needs food"), SYSTEM
    )
    services.runner.catch_up()
    return ticket


def plain_step(client: TestClient, ticket: UUID, action: str, **fields: str) -> str:
    """The ticket's page a browser without JavaScript shows after posting one of its forms."""
    page = f"/operations/tickets/{ticket}"
    return plain_post(client, page, f"{page}/{action}", **fields)


def test_reopening_an_open_ticket_is_explained_on_its_page(
    client: TestClient, services: Services
) -> None:
    ticket = a_ticket(services)
    signed_in_as_a_browser(client, staff(services, Grant(Role.OPERATIONS_AGENT)))
    page = plain_step(client, ticket, "reopen", text="The family called again")
    assert says(page, StillOpen(), "ar")


def test_assigning_before_triage_is_explained_in_english(
    client: TestClient, services: Services
) -> None:
    ticket = a_ticket(services)
    association = services.dispatcher.run(FoundAssociation("x", "س", "X", "01"), SYSTEM)
    signed_in_as_a_browser(client, staff(services, Grant(Role.OPERATIONS_AGENT)))
    client.get("/language/en?next=/operations")
    page = plain_step(client, ticket, "assign", kind="association", assignee_id=str(association))
    assert says(page, NotTriaged(), "en")


def test_a_ticket_outside_ones_governorate_is_refused_with_what_was_typed(
    client: TestClient, services: Services
) -> None:
    signed_in_as_a_browser(client, staff(services, Grant(Role.GOVERNORATE_COORDINATOR, "01")))
    form = {
        "_csrf_token": form_token(client.get("/operations").text),
        "channel": "hotline",
        "category": "medical",
        "governorate": "02",
        "description": "Injury at the Alexandria site",
    }
    response = client.post("/operations/tickets", data=form, follow_redirects=True)
    assert response.status_code == 403
    assert says(response.text, NotAllowed(), "ar")
    assert "Injury at the Alexandria site" in response.text
