"""A refused exchange step posted from a plain form (no JavaScript) shows its reason on the
page the form returns to: the association's page, and the volunteer's service page."""

from __future__ import annotations

from uuid import UUID

from litestar.testing import TestClient

from coordination.areas.exchange.commands import AnswerOffer, OfferVolunteer, RequestVolunteers
from coordination.exchange import NoConsent, OfferAnswered
from coordination.permissions import SYSTEM, Actor
from tests.e2e.plain_forms import plain_post, says, signed_in_as_a_browser
from tests.e2e.test_association_pages import two_associations
from web.bootstrap import Services


def offered(services: Services, world: dict[str, str]) -> UUID:
    """A request of association A with B's volunteer offered, not yet answered."""
    request = services.dispatcher.run(
        RequestVolunteers(UUID(world["a"]), UUID(world["shift"]), 1), SYSTEM
    )
    services.dispatcher.run(OfferVolunteer(request, UUID(world["lent"])), SYSTEM)
    services.runner.catch_up()
    return request


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
