"""A refused exchange step posted from a plain form (no JavaScript) shows its reason on the
page the form returns to: the association's page, and the volunteer's service page."""

from __future__ import annotations

from uuid import UUID

from litestar.testing import TestClient
from markupsafe import escape

from coordination.areas.exchange.commands import AnswerOffer, OfferVolunteer, RequestVolunteers
from coordination.errors import DomainError
from coordination.exchange import NoConsent, OfferAnswered
from coordination.permissions import SYSTEM, Actor
from tests.e2e.clients import sign_in
from tests.e2e.test_association_pages import two_associations
from tests.e2e.test_pages import form_token
from web.bootstrap import Services
from web.platform.errors import message_of


def offered(services: Services, world: dict[str, str]) -> UUID:
    """A request of association A with B's volunteer offered, not yet answered."""
    request = services.dispatcher.run(
        RequestVolunteers(UUID(world["a"]), UUID(world["shift"]), 1), SYSTEM
    )
    services.dispatcher.run(OfferVolunteer(request, UUID(world["lent"])), SYSTEM)
    services.runner.catch_up()
    return request


def signed_in_as_a_browser(client: TestClient, phone: str) -> None:
    """Signed in, without the header htmx sends: the forms carry their own token."""
    sign_in(client, phone)
    client.headers.pop("X-CSRF-Token", None)


def plain_post(client: TestClient, page: str, action: str, **fields: str) -> str:
    """The page a browser without JavaScript shows after posting the form on ``page``."""
    form = {"_csrf_token": form_token(client.get(page).text), **fields}
    response = client.post(action, data=form, follow_redirects=True)
    assert response.status_code == 200
    assert "HX-Request" not in response.request.headers
    assert response.url.path == page
    return response.text


def says(page: str, refusal: DomainError, locale: str) -> bool:
    return str(escape(message_of(refusal, locale))) in page


def test_accepting_a_volunteer_who_has_not_agreed_is_explained(
    client: TestClient, services: Services
) -> None:
    world = two_associations(services)
    request = offered(services, world)
    signed_in_as_a_browser(client, world["coordinator_a"])
    page = plain_post(
        client,
        f"/associations/{world['a']}",
        f"/associations/{world['a']}/requests/{request}/accept",
        volunteer_id=world["lent"],
    )
    assert says(page, NoConsent(), "ar")


def test_changing_an_answer_already_given_is_explained_to_the_volunteer(
    client: TestClient, services: Services
) -> None:
    world = two_associations(services)
    request = offered(services, world)
    services.dispatcher.run(AnswerOffer(request, True), Actor(volunteer_id=UUID(world["lent"])))
    signed_in_as_a_browser(client, world["lent_phone"])
    client.get("/language/en?next=/my-service")
    page = plain_post(client, "/my-service", f"/my-service/offers/{request}", consents="0")
    assert says(page, OfferAnswered(), "en")
