"""The delivery worker beside the views gives way to the rest of the machine: its thread,
and the senders it starts, run at a lower priority than the process's other threads; the
worker of a process of its own (``katf deliver``) keeps the process's priority."""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import migrated_sqlite
from web.bootstrap import bootstrap
from workers.delivery import NICENESS, run_delivery

pytestmark = pytest.mark.skipif(not hasattr(os, "setpriority"), reason="no thread priorities")


def priority_of(thread: int) -> int:
    return os.getpriority(os.PRIO_PROCESS, thread)


def nicer(than: int) -> int:
    return min(than + NICENESS, 19)


class Rounds:
    """A worker whose round notes the priority of the thread it runs on, and of a sender
    started from it, as a worker sending side by side starts its pool."""

    def __init__(self, stop: threading.Event) -> None:
        self.stop, self.seen = stop, {}

    def round(self) -> dict[str, Any]:
        self.seen["worker"] = priority_of(threading.get_native_id())
        with ThreadPoolExecutor(1) as senders:
            sender = senders.submit(lambda: priority_of(threading.get_native_id()))
            self.seen["sender"] = sender.result()
        self.stop.set()
        return {"sent": 0, "failed": 0, "held": 0}


def priorities_of_a_round(**options: Any) -> dict[str, int]:
    stop = threading.Event()
    rounds = Rounds(stop)
    worker = threading.Thread(target=run_delivery, args=(rounds, stop, 0.01), kwargs=options)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive()
    return rounds.seen


def test_the_worker_beside_the_views_and_its_senders_give_way() -> None:
    own = priority_of(threading.get_native_id())
    assert priorities_of_a_round(giving_way=True) == {"worker": nicer(own), "sender": nicer(own)}
    assert priority_of(threading.get_native_id()) == own  # the rest of the process as it was


def test_a_worker_of_its_own_keeps_the_process_priority() -> None:
    own = priority_of(threading.get_native_id())
    assert priorities_of_a_round() == {"worker": own, "sender": own}


def test_the_embedded_default_delivers_giving_way(tmp_path: Path) -> None:
    services = bootstrap(migrated_sqlite(tmp_path))
    try:
        services.start_delivery()
        delivery = next(t for t in threading.enumerate() if t.name == "delivery")
        own = priority_of(threading.get_native_id())
        deadline = time.monotonic() + 5
        while priority_of(delivery.native_id or 0) != nicer(own) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert priority_of(delivery.native_id or 0) == nicer(own)
    finally:
        services.close()
