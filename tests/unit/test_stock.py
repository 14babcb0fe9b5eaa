"""A point's stock: hand-outs saved together are one event."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from coordination.stock import Stock

NOW = datetime(2026, 3, 1, 18, 0, tzinfo=UTC)


def stocked(boxes: int = 10) -> Stock:
    stock = Stock(uuid4(), "21")
    stock.receive(uuid4(), "food_box", boxes, NOW)
    stock.receive(uuid4(), "lantern", boxes, NOW)
    stock.collect_events()
    return stock


def test_hand_outs_before_a_save_are_one_event_with_their_sums() -> None:
    stock = stocked()
    for item, count in [("food_box", 1), ("food_box", 2), ("lantern", 1), ("food_box", 1)]:
        stock.hand_out(item, count)
    [event] = stock.collect_events()
    assert isinstance(event, Stock.HandedOutTogether)
    assert (event.counts, event.households) == ({"food_box": 4, "lantern": 1}, 4)
    assert (stock.held("food_box"), stock.held("lantern")) == (6, 9)
    assert event.originator_version == stock.version == 4


def test_replaying_the_log_holds_the_same_with_hand_outs_logged_one_by_one() -> None:
    stock = Stock(uuid4(), "21")
    stock.receive(uuid4(), "food_box", 10, NOW)
    stock._handed_out_one(uuid4(), uuid4(), "food_box", 2, NOW)  # as logged before
    log = list(stock.collect_events())
    stock.hand_out("food_box", 3)
    stock.hand_out("food_box", 1)
    log += stock.collect_events()
    replayed = None
    for event in log:
        replayed = event.mutate(replayed)
    assert replayed is not None
    assert replayed.held("food_box") == stock.held("food_box") == 4
    assert replayed.version == stock.version == len(log)


def test_a_hand_out_after_another_event_starts_a_new_event() -> None:
    stock = stocked()
    stock.hand_out("food_box", 1)
    stock.receive(uuid4(), "food_box", 5, NOW)
    stock.hand_out("food_box", 2)
    events = stock.collect_events()
    assert [type(e).__name__ for e in events] == [
        "HandedOutTogether",
        "Received",
        "HandedOutTogether",
    ]
    assert stock.held("food_box") == 12
