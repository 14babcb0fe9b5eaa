"""The stadium board's boxes: lines and targets, boxes per line per quarter hour, each batch
(reversed or not, and why), stock, trucks."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from coordination.box_batch import BoxBatch
from coordination.calendar import local_day, utc_text
from coordination.site import Site, SiteKind
from coordination.stock import Item, Stock
from coordination.truckload import Truckload
from projections.database import Cursor
from projections.projection import Projection, handles

VIEW = "packing_board"


def quarter_of(moment: datetime) -> str:
    return utc_text(moment.replace(minute=moment.minute - moment.minute % 15, second=0))


def site_keys(site_id: object, governorate: str) -> list[str]:
    return [f"packing:{site_id}", f"governorate:{governorate}", "national"]


class PackingBoard(Projection):
    name = VIEW
    tables = (
        "packing_sites",
        "packing_lines",
        "box_quarters",
        "box_entries",
        "stocks",
        "site_stock",
        "truckloads",
    )

    @handles(Site.Opened)
    def site_opened(self, cursor: Cursor, event: Any) -> list[str]:
        if event.kind != SiteKind.PACKING:
            return []
        cursor.execute(
            "INSERT INTO packing_sites (site_id, governorate, name_ar, name_en)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (site_id) DO NOTHING",
            (str(event.originator_id), event.governorate, event.name_ar, event.name_en),
        )
        return site_keys(event.originator_id, event.governorate)

    @handles(Site.Renamed)
    def site_renamed(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE packing_sites SET name_ar = %s, name_en = %s WHERE site_id = %s",
            (event.name_ar, event.name_en, str(event.originator_id)),
        )
        return [f"packing:{event.originator_id}", "national"]

    @handles(Site.PackingConfigured)
    def configured(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE packing_sites SET daily_target = %s, box_template = %s WHERE site_id = %s",
            (event.daily_box_target, json.dumps(event.box_template), str(event.originator_id)),
        )
        return [f"packing:{event.originator_id}"]

    @handles(Site.LineAdded)
    def line_added(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO packing_lines (line_id, site_id, name, zone, hourly_target)"
            " VALUES (%s, %s, %s, %s, %s)",
            (
                str(event.line_id),
                str(event.originator_id),
                event.name,
                event.zone,
                event.hourly_target,
            ),
        )
        return [f"packing:{event.originator_id}"]

    @handles(Stock.Opened)
    def stock_opened(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO stocks (stock_id, site_id, governorate) VALUES (%s, %s, %s)",
            (str(event.originator_id), str(event.site_id), event.governorate),
        )
        return []

    @handles(Stock.Packed)
    def packed(self, cursor: Cursor, event: Any) -> list[str]:
        site, _ = self._site_of(cursor, event)
        quarter = quarter_of(event.at)
        self._box_entry(cursor, site, event.batch_id, event.line_id, event.count, event.at)
        self._add_boxes(cursor, site, str(event.line_id), quarter, local_day(event.at), event.count)
        return self._stock(cursor, event, Item.FOOD_BOX, packed=event.count)

    @handles(BoxBatch.Logged)
    def batch_logged(self, cursor: Cursor, event: Any) -> list[str]:
        """The key the batch was logged with, which a correction names (saved with the
        stock's Packed, in either order)."""
        self._box_entry(
            cursor, str(event.site_id), event.originator_id, event.line_id, event.count, event.at
        )
        cursor.execute(
            "UPDATE box_entries SET entry_key = %s WHERE site_id = %s AND batch_id = %s",
            (event.key, str(event.site_id), str(event.originator_id)),
        )
        return []

    @handles(BoxBatch.Reversed)
    def batch_reversed(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE box_entries SET reversed_at = %s, reason = %s WHERE batch_id = %s",
            (utc_text(event.timestamp), event.reason, str(event.originator_id)),
        )
        return []

    @handles(Stock.PackingReversed)
    def reversed(self, cursor: Cursor, event: Any) -> list[str]:
        site, _ = self._site_of(cursor, event)
        cursor.execute(
            "SELECT line_id, quarter FROM box_entries WHERE site_id = %s AND batch_id = %s",
            (site, str(event.batch_id)),
        )
        entry = cursor.fetchone()
        day = local_day(datetime.fromisoformat(entry["quarter"]))
        self._add_boxes(cursor, site, entry["line_id"], entry["quarter"], day, -event.count)
        return self._stock(cursor, event, Item.FOOD_BOX, packed=-event.count)

    @handles(Stock.Sent)
    def sent(self, cursor: Cursor, event: Any) -> list[str]:
        return self._stock(cursor, event, event.item, sent=event.count)

    @handles(Stock.Received)
    def received(self, cursor: Cursor, event: Any) -> list[str]:
        return self._stock(cursor, event, event.item, received=event.count)

    @handles(Stock.HandedOutTogether)
    def handed_out(self, cursor: Cursor, event: Any) -> list[str]:
        keys: list[str] = []
        for item, count in event.counts.items():
            keys = self._stock(cursor, event, item, handed_out=count)
        return keys

    @handles(Stock.HandedOut)
    def handed_out_one(self, cursor: Cursor, event: Any) -> list[str]:
        return self._stock(cursor, event, event.item, handed_out=event.count)

    @handles(Truckload.Dispatched)
    def dispatched(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO truckloads (truckload_id, from_site_id, to_point_id, to_governorate,"
            " item, count, label, day, dispatched_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                str(event.originator_id),
                str(event.from_site_id),
                str(event.to_point_id),
                event.to_governorate,
                event.item,
                event.count,
                event.label,
                local_day(event.at).isoformat(),
                utc_text(event.at),
            ),
        )
        return [
            f"packing:{event.from_site_id}",
            f"point:{event.to_point_id}",
            f"governorate:{event.to_governorate}",
            "national",
        ]

    @handles(Truckload.Received)
    def truck_received(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE truckloads SET received = %s, received_at = %s WHERE truckload_id = %s",
            (event.received, utc_text(event.at), str(event.originator_id)),
        )
        cursor.execute(
            "SELECT from_site_id, to_point_id, to_governorate FROM truckloads"
            " WHERE truckload_id = %s",
            (str(event.originator_id),),
        )
        truck = cursor.fetchone()
        return [
            f"packing:{truck['from_site_id']}",
            f"point:{truck['to_point_id']}",
            f"governorate:{truck['to_governorate']}",
        ]

    def _box_entry(
        self, cursor: Cursor, site: str, batch_id: Any, line_id: Any, count: int, at: datetime
    ) -> None:
        cursor.execute(
            "INSERT INTO box_entries (site_id, batch_id, line_id, quarter, count, logged_at, day,"
            " logged_exactly) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (site_id, batch_id) DO NOTHING",
            (
                site,
                str(batch_id),
                str(line_id),
                quarter_of(at),
                count,
                utc_text(at),
                local_day(at).isoformat(),
                at.astimezone(UTC).isoformat(timespec="microseconds"),
            ),
        )

    def _add_boxes(
        self, cursor: Cursor, site: str, line: str, quarter: str, day: Any, count: int
    ) -> None:
        cursor.execute(
            "INSERT INTO box_quarters (line_id, quarter, site_id, day, boxes)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (line_id, quarter)"
            " DO UPDATE SET boxes = box_quarters.boxes + excluded.boxes",
            (line, quarter, site, day.isoformat(), count),
        )

    def _stock(self, cursor: Cursor, event: Any, item: str, **change: int) -> list[str]:
        packed, received, sent, handed_out = (
            change.get(c, 0) for c in ("packed", "received", "sent", "handed_out")
        )
        site, governorate = self._site_of(cursor, event)
        cursor.execute(
            "INSERT INTO site_stock (site_id, item, governorate, packed, received, sent,"
            " handed_out, on_hand) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (site_id, item) DO UPDATE SET"
            " packed = site_stock.packed + excluded.packed,"
            " received = site_stock.received + excluded.received,"
            " sent = site_stock.sent + excluded.sent,"
            " handed_out = site_stock.handed_out + excluded.handed_out,"
            " on_hand = site_stock.on_hand + excluded.on_hand",
            (
                site,
                item,
                governorate,
                packed,
                received,
                sent,
                handed_out,
                packed + received - sent - handed_out,
            ),
        )
        return [*site_keys(site, governorate), f"point:{site}"]

    def _site_of(self, cursor: Cursor, event: Any) -> tuple[str, str]:
        row = self.fact(
            cursor,
            "SELECT site_id, governorate FROM stocks WHERE stock_id = %s",
            str(event.originator_id),
        )
        assert row is not None, "a stock's first event names its site"
        return row["site_id"], row["governorate"]
