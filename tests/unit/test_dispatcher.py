"""The dispatcher on the in-memory store: one way in, batched or not, from a thread or a loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import timedelta
from uuid import uuid4

import pytest

from coordination.areas.sign_ups.commands import SignUp, Withdraw
from coordination.dispatch import Decision, Dispatcher, Store
from coordination.dispatch.dispatcher import NoHandler
from coordination.dispatch.registry import Handler, always, never
from coordination.errors import DomainError
from coordination.permissions import SYSTEM, Actor, NotAllowed
from coordination.shift import Shift, ShiftFull
from coordination.signup import SignUpOutcome
from coordination.site import Site
from coordination.volunteer import Volunteer
from tests.helpers import tomorrow

SECRET = "unit-test-secret-key-unit-test-secret-key"


@pytest.fixture(params=[True, False], ids=["batched", "alone"])
def dispatcher(request: pytest.FixtureRequest) -> Iterator[Dispatcher]:
    import coordination.areas.handlers  # noqa: F401 - registers the areas' handlers

    store = Store(secret_key=SECRET, fast_password_hashing=True)
    dispatcher = Dispatcher(store, batched=request.param)
    yield dispatcher
    dispatcher.close()


def saved_shift_and_volunteer(store: Store, capacity: int = 1) -> tuple[Shift, Volunteer]:
    start = tomorrow(8)
    site = Site.open(uuid4().hex, "packing", "01", "موقع", "Site")  # sign-ups read it: open?
    shift = Shift.schedule(site.id, "01", "packer", start, start + timedelta(hours=4), capacity)
    volunteer = Volunteer(uuid4().hex, "0015", "Hoda Samir", "+201012345678", "01", None)
    store.save(site, shift, volunteer)
    return shift, volunteer


def test_a_command_is_decided_and_saved_from_a_thread(dispatcher: Dispatcher) -> None:
    shift, volunteer = saved_shift_and_volunteer(dispatcher.store)
    result = dispatcher.run(SignUp(shift.id, volunteer.id, "k"), SYSTEM)
    assert result.outcome is SignUpOutcome.SIGNED_UP
    assert dispatcher.store.get(shift.id, Shift, LookupError).taken == 1


def test_the_same_command_awaited_on_the_loop_answers_the_same(dispatcher: Dispatcher) -> None:
    shift, volunteer = saved_shift_and_volunteer(dispatcher.store, capacity=1)
    other = saved_shift_and_volunteer(dispatcher.store)[1]

    async def both() -> list[object]:
        first = await dispatcher.dispatch(SignUp(shift.id, volunteer.id, "a"), SYSTEM)
        with pytest.raises(ShiftFull):
            await dispatcher.dispatch(SignUp(shift.id, other.id, "b"), SYSTEM)
        gone = await dispatcher.dispatch(Withdraw(shift.id, volunteer.id), SYSTEM)
        return [first.outcome, gone.outcome]

    assert asyncio.run(both()) == [SignUpOutcome.SIGNED_UP, SignUpOutcome.WITHDRAWN]


def test_the_policy_refuses_a_stranger(dispatcher: Dispatcher) -> None:
    shift, volunteer = saved_shift_and_volunteer(dispatcher.store)
    stranger = Actor(uuid4(), uuid4(), frozenset())
    with pytest.raises(NotAllowed):
        dispatcher.run(SignUp(shift.id, volunteer.id, "k"), stranger)


class Probe:
    pass


class Explained(DomainError):
    code = "explained"


def test_a_planned_handler_runs_on_the_loop_any_other_in_a_thread() -> None:
    seen: dict[str, str] = {}

    def planned(store: Store, command: object, actor: Actor) -> str:
        seen["planned"] = threading.current_thread().name
        return "p"

    def reads(store: Store, command: object, actor: Actor) -> str:
        seen["reads"] = threading.current_thread().name
        return "r"

    class Reads:
        pass

    handlers = {Probe: Handler(planned, always), Reads: Handler(reads, never)}
    dispatcher = Dispatcher(Store(secret_key=SECRET), batched=False, handlers=handlers)

    async def run() -> tuple[str, str, str]:
        loop_thread = threading.current_thread().name
        return loop_thread, await dispatcher.dispatch(Probe()), await dispatcher.dispatch(Reads())

    loop_thread, planned_answer, reads_answer = asyncio.run(run())
    assert (planned_answer, reads_answer) == ("p", "r")
    assert seen["planned"] == loop_thread and seen["reads"] != loop_thread
    dispatcher.close()


@pytest.mark.parametrize("batched", [True, False])
def test_a_refusal_may_be_explained_and_a_result_finished(batched: bool) -> None:
    def refuse(aggregates: dict[object, object]) -> int:
        raise ShiftFull()

    def handler(store: Store, command: object, actor: Actor) -> Decision[int]:
        return Decision(refuse, (uuid4(),), lock="x", explain=lambda refused: Explained())

    def finished(store: Store, command: object, actor: Actor) -> Decision[int]:
        return Decision(lambda aggregates: 20, (uuid4(),), lock="y", then=lambda n: n + 1)

    class Finished:
        pass

    handlers = {Probe: Handler(handler, always), Finished: Handler(finished, always)}
    dispatcher = Dispatcher(Store(secret_key=SECRET), batched=batched, handlers=handlers)
    with pytest.raises(Explained):
        dispatcher.run(Probe())
    with pytest.raises(Explained):
        asyncio.run(dispatcher.dispatch(Probe()))
    assert dispatcher.run(Finished()) == 21
    assert asyncio.run(dispatcher.dispatch(Finished())) == 21
    dispatcher.close()


def test_a_command_nobody_handles_is_a_programming_error() -> None:
    dispatcher = Dispatcher(Store(secret_key=SECRET), batched=False, handlers={})
    with pytest.raises(NoHandler):
        dispatcher.run(Probe())
    dispatcher.close()
