"""Setting up a packing site, logging and reversing its boxes, sending and receiving trucks.
The site's stock is taken in turn: trucks leave while its lines log boxes, and a point may be
handing out while a truck arrives."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from coordination.areas.packing.commands import (
    AddLine,
    ConfigurePacking,
    ConfirmTruckload,
    DispatchTruck,
    LogBoxes,
    ReverseBoxes,
    StockState,
    TruckState,
)
from coordination.areas.packing.policy import (
    NotYourLine,
    leads_a_line,
    leads_line,
    manages,
    staffs,
)
from coordination.attendance import Attendance
from coordination.box_batch import BoxBatch
from coordination.dispatch import Decision, Store, handles
from coordination.dispatch.keys import keyed, records_to_save, with_key
from coordination.meal_batch import NothingToReverse, correction_reason
from coordination.permissions import Actor, require
from coordination.retry import retrying
from coordination.site import (
    LineNotFound,
    NotADistributionPoint,
    NotAPackingSite,
    Site,
    SiteKind,
    SiteNotFound,
)
from coordination.stock import Item, Stock, check_count, check_item
from coordination.truckload import Truckload, TruckloadNotFound, check_label


@handles(ConfigurePacking)
def configure_packing(store: Store, command: ConfigurePacking, actor: Actor) -> None:
    def attempt() -> None:
        site = _packing_site(store, actor, command.site_id)
        site.configure_packing(command.daily_box_target, command.box_template)
        store.save(site)

    retrying(attempt)


@handles(AddLine)
def add_line(store: Store, command: AddLine, actor: Actor) -> UUID:
    def attempt() -> UUID:
        site = _packing_site(store, actor, command.site_id)
        line_id = site.add_line(command.name, command.zone, command.hourly_target)
        store.save(site)
        return line_id

    return retrying(attempt)


@handles(LogBoxes)
def log_boxes(store: Store, command: LogBoxes, actor: Actor) -> Decision[StockState]:
    site = store.get(command.site_id, Site, SiteNotFound)
    if site.kind != SiteKind.PACKING:
        raise NotAPackingSite()
    require(
        manages(actor, site)
        or leads_line(actor, site, command.line_id, _lead_of(store, actor, command.shift_id))
    )
    if command.line_id not in site.lines:
        raise LineNotFound()
    key, count = _clean(command.idempotency_key), check_count(command.count)
    line_id, when = command.line_id, command.at or store.clock()
    batch_id, stock_id = BoxBatch.create_id(site.id, key), Stock.create_id(site.id)

    def decide(aggregates: dict[UUID, Any]) -> StockState:
        stock = aggregates.get(stock_id) or Stock(site.id, site.governorate)
        aggregates[stock_id] = stock
        if batch_id in aggregates:
            return StockState(site.id, False, stock.held(Item.FOOD_BOX))
        batch = BoxBatch(site.id, key, line_id, count, when)
        stock.pack(batch.id, line_id, count, when)
        aggregates[batch.id] = batch
        return StockState(site.id, True, stock.held(Item.FOOD_BOX))

    request = keyed(site.id, key, "LogBoxes", line_id, command.count, command.shift_id, command.at)
    return with_key(
        Decision(decide, (stock_id, batch_id), lock=("stock", site.id), contested=(stock_id,)),
        request,
    )


@handles(ReverseBoxes)
def reverse_boxes(store: Store, command: ReverseBoxes, actor: Actor) -> StockState:
    """By the site's managers, or by a line's checked-in lead for their own line's batches."""
    site = store.get(command.site_id, Site, SiteNotFound)
    if site.kind != SiteKind.PACKING:
        raise NotAPackingSite()
    manager = manages(actor, site)
    lead = None if manager else _lead_of(store, actor, command.shift_id)
    require(manager or leads_a_line(actor, site, lead))
    reason = correction_reason(command.reason)
    batch_id = BoxBatch.create_id(site.id, _clean(command.entry_key))
    key = _clean(command.idempotency_key)
    request = keyed(site.id, key, "ReverseBoxes", _clean(command.entry_key), command.reason)

    def attempt() -> StockState:
        records = records_to_save(store, request)
        batch = store.find(batch_id, BoxBatch)
        if batch is None:
            raise NothingToReverse()
        if not (manager or leads_line(actor, site, batch.line_id, lead)):
            raise NotYourLine()
        stock = store.find(Stock.create_id(site.id), Stock) or Stock(site.id, site.governorate)
        recorded = batch.reverse(key, reason)
        if recorded:
            stock.unpack(batch.id, batch.count)
            store.save(batch, stock, *records)
        elif records:
            store.save(*records)
        return StockState(site.id, recorded, stock.held(Item.FOOD_BOX))

    with store.locks(("stock", site.id)):
        return retrying(attempt)


