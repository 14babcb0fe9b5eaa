"""An association imports 20,000 volunteers: duplicates, invalid rows, people already
registered elsewhere (asked to join, not linked); a rerun imports nothing twice."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta

from litestar.testing import TestClient

from coordination.areas.accounts.commands import CreateUser, RegisterVolunteer
from coordination.areas.sites.commands import FoundAssociation
from coordination.permissions import SYSTEM, Grant, Role
from tests.e2e.clients import sign_in
from tests.helpers import PASSWORD, mobile
from web.bootstrap import Services

ROWS = 20_000
DUPLICATES = ROWS * 5 // 100
INVALID = ROWS * 2 // 100
ELSEWHERE = 100
PANEL = re.compile(  # the panel's counts in the page's digits, grouped (١٩٬٠٠٠)
    r"([\d٬]+) جديدة\s*،\s*([\d٬]+) مسجلة من قبل\s*،\s*"
    r"([\d٬]+) طُلب منهم الانضمام إلى جمعيتك\s*،\s*([\d٬]+) مرفوضة"
)


def nid(n: int) -> str:
    born = (date(1985, 1, 1) + timedelta(days=n // 5_000)).strftime("%y%m%d")
    return f"2{born}01{n % 5_000:04d}1"


def phone(n: int) -> str:
    return mobile(60_000_000 + n)


def the_file(elsewhere: list[tuple[str, str]]) -> tuple[bytes, set[int]]:
    """The rows and the numbers (as in a spreadsheet, headers on row 1) of the invalid ones."""
    unique = ROWS - DUPLICATES - INVALID
    rows = [f"Volunteer {n},{phone(n)},{nid(n)},Cairo" for n in range(unique - ELSEWHERE)]
    rows += [f"Returning {n},{p},{digits},القاهرة" for n, (p, digits) in enumerate(elsewhere)]
    rows += [rows[n * 7] for n in range(DUPLICATES)]
    invalid = [f"Bad id {n},{phone(90_000 + n)},12345{n}," for n in range(INVALID // 2)]
    invalid += [f"Bad phone {n},0223{n:06d},{nid(90_000 + n)}," for n in range(INVALID // 4)]
    invalid += [f"Taken {n},{elsewhere[n][0]},{nid(95_000 + n)}," for n in range(INVALID // 4)]
    places = range(3, ROWS + 2, ROWS // INVALID)
    for place, row in zip(places, invalid, strict=True):
        rows.insert(place - 2, row)
    header = "الاسم,رقم الموبايل,الرقم القومي,المحافظة"
    return ("\n".join([header, *rows]) + "\n").encode(), set(places)


def imported(client: TestClient, association: str, content: bytes) -> tuple[dict[str, int], str]:
    answer = client.post(
        f"/associations/{association}/import",
        files={"file": ("volunteers.csv", content)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    for _ in range(2_400):
        panel = client.get(f"{answer.headers['location']}/panel").text
        if 'data-finished="1"' in panel:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the import did not finish")
    numbers = re.search(PANEL, panel)
    assert numbers, panel[:2000]
    keys = ("created", "existing", "linked", "rejected")
    report = client.get(f"{answer.headers['location']}/rejected.csv").text
    counts = [int(n.replace("٬", "")) for n in numbers.groups()]
    return dict(zip(keys, counts, strict=True)), report


def test_twenty_thousand_rows_import_exactly_once(client: TestClient, services: Services) -> None:
    home = services.dispatcher.run(
        FoundAssociation("youth", "شباب الخير", "Youth for Good", "01"), SYSTEM
    )
    other = services.dispatcher.run(
        FoundAssociation("hands", "أيادي", "Helping Hands", "02"), SYSTEM
    )
    elsewhere = []
    for n in range(ELSEWHERE):
        digits = nid(80_000 + n)
        services.dispatcher.run(
            RegisterVolunteer("Sara Nabil", phone(80_000 + n), digits, "02", PASSWORD, other)
        )
        elsewhere.append((phone(80_000 + n), digits))
    coordinator = mobile()
    services.dispatcher.run(
        CreateUser(
            coordinator, "Coordinator", PASSWORD, [Grant(Role.ASSOCIATION_COORDINATOR, str(home))]
        ),
        SYSTEM,
    )
    services.runner.catch_up()
    sign_in(client, coordinator)
    content, invalid_rows = the_file(elsewhere)
    first, report = imported(client, str(home), content)
    created = ROWS - DUPLICATES - INVALID - ELSEWHERE
    assert first == {
        "created": created,
        "existing": DUPLICATES,
        "linked": ELSEWHERE,
        "rejected": INVALID,
    }
    reported = {int(line.split(",")[0]) for line in report.splitlines()[1:]}
    assert reported == invalid_rows
    assert "phone_taken" in report and "invalid_phone" in report and "national_id_length" in report
    again, _ = imported(client, str(home), content)
    assert again == {  # those asked have not answered yet: still asked, once
        "created": 0,
        "existing": ROWS - INVALID - ELSEWHERE,
        "linked": ELSEWHERE,
        "rejected": INVALID,
    }
    services.runner.catch_up()
    roster = client.get(f"/api/v1/associations/{home}/volunteers").json()
    assert len(roster) == created  # those asked are not on the roster until they accept
    total = services.db.query("SELECT COUNT(*) AS n FROM volunteer_directory")[0]["n"]
    assert total == created + ELSEWHERE
    asked = services.db.query("SELECT COUNT(*) AS n FROM volunteer_link_requests")[0]["n"]
    assert asked == ELSEWHERE
