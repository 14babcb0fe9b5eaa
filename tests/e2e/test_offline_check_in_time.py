"""A desk that scanned offline sends each scan with the time it happened: the board places the
check-in then, the event keeps when the server had it, and a device clock is believed only
between a day before the receipt and the receipt itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from litestar.testing import TestClient

from coordination.attendance import Attendance
from coordination.calendar import from_utc_text
from tests.e2e.clients import sign_in
from tests.e2e.stadium import stadium
from tests.e2e.test_packing_pages import volunteer
from web.bootstrap import Services


def checked_in_at(services: Services, shift: str, volunteer_id: str) -> datetime:
    services.runner.catch_up()
    rows = services.db.query(
        "SELECT checked_in_at FROM attendance WHERE shift_id = %s AND volunteer_id = %s",
        (shift, volunteer_id),
    )
    return from_utc_text(rows[0]["checked_in_at"])


def test_an_offline_scan_is_placed_when_it_happened_and_kept_with_its_receipt(
    client: TestClient, services: Services
) -> None:
    world = stadium(services)
    early, late, future = (volunteer(services, world) for _ in range(3))
    sign_in(client, world["manager"])
    scanned = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)
    check_ins = f"/api/v1/sites/{world['site']}/check-ins"
    for _ in range(2):  # sent again after a lost answer: recorded once
        answer = client.post(
            check_ins,
            json={"phone": early["phone"], "at": scanned.isoformat()},
            headers={"Idempotency-Key": "desk-1-scan-1"},
        )
        assert answer.status_code in (200, 201), answer.text
    assert checked_in_at(services, world["shift"], early["id"]) == scanned
    attendance_id = Attendance.create_id(UUID(world["shift"]), UUID(early["id"]))
    stored = services.app.repository.event_store.get(attendance_id)
    events = [e for e in stored if isinstance(e, Attendance.CheckedIn)]
    assert len(events) == 1 and events[0].at == scanned
    assert events[0].received_at > scanned + timedelta(minutes=29)

    before = datetime.now(UTC)
    client.post(check_ins, json={"phone": late["phone"]}, headers={"Idempotency-Key": "k2"})
    assert checked_in_at(services, world["shift"], late["id"]) >= before.replace(microsecond=0)

    ahead = datetime.now(UTC) + timedelta(hours=2)  # a device clock ahead of the server's
    client.post(
        check_ins,
        json={"phone": future["phone"], "at": ahead.isoformat()},
        headers={"Idempotency-Key": "k3"},
    )
    assert checked_in_at(services, world["shift"], future["id"]) < ahead - timedelta(hours=1)


def test_an_offline_check_out_is_placed_when_it_happened(
    client: TestClient, services: Services
) -> None:
    world = stadium(services)
    person = volunteer(services, world)
    sign_in(client, world["manager"])
    site = world["site"]
    arrived = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=50)
    left = arrived + timedelta(minutes=20)
    answer = client.post(
        f"/api/v1/sites/{site}/check-ins",
        json={"phone": person["phone"], "at": arrived.isoformat()},
        headers={"Idempotency-Key": "desk-1-in"},
    )
    assert answer.status_code == 201, answer.text
    for _ in range(2):  # sent again after a lost answer: recorded once
        answer = client.post(
            f"/api/v1/sites/{site}/check-outs",
            json={"phone": person["phone"], "at": left.isoformat()},
            headers={"Idempotency-Key": "desk-1-out"},
        )
        assert answer.status_code in (200, 201), answer.text
    attendance_id = Attendance.create_id(UUID(world["shift"]), UUID(person["id"]))
    stored = list(services.app.repository.event_store.get(attendance_id))
    (out,) = [e for e in stored if type(e).__name__ == "CheckedOut"]
    assert out.at == left and out.seconds == 20 * 60
    assert out.timestamp > left + timedelta(minutes=29)  # the receipt, kept by the event
