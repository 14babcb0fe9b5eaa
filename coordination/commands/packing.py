"""Packing sites: their lines and targets, box batches logged by line leads, truck dispatch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from coordination.attendance import Attendance, Position
from coordination.box_batch import BoxBatch
from coordination.commands.base import CommandBase
from coordination.commands.kitchens import NotADistributionPoint
from coordination.meal_batch import NothingToReverse
from coordination.permissions import Actor, require
from coordination.retry import retrying
from coordination.site import LineNotFound, NotAPackingSite, Site, SiteKind, SiteNotFound
from coordination.stock import Item, Stock, check_count, check_item
from coordination.truckload import Truckload, TruckloadNotFound, check_label


@dataclass(frozen=True)
class StockState:
    site_id: UUID
    recorded: bool
    on_hand: int


@dataclass(frozen=True)
class TruckState:
    truckload_id: UUID
    recorded: bool
    count: int
    received: int | None
    on_hand: int


def clean_key(key: str) -> str:
    return key.strip()[:100]


class PackingCommands(CommandBase):
    def configure_packing(
        self, actor: Actor, site_id: UUID, daily_box_target: int, box_template: dict[str, int]
    ) -> None:
        def attempt() -> None:
            site = self._packing_site(actor, site_id)
            site.configure_packing(daily_box_target, box_template)
            self.save(site)

        retrying(attempt)

    def add_line(
        self, actor: Actor, site_id: UUID, name: str, zone: str, hourly_target: int
    ) -> UUID:
        def attempt() -> UUID:
            site = self._packing_site(actor, site_id)
            line_id = site.add_line(name, zone, hourly_target)
            self.save(site)
            return line_id

        return retrying(attempt)

    def log_boxes(
        self,
        actor: Actor,
        site_id: UUID,
        line_id: UUID,
        count: int,
        idempotency_key: str,
        shift_id: UUID | None = None,
        at: datetime | None = None,
    ) -> StockState:
        site = self._get(site_id, Site, SiteNotFound)
        if site.kind != SiteKind.PACKING:
            raise NotAPackingSite()
        require(self._may_log(actor, site, line_id, shift_id))
        if line_id not in site.lines:
            raise LineNotFound()
        key, count, when = clean_key(idempotency_key), check_count(count), at or self.clock()
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

        return self._decision(
            decide, (stock_id, batch_id), (stock_id,), ("stock", site.id)
        ).result()

    def reverse_boxes(
        self, actor: Actor, site_id: UUID, entry_key: str, idempotency_key: str
    ) -> StockState:
        """Undoes a logged batch once; the boxes must still be on hand."""
        site = self._packing_site(actor, site_id)
        batch_id = BoxBatch.create_id(site.id, clean_key(entry_key))

        def attempt() -> StockState:
            batch = self._find(batch_id, BoxBatch)
            if batch is None:
                raise NothingToReverse()
            stock = self._stock_of(site)
            recorded = batch.reverse(clean_key(idempotency_key))
            if recorded:
                stock.unpack(batch.id, batch.count)
                self.save(batch, stock)
            return StockState(site.id, recorded, stock.held(Item.FOOD_BOX))

        with self.locks(("stock", site.id)):
            return retrying(attempt)

    def dispatch_truck(
        self,
        actor: Actor,
        site_id: UUID,
        point_id: UUID,
        count: int,
        idempotency_key: str,
        label: str = "",
        item: str = Item.FOOD_BOX,
    ) -> TruckState:
        site = self._get(site_id, Site, SiteNotFound)
        require(actor.manages_site(site.id, site.governorate) or actor.device_site_id == site.id)
        point = self._get(point_id, Site, SiteNotFound)
        if point.kind != SiteKind.DISTRIBUTION_POINT:
            raise NotADistributionPoint()
        key, label, count = clean_key(idempotency_key), check_label(label), check_count(count)
        item = check_item(item)
        truck_id, stock_id = Truckload.create_id(site.id, key), Stock.create_id(site.id)

        def decide(aggregates: dict[UUID, Any]) -> TruckState:
            stock = aggregates.get(stock_id) or Stock(site.id, site.governorate)
            aggregates[stock_id] = stock
            truck = aggregates.get(truck_id)
            if truck is not None:
                return self._truck_state(truck, False, stock)
            now = self.clock()
            truck = Truckload(site.id, key, point.id, point.governorate, item, count, label, now)
            stock.send(truck.id, point.id, item, count, now)
            aggregates[truck.id] = truck
            return self._truck_state(truck, True, stock)

        # Trucks leave the stadium while its lines log boxes: the site's stock is taken in turn.
        return self._decision(
            decide, (stock_id, truck_id), (stock_id,), ("stock", site.id)
        ).result()

    def confirm_truckload(
        self, actor: Actor, truckload_id: UUID, received: int, idempotency_key: str = ""
    ) -> TruckState:
        """The point's count; the same count again is a replay, another one is refused."""
        sent = self._get(truckload_id, Truckload, TruckloadNotFound)  # where to: never changes
        point = self._get(sent.to_point_id, Site, SiteNotFound)
        require(actor.manages_site(point.id, point.governorate) or actor.device_site_id == point.id)
        stock_id = Stock.create_id(point.id)

        def decide(aggregates: dict[UUID, Any]) -> TruckState:
            truck = self._held(aggregates, truckload_id, Truckload, TruckloadNotFound)
            stock = aggregates.get(stock_id) or Stock(point.id, point.governorate)
            aggregates[stock_id] = stock
            now = self.clock()
            recorded = truck.confirm(received, now)
            if recorded:
                stock.receive(truck.id, truck.item, received, now)
            return self._truck_state(truck, recorded, stock)

        # The point may be handing out meanwhile: its stock is taken in turn.
        return self._decision(
            decide, (truckload_id, stock_id), (stock_id,), ("stock", point.id)
        ).result()

    def on_hand(self, site_id: UUID, item: str = Item.FOOD_BOX) -> int:
        stock = self._find(Stock.create_id(site_id), Stock)
        return 0 if stock is None else stock.held(item)

    def _may_log(self, actor: Actor, site: Site, line_id: UUID, shift_id: UUID | None) -> bool:
        """Managers and the site's desks; a volunteer only as the checked-in lead of that line."""
        if actor.manages_site(site.id, site.governorate) or actor.device_site_id == site.id:
            return True
        if actor.volunteer_id is None or shift_id is None:
            return False
        attendance = self._find(Attendance.create_id(shift_id, actor.volunteer_id), Attendance)
        return (
            attendance is not None
            and attendance.site_id == site.id
            and attendance.checked_in_at is not None
            and attendance.checked_out_at is None
            and attendance.place is not None
            and attendance.place[1:] == (line_id, Position.LINE_LEAD)
        )

    def _stock_of(self, site: Site) -> Stock:
        stock = self._find(Stock.create_id(site.id), Stock)
        if stock is None:
            stock = Stock(site.id, site.governorate)
        return stock

    def _truck_state(self, truck: Truckload, recorded: bool, stock: Stock) -> TruckState:
        return TruckState(truck.id, recorded, truck.count, truck.received, stock.held(truck.item))

    def _packing_site(self, actor: Actor, site_id: UUID) -> Site:
        site = self._get(site_id, Site, SiteNotFound)
        if site.kind != SiteKind.PACKING:
            raise NotAPackingSite()
        require(actor.manages_site(site.id, site.governorate))
        return site
