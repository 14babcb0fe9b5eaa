"""A site's shifts run through plain forms: a day planned as a grid, one shift added, a
shift's places changed under its rules, a volunteer found by name and taken off, a shift
cancelled, and each volunteer reading why on their own page."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from litestar.testing import TestClient

from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.areas.sign_ups.commands import SignUp
from coordination.calendar import CAMPAIGN_TIMEZONE
from coordination.permissions import Actor
from projections.shift_board import find_shifts
from tests.e2e.clients import sign_in
from tests.e2e.stadium import stadium
from tests.e2e.test_pages import form_token
from tests.helpers import PASSWORD, mobile, national_id
from web.bootstrap import Services


def tomorrow() -> str:
    return (datetime.now(CAMPAIGN_TIMEZONE) + timedelta(days=1)).date().isoformat()


def signed_up(services: Services, shift: str, name: str) -> str:
    phone = mobile()
    person = services.dispatcher.run(RegisterVolunteer(name, phone, national_id(), "01", PASSWORD))
    services.dispatcher.run(SignUp(UUID(shift), person), Actor(volunteer_id=person))
    services.runner.catch_up()
    return phone


def posted(client: TestClient, path: str, back: str, **form: str) -> Any:
    """A plain form sent as a browser without JavaScript sends it: its answer is the page
    the redirect leads to, with the flash that says what happened."""
    token = form_token(client.get(back).text)
    answer = client.post(path, data={"_csrf_token": token, **form}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client.get(answer.headers["location"])


def planned(services: Services, site: str, day: str) -> list[dict[str, Any]]:
    return find_shifts(services.db, site_id=site, day=day, with_cancelled=True)


def test_a_manager_plans_a_day_as_a_grid_and_adds_one_shift(
    client: TestClient, services: Services
) -> None:
    world = stadium(services)
    services.runner.catch_up()
    sign_in(client, world["manager"])
    client.get("/language/en")
    site, day = world["site"], tomorrow()
    plan = f"/sites/{site}/shifts?day={day}"
    assert "Plan the day" in client.get(plan).text
    grid = {
        "day": day,
        "start_0": "08:00",
        "end_0": "12:00",
        "start_1": "12:00",
        "end_1": "16:00",
        "places_packer_0": "30",
        "places_loader_0": "6",
        "places_packer_1": "25",
    }
    page = posted(client, f"/sites/{site}/shifts/plan", plan, **grid)
    assert "Shifts planned: 3." in page.text
    assert page.text.count("data-shift=") == 3
    again = posted(client, f"/sites/{site}/shifts/plan", plan, **grid)
    assert "Those shifts exist already." in again.text
    one = posted(
        client,
        f"/sites/{site}/shifts",
        plan,
        day=day,
        role="medic",
        start="07:30",
        end="19:30",
        places="2",
    )
    assert "Shifts planned: 1." in one.text
    shifts = planned(services, site, day)
    assert sorted((s["role"], s["capacity"]) for s in shifts) == [
        ("loader", 6),
        ("medic", 2),
        ("packer", 25),
        ("packer", 30),
    ]
    refused = posted(
        client, f"/sites/{site}/shifts/plan", plan, day=day, start_2="", places_runner_2="3"
    )
    assert "A shift must end after it starts" in refused.text
    assert len(planned(services, site, day)) == 4


def test_a_shift_is_changed_staffed_and_cancelled_and_its_volunteers_read_why(
    client: TestClient, services: Services
) -> None:
    world = stadium(services)
    services.runner.catch_up()
    site, day = world["site"], tomorrow()
    staff = TestClient(client.app)
    with staff:
        sign_in(staff, world["manager"])
        staff.get("/language/en")
        plan = f"/sites/{site}/shifts?day={day}"
        posted(
            staff,
            f"/sites/{site}/shifts/plan",
            plan,
            day=day,
            start_0="09:00",
            end_0="13:00",
            places_packer_0="5",
            start_1="14:00",
            end_1="18:00",
            places_packer_1="5",
        )
        morning, afternoon = (s["shift_id"] for s in planned(services, site, day))
        mona = signed_up(services, morning, "Mona Adel")
        omar = signed_up(services, morning, "Omar Fathy")
        page = f"/sites/{site}/shifts/{morning}"
        shown = staff.get(page, params={"q": "mona"}).text
        assert "Mona Adel" in shown and "Omar Fathy" not in shown
        found = staff.get(page, params={"q": omar[-6:]}).text
        assert "Omar Fathy" in found and "Mona Adel" not in found

        too_few = posted(
            staff, f"{page}/change", page, day=day, start="09:00", end="13:00", places="1"
        )
        assert "2 volunteers have signed up: keep at least that many places." in too_few.text
        longer = posted(
            staff, f"{page}/change", page, day=day, start="08:00", end="13:00", places="2"
        )
        assert "The shift was changed." in longer.text
        assert "2 of 2 places taken" in longer.text

        mona_id = _volunteer_on(staff.get(page, params={"q": "Mona"}).text)
        moved = posted(
            staff,
            f"{page}/move",
            page,
            volunteer=mona_id,
            to=afternoon,
            reason="More hands needed after noon",
        )
        assert "The volunteer was moved." in moved.text
        omar_id = _volunteer_on(staff.get(page, params={"q": "Omar"}).text)
        unreasoned = posted(staff, f"{page}/remove", page, volunteer=omar_id, reason=" ")
        assert "Please give a reason" in unreasoned.text
        posted(staff, f"{page}/remove", page, volunteer=omar_id, reason="Came without an ID")
        cancelled = posted(
            staff, f"/sites/{site}/shifts/{afternoon}/cancel", page, reason="The hall is flooded"
        )
        assert "The shift was cancelled" in cancelled.text
        assert "Cancelled: The hall is flooded" in cancelled.text

        services.runner.catch_up()  # the messages the changes caused, as the staff follow them
        shown = staff.get(page).text
        told = messages_listed(shown)  # sent or on their way, as the app's worker gets to them
        assert sorted((name, what) for name, what, _ in told) == [
            ("Mona Adel", "Moved to another shift"),
            ("Mona Adel", "New times for the shift"),
            ("Omar Fathy", "New times for the shift"),
            ("Omar Fathy", "Taken off the shift"),
        ]
        assert {state for _, _, state in told} <= {"pending", "sent"}
        counts = re.search(r"(\d+) sent · (\d+) on their way · 0 could not be delivered", shown)
        assert counts is not None and int(counts[1]) + int(counts[2]) == 4
        afternoon_page = staff.get(f"/sites/{site}/shifts/{afternoon}").text
        assert [(n, w) for n, w, _ in messages_listed(afternoon_page)] == [
            ("Mona Adel", "The shift is cancelled")
        ]

    for phone, reads in (
        (omar, "You were taken off this shift: Came without an ID"),
        (mona, "Cancelled: The hall is flooded"),
    ):
        with TestClient(client.app) as own:
            sign_in(own, phone)
            own.get("/language/en")
            assert reads in own.get("/my-shifts").text


def messages_listed(html: str) -> list[tuple[str, str, str]]:
    """The messages about a shift its page lists: recipient, what it says, its state."""
    rows = re.findall(
        r'<tr data-state="(\w+)"><td[^>]*><bdi>([^<]*)</bdi></td>\s*<td[^>]*>([^<]*)</td>', html
    )
    return [(name, what, state) for state, name, what in rows]


def _volunteer_on(html: str) -> str:
    return form_token(html, "volunteer")


def test_the_console_counts_each_shifts_check_ins_and_links_to_it(
    client: TestClient, services: Services
) -> None:
    world = stadium(services)
    signed_up(services, world["shift"], "Mona Adel")
    sign_in(client, world["manager"])
    client.get("/language/en")
    console = client.get(f"/packing/{world['site']}/console").text
    assert "Check-ins by shift" in console
    row = console.split(f'data-shift-row="{world["shift"]}"')[1].split("</tr>")[0]
    assert f'href="/sites/{world["site"]}/shifts/{world["shift"]}"' in row
    assert "<td>1 / 100</td>" in row
