"""Concurrent sign-ups share saves; a refused batch is decided again on fresh aggregates."""

from __future__ import annotations

import asyncio
import gc
import threading
import weakref
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from litestar.concurrency import get_asyncio_executor, set_asyncio_executor
from prometheus_client import REGISTRY

from coordination.areas.accounts.commands import CreateUser, RegisterVolunteer
from coordination.areas.distribution.commands import HandOffItems
from coordination.areas.packing.commands import AddLine, ConfirmTruckload, DispatchTruck, LogBoxes
from coordination.areas.sign_ups.commands import SignUp
from coordination.areas.sites.commands import FoundAssociation, IssueDeviceToken, OpenSite
from coordination.badges import badge_code
from coordination.errors import DomainError
from coordination.permissions import SYSTEM, Grant, Role
from coordination.stock import Stock
from tests.conftest import started
from tests.helpers import PASSWORD, mobile, national_id
from tests.integration.distribution_scenarios import Item, distribution, household
from tests.integration.packing_scenarios import NOON, at, packing_day, volunteer
from tests.integration.scenarios import make_shift, register
from web.app import create_app
from web.bootstrap import Services
from web.platform.settings import Settings


@pytest.fixture
def services(sqlite_settings: Settings) -> Iterator[Services]:
    yield from started(replace(sqlite_settings, batch_commands=True))


def counting_saves(services: Services) -> list[int]:
    saves: list[int] = []
    batcher: Any = services.dispatcher.batcher
    original = batcher._save

    def save(*aggregates: Any) -> Any:
        saves.append(len(aggregates))
        return original(*aggregates)

    batcher._save = save
    return saves


def test_concurrent_sign_ups_are_saved_together(services: Services) -> None:
    shifts = [make_shift(services, capacity=5, hour=h, hours=1) for h in range(6, 10)]
    volunteers = [register(services, f"V{i}") for i in range(32)]
    saves = counting_saves(services)
    services.dispatcher.batcher.max_wait = 0.05  # type: ignore[union-attr]

    def sign_up(i: int) -> str:
        try:
            return services.dispatcher.run(
                SignUp(shifts[i % 4], volunteers[i], f"k{i}"), SYSTEM
            ).outcome
        except Exception as error:  # noqa: BLE001
            return getattr(error, "code", repr(error))

    with ThreadPoolExecutor(max_workers=32) as pool:
        answers = list(pool.map(sign_up, range(32)))
    assert answers.count("signed_up") == 20 and answers.count("shift_full") == 12
    assert len(saves) < 32, "commands that arrive together share a save"
    for shift in shifts:
        assert services.app.repository.get(shift).taken == 5


