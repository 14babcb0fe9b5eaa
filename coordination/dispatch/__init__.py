"""The one way in for every command: ``Dispatcher`` (see its module for what it owns),
``Decision`` (what a handler asks it to carry out), ``handles`` (how a handler is named for
its command) and ``Store`` (the event store as handlers see it)."""

from coordination.dispatch.decision import Decision
from coordination.dispatch.dispatcher import Dispatcher
from coordination.dispatch.registry import handles
from coordination.dispatch.store import Store

__all__ = ["Decision", "Dispatcher", "Store", "handles"]
