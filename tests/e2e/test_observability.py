"""What an operator sees: the access log, /healthz and /metrics."""

from __future__ import annotations

import io
import json
import logging
import time
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from projections.view_state import ViewFailed, mark_stalled
from tests.e2e.clients import new_volunteer, sign_in
from tests.processes import free_port, katf, stop, wait_until_serving
from web.bootstrap import Services
from web.platform import live
from web.platform.logs import WRITE_EVERY_SECONDS, BatchedLines, JsonLines
from web.platform.settings import Settings

PHONE = "01012345678"


def access_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [r.fields for r in caplog.records if r.name == "katf.access"]


def test_the_access_log_names_the_route_never_what_was_asked(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="katf.access"):
        routed = client.get(f"/language/en?next=/shifts&phone={PHONE}", follow_redirects=False)
        unmatched = client.get(f"/volunteers/{PHONE}", headers={"X-Request-ID": "lb-1234"})
    lines = access_lines(caplog)
    assert [line["route"] for line in lines] == ["/language/{code}", "(unmatched)"]
    first, second = lines
    assert first["method"] == "GET" and first["status"] == routed.status_code == 302
    assert first["request_id"] == routed.headers["X-Request-ID"]
    assert isinstance(first["duration_ms"], float)
    assert second["status"] == unmatched.status_code == 404
    assert second["request_id"] == unmatched.headers["X-Request-ID"] == "lb-1234"
    logged = json.dumps(lines)
    assert PHONE not in logged and "next" not in logged


def test_a_refused_request_is_logged_with_the_status_it_was_answered(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="katf.access"):
        refused = client.get("/api/v1/shifts?offset=-1")
        anonymous = client.get("/my-shifts", follow_redirects=False)
    statuses = [line["status"] for line in access_lines(caplog)]
    assert statuses == [refused.status_code, anonymous.status_code]
    assert 500 not in statuses and refused.status_code == 422


def test_an_access_line_is_one_flat_json_object() -> None:
    fields = {"route": "/shifts", "status": 200}
    record = logging.LogRecord("katf.access", logging.INFO, __file__, 1, "%(route)s", fields, None)
    record.fields = fields
    line = json.loads(JsonLines().format(record))
    assert line["route"] == "/shifts" and line["status"] == 200 and line["level"] == "info"
    assert "message" not in line


def test_healthz_reports_every_view_and_keeps_the_process_in_the_pool_while_one_stalls(
    client: TestClient, services: Services
) -> None:
    services.runner.catch_up()
    healthy = client.get("/healthz")
    assert healthy.status_code == 200
    body = healthy.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert set(body["views"]) == {p.name for p in services.runner.projections}
    assert all(view["state"] == "running" for view in body["views"].values())

    position = services.runner.position(services.runner.projection("my_shifts"))
    mark_stalled(services.db, position, ViewFailed("my_shifts", 7, "a:Topic", ValueError("x")))
    stalled = client.get("/healthz")
    assert stalled.status_code == 200
    assert stalled.json()["status"] == "degraded"
    assert stalled.json()["views"]["my_shifts"]["state"] == "stalled"


def test_healthz_answers_503_when_the_database_does_not(
    client: TestClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable() -> None:
        raise ConnectionError("database is down")

    monkeypatch.setattr(services.runner, "states", unreachable)
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["database"].startswith("failing")


def test_metrics_in_prometheus_format(client: TestClient, services: Services) -> None:
    client.get("/language/ar", follow_redirects=False)
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    text = answer.text
    assert 'katf_http_requests_total{method="GET",route="/language/{code}",status="302"}' in (text)
    assert 'katf_http_request_duration_seconds_bucket{le="0.005",method="GET"' in text
    for view in services.runner.projections:
        assert f'katf_projection_lag{{view="{view.name}"}}' in text
        assert f'katf_projection_stalled{{view="{view.name}"}} 0.0' in text
    assert "katf_sse_clients " in text
    assert "katf_import_jobs_running 0.0" in text
    assert 'katf_job_queue{state="queued"} 0.0' in text
    assert 'katf_job_queue{state="running"} 0.0' in text
    assert "katf_dispatch_batch_size_bucket" in text
    assert "katf_dispatch_batches_one_by_one_total " in text


def test_a_board_says_it_is_behind_while_its_view_lags_or_stalls(
    client: TestClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    volunteer = new_volunteer(client)
    sign_in(client, volunteer["phone"])
    client.get("/language/en")
    services.runner.catch_up()
    behind = "/live/behind?view=kitchen_dashboard&view=ticket_queue"
    assert "board is behind" not in client.get(behind).text

    monkeypatch.setattr(live, "BEHIND_EVENTS", 0)
    services.stop_projections()  # the log moves on; nobody follows it
    for _ in range(2):
        new_volunteer(client)
    assert "the latest changes will appear in a moment" in client.get(behind).text
    services.runner.catch_up()
    assert "board is behind" not in client.get(behind).text

    position = services.runner.position(services.runner.projection("ticket_queue"))
    mark_stalled(services.db, position, ViewFailed("ticket_queue", 7, "a:Topic", ValueError("x")))
    assert "it has stopped updating" in client.get(behind).text
    assert "board is behind" not in client.get("/live/behind?view=kitchen_dashboard").text
    client.get("/language/ar")
    assert "توقف تحديثها" in client.get(behind).text


def test_access_lines_wait_in_memory_and_go_out_together_with_their_tracebacks() -> None:
    stream = io.StringIO()
    handler = BatchedLines(stream, every=3600)  # the writer thread will not come round
    handler.setFormatter(JsonLines())
    logger = logging.getLogger("katf.test.batched")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    try:
        logger.info("first")
        try:
            raise ValueError("broken")
        except ValueError:
            logger.exception("second")
        assert stream.getvalue() == ""
        handler.flush()
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "first" and second["message"] == "second"
    assert "ValueError: broken" in second["error"]


def test_a_served_process_writes_its_access_lines_as_json_up_to_its_last_request(
    sqlite_settings: Settings,
) -> None:
    """Lines are written in batches off the event loop; stopping the process writes the rest."""
    process = katf(sqlite_settings, "serve", "--port", str(port := free_port()))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, process)
        answers = [httpx.get(f"{base}/api/v1/governorates") for _ in range(3)]
        answers.append(httpx.get(f"{base}/volunteers/{PHONE}"))
        time.sleep(5 * WRITE_EVERY_SECONDS)  # written by now, whether or not the exit is clean
    finally:
        stop(process)
    assert process.stderr is not None
    written = process.stderr.read().decode().splitlines()
    lines = [json.loads(line) for line in written if line.startswith("{")]  # and the greeting
    access = [line for line in lines if line["logger"] == "katf.access"]
    ids = {answer.headers["X-Request-ID"] for answer in answers}
    assert ids <= {line["request_id"] for line in access}
    last = next(
        line for line in access if line["request_id"] == answers[-1].headers["X-Request-ID"]
    )
    assert last["route"] == "(unmatched)" and last["status"] == 404 and "message" not in last
    assert PHONE not in json.dumps(lines)
    assert {line["process"] for line in access} == {process.pid}
