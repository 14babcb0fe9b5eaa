"""Exchange scenarios: a full loan between two associations, consent, and a race between
two borrowers; run on every event store."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.areas.attendance.commands import CheckIn, CheckOut
from coordination.areas.exchange.commands import (
    AcceptOffer,
    AnswerOffer,
    OfferVolunteer,
    RequestVolunteers,
)
from coordination.areas.sites.commands import FoundAssociation, OpenSite, ScheduleShift
from coordination.errors import DomainError
from coordination.permissions import SYSTEM, Actor, Grant, Role
from projections.exchange_ledger import balances, history
from tests.helpers import PASSWORD, mobile, national_id
from web.bootstrap import Services

NOW = datetime.now(UTC).replace(microsecond=0)


def coordinator(association: UUID) -> Actor:
    return Actor(grants=frozenset({Grant(Role.ASSOCIATION_COORDINATOR, str(association))}))


def world(services: Services) -> dict[str, UUID]:
    ids = {
        name: services.dispatcher.run(
            FoundAssociation(name, f"جمعية {name}", f"Association {name}", "01"), SYSTEM
        )
        for name in ("a", "b", "c")
    }
    site = services.dispatcher.run(
        OpenSite("stadium", "packing", "01", "الاستاد", "Stadium"), SYSTEM
    )
    for name, hours in (("morning", 0), ("noon", 2), ("evening", 8)):
        start = NOW + timedelta(hours=1 + hours)
        ids[name] = services.dispatcher.run(
            ScheduleShift(site, "packer", start, start + timedelta(hours=4), 20), SYSTEM
        )
    ids["site"] = site
    return ids


def member(services: Services, association: UUID) -> UUID:
    return services.dispatcher.run(
        RegisterVolunteer("Yousef Ali", mobile(), national_id(), "01", PASSWORD, association)
    )


def refusal(action) -> DomainError:  # noqa: ANN001 - a callable expected to fail
    with pytest.raises(DomainError) as raised:
        action()
    return raised.value


class ExchangeScenarios:
    """Subclasses provide a ``services`` fixture for one event store."""

    def test_a_full_exchange_credits_the_hours_served(self, services: Services) -> None:
        ids, app = world(services), services.app
        lent = [member(services, ids["b"]) for _ in range(3)]
        request = services.dispatcher.run(
            RequestVolunteers(ids["a"], ids["morning"], 2), coordinator(ids["a"])
        )
        for volunteer in lent:
            assert services.dispatcher.run(
                OfferVolunteer(request, volunteer), coordinator(ids["b"])
            )
        services.dispatcher.run(AnswerOffer(request, True), Actor(volunteer_id=lent[0]))
        services.dispatcher.run(AnswerOffer(request, True), Actor(volunteer_id=lent[1]))
        services.dispatcher.run(AnswerOffer(request, False), Actor(volunteer_id=lent[2]))
        assert (
            refusal(
                lambda: services.dispatcher.run(
                    AcceptOffer(request, lent[2]), coordinator(ids["a"])
                )
            ).code
            == "no_consent"
        )
        for volunteer in lent[:2]:
            assert (
                services.dispatcher.run(AcceptOffer(request, volunteer), coordinator(ids["a"]))
                == ids["b"]
            )
        shift = app.repository.get(ids["morning"])
        assert set(shift.volunteers) == set(lent[:2])
        served = {lent[0]: timedelta(hours=4), lent[1]: timedelta(hours=2, minutes=30)}
        for volunteer, stayed in served.items():
            app.clock = lambda: NOW + timedelta(hours=1)
            services.dispatcher.run(CheckIn(ids["site"], volunteer, f"in-{volunteer}"), SYSTEM)
            app.clock = lambda stayed=stayed: NOW + timedelta(hours=1) + stayed
            services.dispatcher.run(CheckOut(ids["site"], volunteer, f"out-{volunteer}"), SYSTEM)
        services.runner.catch_up()
        assert balances(services.db, str(ids["b"])) == {
            "with": [
                {"association_id": str(ids["a"]), "lent": 6.5, "borrowed": 0.0, "balance": 6.5}
            ],
            "lent": 6.5,
            "borrowed": 0.0,
        }
        assert balances(services.db, str(ids["a"]))["borrowed"] == 6.5
        row, steps = history(services.db, str(request))
        assert row is not None and row["accepted"] == 2
        assert [s["step"] for s in steps] == [
            "asked",
            "offered",
            "offered",
            "offered",
            "consented",
            "consented",
            "refused",
            "accepted",
            "accepted",
        ]

    def test_only_the_volunteer_consents_and_only_their_association_offers(
        self, services: Services
    ) -> None:
        ids, app = world(services), services.app
        volunteer, other = member(services, ids["b"]), member(services, ids["c"])
        request = services.dispatcher.run(
            RequestVolunteers(ids["a"], ids["noon"], 1), coordinator(ids["a"])
        )
        assert (
            refusal(
                lambda: services.dispatcher.run(
                    OfferVolunteer(request, other), coordinator(ids["b"])
                )
            ).code
            == "not_allowed"
        )
        services.dispatcher.run(OfferVolunteer(request, volunteer), coordinator(ids["b"]))
        assert (
            refusal(
                lambda: services.dispatcher.run(
                    AnswerOffer(request, True), Actor(volunteer_id=other)
                )
            ).code
            == "offer_not_found"
        )
        assert (
            refusal(
                lambda: services.dispatcher.run(
                    AcceptOffer(request, volunteer), coordinator(ids["a"])
                )
            ).code
            == "no_consent"
        )
        assert volunteer not in app.repository.get(ids["noon"]).volunteers

    def test_two_borrowers_racing_for_one_volunteer_get_one_place(self, services: Services) -> None:
        ids, app = world(services), services.app
        volunteer = member(services, ids["c"])
        requests = [
            services.dispatcher.run(
                RequestVolunteers(ids[who], ids[shift], 1), coordinator(ids[who])
            )
            for who, shift in (("a", "morning"), ("b", "noon"))
        ]
        for request in requests:
            services.dispatcher.run(OfferVolunteer(request, volunteer), coordinator(ids["c"]))
            services.dispatcher.run(AnswerOffer(request, True), Actor(volunteer_id=volunteer))

        def accept(pair: tuple[str, UUID]) -> str:
            who, request = pair
            try:
                services.dispatcher.run(AcceptOffer(request, volunteer), coordinator(ids[who]))
                return "accepted"
            except DomainError as error:
                return error.code

        with ThreadPoolExecutor(max_workers=2) as pool:
            outcomes = sorted(pool.map(accept, zip(("a", "b"), requests, strict=True)))
        assert outcomes == ["accepted", "overlapping_shift"]
        taken = [volunteer in app.repository.get(ids[s]).volunteers for s in ("morning", "noon")]
        assert sorted(taken) == [False, True]
