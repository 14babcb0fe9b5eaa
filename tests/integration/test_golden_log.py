"""Events are forever: every golden log in ``tests/fixtures/golden/`` replays on this commit.

Into an empty database on SQLite and on PostgreSQL: the stored events inserted as they are,
every view built from them and compared with what the recording release built (a view may
gain tables and columns since; what it showed then must not change), and a few commands on
the replayed aggregates through the HTTP API. A class that moves keeps its old topic
(``coordination/topics.py``); the last test shows that guard is real.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.application import Application
from eventsourcing.utils import TopicError, register_topic, resolve_topic
from litestar.testing import TestClient

from tests.fixtures.golden.logs import golden_logs, read_events, replayed, views
from web.app import create_app
from web.bootstrap import Services
from web.platform.settings import Settings

LOGS = golden_logs()


def manifest(log: Path) -> dict[str, Any]:
    known: dict[str, Any] = json.loads((log / "manifest.json").read_text())
    return known


@pytest.mark.parametrize("log", LOGS, ids=lambda log: log.name)
def test_every_stored_topic_resolves(log: Path) -> None:
    unresolved = {}
    for topic in sorted({event.topic for event in read_events(log)}):
        try:
            resolve_topic(topic)
        except TopicError as error:
            unresolved[topic] = str(error)
    assert not unresolved, "register the old topics in coordination/topics.py"


class GoldenLogScenarios:
    """Subclasses give ``empty_url``: a database without a single table, on one event store."""

    @pytest.fixture(params=LOGS, ids=lambda log: log.name)
    def log(self, request: pytest.FixtureRequest) -> Path:
        log: Path = request.param
        return log

    @pytest.fixture
    def services(self, log: Path, empty_url: str) -> Iterator[Services]:
        settings = Settings(
            database_url=empty_url,
            secret_key=(log / "secret_key").read_text().strip(),
            embedded_projections=False,
            fast_password_hashing=True,
        )
        with replayed(log, settings) as services:
            yield services

    def test_views_built_from_the_log_show_what_they_showed(
        self, services: Services, log: Path
    ) -> None:
        built = views(services)
        expected = json.loads((log / "expected_views.json").read_text())
        for table, rows in expected.items():
            columns = {column for row in rows for column in row}
            shown = [{k: v for k, v in row.items() if k in columns} for row in built.get(table, [])]
            assert sorted(shown, key=ordered) == sorted(rows, key=ordered), table

    def test_commands_on_replayed_aggregates_still_work(
        self, services: Services, log: Path
    ) -> None:
        known = manifest(log)
        ids, households = known["ids"], known["households"]
        point = ids["point"]
        with TestClient(create_app(services, secure_cookies=False)) as client:
            signed_in(client, known, "camilia")
            again = client.post(
                f"/api/v1/shifts/{ids['packing_2099']}/sign-ups",
                json={"volunteer_id": ids["camilia"]},
                headers={"Idempotency-Key": "after-replay"},
            )
            assert again.status_code == 201, again.text
            assert (again.json()["outcome"], again.json()["taken"]) == ("signed_up", 1)

            signed_in(client, known, "pakinam")
            on_hand = stock(services, point, "food_box")
            given = hand_off(client, point, households["hh5"], "after-replay-1")
            assert given.status_code == 201, given.text
            assert (given.json()["taken"], given.json()["on_hand"]) == (1, on_hand - 1)
            refused = hand_off(client, point, households["hh1"], "after-replay-2")
            assert refused.json()["error"]["code"] == "allowance_used", refused.text

            ticket = f"/api/v1/tickets/{ids['ticket_open']}"
            assert client.post(f"{ticket}/acknowledge").status_code == 200
            signed_in(client, known, "omar")
            noted = client.post(f"{ticket}/notes", json={"text": "Replayed, and still answered"})
            assert noted.status_code == 200, noted.text
            services.runner.catch_up()
            shown = client.get(ticket).json()
            assert shown["status"] == "acknowledged"
            assert shown["timeline"][-1]["detail"] == "Replayed, and still answered"

        with TestClient(create_app(services, secure_cookies=False)) as device:
            device.headers["Authorization"] = f"Bearer {known['tokens']['point_desk']}"
            batch = device.post(
                f"/api/v1/points/{point}/hand-offs/batch",
                json={"items": [{"national_id": households["hh6"], "key": "after-replay-3"}]},
            )
            assert batch.json()["counts"]["recorded"] == 1, batch.text


def ordered(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True)


def signed_in(client: TestClient[Any], known: dict[str, Any], who: str) -> None:
    client.cookies.clear()
    client.headers["X-CSRF-Token"] = client.get("/api/v1/session").json()["csrf_token"]
    credentials = {"phone": known["phones"][who], "password": known["password"]}
    answer = client.post("/api/v1/session", json=credentials)
    assert answer.status_code == 200, answer.text
    client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]


def hand_off(client: TestClient[Any], point: str, national_id: str, key: str) -> Any:
    return client.post(
        f"/api/v1/points/{point}/hand-offs",
        json={"national_id": national_id, "item": "food_box"},
        headers={"Idempotency-Key": key},
    )


def stock(services: Services, site: str, item: str) -> int:
    rows = services.db.query(
        "SELECT on_hand FROM site_stock WHERE site_id = %s AND item = %s", (site, item)
    )
    return int(rows[0]["on_hand"])


class TestGoldenLogOnSqlite(GoldenLogScenarios):
    @pytest.fixture
    def empty_url(self, tmp_path: Path) -> str:
        return f"sqlite:///{tmp_path}/golden.db"


@pytest.mark.postgres
class TestGoldenLogOnPostgres(GoldenLogScenarios):
    @pytest.fixture
    def empty_url(self, empty_pg_url: str) -> str:
        return empty_pg_url


PARCEL = """
from eventsourcing.domain import Aggregate, event


class Parcel(Aggregate):
    @event("Packed")
    def __init__(self, boxes: int) -> None:
        self.boxes = boxes

    @event("Loaded")
    def load(self, truck: str) -> None:
        self.truck = truck
"""
RECORD = """
import sys
from eventsourcing.application import Application
from {module} import Parcel

env = {{"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": sys.argv[1]}}
app = Application(env=env)
parcel = Parcel(12)
parcel.load("Truck 7")
app.save(parcel)
print(parcel.id)
"""


def test_a_moved_class_replays_only_with_its_old_topic_registered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = (f"golden_{name}_{uuid.uuid4().hex[:8]}" for name in ("old", "new"))
    store = tmp_path / "events.db"
    (tmp_path / f"{old}.py").write_text(PARCEL)
    recorded = subprocess.run(  # another process, as the release that wrote the log
        [sys.executable, "-c", RECORD.format(module=old), str(store)],
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    )
    parcel_id = uuid.UUID(recorded.stdout.strip())
    (tmp_path / f"{old}.py").unlink()  # the class moved: the old module is gone
    (tmp_path / f"{new}.py").write_text(PARCEL)
    monkeypatch.syspath_prepend(str(tmp_path))
    moved = importlib.import_module(new)
    app = Application[uuid.UUID](
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(store)}
    )

    with pytest.raises(TopicError, match=old):
        app.repository.get(parcel_id)

    register_topic(f"{old}:Parcel", moved.Parcel)  # as coordination/topics.py would
    parcel: Any = app.repository.get(parcel_id)
    assert (type(parcel), parcel.boxes, parcel.truck) == (moved.Parcel, 12, "Truck 7")


def test_coordination_registers_its_old_topics_on_import() -> None:
    importlib.import_module("coordination")
    assert "coordination.topics" in sys.modules
