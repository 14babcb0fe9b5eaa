"""Packing-day scenarios, run on every event store through one base class."""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.areas.attendance.commands import AssignPlace, CheckIn, CheckOut, MarkNoShows
from coordination.areas.attendance.lookups import volunteer_for_badge, volunteer_for_phone
from coordination.areas.packing.commands import (
    AddLine,
    ConfigurePacking,
    ConfirmTruckload,
    DispatchTruck,
    LogBoxes,
    ReverseBoxes,
)
from coordination.areas.packing.lookups import on_hand
from coordination.areas.sign_ups.commands import SignUp
from coordination.areas.sites.commands import OpenSite, ScheduleShift
from coordination.badges import badge_code
from coordination.errors import DomainError
from coordination.permissions import SYSTEM, Actor
from coordination.site import SiteNotFound
from projections import time_travel
from projections.attendance_board import AttendanceBoard
from projections.packing_board import PackingBoard
from projections.stadium import attendance_of, find_packing_site, place_of, stadium_board
from projections.time_travel import TooMuchToReplay, last_at_or_before, replay_until
from tests.helpers import PASSWORD, certified, mobile, national_id
from web.bootstrap import Services

MIGRATIONS = sorted((Path(__file__).parents[2] / "migrations").glob("[0-9][0-9][0-9][0-9]_*.sql"))
NOON = datetime(2026, 3, 17, 10, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def packing_day(services: Services, capacity: int = 5) -> dict[str, UUID]:
    core = services.app
    core.clock = Clock(NOON - timedelta(hours=1))
    site = services.dispatcher.run(
        OpenSite("stadium", "packing", "01", "استاد القاهرة", "Cairo Stadium"), SYSTEM
    )
    point = services.dispatcher.run(
        OpenSite("giza-point", "distribution_point", "21", "نقطة", "Point"), SYSTEM
    )
    services.dispatcher.run(ConfigurePacking(site, 2000, {"rice (kg)": 2, "oil (l)": 1}), SYSTEM)
    line = services.dispatcher.run(AddLine(site, "Line 1", "North stand", 400), SYSTEM)
    other = services.dispatcher.run(AddLine(site, "Line 2", "South stand", 400), SYSTEM)
    shift = services.dispatcher.run(
        ScheduleShift(
            site, "packer", NOON - timedelta(minutes=30), NOON + timedelta(hours=4), capacity
        ),
        SYSTEM,
    )
    return {"site": site, "point": point, "line": line, "other": other, "shift": shift}


def volunteer(services: Services, shift: UUID | None = None) -> UUID:
    volunteer_id = services.dispatcher.run(
        RegisterVolunteer("Omar Adel", mobile(), national_id(), "01", PASSWORD)
    )
    if shift is not None:
        services.dispatcher.run(SignUp(shift, volunteer_id, f"sign-{volunteer_id}"), SYSTEM)
    return volunteer_id


def at(services: Services, moment: datetime) -> None:
    services.app.clock.now = moment  # type: ignore[attr-defined]


def board(services: Services, site: UUID, now: datetime = NOON) -> dict:
    services.runner.catch_up()
    row = find_packing_site(services.db, str(site))
    assert row is not None
    return stadium_board(services.db, row, "2026-03-17", now)


def refusal(action) -> str:  # noqa: ANN001 - a callable expected to fail
    with pytest.raises(DomainError) as raised:
        action()
    return raised.value.code


class PackingScenarios:
    """Subclasses provide a ``services`` fixture for one event store."""

    def test_check_in_by_badge_twice_records_once_and_credits_hours(
        self, services: Services
    ) -> None:
        day = packing_day(services)
        who = volunteer(services, day["shift"])
        at(services, NOON)
        scanned = volunteer_for_badge(services.app, badge_code(services.app.fingerprints, who))
        first = services.dispatcher.run(
            CheckIn(day["site"], scanned, "scan-1", desk="Gate 3"), SYSTEM
        )
        again = services.dispatcher.run(
            CheckIn(day["site"], scanned, "scan-2", desk="Gate 4"), SYSTEM
        )
        assert (first.recorded, again.recorded) == (True, False)
        assert first.shift_id == day["shift"] and again.checked_in_at == NOON
        at(services, NOON + timedelta(hours=3, minutes=20))
        out = services.dispatcher.run(CheckOut(day["site"], who, "out-1"), SYSTEM)
        assert out.recorded
        services.runner.catch_up()
        [row] = attendance_of(services.db, str(day["site"]), "2026-03-17")
        assert row["seconds"] == 200 * 60 and row["desk"] == "Gate 3"
        assert board(services, day["site"])["short_shifts"][0]["checked_in"] == 1

    def test_a_scan_reads_a_shifts_place_and_times_not_its_sign_ups(
        self, services: Services, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The gates open at once on shifts of a thousand sign-ups: the first scan of a shift
        reads only the event that scheduled it."""
        day = packing_day(services, capacity=4)
        people = [volunteer(services, day["shift"]) for _ in range(3)]
        at(services, NOON)
        app, decode = services.app, services.app.mapper.to_domain_event
        read: list[str] = []

        def counted(stored: Any) -> Any:
            read.append(stored.topic)
            return decode(stored)

        cache = app.repository.cache
        assert cache is not None
        with contextlib.suppress(KeyError):  # a batched sign-up may have left it uncached
            cache.get(day["shift"], evict=True)  # as on a worker busy with other aggregates
        monkeypatch.setattr(app.mapper, "to_domain_event", counted)
        first = services.dispatcher.run(
            CheckIn(day["site"], people[0], "in-0", shift_id=day["shift"]), SYSTEM
        )
        second = services.dispatcher.run(CheckIn(day["site"], people[1], "in-1"), SYSTEM)
        assert (first.recorded, second.recorded) == (True, True)
        assert first.shift_id == second.shift_id == day["shift"]
        assert [t for t in read if t.startswith("coordination.shift:")] == [
            "coordination.shift:Shift.Scheduled"
        ]

    def test_desks_scan_only_at_packing_sites(self, services: Services) -> None:
        day = packing_day(services)
        who = volunteer(services, day["shift"])
        at(services, NOON)
        with pytest.raises(SiteNotFound):
            services.dispatcher.run(
                CheckIn(day["point"], who, "in-1", shift_id=day["shift"]), SYSTEM
            )
        assert services.dispatcher.run(CheckIn(day["site"], who, "in-1"), SYSTEM).recorded

    def test_a_forged_badge_and_an_unknown_phone_are_refused(self, services: Services) -> None:
        day = packing_day(services)
        who = volunteer(services, day["shift"])
        code = badge_code(services.app.fingerprints, who)
        forged = code[:-1] + ("1" if code.endswith("0") else "0")
        assert refusal(lambda: volunteer_for_badge(services.app, forged)) == "unknown_badge"
        assert refusal(lambda: volunteer_for_phone(services.app, mobile())) == "volunteer_not_found"
        assert volunteer_for_badge(services.app, badge_code(services.app.fingerprints, who)) == who
        assert day["site"]

    def test_walk_ins_take_free_places_only(self, services: Services) -> None:
        day = packing_day(services, capacity=2)
        volunteer(services, day["shift"])
        at(services, NOON)
        walker, late = volunteer(services), volunteer(services)
        shift = day["shift"]
        assert (
            refusal(
                lambda: services.dispatcher.run(
                    CheckIn(day["site"], walker, "w", shift_id=shift), SYSTEM
                )
            )
            == "not_signed_up_here"
        )
        joined = services.dispatcher.run(
            CheckIn(day["site"], walker, "w2", shift_id=shift, walk_in=True), SYSTEM
        )
        assert joined.walk_in and joined.recorded
        assert (
            refusal(
                lambda: services.dispatcher.run(
                    CheckIn(day["site"], late, "w3", shift_id=shift, walk_in=True), SYSTEM
                )
            )
            == "shift_full"
        )
        assert services.app.repository.get(shift).taken == 2

    def test_no_shows_are_marked_once_after_the_shift(self, services: Services) -> None:
        day = packing_day(services)
        came, stayed_home = volunteer(services, day["shift"]), volunteer(services, day["shift"])
        at(services, NOON)
        services.dispatcher.run(CheckIn(day["site"], came, "in"), SYSTEM)
        assert services.dispatcher.run(MarkNoShows(day["shift"])) == 0
        at(services, NOON + timedelta(hours=5))
        assert services.dispatcher.run(MarkNoShows(day["shift"])) == 1
        assert services.dispatcher.run(MarkNoShows(day["shift"])) == 0
        services.runner.catch_up()
        rows = {
            r["volunteer_id"]: r for r in attendance_of(services.db, str(day["site"]), "2026-03-17")
        }
        assert rows[str(stayed_home)]["no_show"] == 1 and rows[str(came)]["no_show"] == 0

    def test_assignments_move_a_volunteer_who_sees_one_place(self, services: Services) -> None:
        day = packing_day(services)
        who = certified(services.dispatcher.run, volunteer(services, day["shift"]))
        assert services.dispatcher.run(
            AssignPlace(day["shift"], who, "", "packer", day["line"]), SYSTEM
        )
        assert services.dispatcher.run(
            AssignPlace(day["shift"], who, "", "line_lead", day["other"]), SYSTEM
        )
        assert not services.dispatcher.run(
            AssignPlace(day["shift"], who, "", "line_lead", day["other"]), SYSTEM
        )
        services.runner.catch_up()
        [place] = place_of(services.db, str(who))
        assert (place["line_name"], place["zone"], place["position"]) == (
            "Line 2",
            "South stand",
            "line_lead",
        )
        zones = board(services, day["site"])["zones"]
        assert [(z["zone"], z["planned"], z["present"]) for z in zones] == [("South stand", 1, 0)]

    def test_a_place_as_line_lead_or_medic_needs_the_certificate_a_sign_up_needs(
        self, services: Services
    ) -> None:
        day = packing_day(services)
        who = volunteer(services, day["shift"])
        for position in ("line_lead", "medic"):
            place = AssignPlace(day["shift"], who, "", position, day["line"])
            assert refusal(lambda p=place: services.dispatcher.run(p, SYSTEM)) == (
                "missing_certificate"
            )
        assert services.dispatcher.run(
            AssignPlace(day["shift"], who, "", "packer", day["line"]), SYSTEM
        )
        certified(services.dispatcher.run, who, "first_aid")
        assert services.dispatcher.run(
            AssignPlace(day["shift"], who, "", "medic", day["line"]), SYSTEM
        )
        services.runner.catch_up()
        assert [p["position"] for p in place_of(services.db, str(who))] == ["medic"]

    def test_only_the_checked_in_lead_of_a_line_logs_its_boxes(self, services: Services) -> None:
        day = packing_day(services)
        lead = certified(services.dispatcher.run, volunteer(services, day["shift"]))
        actor = Actor(volunteer_id=lead)
        services.dispatcher.run(
            AssignPlace(day["shift"], lead, "", "line_lead", day["line"]), SYSTEM
        )

        def log(line: UUID, key: str) -> Any:
            return services.dispatcher.run(
                LogBoxes(day["site"], line, 10, key, day["shift"]), actor
            )

        assert refusal(lambda: log(day["line"], "a")) == "not_allowed"
        at(services, NOON)
        services.dispatcher.run(CheckIn(day["site"], lead, "in"), SYSTEM)
        assert log(day["line"], "b").on_hand == 10
        assert refusal(lambda: log(day["other"], "c")) == "not_allowed"

    def test_boxes_reversals_and_dispatches_never_leave_negative_stock(
        self, services: Services
    ) -> None:
        day = packing_day(services)
        at(services, NOON)
        services.dispatcher.run(LogBoxes(day["site"], day["line"], 120, "b1"), SYSTEM)
        services.dispatcher.run(LogBoxes(day["site"], day["line"], 120, "b1"), SYSTEM)
        services.dispatcher.run(LogBoxes(day["site"], day["other"], 80, "b2"), SYSTEM)
        assert (
            services.dispatcher.run(ReverseBoxes(day["site"], "b2", "fix-1"), SYSTEM).on_hand == 120
        )
        assert (
            refusal(
                lambda: services.dispatcher.run(ReverseBoxes(day["site"], "b2", "fix-2"), SYSTEM)
            )
            == "nothing_to_reverse"
        )
        assert (
            refusal(
                lambda: services.dispatcher.run(
                    DispatchTruck(day["site"], day["point"], 121, "t0"), SYSTEM
                )
            )
            == "not_enough_stock"
        )
        truck = services.dispatcher.run(
            DispatchTruck(day["site"], day["point"], 100, "t1", "ABC 123"), SYSTEM
        )
        assert truck.on_hand == 20
        assert (
            refusal(
                lambda: services.dispatcher.run(ReverseBoxes(day["site"], "b1", "fix-3"), SYSTEM)
            )
            == "already_sent_out"
        )
        received = services.dispatcher.run(ConfirmTruckload(truck.truckload_id, 98, "r1"), SYSTEM)
        assert (received.received, received.on_hand) == (98, 98)
        seen = board(services, day["site"])
        assert (seen["packed"], seen["on_hand"]) == (120, 20)
        [row] = seen["trucks"]
        assert (row["count"], row["received"]) == (100, 98)

    def test_concurrent_dispatches_never_exceed_the_stock(self, services: Services) -> None:
        day = packing_day(services)
        at(services, NOON)
        services.dispatcher.run(LogBoxes(day["site"], day["line"], 100, "b"), SYSTEM)

        def dispatch(n: int) -> int:
            try:
                services.dispatcher.run(
                    DispatchTruck(day["site"], day["point"], 7, f"t{n}"), SYSTEM
                )
                return 7
            except DomainError as error:
                assert error.code == "not_enough_stock"
                return 0

        with ThreadPoolExecutor(max_workers=4) as pool:
            sent = sum(pool.map(dispatch, range(20)))
        assert sent == 98 and on_hand(services.app, day["site"]) == 2

    def test_the_board_as_it_was_at_an_earlier_moment(self, services: Services) -> None:
        day = packing_day(services)
        at(services, NOON)
        services.dispatcher.run(LogBoxes(day["site"], day["line"], 50, "early"), SYSTEM)
        moment = datetime.now(UTC)
        services.dispatcher.run(LogBoxes(day["site"], day["line"], 70, "late"), SYSTEM)
        then = replay_until(services.app, [PackingBoard(), AttendanceBoard()], MIGRATIONS, moment)
        site = find_packing_site(then, str(day["site"]))
        assert site is not None
        assert stadium_board(then, site, "2026-03-17", NOON)["packed"] == 50
        assert board(services, day["site"])["packed"] == 120

    def test_the_past_board_reads_the_log_only_up_to_its_moment_within_a_bound(
        self, services: Services
    ) -> None:
        day = packing_day(services)
        services.dispatcher.run(LogBoxes(day["site"], day["line"], 50, "early"), SYSTEM)
        moment = datetime.now(UTC)
        before = services.app.recorder.max_notification_id()
        services.dispatcher.run(LogBoxes(day["site"], day["line"], 70, "late"), SYSTEM)
        assert services.app.recorder.max_notification_id() > before
        assert last_at_or_before(services.app, moment) == before
        assert last_at_or_before(services.app, moment - timedelta(days=3650)) == 0
        views = [PackingBoard(), AttendanceBoard()]
        with pytest.raises(TooMuchToReplay):
            replay_until(services.app, views, MIGRATIONS, moment, max_events=3)

    def test_checkpoints_never_change_the_board_as_it_was(
        self, services: Services, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        self.checkpoints_never_change_the_board(services, monkeypatch)

    def test_checkpoints_a_span_of_the_log_apart_never_change_the_board_as_it_was(
        self, services: Services, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(time_travel, "SPAN", 5)
        self.checkpoints_never_change_the_board(services, monkeypatch)

    def test_a_long_stretch_of_other_events_is_read_a_span_at_a_time(
        self, services: Services, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Between two box batches, events the board does not read (new volunteers): the past
        board reads them in spans, and a checkpoint lands within a span of the moment asked."""
        monkeypatch.setattr(time_travel, "SPAN", 4)
        monkeypatch.setattr(time_travel, "SETTLED", timedelta(0))
        day = packing_day(services)
        services.dispatcher.run(LogBoxes(day["site"], day["line"], 5, "first"), SYSTEM)
        for _ in range(10):
            volunteer(services)
        services.dispatcher.run(LogBoxes(day["site"], day["line"], 7, "second"), SYSTEM)
        moment = datetime.now(UTC)
        head = last_at_or_before(services.app, moment)
        views = [PackingBoard(), AttendanceBoard()]
        reads: list[tuple[int, int]] = []
        select = services.app.recorder.select_notifications

        def spied(*args: Any, **kwargs: Any) -> Any:
            if kwargs.get("topics"):
                reads.append((kwargs["start"], kwargs["stop"]))
            return select(*args, **kwargs)

        monkeypatch.setattr(services.app.recorder, "select_notifications", spied)
        then = replay_until(services.app, views, MIGRATIONS, moment, checkpoints=services.db)
        site = find_packing_site(then, str(day["site"]))
        assert site is not None and stadium_board(then, site, "2026-03-17", moment)["packed"] == 12
        then.close()
        assert reads and all(stop - start <= time_travel.SPAN for start, stop in reads)
        assert reads[-1][1] == head
        [nearest] = services.db.query("SELECT max(notification_id) AS n FROM replay_checkpoints")
        assert head - nearest["n"] < time_travel.SPAN

    def checkpoints_never_change_the_board(
        self, services: Services, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(time_travel, "PAGE", 3)
        monkeypatch.setattr(time_travel, "EVERY", 6)
        monkeypatch.setattr(time_travel, "SPARSE", 2)
        monkeypatch.setattr(time_travel, "SETTLED", timedelta(0))
        day = packing_day(services)
        people = [volunteer(services, day["shift"]) for _ in range(3)]
        for n in range(8):
            line = day["line"] if n % 2 else day["other"]
            services.dispatcher.run(LogBoxes(day["site"], line, n + 1, f"b{n}"), SYSTEM)
            if n < len(people):
                services.dispatcher.run(
                    CheckIn(day["site"], people[n], f"in-{n}", shift_id=day["shift"]), SYSTEM
                )
        views = [PackingBoard(), AttendanceBoard()]
        tables = [table for view in views for table in view.tables]

        def as_it_was(moment: datetime, **checkpoints: Any) -> tuple[Any, ...]:
            then = replay_until(services.app, views, MIGRATIONS, moment, **checkpoints)
            try:
                rows = [then.query(f"SELECT * FROM {table}") for table in tables]  # noqa: S608
                site = find_packing_site(then, str(day["site"]))
                seen = site and stadium_board(then, site, "2026-03-17", moment)
                return sorted(map(repr, rows)), seen
            finally:
                then.close()

        # the log's stamps are not quite in its order: moments between them skip events
        stamps = [
            services.app.mapper.to_domain_event(notification).timestamp
            for notification in services.app.recorder.select_notifications(start=1, limit=1000)
        ]
        tick = timedelta(microseconds=1)
        before = sorted({stamp - tick for stamp in stamps})
        moments = sorted({*stamps, *before})
        # up: each replay saves checkpoints the next ones read; down: later ones never serve
        for moment in [*moments, *reversed(before)]:
            assert as_it_was(moment, checkpoints=services.db) == as_it_was(moment), moment
        saved = services.db.query("SELECT latest FROM replay_checkpoints")
        assert len(saved) >= 4
        for row in saved:
            exactly = datetime.fromtimestamp(row["latest"] / 1e6, UTC)
            assert as_it_was(exactly, checkpoints=services.db) == as_it_was(exactly)
        last = datetime.now(UTC)
        with pytest.raises(TooMuchToReplay):
            as_it_was(last, max_events=time_travel.EVERY)
        assert as_it_was(last, checkpoints=services.db, max_events=time_travel.EVERY)[1]

    def test_a_checkpoint_of_other_views_code_is_never_read(
        self, services: Services, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(time_travel, "PAGE", 2)
        monkeypatch.setattr(time_travel, "EVERY", 2)
        monkeypatch.setattr(time_travel, "SETTLED", timedelta(0))
        day = packing_day(services)
        views = [PackingBoard(), AttendanceBoard()]
        with services.db.transaction() as cursor:
            cursor.execute(
                "INSERT INTO replay_checkpoints"
                " (view, version, notification_id, replayed, latest, image)"
                " VALUES (%s, 'old', 1, 2, 0, %s)",
                ("packing_board+attendance_board", b"not a database"),
            )
        for n in range(4):
            services.dispatcher.run(LogBoxes(day["site"], day["line"], 10, f"b{n}"), SYSTEM)
        moment = datetime.now(UTC)
        then = replay_until(services.app, views, MIGRATIONS, moment, checkpoints=services.db)
        site = find_packing_site(then, str(day["site"]))
        assert site is not None
        assert stadium_board(then, site, "2026-03-17", moment)["packed"] == 40
        versions = services.db.query("SELECT DISTINCT version FROM replay_checkpoints")
        assert versions == [{"version": time_travel.version_of(views, MIGRATIONS)}]

    def test_the_estimated_finish_follows_the_last_hours_pace(self, services: Services) -> None:
        day = packing_day(services)
        at(services, NOON - timedelta(minutes=30))
        services.dispatcher.run(LogBoxes(day["site"], day["line"], 500, "b1"), SYSTEM)
        seen = board(services, day["site"], now=NOON)
        assert seen["finish"] == NOON + timedelta(hours=3)
        assert seen["lines"][0]["boxes"] == 500
