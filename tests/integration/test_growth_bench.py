"""The growth benchmark's shape (``bench.growth``), small: the registry holds what it says it
loaded, through the imports, and every timed hand-off, lookup and sign-up did what it times."""

from __future__ import annotations

from urllib.parse import urlsplit

import psycopg
import pytest
from eventsourcing.utils import get_topic

from bench import growth
from bench.growth import arguments, grow, national_id
from coordination.household import Household
from coordination.identity import parse_national_id
from coordination.shift import Shift
from tests.conftest import server_url
from web.bootstrap import bootstrap
from web.platform.settings import Settings


def test_the_registry_grows_through_the_imports_and_each_timed_request_lands(
    pg_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(growth, "STATISTICS_DELAY", 0)  # the page counts are not checked here
    options = arguments(
        ["--households", "1200", "--volunteers", "300", "--first", "400", "--samples", "15"]
        + ["--rounds", "2"]
    )
    result = grow(pg_settings, options)
    database = urlsplit(pg_settings.database_url).path.lstrip("/")

    first, last = result["sizes"]
    assert (first["households"], first["volunteers"]) == (400, 100)
    assert (last["households"], last["volunteers"]) == (1200, 300)
    assert last["events"] > first["events"] and last["database_mb"] >= first["database_mb"]
    for size in (first, last):
        assert set(size["latency"]) == {"hand_off", "lookup", "sign_up"}
        assert all(0 < q["p50_ms"] <= q["p95_ms"] <= q["p99_ms"] for q in size["latency"].values())
        assert all(q["pages_read"] >= 0 for q in size["latency"].values())
    assert result["server"]["autovacuum"] in {"on", "off"}

    with psycopg.connect(server_url("postgres")) as admin:
        copies = admin.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", (f"{database}_at_%",)
        ).fetchall()
    assert copies == []  # the copy timed at the first size is dropped

    services = bootstrap(pg_settings)
    try:
        services.runner.catch_up()
        rows = services.db.query("SELECT count(*) AS n FROM households")
        assert rows[0]["n"] == 1200  # each household once, every list imported whole
        counted = services.app.recorder.select_notifications(
            1, 100_000, topics=[get_topic(Household.Received), get_topic(Shift.SignedUp)]
        )
        topics = [n.topic for n in counted]
        # each timed hand-off and sign-up of the whole registry's two rounds (the first size's
        # were made in a copy, kept as the registry stood at 400 households, and dropped)
        assert topics.count(get_topic(Household.Received)) == 2 * 15
        assert topics.count(get_topic(Shift.SignedUp)) == 2 * 15
    finally:
        services.close()


def test_the_generated_national_ids_are_distinct_and_well_formed() -> None:
    ids = [national_id(n, kind) for kind in ("household", "volunteer") for n in (0, 8_999, 9_000)]
    ids += [national_id(4_999_999, "household"), national_id(249_999, "volunteer")]
    assert len(set(ids)) == len(ids)
    for digits in ids:
        assert parse_national_id(digits).digits == digits
