"""Which handler decides each command: filled by ``@handles`` as the areas' modules load."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

H = TypeVar("H", bound=Callable[..., Any])
Planned = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Handler:
    """``decide(store, command, actor)`` returns the result or a ``Decision``; ``planned``
    says whether it does so without reading the store, so it may run on the event loop."""

    decide: Callable[..., Any]
    planned: Planned


HANDLERS: dict[type, Handler] = {}


def never(_store: Any, _command: Any) -> bool:
    return False


def always(_store: Any, _command: Any) -> bool:
    return True


def handles(command_type: type, *, planned: Planned | bool = False) -> Callable[[H], H]:
    """Registers the decorated function as the one handler of ``command_type``. ``planned``
    (True, or a test of the store and command) means the handler reads nothing before it
    returns its ``Decision``."""

    def register(decide: H) -> H:
        if command_type in HANDLERS:
            raise RuntimeError(f"{command_type.__name__} already has a handler")
        test = planned if callable(planned) else (always if planned else never)
        HANDLERS[command_type] = Handler(decide, test)
        return decide

    return register
