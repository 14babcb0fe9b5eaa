"""The coordination side composed: the store, the dispatcher and every area's handlers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import coordination.areas.handlers  # noqa: F401 - registers every area's handlers
from coordination.dispatch import Dispatcher, Store
from coordination.passwords import DEFAULT_PROFILE


def build_dispatcher(
    env: dict[str, str] | None = None,
    *,
    secret_key: str,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    fast_password_hashing: bool = False,
    password_profile: str = DEFAULT_PROFILE,
    batch_commands: bool = True,
) -> Dispatcher:
    store = Store(
        env,
        secret_key=secret_key,
        clock=clock,
        fast_password_hashing=fast_password_hashing,
        password_profile=password_profile,
    )
    return Dispatcher(store, batched=batch_commands)
