"""A read model: handlers ``event -> SQL`` plus the tables a rebuild clears."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from typing import Any, ClassVar, TypeVar

from eventsourcing.utils import get_topic

from projections.database import Cursor, Row

Handler = Callable[[Any, Cursor, Any], Iterable[str] | None]
H = TypeVar("H", bound=Handler)
MAX_FACTS = 100_000


def handles(event_class: type) -> Callable[[H], H]:
    """Marks a method as the handler of one event class; the method keeps its own type."""

    def mark(handler: H) -> H:
        handler.__dict__.setdefault("handled", []).append(event_class)
        return handler

    return mark


class Projection:
    """Subclasses name the view, its tables, and mark handlers with ``@handles``.

    A handler writes to the view with the cursor of the batch's transaction and returns
    the keys it changed, which live pages are told about once the batch commits.
    """

    name: ClassVar[str]
    tables: ClassVar[tuple[str, ...]]
    _handlers: ClassVar[dict[type, Handler]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._handlers = {
            event_class: member
            for member in vars(cls).values()
            for event_class in getattr(member, "handled", ())
        }

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(get_topic(event_class) for event_class in self._handlers)

    def fact(self, cursor: Cursor, sql: str, key: str) -> Row | None:
        """A row that never changes once written (which site a shift or a stock belongs to),
        read once per worker: a batch of events then writes without waiting on reads."""
        facts: dict[tuple[str, str], Row] = self.__dict__.setdefault("_facts", {})
        if (sql, key) not in facts:
            cursor.execute(sql, (key,))
            row = cursor.fetchone()
            if row is None:
                return None
            self.knew(sql, key, row)
        return facts[(sql, key)]

    def knew(self, sql: str, key: str, row: Row) -> None:
        """The row ``fact`` would read, known from the event that writes it: the events that
        follow in the same batch (a check-in after its attendance opened) need no read."""
        facts: dict[tuple[str, str], Row] = self.__dict__.setdefault("_facts", {})
        if len(facts) >= MAX_FACTS:
            facts.clear()
        facts[(sql, key)] = row

    def handles_any(self, kinds: AbstractSet[type]) -> bool:
        """Whether this view handles any of these kinds of event."""
        return not kinds.isdisjoint(self._handlers)

    def process_all(self, cursor: Cursor, events: Iterable[Any]) -> set[str]:
        """The keys a batch's events changed, each handled in order; the events of kinds this
        view does not handle (most of a batch, for most views) passed over without a call."""
        handled, keys = self._handlers, set[str]()
        for event in events:
            if type(event) in handled:
                keys.update(self.process(cursor, event))
        return keys

    def process(self, cursor: Cursor, event: Any) -> Iterable[str]:
        handler = self._handlers.get(type(event))
        if handler is None:
            return ()
        return handler(self, cursor, event) or ()
