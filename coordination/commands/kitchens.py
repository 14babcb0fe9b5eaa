"""Kitchens: their daily target and place, and the meal batches their leads log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from coordination.calendar import local_day
from coordination.commands.base import CommandBase
from coordination.errors import InvalidInput
from coordination.iftar import iftar_at
from coordination.meal_batch import MealBatch, MealBatchNotFound
from coordination.permissions import Actor, require
from coordination.retry import retrying
from coordination.site import NotAKitchen, Site, SiteKind, SiteNotFound


@dataclass(frozen=True)
class BatchState:
    batch_id: UUID
    recorded: bool
    cooked: int
    left: int


class KitchenCommands(CommandBase):
    def configure_kitchen(
        self,
        actor: Actor,
        kitchen_id: UUID,
        daily_meal_target: int,
        latitude: float | None = None,
        longitude: float | None = None,
    ) -> None:
        def attempt() -> None:
            kitchen = self._kitchen(actor, kitchen_id)
            kitchen.configure_kitchen(daily_meal_target, latitude, longitude)
            self.save(kitchen)

        retrying(attempt)

    def log_cooked(
        self,
        actor: Actor,
        kitchen_id: UUID,
        dish: str,
        count: int,
        idempotency_key: str,
        cooked_at: datetime | None = None,
    ) -> BatchState:
        kitchen = self._kitchen(actor, kitchen_id)
        cooked_at = cooked_at or self.clock()
        iftar = iftar_at(kitchen.latitude, kitchen.longitude, local_day(cooked_at))
        key = idempotency_key.strip()[:100]
        batch = MealBatch.cook(kitchen.id, kitchen.governorate, dish, count, cooked_at, iftar, key)
        try:
            self.save(batch)
            recorded = True
        except IntegrityError:
            batch, recorded = self.repository.get(batch.id), False
        return BatchState(batch.id, recorded, batch.cooked, batch.left)

    def log_served(
        self,
        actor: Actor,
        batch_id: UUID,
        count: int,
        how: str,
        idempotency_key: str,
        point_id: UUID | None = None,
        served_at: datetime | None = None,
    ) -> BatchState:
        if point_id is not None:
            point = self._get(point_id, Site, SiteNotFound)
            if point.kind != SiteKind.DISTRIBUTION_POINT:
                raise NotADistributionPoint()
        when = served_at or self.clock()
        return self._change_batch(
            actor, batch_id, lambda b: b.log_served(idempotency_key, count, when, how, point_id)
        )

    def log_discarded(
        self, actor: Actor, batch_id: UUID, count: int, reason: str, idempotency_key: str
    ) -> BatchState:
        return self._change_batch(
            actor, batch_id, lambda b: b.log_discarded(idempotency_key, count, reason)
        )

    def reverse_entry(
        self, actor: Actor, batch_id: UUID, entry_key: str, idempotency_key: str
    ) -> BatchState:
        return self._change_batch(actor, batch_id, lambda b: b.reverse(idempotency_key, entry_key))

    def _change_batch(
        self, actor: Actor, batch_id: UUID, change: Callable[[MealBatch], bool]
    ) -> BatchState:
        def attempt() -> BatchState:
            batch = self._get(batch_id, MealBatch, MealBatchNotFound)
            self._kitchen(actor, batch.kitchen_id)
            recorded = change(batch)
            if recorded:
                self.save(batch)
            return BatchState(batch.id, recorded, batch.cooked, batch.left)

        with self.locks(batch_id):
            return retrying(attempt)

    def _kitchen(self, actor: Actor, kitchen_id: UUID) -> Site:
        kitchen = self._get(kitchen_id, Site, SiteNotFound)
        if kitchen.kind != SiteKind.KITCHEN:
            raise NotAKitchen()
        require(actor.manages_site(kitchen.id, kitchen.governorate))
        return kitchen


class NotADistributionPoint(InvalidInput):
    code = "not_a_distribution_point"
