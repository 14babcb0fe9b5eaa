"""Old topics of moved classes, registered for the classes where they live now.

Every stored event names its class by topic (``coordination.shift:Shift.SignedUp``) and the
log is never rewritten: when a module, an aggregate or an event class moves or is renamed, its
old topic goes here, one line per move, saying when and why, and no line is ever removed::

    # 2027-01-10: aggregates moved into coordination/areas/ with the dispatcher
    register_topic("coordination.shift:Shift", Shift)

An aggregate's old topic covers its nested events too (``...:Shift.SignedUp`` resolves through
``...:Shift``, as does the aggregate's topic inside its first event); a whole module that moved
is registered once, its old name for the new module object. An event whose fields change is
not a move: it gets a ``class_version`` and an ``upcast_vN_vM``, new fields default to what old
events meant, and the golden logs (``tests/fixtures/golden/``) show old events still read.

Imported by ``coordination/__init__.py``, so these hold before any event is read; import only
the moved classes' own modules here (never ``web`` or ``projections``).
"""

from __future__ import annotations