def test_a_broken_lock_falls_back_to_one_by_one_and_says_so(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    """Answered all the same, and the operator's log tells why the batch did not hold (a
    fallback that happens on every batch is otherwise seen only as a slower day)."""
    shift = make_shift(services, capacity=3)
    volunteer = register(services)

    def broken(_: object) -> Any:
        raise ConnectionError("the lock's connection is gone")

    services.dispatcher.batcher.serialize = broken  # type: ignore[union-attr]
    counted = one_by_one()
    with caplog.at_level("WARNING", logger="coordination.dispatch.batching"):
        outcome = services.dispatcher.run(SignUp(shift, volunteer, "k"), SYSTEM).outcome
    assert one_by_one() == counted + 1, "counted in /metrics"
    assert outcome == "signed_up"
    assert services.app.repository.get(shift).taken == 1
    [record] = [r for r in caplog.records if r.name == "coordination.dispatch.batching"]
    assert "one by one" in record.getMessage() and record.exc_info is not None
    assert "the lock's connection is gone" in str(record.exc_info[1])


def one_by_one() -> float:
    return REGISTRY.get_sample_value("katf_dispatch_batches_one_by_one_total") or 0.0


class Turns:
    """The batcher's cross-process turns, watched: which reads of the shelf came while a turn
    was held; ``meanwhile`` runs as the first turn is taken (another process's write)."""

    def __init__(self, services: Services, meanwhile: Any = None) -> None:
        self.reads: list[tuple[bool, set[UUID]]] = []
        self.held = False
        self.meanwhile = meanwhile
        batcher: Any = services.dispatcher.batcher
        shelf, fetch = batcher._shelf, batcher._shelf.fetch

        def watched(ids: Any, keys: Any = ()) -> Any:
            ids = set(ids)
            self.reads.append((self.held, ids))
            return fetch(ids, keys)

        shelf.fetch = watched
        batcher.serialize = self.turn
        batcher.read_ahead_from = 1  # however few, as for an upload's hundreds of households

    @contextmanager
    def turn(self, _: set[UUID]) -> Iterator[None]:
        if self.meanwhile is not None:
            self.meanwhile, meanwhile = None, self.meanwhile
            meanwhile()
        self.held = True
        try:
            yield
        finally:
            self.held = False


def test_only_the_contested_aggregates_are_read_during_the_turn(services: Services) -> None:
    shift, volunteer = make_shift(services, capacity=3), register(services)
    turns = Turns(services)
    assert services.dispatcher.run(SignUp(shift, volunteer, "k"), SYSTEM).outcome == "signed_up"
    assert turns.reads == [(False, {volunteer}), (True, {shift})]


def test_a_few_aggregates_are_read_with_the_contested_ones(services: Services) -> None:
    """A sign-up batch's volunteers are read in the same query as its shift: a second query
    would cost more than the turn it shortens."""
    shift, volunteer = make_shift(services, capacity=3), register(services)
    turns = Turns(services)
    services.dispatcher.batcher.read_ahead_from = 2  # type: ignore[union-attr]
    assert services.dispatcher.run(SignUp(shift, volunteer, "k"), SYSTEM).outcome == "signed_up"
    assert turns.reads == [(True, {shift, volunteer})]


def test_an_aggregate_read_ahead_and_changed_meanwhile_is_decided_again(
    services: Services,
) -> None:
    shift, volunteer = make_shift(services, capacity=3), register(services)
    association = uuid4()

    def another_process_links_the_volunteer() -> None:
        linked = services.app.repository.get(volunteer)
        assert linked.link(association)
        services.app.save(linked)

    turns = Turns(services, meanwhile=another_process_links_the_volunteer)
    assert services.dispatcher.run(SignUp(shift, volunteer, "k"), SYSTEM).outcome == "signed_up"
    assert [held for held, ids in turns.reads if volunteer in ids] == [False, False]
    saved = services.app.repository.get(volunteer)
    assert association in saved.serves and shift in saved.shifts
    assert services.app.repository.get(shift).taken == 1


@contextmanager
def one_request_thread() -> Iterator[ThreadPoolExecutor]:
    """The pool a web process runs blocking work in, cut to one thread."""
    previous = get_asyncio_executor()
    pool = ThreadPoolExecutor(max_workers=1)
    set_asyncio_executor(pool)
    try:
        yield pool
    finally:
        set_asyncio_executor(previous)
        pool.shutdown(wait=False)


def desk(services: Services) -> tuple[UUID, str]:
    """A shift and the bearer token of a desk at its site."""
    shift = make_shift(services, capacity=10)
    site = services.app.repository.get(shift).site_id
    return shift, services.dispatcher.run(IssueDeviceToken(site, "Gate 1"), SYSTEM)[1]


async def posted(services: Services, secret: str, posts: list[tuple[str, Any]]) -> list[int]:
    """Every (path, JSON body) posted by the desk at once, through the app in this event loop."""
    app = create_app(services, secure_cookies=False)
    transport = httpx.ASGITransport(app=app)  # requests awaited concurrently, as uvicorn does
    headers = {"Authorization": f"Bearer {secret}"}
    async with (
        app.lifespan(),
        httpx.AsyncClient(transport=transport, base_url="http://katf", headers=headers) as client,
    ):
        answers = await asyncio.gather(
            *(
                client.post(path, json=body, headers={"Idempotency-Key": f"burst-{uuid4()}"})
                for path, body in posts
            )
        )
    return [answer.status_code for answer in answers]


async def sign_ups(
    services: Services, shift: UUID, phone: str, volunteers: list[UUID]
) -> list[int]:
    """Every volunteer signed up at once by their association's coordinator, signed in with
    ``phone`` (a desk may not enlist anyone: it checks in the volunteers standing at it)."""
    app = create_app(services, secure_cookies=False)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.lifespan(),
        httpx.AsyncClient(transport=transport, base_url="http://katf") as client,
    ):
        token = (await client.get("/api/v1/session")).json()["csrf_token"]
        signed = await client.post(
            "/api/v1/session",
            json={"phone": phone, "password": PASSWORD},
            headers={"X-CSRF-Token": token},
        )
        client.headers["X-CSRF-Token"] = signed.json()["csrf_token"]
        path = f"/api/v1/shifts/{shift}/sign-ups"
        answers = await asyncio.gather(
            *(
                client.post(
                    path, json={"volunteer_id": str(v)}, headers={"Idempotency-Key": f"s-{n}"}
                )
                for n, v in enumerate(volunteers)
            )
        )
    return [answer.status_code for answer in answers]


def test_sign_ups_over_http_wait_for_their_batch_without_a_thread(services: Services) -> None:
    """With one thread for blocking work, a burst of sign-ups still shares one save: a request
    waiting for its batch holds no thread, so the next ones reach the batcher meanwhile."""
    shift = make_shift(services, capacity=10)
    association = services.dispatcher.run(
        FoundAssociation(f"burst-{uuid4().hex[:8]}", "جمعية", "Association", "01"), SYSTEM
    )
    volunteers = [
        services.dispatcher.run(
            RegisterVolunteer(f"V{i}", mobile(), national_id(), "01", PASSWORD, association)
        )
        for i in range(6)
    ]
    phone, grant = mobile(), Grant(Role.ASSOCIATION_COORDINATOR, str(association))
    services.dispatcher.run(CreateUser(phone, "Coordinator", PASSWORD, [grant]), SYSTEM)
    saves = counting_saves(services)
    services.dispatcher.batcher.max_wait = 0.2  # type: ignore[union-attr]
    with one_request_thread():
        statuses = asyncio.run(sign_ups(services, shift, phone, volunteers))
    assert statuses == [201] * 6
    assert saves == [7], "the shift and six volunteers, saved together"


