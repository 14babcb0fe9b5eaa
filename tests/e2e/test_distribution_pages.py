"""Distribution over HTTP: offline uploads, the point's page, the overview and its reports."""

from __future__ import annotations

import io
import re
import time
from typing import Any
from uuid import UUID

from litestar.testing import TestClient
from xlsxwriter import Workbook

from coordination.areas.accounts.commands import CreateUser
from coordination.areas.distribution.commands import HandOff, OpenRound, RegisterHousehold
from coordination.areas.distribution.lookups import household_id_for
from coordination.areas.packing.commands import AddLine, ConfirmTruckload, DispatchTruck, LogBoxes
from coordination.areas.packing.lookups import on_hand
from coordination.areas.sites.commands import OpenSite
from coordination.permissions import SYSTEM, Grant, Role
from projections.distribution import current_round
from tests.e2e.clients import sign_in
from tests.helpers import PASSWORD, mobile, national_id
from web.bootstrap import Services


def giza(services: Services, boxes: int = 10) -> dict[str, Any]:
    stadium = services.dispatcher.run(
        OpenSite("stadium", "packing", "01", "الاستاد", "Stadium"), SYSTEM
    )
    line = services.dispatcher.run(AddLine(stadium, "Line 1", "North", 400), SYSTEM)
    services.dispatcher.run(LogBoxes(stadium, line, boxes, "packed"), SYSTEM)
    point = services.dispatcher.run(
        OpenSite("imbaba", "distribution_point", "21", "نقطة إمبابة", "Imbaba"), SYSTEM
    )
    truck = services.dispatcher.run(
        DispatchTruck(stadium, point, boxes, "truck", "ABC 1"), SYSTEM
    ).truckload_id
    services.dispatcher.run(
        OpenRound("ramadan-1447", "رمضان ١٤٤٧", "Ramadan 1447", 4_000_000), SYSTEM
    )
    staff = {"manager": Grant(Role.SITE_MANAGER, str(point)), "admin": Grant(Role.NATIONAL_ADMIN)}
    phones = {name: mobile() for name in staff}
    for name, grant in staff.items():
        services.dispatcher.run(CreateUser(phones[name], name.title(), PASSWORD, [grant]), SYSTEM)
    families = [national_id() for _ in range(4)]
    for digits in families:
        services.dispatcher.run(RegisterHousehold(digits, 6, "", point), SYSTEM)
    services.dispatcher.run(ConfirmTruckload(truck, boxes), SYSTEM)
    services.runner.catch_up()
    return {"point": str(point), "truck": str(truck), "families": families, **phones}


def test_an_offline_batch_sent_three_times_counts_once(
    client: TestClient, services: Services
) -> None:
    world = giza(services)
    sign_in(client, world["manager"])
    items = [{"national_id": d, "key": f"tablet-{n}"} for n, d in enumerate(world["families"])]
    items.insert(2, {"national_id": "2990101", "key": "short-id"})
    items.insert(4, {"national_id": world["families"][0], "key": "second-box"})
    items.append({"national_id": national_id(), "key": "unregistered"})
    answers = [
        client.post(f"/api/v1/points/{world['point']}/hand-offs/batch", json={"items": items})
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200]
    first, *again = [a.json() for a in answers]
    assert first["counts"] == {"recorded": 4, "already_recorded": 0, "refused": 3}
    assert all(a["counts"] == {"recorded": 0, "already_recorded": 4, "refused": 3} for a in again)
    refused = {r["index"]: r for r in first["results"] if r["status"] == "refused"}
    assert {i: r["code"] for i, r in refused.items()} == {
        2: "national_id_length",
        4: "allowance_used",
        6: "household_not_found",
    }
    assert "نقطة إمبابة (Imbaba)" in refused[4]["message"]
    assert on_hand(services.app, UUID(world["point"])) == 6
    too_many = client.post(
        f"/api/v1/points/{world['point']}/hand-offs/batch",
        json={"items": [{"national_id": national_id(), "key": str(n)} for n in range(501)]},
    )
    assert too_many.status_code == 422 and too_many.json()["error"]["code"] == "batch_too_large"


def test_the_point_hands_over_registers_and_receives_trucks(
    client: TestClient, services: Services
) -> None:
    world = giza(services)
    sign_in(client, world["manager"])
    point = f"/points/{world['point']}"
    htmx = {"HX-Request": "true"}
    given = client.post(
        f"{point}/hand-offs", data={"national_id": world["families"][1]}, headers=htmx
    )
    # the stock in the page's digits (Arabic-Indic on an Arabic page)
    assert given.status_code == 200 and 'data-on-hand="food_box">٩<' in given.text
    twice = client.post(
        f"{point}/hand-offs", data={"national_id": world["families"][1]}, headers=htmx
    )
    assert twice.status_code == 409 and "استلمت هذه الأسرة حصتها" in twice.text
    newcomer = national_id()
    unknown = client.post(f"{point}/hand-offs", data={"national_id": newcomer}, headers=htmx)
    assert unknown.status_code == 404 and "غير مسجلة" in unknown.text
    registered = client.post(
        f"{point}/households", data={"national_id": newcomer, "size": "3"}, headers=htmx
    )
    assert registered.status_code == 200
    lantern = client.post(
        f"{point}/hand-offs", data={"national_id": newcomer, "item": "lantern"}, headers=htmx
    )
    assert lantern.status_code == 409 and "نفد هذا الصنف" in lantern.text
    assert "ABC 1" in client.get(point).text


