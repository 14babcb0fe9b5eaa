"""What the packing pages and API read from the event store itself."""

from __future__ import annotations

from uuid import UUID

from coordination.dispatch import Store
from coordination.stock import Item, Stock


def on_hand(store: Store, site_id: UUID, item: str = Item.FOOD_BOX) -> int:
    stock = store.find(Stock.create_id(site_id), Stock)
    return 0 if stock is None else stock.held(item)
