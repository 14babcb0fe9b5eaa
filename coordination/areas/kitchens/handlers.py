"""A kitchen's settings and its batches: cooked once per key, then served, discarded or
reversed entry by entry, each entry recorded once however often it is sent."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from coordination.areas.kitchens.commands import (
    BatchState,
    ConfigureKitchen,
    LogCooked,
    LogDiscarded,
    LogServed,
    ReverseEntry,
)
from coordination.areas.kitchens.policy import leads_kitchen
from coordination.calendar import local_day
from coordination.dispatch import Store, handles
from coordination.dispatch.keys import Keyed, keyed, records_to_save
from coordination.iftar import iftar_at
from coordination.meal_batch import MealBatch, MealBatchNotFound, correction_reason
from coordination.permissions import Actor, require
from coordination.retry import retrying
from coordination.site import NotADistributionPoint, NotAKitchen, Site, SiteKind, SiteNotFound


@handles(ConfigureKitchen)
def configure_kitchen(store: Store, command: ConfigureKitchen, actor: Actor) -> None:
    def attempt() -> None:
        kitchen = _kitchen(store, actor, command.kitchen_id)
        kitchen.configure_kitchen(command.daily_meal_target, command.latitude, command.longitude)
        store.save(kitchen)

    retrying(attempt)


@handles(LogCooked)
def log_cooked(store: Store, command: LogCooked, actor: Actor) -> BatchState:
    kitchen = _kitchen(store, actor, command.kitchen_id)
    cooked_at = command.cooked_at or store.clock()
    iftar = iftar_at(kitchen.latitude, kitchen.longitude, local_day(cooked_at))
    key = command.idempotency_key.strip()[:100]
    batch = MealBatch.cook(
        kitchen.id, kitchen.governorate, command.dish, command.count, cooked_at, iftar, key
    )
    request = keyed(kitchen.id, key, "LogCooked", command.dish, command.count, command.cooked_at)

    def attempt() -> BatchState:
        records = records_to_save(store, request)
        earlier = store.find(batch.id, MealBatch)
        if earlier is not None:
            if records:
                store.save(*records)
            return BatchState(earlier.id, False, earlier.cooked, earlier.left)
        store.save(batch, *records)
        return BatchState(batch.id, True, batch.cooked, batch.left)

    with store.locks(batch.id):
        return retrying(attempt)


@handles(LogServed)
def log_served(store: Store, command: LogServed, actor: Actor) -> BatchState:
    if command.point_id is not None:
        point = store.get(command.point_id, Site, SiteNotFound)
        if point.kind != SiteKind.DISTRIBUTION_POINT:
            raise NotADistributionPoint()
    when = command.served_at or store.clock()
    return _change_batch(
        store,
        actor,
        command.batch_id,
        lambda b: b.log_served(
            command.idempotency_key, command.count, when, command.how, command.point_id
        ),
        lambda kitchen_id: keyed(
            kitchen_id,
            command.idempotency_key,
            "LogServed",
            command.count,
            command.how,
            command.point_id,
            command.served_at,
        ),
    )


@handles(LogDiscarded)
def log_discarded(store: Store, command: LogDiscarded, actor: Actor) -> BatchState:
    return _change_batch(
        store,
        actor,
        command.batch_id,
        lambda b: b.log_discarded(command.idempotency_key, command.count, command.reason),
        lambda kitchen_id: keyed(
            kitchen_id,
            command.idempotency_key,
            "LogDiscarded",
            command.count,
            command.reason,
        ),
    )


@handles(ReverseEntry)
def reverse_entry(store: Store, command: ReverseEntry, actor: Actor) -> BatchState:
    reason = correction_reason(command.reason)
    return _change_batch(
        store,
        actor,
        command.batch_id,
        lambda b: b.reverse(command.idempotency_key, command.entry_key, reason),
        lambda kitchen_id: keyed(
            kitchen_id,
            command.idempotency_key,
            "ReverseEntry",
            command.entry_key,
            command.reason,
        ),
    )


def _change_batch(
    store: Store,
    actor: Actor,
    batch_id: UUID,
    change: Callable[[MealBatch], bool],
    request: Callable[[UUID], Keyed | None],
) -> BatchState:
    """``request``: the key of the request at its kitchen, whose meal commands share one key
    space (a key that logged meals cooked is refused for meals served)."""

    def attempt() -> BatchState:
        batch = store.get(batch_id, MealBatch, MealBatchNotFound)
        _kitchen(store, actor, batch.kitchen_id)
        records = records_to_save(store, request(batch.kitchen_id))
        recorded = change(batch)
        if recorded:
            store.save(batch, *records)
        elif records:
            store.save(*records)
        return BatchState(batch.id, recorded, batch.cooked, batch.left)

    with store.locks(batch_id):
        return retrying(attempt)


def _kitchen(store: Store, actor: Actor, kitchen_id: UUID) -> Site:
    kitchen = store.get(kitchen_id, Site, SiteNotFound)
    if kitchen.kind != SiteKind.KITCHEN:
        raise NotAKitchen()
    require(leads_kitchen(actor, kitchen))
    return kitchen
