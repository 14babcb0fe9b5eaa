"""The PostgreSQL cursor of a pipelined transaction: statements go out without waiting for
each answer, and a run of one write repeated (a batch's thousand hand-offs) goes out together.

Writes are held back in runs, one per statement, until a read, a statement with an answer
(``RETURNING``) or the commit sends them all, in order:
- a plain INSERT (or one that skips conflicts) becomes multi-row INSERTs, and so does an
  INSERT that selects from one row of ``VALUES`` holding all its parameters (joined to the
  rows it reads), its row repeated;
- an upsert that only adds to counters (``SET n = t.n + excluded.n``) first sums the rows
  of one key, then becomes multi-row upserts (a row cannot be updated twice by one statement);
- an UPDATE that only adds to counters of the row a key names (``SET n = n + %s WHERE id =
  %s``) first sums the rows of one key, then goes out as one ``executemany``;
- any other write goes out as one ``executemany``.
A write joins the latest run of its statement when no run held after that one names a table
it names (written or read), so a view writing two tables in turn for each event (a holder
row, then a message) sends two runs, not one statement per event; the writes to one table
keep their order, and a statement whose tables cannot be told is held after every other.
``rowcount`` after a run counts its rows together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from psycopg import Connection, Cursor, RawCursor

    from projections.database import Row

MAX_PARAMETERS = 30_000  # PostgreSQL takes at most 65,535 in one statement
ROWS_PER_STATEMENT = 500

_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
_INSERT = re.compile(
    r"^\s*INSERT\s+INTO\s+(?P<table>\w+)\s*\((?P<columns>[^)]*)\)\s*VALUES\s*"
    r"(?P<row>\((?:\s*%s\s*,)*\s*%s\s*\))\s*(?P<conflict>.*?)\s*$",
    re.IGNORECASE | re.DOTALL,
)
_SELECTED = re.compile(
    r"^\s*INSERT\s+INTO\s+\w+\s*\([^)]*\)\s*SELECT\b.*?\bFROM\s*\(\s*VALUES\s*"
    r"(?P<row>\((?:\s*%s\s*,)*\s*%s\s*\))\s*\)\s*(?:AS\s+)?(?P<alias>\w+)(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_SKIP = re.compile(r"^(ON\s+CONFLICT\b[^;]*\bDO\s+NOTHING)?$", re.IGNORECASE | re.DOTALL)
_ADD = re.compile(
    r"^ON\s+CONFLICT\s*\((?P<keys>[^)]*)\)\s*DO\s+UPDATE\s+SET\s+(?P<sets>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_COUNTER = re.compile(r"^(\w+)\s*=\s*(\w+)\.(\w+)\s*\+\s*excluded\.(\w+)$", re.IGNORECASE)
_UPDATE_ADDING = re.compile(
    r"^\s*UPDATE\s+\w+\s+SET\s+(?P<sets>.+?)\s+WHERE\s+(?P<where>.+?)\s*$",
    re.IGNORECASE | re.DOTALL,
)
_ADDS = re.compile(r"^(\w+)\s*=\s*\1\s*\+\s*%s$", re.IGNORECASE)
_KEY = re.compile(r"^\w+\s*=\s*%s$", re.IGNORECASE)
_TABLE = re.compile(r"\b(?:INTO|UPDATE|FROM|JOIN)\s+(?!SET\b)(\w+)", re.IGNORECASE)
_HIDDEN = re.compile(
    r"\bUSING\b|\b(?:FROM|JOIN)\s+\w+(?:\s+(?:AS\s+)?(?!WHERE\b|ON\b|JOIN\b)\w+)?\s*,",
    re.IGNORECASE,
)


@dataclass
class _Run:
    sql: str
    tables: frozenset[str] | None  # None: cannot be told, so nothing moves past it
    rows: list[Sequence[Any]] = field(default_factory=list)
    cursor: Cursor[Row] | RawCursor[Row] | None = None


class PipelinedCursor:
    """Each statement on a cursor of its own: in pipeline mode a cursor that ran several
    statements would fetch the first one's answer, not the last one's."""

    def __init__(self, connection: Connection[Row]) -> None:
        self._connection = connection
        self._last: Cursor[Row] | RawCursor[Row] | None = None
        self._runs: list[_Run] = []
        self._latest: _Run | None = None  # the run the last write joined
        # where the runs held back stand, so a write finds its run without looking at each:
        # the latest run of each statement, the latest naming each table, the latest whose
        # tables cannot be told
        self._of_statement: dict[str, int] = {}
        self._of_table: dict[str, int] = {}
        self._untold = -1

    @property
    def rowcount(self) -> int:
        return self._answered().rowcount

    def execute(self, sql: str, params: Sequence[Any] = ()) -> PipelinedCursor:
        if not _held(sql):
            self.flush()
            self._latest, self._last = None, self._connection.cursor()
            self._last.execute(sql, params)
            return self
        run = self._run_for(sql)
        run.rows.append(params)
        self._latest = run
        return self

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> PipelinedCursor:
        self.flush()
        self._latest, self._last = None, self._connection.cursor()
        self._last.executemany(sql, params)
        return self

    def fetchall(self) -> list[Row]:
        return self._answered().fetchall()

    def fetchone(self) -> Row | None:
        return self._answered().fetchone()

    def _run_for(self, sql: str) -> _Run:
        """The latest run of ``sql`` if the write may join it, else a new run at the end."""
        tables = _tables(sql)
        latest = self._of_statement.get(sql)
        if latest is not None and (
            latest == len(self._runs) - 1
            if tables is None
            else self._untold < latest and all(self._of_table[t] <= latest for t in tables)
        ):
            return self._runs[latest]
        run, index = _Run(sql, tables), len(self._runs)
        self._runs.append(run)
        self._of_statement[sql] = index
        if tables is None:
            self._untold = index
        else:
            self._of_table.update(dict.fromkeys(tables, index))
        return run

    def _answered(self) -> Cursor[Row] | RawCursor[Row]:
        """The cursor of the last statement, once the runs held back have gone out."""
        self.flush()
        if self._latest is not None and self._latest.cursor is not None:
            return self._latest.cursor
        if self._last is None:
            raise RuntimeError("nothing was run on this cursor")
        return self._last

    def flush(self) -> None:
        """Sends the runs of writes held back, in order."""
        runs, self._runs = self._runs, []
        self._of_statement, self._of_table, self._untold = {}, {}, -1
        for run in runs:
            self._send(run)

    def _send(self, run: _Run) -> None:
        shape = _shape(run.sql)
        if shape is None or len(run.rows) == 1:
            counters = _added(run.sql)
            rows = _summed(run.rows, counters) if counters and len(run.rows) > 1 else run.rows
            run.cursor = self._connection.cursor()
            run.cursor.executemany(run.sql, rows)
            return
        from psycopg import RawCursor

        rows = shape.summed(run.rows) if shape.keys else run.rows
        # Numbered placeholders, which the driver passes on without parsing the statement.
        run.cursor = RawCursor(self._connection)
        per_statement = min(ROWS_PER_STATEMENT, max(MAX_PARAMETERS // shape.width, 1))
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            statement = _multi_row(shape, len(chunk))
            run.cursor.execute(statement, [value for params in chunk for value in params])


@lru_cache(maxsize=512)
def _held(sql: str) -> bool:
    """Whether a statement is a write without an answer, held back to go out in a run."""
    return bool(_WRITE.match(sql)) and "RETURNING" not in sql.upper()


@lru_cache(maxsize=256)
def _added(sql: str) -> int:
    """How many counters an UPDATE adds to (its first parameters), the rest naming the row by
    equalities; 0 for any other statement."""
    update = _UPDATE_ADDING.match(sql)
    if update is None:
        return 0
    sets = [part.strip() for part in update.group("sets").split(",")]
    keys = re.split(r"\s+AND\s+", update.group("where").strip(), flags=re.IGNORECASE)
    if not all(_ADDS.match(part) for part in sets) or not all(_KEY.match(k) for k in keys):
        return 0
    return len(sets)


def _summed(rows: list[Sequence[Any]], counters: int) -> list[Sequence[Any]]:
    """One row per key (the parameters after the ``counters`` first), its additions added up."""
    summed: dict[tuple[Any, ...], list[Any]] = {}
    for params in rows:
        key = tuple(params[counters:])
        row = summed.get(key)
        if row is None:
            summed[key] = list(params)
            continue
        for i in range(counters):
            row[i] += params[i]
    return list(summed.values())


@lru_cache(maxsize=512)
def _tables(sql: str) -> frozenset[str] | None:
    """The tables a write names, or None if a list of tables or a USING could hide one."""
    if _HIDDEN.search(sql):
        return None
    return frozenset(name.lower() for name in _TABLE.findall(sql))


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
    # an INSERT of a SELECT from VALUES: the rows' alias, numbered in an extra column and
    # selected in that order (at ``order_at``), as a join may reorder them and the first of
    # two rows with one key must be the one kept
    ordered: str = ""
    order_at: int = 0

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
        return _selected(sql)
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


def _selected(sql: str) -> _Shape | None:
    """An INSERT of what a SELECT makes of one row of VALUES (every parameter in it), which
    adds no conflict but one it skips: its rows may go out many to a statement."""
    insert = _SELECTED.match(sql)
    if insert is None:
        return None
    row, rest = insert.group("row"), insert.group("rest")
    conflict = re.search(r"\bON\s+CONFLICT\b", rest, re.IGNORECASE)
    order_at = insert.start("rest") + (conflict.start() if conflict else len(rest))
    if sql.count("%s") != row.count("%s") or not _SKIP.match(sql[order_at:].strip()):
        return None
    return _Shape(
        sql,
        insert.start("row"),
        insert.end("row"),
        row.count("%s"),
        ordered=insert.group("alias"),
        order_at=order_at,
    )


@lru_cache(maxsize=256)
def _multi_row(shape: _Shape, rows: int) -> str:
    """The statement with ``rows`` rows of values numbered ``$1, $2, ...``."""
    width = shape.width
    numbered = (
        "("
        + ", ".join(f"${row * width + column + 1}" for column in range(width))
        + (f", {row + 1}" if shape.ordered else "")  # the row's place, to select them in order
        + ")"
        for row in range(rows)
    )
    statement = shape.sql[: shape.start] + ", ".join(numbered)
    if not shape.ordered:
        return statement + shape.sql[shape.end :]
    order = f" ORDER BY {shape.ordered}.column{width + 1} "
    return statement + shape.sql[shape.end : shape.order_at] + order + shape.sql[shape.order_at :]
