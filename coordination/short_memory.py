"""A tiny time-limited memory for answers that may be a moment old (who is signed in)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class ShortMemory(Generic[T]):
    def __init__(self, seconds: float, size: int = 10_000) -> None:
        self.seconds, self.size = seconds, size
        self._items: dict[Hashable, tuple[float, T]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        now = time.monotonic()
        with self._lock:
            kept = self._items.get(key)
        if kept is not None and kept[0] > now:
            return kept[1]
        value = compute()
        with self._lock:
            if len(self._items) >= self.size:
                self._items.clear()
            self._items[key] = (now + self.seconds, value)
        return value

    def recall(self, key: Hashable) -> tuple[bool, T | None]:
        """``(True, answer)`` while the answer is remembered, without computing it."""
        with self._lock:
            kept = self._items.get(key)
        if kept is not None and kept[0] > time.monotonic():
            return True, kept[1]
        return False, None

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._items.pop(key, None)
