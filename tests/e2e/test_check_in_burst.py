"""The stadium gates open: 5,000 volunteers scanned in over HTTP, one in ten scanned twice;
a thousand of them leave, and their hours are exactly check-out minus check-in."""

from __future__ import annotations

import asyncio
import csv
import io
import random
import time
from collections import Counter
from uuid import UUID

import httpx
import pytest

from coordination.attendance import Attendance
from projections.stadium import attendance_of
from tests.conftest import started
from tests.e2e.clients import sign_in
from tests.e2e.stadium import stadium, volunteers_on
from tests.processes import katf, server, stop, wait_for
from web.platform.fields import today
from web.platform.settings import Settings

VOLUNTEERS = 5_000
DOUBLE_SCANS = 500
LEAVING = 1_000
DESKS = 64


def caught_up(settings: Settings) -> bool:
    for services in started(settings):
        return services.runner.caught_up()
    return False


async def scan_all(base: str, world: dict[str, str], codes: list[str], what: str) -> Counter[int]:
    """Every code through one of 64 desks at once, as the gates do; each scan its own key."""
    answers: Counter[int] = Counter()
    queue: asyncio.Queue[str] = asyncio.Queue()
    for code in codes:
        queue.put_nowait(code)
    headers = {"Authorization": f"Bearer {world['desk']}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as client:

        async def desk(number: int) -> None:
            while not queue.empty():
                code = queue.get_nowait()
                answer = await client.post(
                    f"/api/v1/sites/{world['site']}/{what}",
                    json={"badge": code, "desk": f"Gate {number}"},
                    headers={"Idempotency-Key": f"{what}-{number}-{random.random()}"},
                )
                answers[answer.status_code] += 1

        await asyncio.gather(*(desk(n) for n in range(DESKS)))
    return answers


@pytest.mark.postgres
def test_a_burst_of_check_ins_records_one_per_volunteer_and_exact_hours(
    pg_settings: Settings,
) -> None:
    for services in started(pg_settings):
        world = stadium(services, capacity=VOLUNTEERS)
        codes = volunteers_on(services, world["shift"], VOLUNTEERS)
        services.runner.catch_up()
    scans = codes + random.sample(codes, DOUBLE_SCANS)
    random.shuffle(scans)
    worker = katf(pg_settings, "project")
    with server(pg_settings) as base:
        started_at = time.monotonic()
        arrivals = asyncio.run(scan_all(base, world, scans, "check-ins"))
        print(f"check-ins: {len(scans) / (time.monotonic() - started_at):.0f}/s")
        leaving = random.sample(codes, LEAVING)
        departures = asyncio.run(scan_all(base, world, leaving, "check-outs"))
        wait_for(lambda: caught_up(pg_settings), seconds=120, interval=0.5)
        stop(worker)
        with httpx.Client(base_url=base, timeout=60) as manager:  # a desk does desk work only
            sign_in(manager, world["manager"])  # type: ignore[arg-type]
            export = manager.get(f"/packing/{world['site']}/export/hours.csv")
    assert arrivals == {201: VOLUNTEERS, 200: DOUBLE_SCANS}
    assert departures == {201: LEAVING}
    assert export.status_code == 200
    exported = {row["volunteer_id"]: row for row in csv.DictReader(io.StringIO(export.text[1:]))}
    for services in started(pg_settings):
        services.runner.catch_up()
        rows = attendance_of(services.db, world["site"], today())
        assert len(rows) == VOLUNTEERS
        assert all(row["checked_in_at"] for row in rows)
        gone = [row for row in rows if row["checked_out_at"]]
        assert len(gone) == LEAVING and len(exported) == LEAVING
        for row in gone:
            attendance = services.app.repository.get(UUID(row["attendance_id"]))
            assert isinstance(attendance, Attendance)
            stayed = attendance.checked_out_at - attendance.checked_in_at
            assert row["seconds"] == int(stayed.total_seconds())
            hours = float(exported[row["volunteer_id"]]["hours"])
            assert hours == round(int(stayed.total_seconds()) / 3600, 2)
        events = services.app.recorder.select_notifications(start=None, limit=100_000)
        check_ins = [n for n in events if n.topic.endswith("Attendance.CheckedIn")]
        assert len(check_ins) == VOLUNTEERS
