"""Reads of the event log stay index reads when the planner overestimates them, as it does for
a table without statistics (a registry of five million households imported faster than
autovacuum analyzes it): no JIT compiling and no parallel workers for one aggregate's events."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from psycopg.sql import SQL

from tests.conftest import started
from web.bootstrap import Services
from web.platform.settings import Settings

# What a planner without statistics does to a one-row read of a large log, made to happen on
# a small one: every plan worth compiling, every scan worth sharing among workers.
OVERESTIMATING = (
    "SET LOCAL jit_above_cost = 0",
    "SET LOCAL parallel_setup_cost = 0",
    "SET LOCAL parallel_tuple_cost = 0",
    "SET LOCAL min_parallel_table_scan_size = 0",
    "SET LOCAL min_parallel_index_scan_size = 0",
)


@pytest.fixture
def services(pg_settings: Settings) -> Iterator[Services]:
    yield from started(pg_settings)


def nodes(plan: dict[str, Any]) -> Iterator[str]:
    yield plan["Node Type"]
    for child in plan.get("Plans", ()):
        yield from nodes(child)


def test_one_aggregates_events_are_read_by_the_index_without_compiling(
    services: Services,
) -> None:
    recorder: Any = services.app.recorder
    table = f"{recorder.datastore.schema}.{recorder.events_table_name}"
    wanted = uuid4()
    with recorder.datastore.get_connection() as connection:
        connection.execute(
            f"INSERT INTO {table} (originator_id, originator_version, topic, state)"
            " SELECT gen_random_uuid(), 1, 'test:Filler', decode(repeat('ab', 200), 'hex')"
            " FROM generate_series(1, 5000)"
        )
        connection.execute(
            f"INSERT INTO {table} (originator_id, originator_version, topic, state)"
            " VALUES (%s, 1, 'test:Wanted', ''::bytea), (%s, 2, 'test:Wanted', ''::bytea)",
            (wanted, wanted),
        )
        with connection.transaction():
            for setting in OVERESTIMATING:
                connection.execute(setting)
            # the library's read of one aggregate's events, as ``select_events`` sends it
            statement = recorder.select_events_statement + SQL(" ORDER BY originator_version ASC")
            [row] = connection.execute(
                SQL("EXPLAIN (ANALYZE, FORMAT JSON) ") + statement, (wanted,)
            ).fetchall()
    plan = row["QUERY PLAN"]
    [explained] = json.loads(plan) if isinstance(plan, str) else plan
    assert "JIT" not in explained, "the read was compiled"
    assert not {"Gather", "Gather Merge"} & set(nodes(explained["Plan"])), "workers were launched"
    assert explained["Plan"]["Actual Rows"] == 2


def test_the_views_sessions_do_not_compile_either(services: Services) -> None:
    assert services.db.query("SHOW jit")[0]["jit"] == "off"
    with services.app.recorder.datastore.get_connection() as connection:  # type: ignore[attr-defined]
        assert connection.execute("SHOW jit").fetchone()["jit"] == "off"
