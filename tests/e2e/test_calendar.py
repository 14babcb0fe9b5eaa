"""A volunteer's shifts in their own calendar: the private feed linked from "my shifts" opens
without a session (a phone's calendar subscribes to it), follows a moved shift and marks a
cancelled one, and stops working once the volunteer makes a new link; a guessed or borrowed
link opens nothing; one shift's `.ics` is the volunteer's own only."""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import UUID

from icalendar import Calendar
from litestar.testing import TestClient

from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.areas.shifts.commands import CancelShift, ChangeShift
from coordination.calendar_links import calendar_token
from tests.e2e.clients import sign_in
from tests.e2e.test_pages import form_token
from tests.helpers import PASSWORD, mobile, national_id, tomorrow
from tests.integration.shift_scenarios import manager_of, open_site, plan_day, sign_up
from web.bootstrap import Services


def events(body: bytes) -> dict[str, dict[str, str]]:
    """Each event of a calendar by its UID: its start (UTC, ISO) and status."""
    found = {}
    for event in Calendar.from_ical(body).walk("VEVENT"):
        found[str(event["uid"])] = {
            "start": event.decoded("dtstart").isoformat(),
            "status": str(event["status"]),
            "summary": str(event["summary"]),
        }
    return found


def feed_link(client: TestClient) -> str:
    page = client.get("/my-shifts").text
    match = re.search(r'id="calendar-url" type="url" readonly dir="ltr" value="([^"]+)"', page)
    assert match, "my shifts gives the calendar's link"
    return match.group(1).removeprefix("http://testserver.local")


def test_the_feed_follows_the_shifts_and_a_new_link_ends_the_old(
    client: TestClient, services: Services
) -> None:
    site = open_site(services)
    manager = manager_of(site)
    morning, afternoon = plan_day(services, site, manager)[:2]
    phone = mobile()
    me = services.dispatcher.run(
        RegisterVolunteer("Mona Adel", phone, national_id(), "16", PASSWORD, None, "en")
    )
    for shift in (morning, afternoon):
        sign_up(services, shift, me)
    services.runner.catch_up()
    sign_in(client, phone)
    link = feed_link(client)
    assert link.startswith("/calendar/") and link.endswith("/shifts.ics")

    outside = TestClient(client.app)  # a calendar app: no session, no cookie
    answer = outside.get(link)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    assert answer.headers["cache-control"] == "private, no-store"
    shown = events(answer.content)
    assert set(shown) == {f"{morning}@katf", f"{afternoon}@katf"}
    assert shown[f"{morning}@katf"]["start"] == tomorrow(8).isoformat()
    assert all(e["status"] == "CONFIRMED" for e in shown.values())
    assert all(e["summary"].startswith("Katf: ") for e in shown.values())  # their language

    later = tomorrow(9)
    services.dispatcher.run(ChangeShift(morning, later, later + timedelta(hours=4), 2), manager)
    services.dispatcher.run(CancelShift(afternoon, "Rain"), manager)
    services.runner.catch_up()
    shown = events(outside.get(link).content)
    assert shown[f"{morning}@katf"]["start"] == later.isoformat()
    assert shown[f"{afternoon}@katf"]["status"] == "CANCELLED"

    page = client.get("/my-shifts").text
    reset = client.post(
        "/my-shifts/calendar-link",
        data={"_csrf_token": form_token(page)},
        follow_redirects=False,
    )
    assert reset.status_code == 303
    services.runner.catch_up()
    new_link = feed_link(client)
    assert new_link != link
    assert outside.get(link).status_code == 404
    assert outside.get(new_link).status_code == 200


def test_a_guessed_or_borrowed_link_opens_nothing(client: TestClient, services: Services) -> None:
    site = open_site(services)
    shift = plan_day(services, site, manager_of(site))[0]
    phone, other_phone = mobile(), mobile()
    me = services.dispatcher.run(
        RegisterVolunteer("Mona Adel", phone, national_id(), "16", PASSWORD)
    )
    other = services.dispatcher.run(
        RegisterVolunteer("Omar Fathy", other_phone, national_id(), "16", PASSWORD)
    )
    sign_up(services, shift, me)
    services.runner.catch_up()
    fingerprints = services.app.fingerprints
    mine = calendar_token(fingerprints, me, 0)
    borrowed = f"{UUID(str(other)).hex}.{mine.partition('.')[2]}"
    for token in (borrowed, f"{me.hex}.{'0' * 24}", me.hex, "not-a-token", "%00"):
        assert client.get(f"/calendar/{token}/shifts.ics").status_code == 404, token
    assert client.get(f"/calendar/{mine}/shifts.ics").status_code == 200

    sign_in(client, phone)
    one = client.get(f"/my-shifts/{shift}/calendar.ics")
    assert one.status_code == 200 and set(events(one.content)) == {f"{shift}@katf"}
    assert 'href="/my-shifts/' in client.get("/my-shifts").text  # "add to my calendar"
    client.cookies.clear()
    sign_in(client, other_phone)
    assert client.get(f"/my-shifts/{shift}/calendar.ics").status_code == 404  # not theirs
