"""Corrections with a reason, run on every event store: a box batch or a meal entry reversed
from the pages keeps why, the views say which entries were reversed, and rebuild exactly."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest

from coordination.areas.kitchens.commands import LogCooked, LogDiscarded, LogServed, ReverseEntry
from coordination.areas.packing.commands import LogBoxes, ReverseBoxes
from coordination.calendar import local_day
from coordination.errors import DomainError
from coordination.permissions import SYSTEM
from projections.kitchen_dashboard import batches_of, entries_of
from projections.stadium import box_batches_of
from tests.integration.kitchen_scenarios import lead_of, open_kitchen
from tests.integration.packing_scenarios import board, packing_day
from web.bootstrap import Services


def refused(action) -> str:  # noqa: ANN001 - a callable expected to fail
    with pytest.raises(DomainError) as raised:
        action()
    return raised.value.code


def rebuilt_alike(services: Services, view: str, read) -> None:  # noqa: ANN001 - a query
    services.runner.catch_up()
    before = read()
    services.runner.rebuild(services.runner.projection(view))
    assert read() == before


class CorrectionScenarios:
    """Subclasses provide a ``services`` fixture for one event store."""

    def test_a_box_batch_reversed_keeps_its_reason_and_shows_as_reversed(
        self, services: Services
    ) -> None:
        day = packing_day(services)
        run = services.dispatcher.run
        run(LogBoxes(day["site"], day["line"], 40, "b1"), SYSTEM)
        run(LogBoxes(day["site"], day["other"], 25, "b2"), SYSTEM)
        run(LogBoxes(day["site"], day["line"], 30, "b3"), SYSTEM)
        assert refused(lambda: run(ReverseBoxes(day["site"], "b3", "fix", "  "), SYSTEM)) == (
            "correction_reason_needed"
        )
        state = run(ReverseBoxes(day["site"], "b3", "fix", "Counted twice"), SYSTEM)
        assert state.recorded and state.on_hand == 65
        run(ReverseBoxes(day["site"], "b2", "api-fix"), SYSTEM)  # an API client gives none
        assert board(services, day["site"])["packed"] == 40
        rows = {
            row["entry_key"]: row
            for row in box_batches_of(services.db, str(day["site"]), "2026-03-17")
        }
        assert set(rows) == {"b1", "b2", "b3"}
        assert rows["b3"]["reason"] == "Counted twice" and rows["b3"]["reversed_at"]
        assert rows["b3"]["line_name"] == "Line 1" and rows["b3"]["count"] == 30
        assert rows["b2"]["reversed_at"] and rows["b2"]["reason"] == ""
        assert rows["b1"]["reversed_at"] is None and rows["b1"]["reason"] is None
        assert refused(lambda: run(ReverseBoxes(day["site"], "b3", "again", "Twice"), SYSTEM)) == (
            "nothing_to_reverse"
        )
        rebuilt_alike(
            services,
            "packing_board",
            lambda: (
                box_batches_of(services.db, str(day["site"]), "2026-03-17"),
                board(services, day["site"])["packed"],
            ),
        )

    def test_box_batches_of_one_second_are_listed_in_the_order_they_were_logged(
        self, services: Services
    ) -> None:
        day = packing_day(services)
        second = services.app.clock().replace(microsecond=0)
        run = services.dispatcher.run
        for key, tenths in (("early", 2), ("late", 7), ("middle", 5)):
            at = second + timedelta(milliseconds=100 * tenths)
            run(LogBoxes(day["site"], day["line"], 10, key, at=at), SYSTEM)
        services.runner.catch_up()
        listed = box_batches_of(services.db, str(day["site"]), local_day(second).isoformat())
        assert [row["entry_key"] for row in listed] == ["late", "middle", "early"]
        assert len({row["logged_at"] for row in listed}) == 1, "one second, as the pages show"

    def test_a_meal_entry_reversed_keeps_its_reason_and_the_totals_follow(
        self, services: Services
    ) -> None:
        kitchen = open_kitchen(services)
        lead, run = lead_of(kitchen), services.dispatcher.run
        batch: UUID = run(LogCooked(kitchen, "كشري", 100, "cook"), lead).batch_id
        run(LogServed(batch, 30, "on_site", "served-1"), lead)
        run(LogDiscarded(batch, 5, "spoiled", "thrown-1"), lead)
        assert refused(lambda: run(ReverseEntry(batch, "served-1", "undo", ""), lead)) == (
            "correction_reason_needed"
        )
        state = run(ReverseEntry(batch, "served-1", "undo", "Logged on the wrong batch"), lead)
        assert state.left == 95
        services.runner.catch_up()
        day = local_day(services.app.repository.get(batch).cooked_at).isoformat()
        entries = {row["entry_key"]: row for row in entries_of(services.db, str(kitchen), day)}
        assert set(entries) == {"served-1", "thrown-1"}
        assert entries["served-1"]["reason"] == "Logged on the wrong batch"
        assert entries["served-1"]["reversed_at"] and entries["served-1"]["dish"] == "كشري"
        assert entries["thrown-1"]["reversed_at"] is None
        [row] = batches_of(services.db, str(kitchen), day)
        assert (row["served"], row["discarded"]) == (0, 5)
        rebuilt_alike(
            services,
            "kitchen_dashboard",
            lambda: (
                entries_of(services.db, str(kitchen), day),
                batches_of(services.db, str(kitchen), day),
            ),
        )