async def scans(
    services: Services, site: UUID, secret: str, arrivals: list[dict[str, str]]
) -> list[int]:
    """Every arrival scanned by the desk at once."""
    path = f"/api/v1/sites/{site}/check-ins"
    return await posted(services, secret, [(path, arrival) for arrival in arrivals])


def test_scans_at_a_gate_seen_before_wait_for_their_batch_without_a_thread(
    services: Services,
) -> None:
    """The gates open at once: with the only thread for blocking work busy, badges scanned
    with their shift, at a site and shift this process has seen, by a desk whose token was
    checked a moment ago, are checked in together."""
    day = packing_day(services, capacity=6)
    people = [volunteer(services, day["shift"]) for _ in range(4)]
    at(services, NOON)
    secret = services.dispatcher.run(IssueDeviceToken(day["site"], "Gate 1"), SYSTEM)[1]

    def arrival(who: UUID) -> dict[str, str]:
        return {"badge": badge_code(services.app.fingerprints, who), "shift_id": str(day["shift"])}

    assert asyncio.run(scans(services, day["site"], secret, [arrival(people[0])])) == [201]
    saves = counting_saves(services)
    services.dispatcher.batcher.max_wait = 0.2  # type: ignore[union-attr]
    release = threading.Event()
    with one_request_thread() as pool:
        pool.submit(release.wait, 30)
        try:
            statuses = asyncio.run(
                asyncio.wait_for(
                    scans(services, day["site"], secret, [arrival(p) for p in people[1:]]),
                    timeout=10,
                )
            )
        finally:
            release.set()
    assert statuses == [201] * 3
    assert saves == [6], "three arrivals and their keys' records, saved together"


def test_an_upload_is_one_command_weighing_its_items(services: Services) -> None:
    """An offline device's upload is decided in one piece, in its order, however many items:
    the batcher counts its items against a batch's size, not one command."""
    world = distribution(services)
    families = [household(services, world["a"])[0] for _ in range(3)]
    items = [Item(digits, key=f"box-{n}") for n, digits in enumerate(families)]
    items.append(Item(families[0], key="box-again"))  # the allowance is used by then
    batcher: Any = services.dispatcher.batcher
    enqueued: list[int] = []
    enqueue = batcher.enqueue

    def watched(*args: Any) -> Any:
        enqueued.append(args[4] if len(args) > 4 else 1)
        return enqueue(*args)

    batcher.enqueue = watched
    answers = dict(services.dispatcher.run(HandOffItems(world["a"], world["round"], items), SYSTEM))
    assert enqueued == [4]
    assert [answers[n].recorded for n in range(3)] == [True, True, True]  # type: ignore[union-attr]
    assert getattr(answers[3], "code", None) == "allowance_used"


def test_an_uploads_refusals_are_freed_without_the_cycle_collector(services: Services) -> None:
    """An item refused within an upload is kept with the others' answers: with its traceback,
    it held the frame holding that list, a cycle only the collector freed."""
    world = distribution(services)
    family = household(services, world["a"])[0]
    items = [Item(family, key="box"), Item(family, key="box-again"), Item("not an ID", key="x")]
    gc.collect()
    gc.disable()
    try:
        answers = dict(
            services.dispatcher.run(HandOffItems(world["a"], world["round"], items), SYSTEM)
        )
        refusals = [answers[1], answers[2]]
        assert all(isinstance(r, DomainError) and r.__traceback__ is None for r in refusals)
        gone = [weakref.ref(r) for r in refusals]
        del answers, refusals
        services.dispatcher.run(
            HandOffItems(world["a"], world["round"], items[:1]), SYSTEM
        )  # next batch
        assert [ref() for ref in gone] == [None, None]
    finally:
        gc.enable()


def test_trucks_take_their_turn_on_the_stock_they_leave_and_reach(services: Services) -> None:
    """Trucks leave the stadium while its lines log boxes, and reach a point while it hands
    out: both stocks are taken in turn across processes, never raced for until too busy."""
    stadium = services.dispatcher.run(
        OpenSite("stadium", "packing", "01", "الاستاد", "Stadium"), SYSTEM
    )
    line = services.dispatcher.run(AddLine(stadium, "Line 1", "North", 400), SYSTEM)
    point = services.dispatcher.run(
        OpenSite("point", "distribution_point", "21", "نقطة", "Point"), SYSTEM
    )
    services.dispatcher.run(LogBoxes(stadium, line, 50, "packed"), SYSTEM)
    turns = Turns(services)
    truck = services.dispatcher.run(DispatchTruck(stadium, point, 30, "truck-1"), SYSTEM)
    arrived = services.dispatcher.run(
        ConfirmTruckload(truck.truckload_id, 30, "received-1"), SYSTEM
    )
    taken_in_turn = [ids for held, ids in turns.reads if held]
    assert taken_in_turn == [{Stock.create_id(stadium)}, {Stock.create_id(point)}]
    assert (truck.on_hand, arrived.on_hand) == (20, 30)
