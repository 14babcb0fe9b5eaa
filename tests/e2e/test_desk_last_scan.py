"""Each desk's last scan on the desk codes page: a check-in records which desk device scanned
it, a read model keeps the desk's latest scan, and the manager reads "last scan … ago" beside
the desk that scanned and "no scan yet" beside the others; a rebuild keeps it."""

from __future__ import annotations

import re
from uuid import UUID

from litestar.testing import TestClient

from coordination.areas.sites.commands import IssueDeviceToken
from coordination.areas.sites.lookups import token_id_of
from coordination.attendance import Attendance
from coordination.permissions import SYSTEM
from projections.device_tokens import DeviceTokens, devices_of_site
from tests.e2e.clients import sign_in
from tests.e2e.stadium import stadium, volunteers_on
from web.bootstrap import Services


def scans(page: str) -> dict[str, str]:
    """Each desk's name and what the page says of its last scan."""
    cards = re.findall(r"<strong>([^<]+)</strong>.*?data-last-scan>([^<]+)<", page, re.S)
    return dict(cards)


def test_the_desk_codes_page_shows_each_desks_last_scan(
    client: TestClient, services: Services
) -> None:
    world = stadium(services)
    site = world["site"]
    services.dispatcher.run(IssueDeviceToken(UUID(site), "Gate 2"), SYSTEM)
    badge = volunteers_on(services, world["shift"], 1)[0]
    services.runner.catch_up()
    sign_in(client, world["manager"])
    client.get("/language/en")
    devices = f"/packing/{site}/devices"
    assert scans(client.get(devices).text) == {"Gate 1": "no scan yet", "Gate 2": "no scan yet"}

    with TestClient(client.app) as desk:
        desk.headers["Authorization"] = f"Bearer {world['desk']}"
        answer = desk.post(
            f"/api/v1/sites/{site}/check-ins",
            json={"badge": badge, "desk": "Gate 1"},
            headers={"Idempotency-Key": "last-scan-1"},
        )
        assert answer.status_code == 201, answer.text
    services.runner.catch_up()

    gate_1 = token_id_of(services.app, world["desk"])
    checked_in = [
        e
        for e in services.app.recorder.select_notifications(start=None, limit=100_000)
        if e.topic.endswith("Attendance.CheckedIn")
    ]
    assert len(checked_in) == 1
    event = services.app.mapper.to_domain_event(checked_in[0])
    assert isinstance(event, Attendance.CheckedIn) and event.device_id == gate_1

    shown = scans(client.get(devices).text)
    assert shown["Gate 2"] == "no scan yet"
    assert re.fullmatch(r"last scan \d+ seconds? ago", shown["Gate 1"]), shown
    client.get("/language/ar")
    assert "آخر مسح قبل" in scans(client.get(devices).text)["Gate 1"]

    before = devices_of_site(services.db, site)
    view = next(p for p in services.runner.projections if isinstance(p, DeviceTokens))
    services.runner.rebuild(view)
    assert devices_of_site(services.db, site) == before
    assert [d["last_scan_at"] is not None for d in before] == [True, False]
