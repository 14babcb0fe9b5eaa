"""Training from the pages, by plain form: a coordinator schedules a session, a volunteer finds
it from the programme's link and enrols, the organiser ticks who attended, and the volunteer's
certificate follows; another coordinator may not open the session's list."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from uuid import UUID

import pytest

from coordination.areas.sites.commands import ScheduleShift
from coordination.areas.training.commands import ScheduleSession
from coordination.calendar import local
from coordination.permissions import SYSTEM
from tests.conftest import started
from tests.e2e.world import World, build_world
from tests.helpers import tomorrow
from web.app import create_app
from web.platform.settings import Settings


@pytest.fixture
def world(sqlite_settings: Settings) -> Iterator[World]:
    for services in started(sqlite_settings):
        yield build_world(services, create_app(services, secure_cookies=False))


def test_scheduled_enrolled_and_attended_from_the_pages(world: World) -> None:
    starts = local(tomorrow(10) + timedelta(days=2))
    with world.client("coordinator_x") as organiser:
        assert 'name="programme"' in organiser.get("/training?lang=en").text
        scheduled = organiser.post(
            "/training/sessions?lang=en",
            data={
                "programme": "food_hygiene",
                "place": "Imbaba youth centre",
                "day": starts.date().isoformat(),
                "time": starts.strftime("%H:%M"),
                "capacity": "٢٠",
            },
            follow_redirects=False,
        )
        assert scheduled.status_code == 303 and scheduled.headers["location"] == "/training"
        world.services.runner.catch_up()
        listed = organiser.get("/training?programme=food_hygiene&lang=en").text
        assert "The session is scheduled." in listed and "Imbaba youth centre" in listed
        session = re.search(r'href="/training/sessions/([0-9a-f-]{36})"', listed)
        assert session, "the organiser is offered the session's list"
        session_path = f"/training/sessions/{session.group(1)}"

    with world.client("volunteer_a") as volunteer:
        page = volunteer.get("/training?programme=food_hygiene&lang=en").text
        assert "Places left: 20 of 20" in page and "Enrol" in page
        enrolled = volunteer.post(
            f"{session_path}/enrolment?lang=en",
            data={"programme": "food_hygiene"},
            follow_redirects=False,
        )
        assert enrolled.headers["location"] == "/training?programme=food_hygiene"
        world.services.runner.catch_up()
        after = volunteer.get("/training?programme=food_hygiene&lang=en").text
        assert "You are enrolled in this session." in after and "Places left: 19 of 20" in after
        assert volunteer.get(session_path).status_code == 403

    with world.client("coordinator_y") as other:
        assert other.get(session_path).status_code == 403

    with world.client("coordinator_x") as organiser:
        listed = organiser.get(f"{session_path}?lang=en").text
        assert "Volunteer A" in listed
        ticked = organiser.post(
            f"{session_path}/attendance?lang=en",
            data={"volunteer_id": world.ids["volunteer_a"]},
            follow_redirects=False,
        )
        assert ticked.status_code == 303
        world.services.runner.catch_up()
        shown = organiser.get(f"{session_path}?lang=en").text
        assert "Attendance is recorded." in shown
        assert re.search(r'value="{}" checked disabled'.format(world.ids["volunteer_a"]), shown)

    with world.client("volunteer_a") as volunteer:
        assert 'data-certificate="food_hygiene"' in volunteer.get("/my-service").text


def test_a_shift_refused_for_a_missing_certificate_links_to_the_sessions_that_give_it(
    world: World,
) -> None:
    run = world.services.dispatcher.run
    shift = run(
        ScheduleShift(UUID(world.ids["kitchen"]), "cook", tomorrow(10), tomorrow(16), 10), SYSTEM
    )
    session = run(ScheduleSession("food_hygiene", tomorrow(8), "Giza youth centre", 30), SYSTEM)
    world.services.runner.catch_up()
    link = 'href="/training?programme=food_hygiene"'
    with world.client("volunteer_a") as volunteer:
        refused = volunteer.post(
            f"/shifts/{shift}/sign-up?lang=en", data={"next": "/shifts"}, follow_redirects=False
        )
        assert refused.status_code == 303
        said = volunteer.get("/shifts?lang=en").text
        assert "needs the Food hygiene certificate" in said and link in said
        in_card = volunteer.post(
            f"/shifts/{shift}/sign-up?lang=en",
            data={"next": "/shifts"},
            headers={"HX-Request": "true"},
        )
        assert in_card.status_code == 409 and link in in_card.text
        listed = volunteer.get("/training?programme=food_hygiene&lang=en").text
        assert f'action="/training/sessions/{session}/enrolment"' in listed
        volunteer.post(
            f"/training/sessions/{session}/enrolment",
            data={"programme": "food_hygiene"},
            follow_redirects=False,
        )
    world.services.runner.catch_up()
    assert world.services.dispatcher.store.load_or_none(session).enrolled == {
        UUID(world.ids["volunteer_a"])
    }