def test_the_national_overview_and_its_reports(client: TestClient, services: Services) -> None:
    world = giza(services)
    family = household_id_for(services.app, world["families"][0])
    services.dispatcher.run(
        HandOff(UUID(world["point"]), current(services), family, "food_box", 1, "k"), SYSTEM
    )
    services.runner.catch_up()
    sign_in(client, world["admin"])
    overview = client.get("/governorates").text
    assert overview.count('class="gov-tile') == 27 and "gov-tile tile-21 active" in overview
    assert 'data-total="boxes">١<' in overview  # in the page's digits
    giza_board = client.get("/governorates/21").text
    assert f'data-point-handed="{world["point"]}">١<' in giza_board
    report = client.get("/governorates/report/overview.csv").text
    rows = report.replace("\r", "").splitlines()
    assert "01,10,0,0,0,True" in rows and "21,0,1,1,4,True" in rows
    assert client.get("/governorates/report/21.xlsx").status_code == 200
    assert client.get("/governorates/report/99.csv").status_code == 422


def current(services: Services) -> UUID:
    row = current_round(services.db)
    assert row is not None
    return UUID(row["round_id"])


def upload(client: TestClient, point: str, name: str, content: bytes) -> str:
    answer = client.post(
        f"/points/{point}/import", files={"file": (name, content)}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    return answer.headers["location"]


def finished(client: TestClient, location: str) -> str:
    for _ in range(600):
        panel = client.get(f"{location}/panel").text
        if 'data-finished="1"' in panel:
            return panel
        time.sleep(0.05)
    raise AssertionError("the import did not finish")


def test_households_import_from_a_list_with_a_report_of_rejected_rows(
    client: TestClient, services: Services
) -> None:
    world = giza(services)
    sign_in(client, world["manager"])
    families = [national_id() for _ in range(950)]
    rows = [f"{digits},{1 + n % 9}" for n, digits in enumerate(families)]
    rows += [f"{families[n]},5" for n in range(0, 950, 19)]  # 50 listed twice
    rows += ["12345,4", f"{national_id()},0"] * 10  # 20 invalid
    content = ("الرقم القومي,عدد الأفراد\n" + "\n".join(rows) + "\n").encode()
    panel = finished(client, upload(client, world["point"], "families.csv", content))
    assert "١٬٠٢٠ من ١٬٠٢٠ صفًا" in panel
    job = panel_numbers(panel)
    assert job == {"new": 950, "existing": 50, "rejected": 20}
    assert "الرقم القومي" in panel and "عدد أفراد الأسرة بين ١ و٣٠" in panel
    location = upload(client, world["point"], "again.csv", content)
    again = panel_numbers(finished(client, location))
    assert again == {"new": 0, "existing": 1000, "rejected": 20}
    status = client.get(f"/api/v1{location}").json()
    assert status["finished"] and status["done"] == status["total"] == 1020
    assert status["counts"] == {"created": 0, "existing": 1000, "linked": 0, "rejected": 20}
    services.runner.catch_up()
    count = services.db.query("SELECT COUNT(*) AS n FROM households WHERE governorate = '21'")
    assert count[0]["n"] == 950 + 4


def test_households_import_from_a_workbook(client: TestClient, services: Services) -> None:
    world = giza(services)
    sign_in(client, world["admin"])
    out = io.BytesIO()
    with Workbook(out, {"in_memory": True}) as book:
        sheet = book.add_worksheet()
        sheet.write_row(0, 0, ["National ID", "Household size"])
        for n in range(30):
            sheet.write_row(n + 1, 0, [int(national_id()), 4])
    panel = finished(client, upload(client, world["point"], "families.xlsx", out.getvalue()))
    assert panel_numbers(panel) == {"new": 30, "existing": 0, "rejected": 0}
    wrong = client.post(
        f"/points/{world['point']}/import",
        files={"file": ("x.csv", b"name,phone\nA,1\n")},
    )
    assert wrong.status_code == 422 and "national_id, size" in wrong.text


def panel_numbers(panel: str) -> dict[str, int]:
    """The panel's counts, written in the page's digits and grouped (١٬٠٠٠)."""
    found = re.search(r"([\d٬]+) جديدة\s*،\s*([\d٬]+) مسجلة من قبل\s*،\s*([\d٬]+) مرفوضة", panel)
    assert found, panel
    counts = [int(n.replace("٬", "")) for n in found.groups()]
    return dict(zip(("new", "existing", "rejected"), counts, strict=True))


def test_a_truck_without_a_plate_is_listed_by_what_it_carries(
    client: TestClient, services: Services
) -> None:
    world = giza(services)
    stadium = services.dispatcher.run(
        OpenSite("stadium", "packing", "01", "الاستاد", "Stadium"), SYSTEM
    )
    line = services.dispatcher.run(AddLine(stadium, "Line 2", "North", 400), SYSTEM)
    services.dispatcher.run(LogBoxes(stadium, line, 5, "packed-later"), SYSTEM)
    services.dispatcher.run(DispatchTruck(stadium, UUID(world["point"]), 5, "no-plate", ""), SYSTEM)
    services.runner.catch_up()
    sign_in(client, world["manager"])
    page = client.get(f"/points/{world['point']}").text
    trucks = re.findall(r"<li>(.*?)، ", page[page.index("plain-list") :])
    assert "<bdi>ABC 1</bdi>" in trucks
    assert "–" not in trucks and len(trucks) == 2  # the other begins with its item
