"""The PostgreSQL cursor of a pipelined transaction: statements go out without waiting for
each answer, and a run of one write repeated (a batch's thousand hand-offs) goes out together.

A run is sent when anything else comes (another statement, a fetch, the commit), so the
order of writes is kept:
- a plain INSERT (or one that skips conflicts) becomes multi-row INSERTs;
- an upsert that only adds to counters (``SET n = t.n + excluded.n``) first sums the rows
  of one key, then becomes multi-row upserts (a row cannot be updated twice by one statement);
- any other write goes out as one ``executemany``.
``rowcount`` after a run counts its rows together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from psycopg import Connection, Cursor

    from projections.database import Row

MAX_PARAMETERS = 30_000  # PostgreSQL takes at most 65,535 in one statement
ROWS_PER_STATEMENT = 500

_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
_INSERT = re.compile(
    r"^\s*INSERT\s+INTO\s+(?P<table>\w+)\s*\((?P<columns>[^)]*)\)\s*VALUES\s*"
    r"(?P<row>\((?:\s*%s\s*,)*\s*%s\s*\))\s*(?P<conflict>.*?)\s*$",
    re.IGNORECASE | re.DOTALL,
)
_SKIP = re.compile(r"^(ON\s+CONFLICT\b[^;]*\bDO\s+NOTHING)?$", re.IGNORECASE | re.DOTALL)
_ADD = re.compile(
    r"^ON\s+CONFLICT\s*\((?P<keys>[^)]*)\)\s*DO\s+UPDATE\s+SET\s+(?P<sets>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_COUNTER = re.compile(r"^(\w+)\s*=\s*(\w+)\.(\w+)\s*\+\s*excluded\.(\w+)$", re.IGNORECASE)


class PipelinedCursor:
    """Each statement on a cursor of its own: in pipeline mode a cursor that ran several
    statements would fetch the first one's answer, not the last one's."""

    def __init__(self, connection: Connection[Row]) -> None:
        self._connection = connection
        self._last: Cursor[Row] | None = None
        self._run_sql: str | None = None
        self._run: list[Sequence[Any]] = []

    @property
    def rowcount(self) -> int:
        return self._answered().rowcount

    def execute(self, sql: str, params: Sequence[Any] = ()) -> PipelinedCursor:
        if sql != self._run_sql:
            self.flush()
            if not _WRITE.match(sql) or "RETURNING" in sql.upper():
                self._last = self._connection.cursor()
                self._last.execute(sql, params)
                return self
            self._run_sql = sql
        self._run.append(params)
        return self

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> PipelinedCursor:
        self.flush()
        self._last = self._connection.cursor()
        self._last.executemany(sql, params)
        return self

    def fetchall(self) -> list[Row]:
        return self._answered().fetchall()

    def fetchone(self) -> Row | None:
        return self._answered().fetchone()

    def _answered(self) -> Cursor[Row]:
        """The cursor of the last statement, once the run held back has gone out."""
        self.flush()
        if self._last is None:
            raise RuntimeError("nothing was run on this cursor")
        return self._last

    def flush(self) -> None:
        """Sends the run of repeated writes held back, if any."""
        sql, run = self._run_sql, self._run
        if sql is None:
            return
        self._run_sql, self._run = None, []
        shape = _shape(sql)
        if shape is None or len(run) == 1:
            self._last = self._connection.cursor()
            self._last.executemany(sql, run)
            return
        from psycopg import RawCursor

        if shape.keys:
            run = shape.summed(run)
        # Numbered placeholders, which the driver passes on without parsing the statement.
        self._last = RawCursor(self._connection)
        per_statement = min(ROWS_PER_STATEMENT, max(MAX_PARAMETERS // shape.width, 1))
        for start in range(0, len(run), per_statement):
            rows = run[start : start + per_statement]
            statement = _multi_row(shape, len(rows))
            self._last.execute(statement, [value for params in rows for value in params])


@dataclass(frozen=True)
class _Shape:
    """An INSERT whose rows may go out many to a statement: ``keys`` and ``counters`` (the
    positions of the conflict key's and the added columns' values) for a counter upsert."""

    sql: str
    start: int
    end: int
    width: int
    keys: tuple[int, ...] = ()
    counters: tuple[int, ...] = ()

    def summed(self, run: list[Sequence[Any]]) -> list[Sequence[Any]]:
        """One row per key, its counters added up: what the upserts one by one would leave."""
        rows: dict[tuple[Any, ...], list[Any]] = {}
        for params in run:
            key = tuple(params[i] for i in self.keys)
            row = rows.get(key)
            if row is None:
                rows[key] = list(params)
                continue
            for i in self.counters:
                row[i] += params[i]
        return list(rows.values())


@lru_cache(maxsize=256)
def _shape(sql: str) -> _Shape | None:
    insert = _INSERT.match(sql)
    if insert is None:
        return None
    row = insert.group("row")
    shape = _Shape(sql, insert.start("row"), insert.end("row"), row.count("%s"))
    conflict = insert.group("conflict")
    if _SKIP.match(conflict):
        return shape
    upsert = _ADD.match(conflict)
    if upsert is None:
        return None
    columns = [c.strip().lower() for c in insert.group("columns").split(",")]
    table = insert.group("table").lower()
    counters = []
    for assignment in upsert.group("sets").split(","):
        counter = _COUNTER.match(assignment.strip())
        if counter is None:
            return None
        target, owner, own, added = (part.lower() for part in counter.groups())
        if owner != table or not target == own == added or target not in columns:
            return None
        counters.append(columns.index(target))
    keys = [k.strip().lower() for k in upsert.group("keys").split(",")]
    if not set(keys) <= set(columns) or set(keys) & {columns[i] for i in counters}:
        return None
    return replace(shape, keys=tuple(columns.index(k) for k in keys), counters=tuple(counters))


@lru_cache(maxsize=256)
def _multi_row(shape: _Shape, rows: int) -> str:
    """The statement with ``rows`` rows of values numbered ``$1, $2, ...``."""
    width = shape.width
    numbered = (
        "(" + ", ".join(f"${row * width + column + 1}" for column in range(width)) + ")"
        for row in range(rows)
    )
    return shape.sql[: shape.start] + ", ".join(numbered) + shape.sql[shape.end :]