@handles(DispatchTruck)
def dispatch_truck(store: Store, command: DispatchTruck, actor: Actor) -> Decision[TruckState]:
    site = store.get(command.site_id, Site, SiteNotFound)
    require(manages(actor, site))
    point = store.get(command.point_id, Site, SiteNotFound)
    if point.kind != SiteKind.DISTRIBUTION_POINT:
        raise NotADistributionPoint()
    key, label = _clean(command.idempotency_key), check_label(command.label)
    count, item = check_count(command.count), check_item(command.item)
    truck_id, stock_id = Truckload.create_id(site.id, key), Stock.create_id(site.id)

    def decide(aggregates: dict[UUID, Any]) -> TruckState:
        stock = aggregates.get(stock_id) or Stock(site.id, site.governorate)
        aggregates[stock_id] = stock
        truck = aggregates.get(truck_id)
        if truck is not None:
            return _truck_state(truck, False, stock)
        now = store.clock()
        truck = Truckload(site.id, key, point.id, point.governorate, item, count, label, now)
        stock.send(truck.id, point.id, item, count, now)
        aggregates[truck.id] = truck
        return _truck_state(truck, True, stock)

    request = keyed(site.id, key, "DispatchTruck", point.id, count, label, item)
    return with_key(
        Decision(decide, (stock_id, truck_id), lock=("stock", site.id), contested=(stock_id,)),
        request,
    )


@handles(ConfirmTruckload)
def confirm_truckload(
    store: Store, command: ConfirmTruckload, actor: Actor
) -> Decision[TruckState]:
    truckload_id, received = command.truckload_id, command.received
    sent = store.get(truckload_id, Truckload, TruckloadNotFound)  # where to: never changes
    point = store.get(sent.to_point_id, Site, SiteNotFound)
    require(staffs(actor, point))
    stock_id = Stock.create_id(point.id)

    def decide(aggregates: dict[UUID, Any]) -> TruckState:
        truck = store.held(aggregates, truckload_id, Truckload, TruckloadNotFound)
        stock = aggregates.get(stock_id) or Stock(point.id, point.governorate)
        aggregates[stock_id] = stock
        now = store.clock()
        recorded = truck.confirm(received, now)
        if recorded:
            stock.receive(truck.id, truck.item, received, now)
        return _truck_state(truck, recorded, stock)

    request = keyed(truckload_id, command.idempotency_key, "ConfirmTruckload", received)
    return with_key(
        Decision(decide, (truckload_id, stock_id), lock=("stock", point.id), contested=(stock_id,)),
        request,
    )


def _lead_of(store: Store, actor: Actor, shift_id: UUID | None) -> Attendance | None:
    """The asking volunteer's attendance on the shift they act for, if they name one."""
    if actor.volunteer_id is None or shift_id is None:
        return None
    return store.find(Attendance.create_id(shift_id, actor.volunteer_id), Attendance)


def _packing_site(store: Store, actor: Actor, site_id: UUID) -> Site:
    site = store.get(site_id, Site, SiteNotFound)
    if site.kind != SiteKind.PACKING:
        raise NotAPackingSite()
    require(manages(actor, site))
    return site


def _truck_state(truck: Truckload, recorded: bool, stock: Stock) -> TruckState:
    return TruckState(truck.id, recorded, truck.count, truck.received, stock.held(truck.item))


def _clean(key: str) -> str:
    return key.strip()[:100]
