"""Issue 20, finding 2: a control character in any free-text field is refused (422) before it
is recorded, so no view ever meets it and every view keeps following the log."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from litestar.testing import TestClient

from coordination.areas.accounts.commands import CreateUser
from coordination.areas.kitchens.commands import LogCooked
from coordination.areas.sites.commands import FoundAssociation, OpenSite, ScheduleShift
from coordination.areas.tickets.commands import OpenTicket
from coordination.permissions import SYSTEM, Grant, Role
from tests.conftest import started
from tests.e2e.clients import sign_in
from tests.helpers import PASSWORD, mobile
from web.app import create_app
from web.bootstrap import Services
from web.platform.settings import Settings

NUL = "Line\x00A"


@pytest.fixture(params=["sqlite", "postgres"])
def world(request: pytest.FixtureRequest) -> Iterator[tuple[Services, TestClient, dict[str, Any]]]:
    settings: Settings = request.getfixturevalue(
        f"{'pg' if request.param == 'postgres' else 'sqlite'}_settings"
    )
    for services in started(settings):
        run = services.dispatcher.run
        admin = mobile()
        run(CreateUser(admin, "Admin", PASSWORD, [Grant(Role.NATIONAL_ADMIN)]), SYSTEM)
        site = run(OpenSite(f"text-{uuid4().hex[:8]}", "packing", "01", "ملعب", "Stadium"), SYSTEM)
        kitchen = run(
            OpenSite(f"text-k-{uuid4().hex[:8]}", "kitchen", "01", "مطبخ", "Kitchen"), SYSTEM
        )
        association = run(
            FoundAssociation(f"text-a-{uuid4().hex[:8]}", "جمعية", "Association", "01"), SYSTEM
        )
        now = datetime.now(UTC).replace(microsecond=0)
        shift = run(
            ScheduleShift(
                site, "packer", now + timedelta(days=1), now + timedelta(days=1, hours=4), 5
            ),
            SYSTEM,
        )
        batch = run(LogCooked(kitchen, "Koshari", 100, "cooked"), SYSTEM)
        ticket = run(OpenTicket("hotline", "urgent_need", "01", "Need food"), SYSTEM)
        ids = {"site": site, "kitchen": kitchen, "association": association, "shift": shift}
        ids |= {"batch": batch.batch_id if hasattr(batch, "batch_id") else batch, "ticket": ticket}
        with TestClient(create_app(services, secure_cookies=False)) as client:
            sign_in(client, admin)
            yield services, client, ids


def posts(ids: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every API route that records free text, with a NUL in one of its text fields."""
    site, kitchen, shift = ids["site"], ids["kitchen"], ids["shift"]
    name = {"governorate": "01", "name_ar": "اسم", "name_en": "Name"}
    return [
        ("/api/v1/sites", {"slug": "nul-site", "kind": "packing", **name, "name_en": NUL}),
        ("/api/v1/sites", {"slug": "nul-site", "kind": "packing", **name, "name_ar": NUL}),
        ("/api/v1/associations", {"slug": "nul-association", **name, "name_en": NUL}),
        (f"/api/v1/sites/{site}/devices", {"label": NUL}),
        (f"/api/v1/sites/{site}/lines", {"name": NUL, "zone": "North", "hourly_target": 10}),
        (f"/api/v1/sites/{site}/lines", {"name": "Line", "zone": NUL, "hourly_target": 10}),
        (f"/api/v1/sites/{site}/packing", {"daily_box_target": 10, "box_template": {NUL: 1}}),
        (f"/api/v1/sites/{site}/check-ins", {"phone": "01012345678", "desk": NUL}),
        ("/api/v1/rounds", {"slug": "nul-round", "name_ar": NUL, "name_en": "Round"}),
        (f"/api/v1/kitchens/{kitchen}/batches", {"dish": NUL, "count": 5}),
        (f"/api/v1/batches/{ids['batch']}/discarded", {"count": 1, "reason": NUL}),
        (
            "/api/v1/exchange/requests",
            {
                "association_id": str(ids["association"]),
                "shift_id": str(shift),
                "asked": 1,
                "note": NUL,
            },
        ),
        (
            "/api/v1/tickets/",
            {
                "channel": "hotline",
                "category": "urgent_need",
                "governorate": "01",
                "description": NUL,
            },
        ),
        (
            "/api/v1/tickets/",
            {
                "channel": "hotline",
                "category": "urgent_need",
                "governorate": "01",
                "description": "x",
                "contact_name": NUL,
            },
        ),
        (f"/api/v1/tickets/{ids['ticket']}/notes", {"text": NUL}),
        (f"/api/v1/tickets/{ids['ticket']}/notes", {"text": "turned \u202e around"}),
        (
            "/api/v1/training/sessions",
            {
                "programme": "first_aid",
                "starts_at": (datetime.now(UTC) + timedelta(days=2)).isoformat(),
                "place": NUL,
                "capacity": 5,
            },
        ),
    ]


def test_a_control_character_in_any_free_text_field_is_refused_and_no_view_stops(
    world: tuple[Services, TestClient, dict[str, Any]],
) -> None:
    services, client, ids = world
    head = services.runner.head()
    for route, body in posts(ids):
        response = client.post(route, json=body, headers={"Idempotency-Key": uuid4().hex})
        assert response.status_code == 422, (route, body, response.text)
        assert response.json()["error"]["code"] == "unsafe_characters", route
    assert services.runner.head() == head  # nothing was recorded
    client.post(
        f"/api/v1/kitchens/{ids['kitchen']}/batches",
        json={"dish": "  Fool   medames ", "count": 5},
        headers={"Idempotency-Key": uuid4().hex},
    ).raise_for_status()
    services.runner.catch_up()
    for projection in services.runner.projections:
        assert services.runner.position(projection) == services.runner.head(), projection.name


def test_a_refused_text_reads_as_a_sentence_in_arabic(
    world: tuple[Services, TestClient, dict[str, Any]],
) -> None:
    _, client, ids = world
    response = client.post(
        f"/api/v1/sites/{ids['site']}/lines",
        json={"name": NUL, "zone": "North", "hourly_target": 10},
        headers={"Accept-Language": "ar"},
    )
    assert response.status_code == 422
    assert "رموز تحكم" in response.json()["error"]["message"]
