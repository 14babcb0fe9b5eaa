"""One idempotency key, one request, at every keyed endpoint (API and pages), on SQLite and
PostgreSQL: the same key and body again answers as the first time and records nothing; the
same key with another body is refused with 422 ``idempotency_key_reused`` and records nothing;
the first body still answers after that refusal.

"As the first time" is the project's replay answer: the same body, but for ``recorded``
(false on a replay) and its status (200 instead of 201)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import pytest
from litestar.testing import TestClient

from coordination.areas.accounts.commands import CreateUser, RegisterVolunteer
from coordination.areas.distribution.commands import OpenRound, RegisterHousehold
from coordination.areas.kitchens.commands import LogCooked, LogServed
from coordination.areas.packing.commands import ConfirmTruckload, DispatchTruck, LogBoxes
from coordination.areas.sign_ups.commands import SignUp
from coordination.areas.sites.commands import OpenSite, ScheduleShift
from coordination.dispatch.keys import InFlight
from coordination.idempotency_key import IdempotencyKeyInFlight
from coordination.permissions import SYSTEM, Grant, Role
from tests.conftest import SECRET, migrated_sqlite, scratch_database, started
from tests.e2e.clients import sign_in
from tests.e2e.stadium import stadium
from tests.helpers import PASSWORD, mobile, national_id, tomorrow
from web.app import create_app
from web.bootstrap import Services
from web.platform.settings import Settings

REUSED_EN = (
    "This request carries the key of an earlier request that was different. Nothing was"
    " recorded: send it again with a new key."
)
REUSED_AR = "هذا الطلب يحمل مفتاح طلب سابق مختلف عنه"


@dataclass
class World:
    services: Services
    client: TestClient
    ids: dict[str, Any]
    volunteer_client: TestClient | None = None

    def run(self, command: Any) -> Any:
        return self.services.dispatcher.run(command, SYSTEM)

    def volunteer(self, signed_up: bool = False) -> str:
        return self.volunteer_and_phone(signed_up)[0]

    def volunteer_and_phone(self, signed_up: bool = False) -> tuple[str, str]:
        phone = mobile()
        volunteer_id = self.run(RegisterVolunteer("منى حسن", phone, national_id(), "01", PASSWORD))
        if signed_up:
            self.run(SignUp(UUID(self.ids["shift"]), volunteer_id, f"set-up-{uuid4()}"))
        return str(volunteer_id), phone

    def family(self) -> str:
        family = national_id()
        self.run(RegisterHousehold(family, 4, "", UUID(self.ids["point"])))
        return family

    def truck(self) -> str:
        site, point = UUID(self.ids["site"]), UUID(self.ids["point"])
        return str(self.run(DispatchTruck(site, point, 10, f"truck-{uuid4()}")).truckload_id)

    def boxes(self) -> str:
        key = f"boxes-{uuid4()}"
        self.run(LogBoxes(UUID(self.ids["site"]), UUID(self.ids["lines"][0]), 5, key))
        return key

    def served(self) -> str:
        key = f"served-{uuid4()}"
        self.run(LogServed(UUID(self.ids["batch"]), 1, "on_site", key))
        return key


@dataclass(frozen=True)
class Case:
    """``ask(world)``: the path, the first request and another under the same key (each the
    keyword arguments of a post, the key added by the test)."""

    name: str
    ask: Callable[[World], tuple[str, dict[str, Any], dict[str, Any]]]
    page: bool = False  # a form, the key in the form's idempotency_key field
    volunteer: bool = False  # asked by a volunteer, not by the national admin


def api(path: str, first: dict[str, Any], other: dict[str, Any]) -> Any:
    return path, {"json": first}, {"json": other}


def page(path: str, first: dict[str, Any], other: dict[str, Any]) -> Any:
    return path, {"data": first}, {"data": other}


def check_ins(w: World) -> Any:
    first, other = w.volunteer(signed_up=True), w.volunteer(signed_up=True)
    path = f"/api/v1/sites/{w.ids['site']}/check-ins"
    return api(path, {"volunteer_id": first}, {"volunteer_id": other})


def check_outs(w: World) -> Any:
    first, other = w.volunteer(signed_up=True), w.volunteer(signed_up=True)
    for volunteer in (first, other):
        answer = w.client.post(
            f"/api/v1/sites/{w.ids['site']}/check-ins",
            json={"volunteer_id": volunteer},
            headers={"Idempotency-Key": f"in-{uuid4()}"},
        )
        assert answer.status_code == 201, answer.text
    path = f"/api/v1/sites/{w.ids['site']}/check-outs"
    return api(path, {"volunteer_id": first}, {"volunteer_id": other})


def sign_ups(w: World) -> Any:
    first, other = w.volunteer(), w.volunteer()
    path = f"/api/v1/shifts/{w.ids['later_shift']}/sign-ups"
    return api(path, {"volunteer_id": first}, {"volunteer_id": other})


def hand_offs(w: World) -> Any:
    path = f"/api/v1/points/{w.ids['point']}/hand-offs"
    return api(path, {"national_id": w.family()}, {"national_id": w.family()})


def receipts(w: World) -> Any:
    return api(f"/api/v1/truckloads/{w.truck()}/receipt", {"received": 10}, {"received": 9})


def box_reversals(w: World) -> Any:
    path = f"/api/v1/sites/{w.ids['site']}/boxes/reversals"
    return api(path, {"entry_key": w.boxes()}, {"entry_key": w.boxes()})


def meal_reversals(w: World) -> Any:
    path = f"/api/v1/batches/{w.ids['batch']}/reversals"
    return api(path, {"entry_key": w.served()}, {"entry_key": w.served()})


def page_sign_ups(w: World) -> Any:
    path, first, other = page(f"/shifts/{w.ids['later_shift']}/sign-up", {}, {})
    return path, first, {**other, "path": f"/shifts/{w.ids['other_shift']}/sign-up"}


def desk_scans(w: World) -> Any:
    first = w.volunteer_and_phone(signed_up=True)[1]
    other = w.volunteer_and_phone(signed_up=True)[1]
    shift = w.ids["shift"]
    return page(
        f"/packing/{w.ids['site']}/desk",
        {"who": first, "shift_id": shift},
        {"who": other, "shift_id": shift},
    )


def point_hand_offs(w: World) -> Any:
    path = f"/points/{w.ids['point']}/hand-offs"
    return page(path, {"national_id": w.family()}, {"national_id": w.family()})


def fixed(
    name: str,
    path: str,
    first: dict[str, Any],
    changed: dict[str, Any],
    *,
    page: bool = False,
) -> Case:
    """A case whose first request is ``first`` at ``path`` and the other is ``first`` with
    ``changed``; the path and the bodies' texts name the world's ids as ``{site}``,
    ``{lines[0]}`` (``str.format`` on ``World.ids``)."""

    def ask(w: World) -> Any:
        def filled(body: dict[str, Any]) -> dict[str, Any]:
            return {k: v.format(**w.ids) if isinstance(v, str) else v for k, v in body.items()}

        other = {**first, **changed}
        return path.format(**w.ids), {form: filled(first)}, {form: filled(other)}

    form = "data" if page else "json"
    return Case(name, ask, page=page)


CASES = [
    Case("API check-in", check_ins),
    Case("API check-out", check_outs),
    Case("API sign-up", sign_ups),
    fixed(
        "API boxes",
        "/api/v1/sites/{site}/boxes",
        {"line_id": "{lines[0]}", "count": 5},
        {"count": 6},
    ),
    Case("API box reversal", box_reversals),
    fixed(
        "API truck",
        "/api/v1/sites/{site}/dispatches",
        {"point_id": "{point}", "count": 3},
        {"count": 4},
    ),
    Case("API truck receipt", receipts),
    fixed(
        "API items in",
        "/api/v1/sites/{site}/items-in",
        {"item": "lantern", "count": 3},
        {"count": 30},
    ),
    Case("API hand-off", hand_offs),
    fixed(
        "API meals cooked",
        "/api/v1/kitchens/{kitchen}/batches",
        {"dish": "أرز", "count": 20},
        {"count": 21},
    ),
    fixed(
        "API meals served",
        "/api/v1/batches/{batch}/served",
        {"count": 2, "how": "on_site"},
        {"count": 3},
    ),
    fixed(
        "API meals discarded",
        "/api/v1/batches/{batch}/discarded",
        {"count": 1, "reason": "spoiled"},
        {"count": 2},
    ),
    Case("API meal reversal", meal_reversals),
    Case("page sign-up", page_sign_ups, page=True, volunteer=True),
    Case("page desk scan", desk_scans, page=True),
    fixed(
        "page boxes",
        "/packing/{site}/boxes",
        {"line_id": "{lines[1]}", "count": "5"},
        {"count": "7"},
        page=True,
    ),
    fixed(
        "page truck",
        "/packing/{site}/dispatches",
        {"point_id": "{point}", "count": "2"},
        {"count": "1"},
        page=True,
    ),
    fixed(
        "page items in",
        "/packing/{site}/items-in",
        {"item": "lantern", "count": "2"},
        {"item": "clothing"},
        page=True,
    ),
    Case("page hand-off", point_hand_offs, page=True),
    fixed(
        "page meals cooked",
        "/kitchens/{kitchen}/batches",
        {"dish": "فول", "count": "30"},
        {"count": "31"},
        page=True,
    ),
    fixed(
        "page meals served",
        "/kitchens/{kitchen}/batches/{batch}/served",
        {"count": "1"},
        {"count": "2"},
        page=True,
    ),
]


def build(services: Services) -> World:
    app = create_app(services, secure_cookies=False)
    ids: dict[str, Any] = stadium(services, capacity=500)
    client = TestClient(app)
    world = World(services, client, ids)
    later = world.run(OpenSite("later-site", "packing", "01", "موقع", "Site"))
    for name, hour in (("later_shift", 8), ("other_shift", 14)):  # far from the one now
        start = tomorrow(hour)
        ends = start.replace(hour=hour + 3)
        ids[name] = str(world.run(ScheduleShift(later, "packer", start, ends, 500)))
    site, point = UUID(ids["site"]), UUID(ids["point"])
    world.run(LogBoxes(site, UUID(ids["lines"][0]), 2000, "stock-for-trucks"))
    truck = world.run(DispatchTruck(site, point, 1000, "stock-for-the-point")).truckload_id
    world.run(ConfirmTruckload(truck, 1000))
    world.run(OpenRound("key-round", "جولة", "Round", 10_000))
    kitchen = world.run(OpenSite("key-kitchen", "kitchen", "21", "مطبخ", "Kitchen"))
    ids.update(kitchen=str(kitchen))
    ids["batch"] = str(world.run(LogCooked(kitchen, "كشري", 5000, "key-batch")).batch_id)
    services.runner.catch_up()  # the current round, for the hand-offs
    return world


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    if request.param == "sqlite":
        yield from served(migrated_sqlite(tmp_path_factory.mktemp("keys")))
    else:
        template = request.getfixturevalue("pg_template")
        for url in scratch_database(template):
            settings = Settings(
                database_url=url,
                secret_key=SECRET,
                fast_password_hashing=True,
                batch_commands=True,
            )
            yield from served(settings)


def served(settings: Settings) -> Iterator[World]:
    for services in started(settings):
        admin = mobile()
        services.dispatcher.run(
            CreateUser(admin, "Admin", PASSWORD, [Grant(Role.NATIONAL_ADMIN)]), SYSTEM
        )
        world = build(services)
        phone = world.volunteer_and_phone()[1]
        with world.client, TestClient(world.client.app) as volunteer:
            sign_in(world.client, admin)
            sign_in(volunteer, phone)
            world.volunteer_client = volunteer
            yield world


def events(world: World) -> int:
    return world.services.app.recorder.max_notification_id() or 0


def post(
    world: World, case: Case, path: str, request: dict[str, Any], key: str, **headers: str
) -> Any:
    client = world.volunteer_client if case.volunteer else world.client
    assert client is not None
    path = request.get("path", path)
    if case.page:
        data = {**request["data"], "idempotency_key": key}
        headers = {"Accept": "application/json", **headers}
        return client.post(path, data=data, headers=headers, follow_redirects=False)
    return client.post(path, json=request["json"], headers={"Idempotency-Key": key, **headers})


def same_answer(case: Case, again: Any, first: Any) -> bool:
    """A page's success is a page or a fragment: the same status is the same answer there."""
    if case.page:
        recorded_or_not = {200, 201}  # a page, like the API, says 201 when it recorded
        return (
            again.status_code == first.status_code
            or {
                again.status_code,
                first.status_code,
            }
            <= recorded_or_not
        )
    return bool(as_first(again.json()) == as_first(first.json()))


