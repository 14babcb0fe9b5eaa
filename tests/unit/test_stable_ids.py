"""Aggregate ids made from names: the same as ``uuid5`` made them, as the log holds them."""

from __future__ import annotations

import random
from uuid import uuid5

from coordination.fingerprints import KATF_NAMESPACE, stable_id


def test_a_stable_id_is_the_name_based_uuid_of_its_parts() -> None:
    draw = random.Random(20261205)
    for _ in range(5_000):
        parts = tuple(
            "".join(draw.choice("ab9-:/ عربي٣") for _ in range(draw.randint(0, 40)))
            for _ in range(draw.randint(1, 4))
        )
        made = stable_id(*parts)
        assert made == uuid5(KATF_NAMESPACE, "/".join(parts))
        assert (made.version, made.variant) == (5, "specified in RFC 4122")


def test_ids_written_by_earlier_releases_are_found_again() -> None:
    # as the releases before this one wrote them, with uuid5 (a household's id in their logs)
    assert str(KATF_NAMESPACE) == "8eb8bb30-9343-5a10-90b1-be1e50e1ecc8"
    assert str(stable_id("household", "0" * 64)) == "5a47ff13-cf58-5a17-b28d-84b02b14ea10"
