"""Workers take turns on a contested shift: the second waits until the first lets go."""

from __future__ import annotations

import threading
import time
from uuid import uuid4

import pytest

from coordination.dispatch.advisory_locks import AdvisoryLocks

pytestmark = pytest.mark.postgres


def test_a_second_worker_waits_for_the_first(pg_url: str) -> None:
    shift, order = uuid4(), []
    first_holds, second_started = threading.Event(), threading.Event()

    def first() -> None:
        with AdvisoryLocks(pg_url)({shift}):
            order.append("first in")
            first_holds.set()
            second_started.wait(5)
            time.sleep(0.2)  # room for the second to get in, were the lock not held
            order.append("first out")

    def second() -> None:
        first_holds.wait(5)
        locks = AdvisoryLocks(pg_url)
        second_started.set()
        with locks({shift}):
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert order == ["first in", "first out", "second in"]
