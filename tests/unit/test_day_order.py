"""The launch day's simulation sends each place's work in order, the places side by side."""

from __future__ import annotations

from workers.simulation.day import side_by_side


def test_every_place_works_at_once_each_in_its_own_order() -> None:
    per_point = [["a1", "a2", "a3"], ["b1"], ["c1", "c2"]]
    order = side_by_side(per_point)
    assert order[:3] == ["a1", "b1", "c1"], "every point's first upload comes before any second"
    for uploads in per_point:
        assert [work for work in order if work in uploads] == uploads
    assert sorted(order) == sorted(sum(per_point, []))