def refusal(case: Case, answer: Any) -> tuple[str, str]:
    """The refusal's code and sentence: a page's error page carries the sentence alone."""
    if case.page:
        said = REUSED_EN if REUSED_EN in answer.text else answer.text
        return "idempotency_key_reused", said
    return answer.json()["error"]["code"], answer.json()["error"]["message"]


def as_first(body: Any) -> Any:
    """The answer without what tells a replay from the first time."""
    if isinstance(body, dict):
        return {k: as_first(v) for k, v in body.items() if k != "recorded"}
    return body


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_key_means_one_request(world: World, case: Case) -> None:
    path, first, other = case.ask(world)
    key = f"key-{uuid4()}"
    answer = post(world, case, path, first, key)
    assert 200 <= answer.status_code < 300, answer.text
    recorded = events(world)

    again = post(world, case, path, first, key)
    assert 200 <= again.status_code < 300, again.text
    assert same_answer(case, again, answer)
    assert events(world) == recorded, "a replay recorded something"

    refused = post(world, case, path, other, key, **{"Accept-Language": "en"})
    assert refused.status_code == 422, refused.text
    assert refusal(case, refused) == ("idempotency_key_reused", REUSED_EN)
    assert events(world) == recorded, "another request under a used key recorded something"
    in_arabic = post(world, case, path, other, key, **{"Accept-Language": "ar"})
    assert REUSED_AR in refusal(case, in_arabic)[1]

    still = post(world, case, path, first, key)
    assert 200 <= still.status_code < 300, still.text
    assert same_answer(case, still, answer)
    assert events(world) == recorded


