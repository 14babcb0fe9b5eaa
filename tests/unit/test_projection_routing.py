"""A batch reaches each view only through the events it handles: a view handling none of a
batch's kinds is not called, and one handling some is called for those alone, in order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from projections.projection import Projection, handles


@dataclass(frozen=True)
class Opened:
    key: str


@dataclass(frozen=True)
class Counted:
    key: str


@dataclass(frozen=True)
class Unrelated:
    key: str


class Ledger(Projection):
    name = "ledger"
    tables = ()

    def __init__(self) -> None:
        self.seen: list[Any] = []

    def process(self, cursor: Any, event: Any) -> Any:
        self.seen.append(event)  # every call the view is given
        return super().process(cursor, event)

    @handles(Opened)
    def opened(self, cursor: Any, event: Opened) -> list[str]:
        return [f"opened:{event.key}"]

    @handles(Counted)
    def counted(self, cursor: Any, event: Counted) -> list[str]:
        return [f"counted:{event.key}"]


def test_a_view_is_called_for_the_events_it_handles_alone_in_order() -> None:
    ledger = Ledger()
    batch = [Unrelated("x"), Opened("a"), Unrelated("y"), Counted("a"), Opened("b")]
    keys = ledger.process_all(None, batch)
    assert ledger.seen == [Opened("a"), Counted("a"), Opened("b")]
    assert keys == {"opened:a", "counted:a", "opened:b"}


def test_a_batch_of_kinds_a_view_does_not_handle_passes_it_by() -> None:
    ledger = Ledger()
    assert not ledger.handles_any({Unrelated})
    assert ledger.handles_any({Unrelated, Counted})
    assert ledger.process_all(None, [Unrelated("x")] * 3) == set() and ledger.seen == []
