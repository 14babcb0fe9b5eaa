"""Kitchen scenarios, run on every event store through one base class."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from uuid import UUID

from coordination.areas.kitchens.commands import (
    ConfigureKitchen,
    LogCooked,
    LogDiscarded,
    LogServed,
    ReverseEntry,
)
from coordination.areas.sites.commands import OpenSite
from coordination.calendar import local_day
from coordination.errors import DomainError
from coordination.permissions import SYSTEM, Actor, Grant, Role
from projections.kitchen_dashboard import batches_of, kitchen_day, meals_per_day
from tests.helpers import tomorrow
from web.bootstrap import Services


def open_kitchen(services: Services, slug: str = "giza-kitchen") -> UUID:
    kitchen = services.dispatcher.run(OpenSite(slug, "kitchen", "21", "مطبخ", "Kitchen"), SYSTEM)
    services.dispatcher.run(ConfigureKitchen(kitchen, daily_meal_target=500), SYSTEM)
    return kitchen


def events_recorded(services: Services) -> int:
    """Counted, not read off the last id: PostgreSQL's sequence skips ids on refused inserts."""
    return len(services.app.recorder.select_notifications(start=None, limit=1_000_000))


def lead_of(kitchen: UUID) -> Actor:
    return Actor(grants=frozenset({Grant(Role.KITCHEN_LEAD, str(kitchen))}))


class KitchenScenarios:
    """Subclasses provide a ``services`` fixture for one event store."""

    def test_three_phones_never_serve_more_than_was_cooked(self, services: Services) -> None:
        kitchen = open_kitchen(services)
        lead = lead_of(kitchen)
        batch = services.dispatcher.run(LogCooked(kitchen, "كشري", 100, "cook-1"), lead).batch_id

        def phone(number: int) -> int:
            accepted = 0
            for attempt in range(30):
                key = f"phone-{number}-{attempt}"
                try:
                    if attempt % 3:
                        services.dispatcher.run(LogServed(batch, 3, "on_site", key), lead)
                    else:
                        services.dispatcher.run(LogDiscarded(batch, 2, "left_over", key), lead)
                    accepted += 2 if attempt % 3 == 0 else 3
                except DomainError as error:
                    assert error.code == "more_than_cooked"
            return accepted

        with ThreadPoolExecutor(max_workers=3) as pool:
            out = sum(pool.map(phone, range(3)))
        state = services.app.repository.get(batch)
        assert out == state.out <= 100
        assert state.left < 3
        services.runner.catch_up()
        [row] = batches_of(services.db, str(kitchen), local_day(state.cooked_at).isoformat())
        assert row["served"] + row["discarded"] == out

    def test_replays_record_nothing_twice(self, services: Services) -> None:
        kitchen = open_kitchen(services)
        lead = lead_of(kitchen)
        first = services.dispatcher.run(LogCooked(kitchen, "فول", 40, "same-key"), lead)
        again = services.dispatcher.run(LogCooked(kitchen, "فول", 40, "same-key"), lead)
        assert first.batch_id == again.batch_id and not again.recorded
        services.dispatcher.run(LogServed(first.batch_id, 10, "delivered", "serve-key"), lead)
        served = events_recorded(services)
        services.dispatcher.run(LogServed(first.batch_id, 10, "delivered", "serve-key"), lead)
        assert events_recorded(services) == served
        assert services.app.repository.get(first.batch_id).left == 30

    def test_the_dashboard_equals_a_fresh_rebuild(self, services: Services) -> None:
        kitchen = open_kitchen(services)
        lead = lead_of(kitchen)
        cooked_at = tomorrow(10)
        for i in range(5):
            batch = services.dispatcher.run(
                LogCooked(kitchen, f"dish {i}", 50, f"c{i}", cooked_at=cooked_at), lead
            ).batch_id
            services.dispatcher.run(
                LogServed(
                    batch, 30, "on_site", f"s{i}", served_at=cooked_at + timedelta(hours=i + 1)
                ),
                lead,
            )
            services.dispatcher.run(LogDiscarded(batch, 5, "spoiled", f"d{i}"), lead)
            if i % 2:
                services.dispatcher.run(ReverseEntry(batch, f"s{i}", f"r{i}"), lead)
        services.runner.catch_up()
        day = local_day(cooked_at).isoformat()
        before = (kitchen_day(services.db, str(kitchen), day), meals_per_day(services.db))
        projection = services.runner.projection("kitchen_dashboard")
        services.runner.rebuild(projection)
        after = (kitchen_day(services.db, str(kitchen), day), meals_per_day(services.db))
        assert after == before
        totals = before[0]
        assert (totals["cooked"], totals["served"], totals["discarded"]) == (250, 90, 25)
        assert totals["held_too_long"] == 30

    def test_only_the_kitchens_own_staff_may_log(self, services: Services) -> None:
        kitchen, other = open_kitchen(services), open_kitchen(services, "other-kitchen")
        try:
            services.dispatcher.run(LogCooked(kitchen, "أرز", 10, "k"), lead_of(other))
        except DomainError as error:
            assert error.code == "not_allowed"
        else:
            raise AssertionError("another kitchen's lead logged here")

    def test_deliveries_name_a_distribution_point(self, services: Services) -> None:
        kitchen = open_kitchen(services)
        point = services.dispatcher.run(
            OpenSite("giza-point", "distribution_point", "21", "نقطة", "Point"), SYSTEM
        )
        batch = services.dispatcher.run(LogCooked(kitchen, "أرز", 20, "c"), SYSTEM).batch_id
        services.dispatcher.run(LogServed(batch, 5, "delivered", "s1", point_id=point), SYSTEM)
        try:
            services.dispatcher.run(
                LogServed(batch, 5, "delivered", "s2", point_id=kitchen), SYSTEM
            )
        except DomainError as error:
            assert error.code == "not_a_distribution_point"
        else:
            raise AssertionError("a kitchen is not a distribution point")
        served = [e for e in services.app.events.get(batch) if type(e).__name__ == "Served"]
        assert [e.point_id for e in served] == [point]
