"""Exchange scenarios: a full loan between two associations, consent, and a race between
two borrowers; run on every event store."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from coordination.errors import DomainError
from coordination.permissions import SYSTEM, Actor, Grant, Role
from projections.exchange_ledger import balances, history
from tests.helpers import PASSWORD, mobile, national_id
from web.bootstrap import Services

NOW = datetime.now(UTC).replace(microsecond=0)


def coordinator(association: UUID) -> Actor:
    return Actor(grants=frozenset({Grant(Role.ASSOCIATION_COORDINATOR, str(association))}))


def world(services: Services) -> dict[str, UUID]:
    core = services.app
    ids = {
        name: core.found_association(SYSTEM, name, f"جمعية {name}", f"Association {name}", "01")
        for name in ("a", "b", "c")
    }
    site = core.open_site(SYSTEM, "stadium", "packing", "01", "الاستاد", "Stadium")
    for name, hours in (("morning", 0), ("noon", 2), ("evening", 8)):
        start = NOW + timedelta(hours=1 + hours)
        ids[name] = core.schedule_shift(
            SYSTEM, site, "packer", start, start + timedelta(hours=4), 20
        )
    ids["site"] = site
    return ids


def member(services: Services, association: UUID) -> UUID:
    return services.app.register_volunteer(
        "Yousef Ali", mobile(), national_id(), "01", PASSWORD, association
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
        request = app.request_volunteers(coordinator(ids["a"]), ids["a"], ids["morning"], 2)
        for volunteer in lent:
            assert app.offer_volunteer(coordinator(ids["b"]), request, volunteer)
        app.answer_offer(Actor(volunteer_id=lent[0]), request, True)
        app.answer_offer(Actor(volunteer_id=lent[1]), request, True)
        app.answer_offer(Actor(volunteer_id=lent[2]), request, False)
        assert (
            refusal(lambda: app.accept_offer(coordinator(ids["a"]), request, lent[2])).code
            == "no_consent"
        )
        for volunteer in lent[:2]:
            assert app.accept_offer(coordinator(ids["a"]), request, volunteer) == ids["b"]
        shift = app.repository.get(ids["morning"])
        assert set(shift.volunteers) == set(lent[:2])
        served = {lent[0]: timedelta(hours=4), lent[1]: timedelta(hours=2, minutes=30)}
        for volunteer, stayed in served.items():
            app.clock = lambda: NOW + timedelta(hours=1)
            app.check_in(SYSTEM, ids["site"], volunteer, f"in-{volunteer}")
            app.clock = lambda stayed=stayed: NOW + timedelta(hours=1) + stayed
            app.check_out(SYSTEM, ids["site"], volunteer, f"out-{volunteer}")
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
        request = app.request_volunteers(coordinator(ids["a"]), ids["a"], ids["noon"], 1)
        assert (
            refusal(lambda: app.offer_volunteer(coordinator(ids["b"]), request, other)).code
            == "not_allowed"
        )
        app.offer_volunteer(coordinator(ids["b"]), request, volunteer)
        assert (
            refusal(lambda: app.answer_offer(Actor(volunteer_id=other), request, True)).code
            == "offer_not_found"
        )
        assert (
            refusal(lambda: app.accept_offer(coordinator(ids["a"]), request, volunteer)).code
            == "no_consent"
        )
        assert volunteer not in app.repository.get(ids["noon"]).volunteers

    def test_two_borrowers_racing_for_one_volunteer_get_one_place(self, services: Services) -> None:
        ids, app = world(services), services.app
        volunteer = member(services, ids["c"])
        requests = [
            app.request_volunteers(coordinator(ids[who]), ids[who], ids[shift], 1)
            for who, shift in (("a", "morning"), ("b", "noon"))
        ]
        for request in requests:
            app.offer_volunteer(coordinator(ids["c"]), request, volunteer)
            app.answer_offer(Actor(volunteer_id=volunteer), request, True)

        def accept(pair: tuple[str, UUID]) -> str:
            who, request = pair
            try:
                app.accept_offer(coordinator(ids[who]), request, volunteer)
                return "accepted"
            except DomainError as error:
                return error.code

        with ThreadPoolExecutor(max_workers=2) as pool:
            outcomes = sorted(pool.map(accept, zip(("a", "b"), requests, strict=True)))
        assert outcomes == ["accepted", "overlapping_shift"]
        taken = [volunteer in app.repository.get(ids[s]).volunteers for s in ("morning", "noon")]
        assert sorted(taken) == [False, True]
