"""The command batcher on its own: what a refused command leaves behind."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from typing import Any

import pytest

from coordination.dispatch.batching import Batcher, Command
from coordination.errors import RuleViolation


class Refused(RuleViolation):
    code = "refused"


class Broken(Exception):
    pass


@pytest.fixture
def batcher() -> Iterator[Batcher]:
    batcher = Batcher(save=lambda *_: None)
    yield batcher
    batcher.stop()


def refuse(_: dict[Any, Any]) -> None:
    raise Refused()


def break_down(_: dict[Any, Any]) -> None:
    raise Broken()


def test_a_refusal_is_freed_without_the_cycle_collector(batcher: Batcher) -> None:
    """A rule's refusal comes without the batcher's frames: they held the batch holding the
    refusal, a cycle only the collector freed (a full shift answered hundreds of times a
    second in a rush)."""
    gc.disable()
    try:
        future = batcher.enqueue(refuse, alone=lambda: None)
        refusal = future.exception(timeout=5)
        assert isinstance(refusal, Refused) and refusal.__traceback__ is None
        gone = weakref.ref(refusal)
        del refusal, future
        batcher.enqueue(lambda _: "next", alone=lambda: None).result(timeout=5)
        assert gone() is None
    finally:
        gc.enable()


def test_an_unexpected_error_keeps_its_traceback_for_the_log(batcher: Batcher) -> None:
    error = batcher.enqueue(break_down, alone=lambda: None).exception(timeout=5)
    assert isinstance(error, Broken) and error.__traceback__ is not None
    frames = []
    tb = error.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame.f_code)
        tb = tb.tb_next
    assert frames[-1] is break_down.__code__


def test_a_refusal_decided_alone_is_freed_without_the_cycle_collector() -> None:
    """The same when a command is decided on its own (no batch, or a batch that failed)."""
    command = Command(refuse, alone=lambda: refuse({}))
    gc.disable()
    try:
        Batcher._alone(command)
        refusal = command.future.exception(timeout=5)
        assert isinstance(refusal, Refused) and refusal.__traceback__ is None
        gone = weakref.ref(refusal)
        del refusal, command
        assert gone() is None
    finally:
        gc.enable()