def test_an_upload_refuses_an_item_whose_key_came_with_another_hand_off(world: World) -> None:
    path = f"/api/v1/points/{world.ids['point']}/hand-offs/batch"
    first, other, key = world.family(), world.family(), f"item-{uuid4()}"
    items = [{"national_id": first, "key": key}]
    answer = world.client.post(path, json={"items": items})
    assert answer.json()["counts"] == {"recorded": 1, "already_recorded": 0, "refused": 0}
    recorded = events(world)

    again = world.client.post(path, json={"items": items})
    assert again.json()["counts"] == {"recorded": 0, "already_recorded": 1, "refused": 0}
    single = world.client.post(
        f"/api/v1/points/{world.ids['point']}/hand-offs",
        json={"national_id": first},
        headers={"Idempotency-Key": key},
    )
    assert single.status_code == 200 and single.json()["recorded"] is False  # the same hand-off

    both = [{"national_id": other, "key": key}, {"national_id": other, "key": f"new-{uuid4()}"}]
    mixed = world.client.post(path, json={"items": both}).json()
    assert mixed["counts"] == {"recorded": 1, "already_recorded": 0, "refused": 1}
    assert mixed["results"][0]["code"] == "idempotency_key_reused"
    assert events(world) > recorded  # the second item only


def test_a_key_being_decided_is_told_to_come_back() -> None:
    """The same key while its first request is still decided: refused at once with 409."""
    in_flight = InFlight()
    command = LogBoxes(uuid4(), uuid4(), 5, "in-flight")
    claim = in_flight.claim(command)
    with pytest.raises(IdempotencyKeyInFlight):
        in_flight.claim(command)
    assert in_flight.claim(LogBoxes(uuid4(), uuid4(), 5, "another")) is not None
    in_flight.release(claim)
    assert in_flight.claim(command) is not None


