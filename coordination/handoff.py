"""The hand-off decision: a household's allowance in the round and the point's stock, together.

Both aggregates are saved in one atomic write, so across every point of the country a
household never gets more than its allowance and a point never hands out what it has not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from coordination.campaign_round import CampaignRound
from coordination.errors import RuleViolation
from coordination.household import Household
from coordination.stock import NotEnoughStock, Stock, check_count, check_item


@dataclass(frozen=True)
class HandOff:
    key: str
    item: str
    count: int
    at: datetime
    point_id: UUID
    point_governorate: str
    volunteer_id: UUID | None


def hand_off(household: Household, stock: Stock, round_: CampaignRound, given: HandOff) -> bool:
    """False for a replay of the same key; raises with the reason when refused."""
    if given.key in household.received:
        return False
    item, count = check_item(given.item), check_count(given.count)
    allowance = round_.allowance(item)
    if household.taken(round_.id, item) + count > allowance:
        last = household.last_receipt(round_.id, item)
        raise AllowanceUsed(
            allowance=allowance,
            at=last[0].isoformat() if last else "",
            point_id=str(last[1]) if last else "",
        )
    if count > stock.held(item):
        raise PointOutOfStock(on_hand=stock.held(item))
    household.receive(
        given.key,
        round_.id,
        item,
        count,
        given.at,
        given.point_id,
        given.point_governorate,
        given.volunteer_id,
    )
    stock.hand_out(item, count)
    return True


class AllowanceUsed(RuleViolation):
    code = "allowance_used"


class PointOutOfStock(NotEnoughStock):
    code = "point_out_of_stock"
