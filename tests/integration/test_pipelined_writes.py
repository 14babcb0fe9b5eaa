"""A pipelined transaction sends a run of one write repeated together, and leaves exactly
what the writes one by one leave (the SQLite database, which runs them one by one, is the
reference)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from projections.database import Database, PostgresDatabase, SQLiteDatabase
from projections.pipelined import ROWS_PER_STATEMENT, PipelinedCursor, _added, _shape, _tables

TABLES = (
    "CREATE TABLE counters (site TEXT, item TEXT, governorate TEXT, packed INTEGER,"
    " on_hand INTEGER, PRIMARY KEY (site, item))",
    "CREATE TABLE entries (entry TEXT PRIMARY KEY, site TEXT, boxes INTEGER)",
    "CREATE TABLE latest (site TEXT PRIMARY KEY, label TEXT)",
    "CREATE TABLE tallies (site TEXT PRIMARY KEY, n INTEGER)",
    "CREATE TABLE places (place TEXT PRIMARY KEY, governorate TEXT)",
    "CREATE TABLE notes (note TEXT PRIMARY KEY, place TEXT, governorate TEXT, boxes INTEGER)",
)
COUNT = (
    "INSERT INTO counters (site, item, governorate, packed, on_hand) VALUES (%s, %s, %s, %s, %s)"
    " ON CONFLICT (site, item) DO UPDATE SET packed = counters.packed + excluded.packed,"
    " on_hand = counters.on_hand + excluded.on_hand"
)
ENTER = "INSERT INTO entries (entry, site, boxes) VALUES (%s, %s, %s)"
LABEL = (
    "INSERT INTO latest (site, label) VALUES (%s, %s)"
    " ON CONFLICT (site) DO UPDATE SET label = excluded.label"
)
SITES = ("stadium", "cairo-point")


@pytest.fixture
def postgres(empty_pg_url: str) -> Iterator[PostgresDatabase]:
    db = PostgresDatabase(empty_pg_url, max_size=1)  # one server process: its statistics
    create(db)
    yield db
    db.close()


@pytest.fixture
def sqlite(tmp_path: Path) -> Iterator[SQLiteDatabase]:
    db = SQLiteDatabase(str(tmp_path / "reference.db"))
    create(db)
    yield db
    db.close()


def create(db: Database) -> None:
    with db.transaction() as cursor:
        for table in TABLES:
            cursor.execute(table)


def a_batch(db: Database) -> dict[str, Any]:
    """Runs of counter upserts, plain inserts and last-one-wins upserts, with reads between
    that must see every write sent before them."""
    seen: dict[str, Any] = {}
    with db.transaction(pipelined=True) as cursor:
        for n in range(700):
            cursor.execute(COUNT, (SITES[n % 2], "food_box", "01", n % 7, n % 7 - 1))
        cursor.execute("SELECT site, packed, on_hand FROM counters ORDER BY site")
        seen["halfway"] = cursor.fetchall()
        for n in range(ROWS_PER_STATEMENT * 2 + 30):
            cursor.execute(ENTER, (f"entry-{n}", SITES[n % 2], n % 50))
        for n in range(300):
            cursor.execute(COUNT, (SITES[n % 2], "water", "02", 2, 1))
        for n in range(300):
            cursor.execute(LABEL, (SITES[n % 2], f"label {n}"))
        for n in range(300):
            cursor.execute(COUNT, (SITES[n % 2], "food_box", "01", 1, -1))
        cursor.execute("SELECT COUNT(*) AS n, SUM(boxes) AS boxes FROM entries")
        seen["entries"] = cursor.fetchone()
    seen["counters"] = db.query("SELECT * FROM counters ORDER BY site, item")
    seen["latest"] = db.query("SELECT * FROM latest ORDER BY site")
    return seen


def updates_and_inserts(db: PostgresDatabase, table: str) -> tuple[int, int]:
    """Rows PostgreSQL wrote to ``table``: what the statements sent did, not what they left."""
    db.query("SELECT pg_stat_force_next_flush()")
    with db.pool.connection() as connection:
        connection.execute("SELECT pg_stat_clear_snapshot()")
        row = connection.execute(
            "SELECT n_tup_ins, n_tup_upd FROM pg_stat_user_tables WHERE relname = %s", (table,)
        ).fetchone()
    assert row is not None
    return int(row["n_tup_ins"]), int(row["n_tup_upd"])


def test_a_batch_leaves_what_the_writes_one_by_one_leave(
    postgres: PostgresDatabase, sqlite: SQLiteDatabase
) -> None:
    combined, one_by_one = a_batch(postgres), a_batch(sqlite)
    assert combined == one_by_one
    assert combined["entries"]["n"] == ROWS_PER_STATEMENT * 2 + 30
    assert [row["label"] for row in combined["latest"]] == ["label 299", "label 298"]
    stadium_boxes = next(
        r for r in combined["counters"] if (r["site"], r["item"]) == ("stadium", "food_box")
    )
    assert stadium_boxes["packed"] == sum(n % 7 for n in range(0, 700, 2)) + 150


def test_a_run_of_counter_updates_writes_each_row_once(postgres: PostgresDatabase) -> None:
    """1,300 upserts of four rows in three runs: four inserts and two updates, not 1,296."""
    a_batch(postgres)
    assert updates_and_inserts(postgres, "counters") == (4, 2)


def test_a_write_refused_in_a_run_undoes_the_whole_transaction(
    postgres: PostgresDatabase,
) -> None:
    with pytest.raises(psycopg.errors.UniqueViolation), postgres.transaction(pipelined=True) as c:
        c.execute(COUNT, ("stadium", "food_box", "01", 5, 5))
        for entry in ("entry-1", "entry-2", "entry-1"):
            c.execute(ENTER, (entry, "stadium", 1))
    assert postgres.query("SELECT * FROM entries") == []
    assert postgres.query("SELECT * FROM counters") == []


@pytest.mark.parametrize(
    "sql",
    [
        LABEL,  # a value replaced, not added
        COUNT.replace("counters.on_hand + excluded.on_hand", "excluded.on_hand"),
        COUNT.replace("counters.packed + excluded.packed", "entries.packed + excluded.packed"),
        "INSERT INTO counters (site, item) VALUES (%s, now())",
        "INSERT INTO entries (entry, site, boxes) VALUES (%s, %s, %s) RETURNING entry",
    ],
)
def test_only_plain_inserts_and_counter_upserts_are_sent_many_rows_at_once(sql: str) -> None:
    assert _shape(sql) is None


def test_an_insert_of_one_row_of_values_joined_goes_out_many_rows_at_once() -> None:
    shape = _shape(NOTE)
    assert shape is not None and shape.width == 3 and not shape.keys
    assert NOTE[shape.start : shape.end] == "(%s, %s, %s)"
    outside = NOTE.replace("WHERE true", "WHERE p.governorate = %s")  # a parameter elsewhere
    replacing = NOTE.replace("DO NOTHING", "DO UPDATE SET boxes = excluded.boxes")
    assert _shape(outside) is None and _shape(replacing) is None
    assert _tables(NOTE) == {"notes", "places"}


def test_the_views_counter_upserts_are_recognised() -> None:
    shape = _shape(COUNT)
    assert shape is not None and shape.keys == (0, 1) and shape.counters == (3, 4)
    assert _shape(ENTER) is not None


def test_a_run_of_rows_into_typed_columns_takes_their_types(postgres: PostgresDatabase) -> None:
    """Text values for uuid, date and time columns, as the single-row statement takes them."""
    with postgres.transaction() as cursor:
        cursor.execute("CREATE TABLE typed (id UUID PRIMARY KEY, day DATE, at TIMESTAMPTZ)")
    ids = [str(uuid.uuid4()) for _ in range(ROWS_PER_STATEMENT + 3)]
    with postgres.transaction(pipelined=True) as cursor:
        for n, identifier in enumerate(ids):
            cursor.execute(
                "INSERT INTO typed (id, day, at) VALUES (%s, %s, %s)",
                (identifier, f"2027-03-{n % 28 + 1:02d}", "2027-03-01T18:05:00+02:00"),
            )
    rows = postgres.query("SELECT id::text AS id, day::text AS day FROM typed ORDER BY id")
    assert [row["id"] for row in rows] == sorted(ids)
    assert {row["day"] for row in rows} == {f"2027-03-{d:02d}" for d in range(1, 29)}


HOLD = "INSERT INTO entries (entry, site, boxes) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING"
TELL = (
    "INSERT INTO latest (site, label) SELECT %s, e.site FROM entries e WHERE e.entry = %s"
    " ON CONFLICT (site) DO UPDATE SET label = excluded.label"
)
FORGET = "DELETE FROM entries WHERE entry = %s"
PLACE = "INSERT INTO places (place, governorate) VALUES (%s, %s)"
# as the outbox writes a message: its values in one row, joined to what it reads
NOTE = (
    "INSERT INTO notes (note, place, governorate, boxes)"
    " SELECT v.column1, v.column2, p.governorate, v.column3"
    " FROM (VALUES (%s, %s, %s)) AS v JOIN places p ON p.place = v.column2"
    " WHERE true ON CONFLICT (note) DO NOTHING"
)
BUMP = "UPDATE tallies SET n = n + %s WHERE site = %s"


def interleaved(db: Database) -> dict[str, Any]:
    """Each event writes two tables in turn, as a view's handler does; some writes read what an
    earlier one wrote, some delete it, so their order matters."""
    with db.transaction() as cursor:
        for site in SITES:
            cursor.execute("INSERT INTO tallies (site, n) VALUES (%s, 0)", (site,))
    with db.transaction(pipelined=True) as cursor:
        for n in range(400):
            cursor.execute(COUNT, (SITES[n % 2], f"item-{n % 5}", "01", 1, 1))
            cursor.execute(BUMP, (n % 3, SITES[n % 2]))
            cursor.execute(HOLD, (f"entry-{n}", SITES[n % 2], n))
            if n % 50 == 0:  # reads the entry just held
                cursor.execute(TELL, (f"told-{n}", f"entry-{n}"))
            if n % 7 == 0:
                cursor.execute(FORGET, (f"entry-{n - 1}",))
            if n % 100 == 0:  # a place the notes after it read
                cursor.execute(PLACE, (f"place-{n}", f"{n // 100:02d}"))
            note = "note-again" if n % 9 == 0 else f"note-{n}"  # the first of these is kept
            cursor.execute(NOTE, (note, f"place-{n - n % 100}", n))
    return {
        "notes": db.query("SELECT * FROM notes ORDER BY note"),
        "counters": db.query("SELECT * FROM counters ORDER BY site, item"),
        "entries": db.query("SELECT * FROM entries ORDER BY entry"),
        "latest": db.query("SELECT * FROM latest ORDER BY site"),
        "tallies": db.query("SELECT * FROM tallies ORDER BY site"),
    }


def test_writes_to_two_tables_in_turn_go_out_as_two_runs(
    postgres: PostgresDatabase, sqlite: SQLiteDatabase
) -> None:
    combined, one_by_one = interleaved(postgres), interleaved(sqlite)
    assert combined == one_by_one
    assert len(combined["latest"]) == 8 and len(combined["entries"]) == 400 - 57
    assert len(combined["notes"]) == 400 - 45 + 1  # every note read its place
    assert {"note": "note-again", "place": "place-0", "governorate": "00", "boxes": 0} in (
        combined["notes"]
    )
    added = {site: sum(n % 3 for n in range(400) if SITES[n % 2] == site) for site in SITES}
    assert {row["site"]: row["n"] for row in combined["tallies"]} == added
    # 400 counter upserts of ten rows went out as one run, not one statement per event, and
    # 400 additions to two rows as two updates
    assert updates_and_inserts(postgres, "counters") == (10, 0)
    assert updates_and_inserts(postgres, "tallies") == (2, 2)


def test_which_updates_only_add_to_the_row_a_key_names() -> None:
    assert _added(BUMP) == 1
    assert _added("UPDATE t SET a = a + %s, b = b + %s WHERE x = %s AND y = %s") == 2
    assert _added("UPDATE t SET a = a + 1 WHERE x = %s") == 0  # no parameter to add up
    assert _added("UPDATE t SET a = b + %s WHERE x = %s") == 0
    assert _added("UPDATE t SET a = a + %s WHERE x = %s OR y = %s") == 0
    assert _added("UPDATE t SET a = a + %s WHERE x > %s") == 0


def test_which_tables_a_write_names() -> None:
    assert _tables(TELL) == {"latest", "entries"}
    assert _tables(COUNT) == {"counters"}  # not SET, of DO UPDATE SET
    assert _tables("DELETE FROM a USING b WHERE a.id = b.id") is None
    assert _tables("UPDATE a SET n = 1 WHERE id IN (SELECT id FROM b x, c)") is None


def test_a_write_joins_its_run_unless_a_later_run_names_its_tables() -> None:
    cursor = PipelinedCursor(connection=None)  # type: ignore[arg-type] - nothing goes out
    correct = "UPDATE entries SET boxes = %s WHERE entry = %s"
    untold = "DELETE FROM entries USING latest WHERE entries.site = latest.site AND label = %s"
    writes = [ENTER, LABEL, ENTER, correct, ENTER, LABEL, untold, LABEL, untold, untold]
    for n, sql in enumerate(writes):
        cursor.execute(sql, (n,))
    runs = [(run.sql, [params[0] for params in run.rows]) for run in cursor._runs]
    assert runs == [
        (ENTER, [0, 2]),  # past a run on another table
        (LABEL, [1, 5]),  # past runs on other tables, however many
        (correct, [3]),
        (ENTER, [4]),  # not past a run that names its table
        (untold, [6]),
        (LABEL, [7]),  # nothing goes past a write whose tables cannot be told
        (untold, [8, 9]),  # which joins only the run just before
    ]
