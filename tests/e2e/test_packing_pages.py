"""Packing-day pages over HTTP: desk, line lead, console, time travel, export, badges."""

from __future__ import annotations

import io
import re
import time
import zipfile
from datetime import datetime
from typing import Any
from uuid import UUID

from litestar.testing import TestClient

from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.areas.attendance.commands import AssignPlace, CheckIn, CheckOut
from coordination.areas.packing.commands import ConfigurePacking, LogBoxes
from coordination.areas.packing.lookups import on_hand
from coordination.areas.sign_ups.commands import SignUp
from coordination.calendar import CAMPAIGN_TIMEZONE
from coordination.permissions import SYSTEM
from tests.e2e.clients import sign_in
from tests.e2e.stadium import stadium
from tests.e2e.test_pages import form_token
from tests.helpers import PASSWORD, certified, mobile, national_id
from web.bootstrap import Services
from web.platform.i18n import number


def in_arabic(value: int) -> str:
    """A total as an Arabic page writes it (Arabic-Indic digits by default)."""
    return number(value, "ar")


def volunteer(services: Services, world: dict[str, Any], signed_up: bool = True) -> dict[str, str]:
    phone = mobile()
    volunteer_id = services.dispatcher.run(
        RegisterVolunteer("منى حسن", phone, national_id(), "01", PASSWORD)
    )
    if signed_up:
        services.dispatcher.run(SignUp(UUID(world["shift"]), volunteer_id, f"s-{phone}"), SYSTEM)
    return {"phone": phone, "id": str(volunteer_id)}


