"""Commands awaited on the event loop.

A command the batcher decides needs no thread of its own while it waits: the request enqueues
it and awaits its answer, where a thread from the pool would be taken, woken and handed back
for every request. Without a batcher the command is decided in a thread, as any blocking work.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from litestar.concurrency import sync_to_thread

T = TypeVar("T")


async def awaited(app: Any, later: Callable[[], Future[T]], *, reads_store: bool = False) -> T:
    """The answer of the command ``later`` enqueues (or, with no batcher, decides). If
    ``later`` reads the store before it enqueues, it runs in a thread; the wait does not."""
    if app.batcher is None:
        return await sync_to_thread(lambda: later().result())
    return await asyncio.wrap_future(await sync_to_thread(later) if reads_store else later())