def test_a_desk_upload_refuses_a_scan_whose_key_came_with_another_volunteer(world: World) -> None:
    path = f"/api/v1/sites/{world.ids['site']}/scans/batch"
    first = world.volunteer_and_phone(signed_up=True)[1]
    other = world.volunteer_and_phone(signed_up=True)[1]
    key, shift = f"scan-{uuid4()}", world.ids["shift"]
    scan = {"key": key, "phone": first, "shift_id": shift}
    answer = world.client.post(path, json={"items": [scan]}, headers={"Accept-Language": "en"})
    assert answer.json()["counts"] == {"recorded": 1, "already_recorded": 0, "refused": 0}
    recorded = events(world)

    again = world.client.post(path, json={"items": [scan]}).json()
    assert again["counts"] == {"recorded": 0, "already_recorded": 1, "refused": 0}
    reused = {"key": key, "phone": other, "shift_id": shift}
    refused = world.client.post(path, json={"items": [reused]}, headers={"Accept-Language": "en"})
    assert refused.json()["results"][0]["code"] == "idempotency_key_reused"
    assert refused.json()["results"][0]["message"] == REUSED_EN
    assert events(world) == recorded


def test_a_kitchen_key_that_logged_meals_cooked_is_refused_for_meals_served(
    world: World,
) -> None:
    """A kitchen's meal commands share one key space: the key of a batch's cooking, sent
    again to log meals served from it, is another request."""
    assert world.client is not None
    before = events(world)
    answer = world.client.post(
        f"/api/v1/batches/{world.ids['batch']}/served",
        json={"count": 2, "how": "on_site"},
        headers={"Idempotency-Key": "key-batch"},  # the key the batch was cooked with
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["code"] == "idempotency_key_reused"
    assert events(world) == before