def enrolled_desk(client: TestClient, world: dict[str, Any]) -> str:
    token = form_token(client.get("/desk").text)
    answer = client.post(
        "/desk", data={"device_code": world["desk"], "_csrf_token": token}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/packing/{world['site']}/desk"
    return form_token(client.get(answer.headers["location"]).text)


def scan(client: TestClient, world: dict[str, Any], token: str, **form: str) -> Any:
    return client.post(
        f"/packing/{world['site']}/desk",
        data={"action": "in", **form},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )


def test_a_desk_enrolled_with_its_code_checks_volunteers_in(
    client: TestClient, services: Services
) -> None:
    world = stadium(services)
    services.runner.catch_up()
    arriving = volunteer(services, world)
    token = enrolled_desk(client, world)
    desk = client.get(f"/packing/{world['site']}/desk").text  # named as on its card
    assert re.search(r'<input id="desk-name"[^>]*value="Gate 1"', desk)
    first = scan(client, world, token, who=arriving["phone"])
    assert first.status_code == 201 and "سجّل منى حسن الحضور" in first.text
    again = scan(client, world, token, who=arriving["phone"])
    assert again.status_code == 200 and "من قبل" in again.text
    stranger = volunteer(services, world, signed_up=False)
    refused = scan(client, world, token, who=stranger["phone"])
    assert refused.status_code == 409 and "حضور دون حجز" in refused.text
    walk_in = scan(
        client, world, token, who=stranger["phone"], shift_id=world["shift"], walk_in="1"
    )
    assert walk_in.status_code == 201 and "دون حجز مسبق" in walk_in.text
    forged = scan(client, world, token, who="K1." + "0" * 32 + ".abc")
    assert forged.status_code == 422 and "ليست من بطاقاتنا" in forged.text
    # a desk does desk work only: the console is the manager's (issue 20, finding 5)
    assert client.get(f"/packing/{world['site']}/console").status_code == 403


def test_a_wrong_device_code_opens_no_desk(client: TestClient, services: Services) -> None:
    world = stadium(services)
    token = form_token(client.get("/desk").text)
    answer = client.post("/desk", data={"device_code": "katf_wrong", "_csrf_token": token})
    assert answer.status_code == 401 and "غير معروف" in answer.text
    assert client.get(f"/packing/{world['site']}/desk").status_code == 401


def test_the_line_lead_logs_boxes_in_two_taps_from_the_phone(
    client: TestClient, services: Services
) -> None:
    world = stadium(services)
    lead = volunteer(services, world)
    line, other = UUID(world["lines"][1]), world["lines"][2]
    certified(services.dispatcher.run, UUID(lead["id"]))
    services.dispatcher.run(
        AssignPlace(UUID(world["shift"]), UUID(lead["id"]), "", "line_lead", line), SYSTEM
    )
    services.dispatcher.run(CheckIn(UUID(world["site"]), UUID(lead["id"]), "lead-in"), SYSTEM)
    services.runner.catch_up()
    sign_in(client, lead["phone"])
    mine = client.get("/my-shifts").text
    assert "<svg" in mine and f"/packing/{world['site']}/lines/{line}" in mine
    assert "قائد خط في Zone 1" in mine
    page = client.get(f"/packing/{world['site']}/lines/{line}").text
    tap = page[page.index('value="25"') - 400 :]
    logged = client.post(
        f"/packing/{world['site']}/lines/{line}/boxes",
        data={"count": "25", "idempotency_key": form_token(tap, "idempotency_key")},
        headers={"HX-Request": "true"},
    )
    assert logged.status_code == 201 and f'data-total="line">{in_arabic(25)}<' in logged.text
    assert client.get(f"/packing/{world['site']}/lines/{other}").status_code == 403
    assert on_hand(services.app, UUID(world["site"])) == 25


def test_sending_more_boxes_than_the_site_holds_is_refused_clearly(
    client: TestClient, services: Services
) -> None:
    world = stadium(services)
    services.dispatcher.run(LogBoxes(UUID(world["site"]), UUID(world["lines"][0]), 40, "b"), SYSTEM)
    services.runner.catch_up()
    sign_in(client, world["manager"])
    page = client.post(
        f"/packing/{world['site']}/dispatches",
        data={"point_id": world["point"], "count": "50", "label": "ABC 123"},
        headers={"HX-Request": "true"},
    )
    assert page.status_code == 409
    assert "عدد الكراتين الموجودة هنا ٤٠ فقط؛ لا يمكن إخراج ٥٠" in page.text
    api = client.post(
        f"/api/v1/sites/{world['site']}/dispatches",
        json={"point_id": world["point"], "count": 41},
        headers={"Idempotency-Key": "truck-1", "Accept-Language": "en"},
    )
    assert api.status_code == 409
    assert api.json()["error"] == {
        "code": "not_enough_stock",
        "message": "Only 40 boxes are on hand here; 41 cannot leave. Send fewer.",
    }
    sent = client.post(
        f"/api/v1/sites/{world['site']}/dispatches",
        json={"point_id": world["point"], "count": 40},
        headers={"Idempotency-Key": "truck-2"},
    )
    assert sent.status_code == 201 and sent.json()["on_hand"] == 0


def test_the_board_as_it_was_earlier_today(client: TestClient, services: Services) -> None:
    world = stadium(services)
    site, line = UUID(world["site"]), UUID(world["lines"][0])
    services.dispatcher.run(LogBoxes(site, line, 10, "early"), SYSTEM)
    time.sleep(1.1)
    moment = datetime.now(CAMPAIGN_TIMEZONE).strftime("%H:%M:%S")
    time.sleep(1.1)
    services.dispatcher.run(LogBoxes(site, line, 20, "later"), SYSTEM)
    services.runner.catch_up()
    sign_in(client, world["manager"])
    then = client.get(f"/packing/{world['site']}/at", params={"time": moment})
    assert then.status_code == 200 and f'data-total="packed">{in_arabic(10)}<' in then.text
    assert f'data-total="packed">{in_arabic(30)}<' in client.get(f"/packing/{world['site']}").text
    as_written = moment.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    then = client.get(f"/packing/{world['site']}/at", params={"time": as_written})
    assert then.status_code == 200, "a time typed in Arabic-Indic digits is read"
    for wrong in ("25:99", "23:59:59" if moment < "23:59:59" else "not a time"):
        refused = client.get(f"/packing/{world['site']}/at", params={"time": wrong})
        assert refused.status_code == 422 and "١٠:٤٢" in refused.text  # the page's digits


def test_the_day_exports_as_csv_and_a_four_sheet_workbook(
    client: TestClient, services: Services
) -> None:
    world = stadium(services)
    site = UUID(world["site"])
    arriving = volunteer(services, world)
    services.dispatcher.run(CheckIn(site, UUID(arriving["id"]), "in"), SYSTEM)
    services.dispatcher.run(CheckOut(site, UUID(arriving["id"]), "out"), SYSTEM)
    services.dispatcher.run(LogBoxes(site, UUID(world["lines"][0]), 12, "b"), SYSTEM)
    services.runner.catch_up()
    sign_in(client, world["manager"])
    hours = client.get(f"/packing/{world['site']}/export/hours.csv")
    assert hours.status_code == 200 and hours.text.startswith("\ufeffvolunteer_id,full_name")
    assert f"{arriving['id']},منى حسن,1," in hours.text
    boxes = client.get(f"/packing/{world['site']}/export/boxes.csv").text
    assert "Line 0,Zone 0," in boxes and boxes.rstrip().endswith(",12")
    book = zipfile.ZipFile(
        io.BytesIO(client.get(f"/packing/{world['site']}/export/day.xlsx").content)
    )
    sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 4
    assert client.get(f"/packing/{world['site']}/export/secrets.csv").status_code == 404
    assert client.get(f"/packing/{world['site']}/export/hours.csv?day=soon").status_code == 422


def test_a_shift_prints_its_badges(client: TestClient, services: Services) -> None:
    world = stadium(services)
    people = [volunteer(services, world) for _ in range(3)]
    services.runner.catch_up()
    sign_in(client, world["manager"])
    sheet = client.get(f"/packing/shifts/{world['shift']}/badges").text
    assert sheet.count('class="badge"') == len(people) and sheet.count("<svg") == len(people)


def test_the_wall_and_the_board_show_no_target_as_a_dash_until_one_is_set(
    client: TestClient, services: Services
) -> None:
    """A site with no daily target set shows a dash on the wall and its board, not a target of
    zero."""
    world = stadium(services)
    site = UUID(world["site"])
    services.dispatcher.run(ConfigurePacking(site, 0, {"rice (kg)": 2}), SYSTEM)
    services.runner.catch_up()
    sign_in(client, world["manager"])
    wall, board = client.get(f"/packing/{site}/tv").text, client.get(f"/packing/{site}").text
    assert 'data-total="target">–<' in wall and 'data-total="target">–<' in board
    services.dispatcher.run(ConfigurePacking(site, 2_500, {"rice (kg)": 2}), SYSTEM)
    services.runner.catch_up()
    wall, board = client.get(f"/packing/{site}/tv").text, client.get(f"/packing/{site}").text
    assert f'data-total="target">{in_arabic(2_500)}<' in wall
    assert f'data-total="target">{in_arabic(2_500)}<' in board
