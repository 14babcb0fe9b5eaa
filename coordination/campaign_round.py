"""A campaign round (Ramadan 1447): its target in boxes, each item's allowance per household."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.errors import InvalidInput, NotFound
from coordination.fingerprints import stable_id
from coordination.stock import Item, check_item

CAMPAIGN_TARGET = 4_000_000
DEFAULT_ALLOWANCES = {Item.FOOD_BOX: 1, Item.CLOTHING: 3, Item.LANTERN: 1, Item.TOY: 2}
MAX_ALLOWANCE = 20


class CampaignRound(Aggregate):
    if TYPE_CHECKING:  # @event makes these classes at runtime; the type checker sees them here
        Opened: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(slug: str) -> UUID:
        return stable_id("round", slug)

    @classmethod
    def open(
        cls,
        slug: str,
        name_ar: str,
        name_en: str,
        target: int = CAMPAIGN_TARGET,
        allowances: dict[str, int] | None = None,
        by: UUID | None = None,
    ) -> CampaignRound:
        names = (name_ar.strip(), name_en.strip())
        if not slug.strip() or not all(0 < len(name) <= 120 for name in names):
            raise InvalidRound()
        if not 1 <= target <= 100_000_000:
            raise InvalidRound()
        chosen = {str(k): v for k, v in DEFAULT_ALLOWANCES.items()}
        for item, allowance in (allowances or {}).items():
            if not 0 <= allowance <= MAX_ALLOWANCE:
                raise InvalidAllowance(maximum=MAX_ALLOWANCE)
            chosen[check_item(item)] = allowance
        return cls(slug.strip(), *names, target, chosen, by)

    @event("Opened")
    def __init__(
        self,
        slug: str,
        name_ar: str,
        name_en: str,
        target: int,
        allowances: dict[str, int],
        opened_by: UUID | None = None,  # rounds opened before it was recorded: not recorded
    ) -> None:
        self.slug, self.name_ar, self.name_en = slug, name_ar, name_en
        self.target, self.allowances = target, allowances

    def allowance(self, item: str) -> int:
        return self.allowances.get(check_item(item), 0)


class InvalidRound(InvalidInput):
    code = "invalid_round"


class InvalidAllowance(InvalidInput):
    code = "invalid_allowance"


class RoundNotFound(NotFound):
    code = "round_not_found"
