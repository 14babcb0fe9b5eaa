"""A site: a packing site, a distribution point or a kitchen, in one governorate."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.errors import InvalidInput, NotFound, RuleViolation
from coordination.fingerprints import stable_id
from coordination.governorates import get_governorate

MAX_DAILY_MEALS = 1_000_000
MAX_DAILY_BOXES = 5_000_000
MAX_HOURLY_BOXES = 100_000
MAX_TEMPLATE_ITEMS = 20
EGYPT_LATITUDES = (21.5, 32.0)
EGYPT_LONGITUDES = (24.5, 37.0)


class SiteKind(StrEnum):
    PACKING = "packing"
    DISTRIBUTION_POINT = "distribution_point"
    KITCHEN = "kitchen"


class Site(Aggregate):
    if TYPE_CHECKING:  # @event makes these classes at runtime; the type checker sees them here
        Opened: ClassVar[type[Aggregate.Event]]
        KitchenConfigured: ClassVar[type[Aggregate.Event]]
        PackingConfigured: ClassVar[type[Aggregate.Event]]
        LineAdded: ClassVar[type[Aggregate.Event]]
        Renamed: ClassVar[type[Aggregate.Event]]
        Located: ClassVar[type[Aggregate.Event]]
        Closed: ClassVar[type[Aggregate.Event]]

    # Sites opened before these events existed have no address and are open.
    address = ""
    closed = False

    @staticmethod
    def create_id(slug: str) -> UUID:
        return stable_id("site", slug)

    @classmethod
    def open(
        cls,
        slug: str,
        kind: str,
        governorate: str,
        name_ar: str,
        name_en: str,
        by: UUID | None = None,
    ) -> Site:
        try:
            kind = SiteKind(kind).value
        except ValueError:
            raise UnknownSiteKind(kind=kind) from None
        names = (name_ar.strip(), name_en.strip())
        if not slug.strip() or not all(0 < len(name) <= 120 for name in names):
            raise InvalidSiteName()
        return cls(slug.strip(), kind, get_governorate(governorate).code, *names, by)

    @event("Opened")
    def __init__(
        self,
        slug: str,
        kind: str,
        governorate: str,
        name_ar: str,
        name_en: str,
        opened_by: UUID | None = None,  # sites opened before it was recorded: not recorded
    ) -> None:
        self.slug, self.kind, self.governorate = slug, kind, governorate
        self.name_ar, self.name_en = name_ar, name_en
        capital = get_governorate(governorate)
        self.latitude, self.longitude = capital.latitude, capital.longitude
        self.daily_meal_target = 0
        self.daily_box_target = 0
        self.box_template: dict[str, int] = {}
        self.lines: dict[UUID, tuple[str, str, int]] = {}

    def configure_kitchen(
        self, daily_meal_target: int, latitude: float | None, longitude: float | None
    ) -> None:
        if self.kind != SiteKind.KITCHEN:
            raise NotAKitchen()
        if not 0 <= daily_meal_target <= MAX_DAILY_MEALS:
            raise InvalidMealTarget(maximum=MAX_DAILY_MEALS)
        latitude = self.latitude if latitude is None else latitude
        longitude = self.longitude if longitude is None else longitude
        if not (
            EGYPT_LATITUDES[0] <= latitude <= EGYPT_LATITUDES[1]
            and EGYPT_LONGITUDES[0] <= longitude <= EGYPT_LONGITUDES[1]
        ):
            raise LocationOutsideEgypt()
        if (daily_meal_target, latitude, longitude) == (
            self.daily_meal_target,
            self.latitude,
            self.longitude,
        ):
            return  # set again as it is (the demo seeded twice): nothing happened
        self._kitchen_configured(daily_meal_target, latitude, longitude)

    @event("KitchenConfigured")
    def _kitchen_configured(
        self, daily_meal_target: int, latitude: float, longitude: float
    ) -> None:
        self.daily_meal_target = daily_meal_target
        self.latitude, self.longitude = latitude, longitude

    def configure_packing(self, daily_box_target: int, box_template: dict[str, int]) -> None:
        self._check_packing()
        if not 0 <= daily_box_target <= MAX_DAILY_BOXES:
            raise InvalidBoxTarget(maximum=MAX_DAILY_BOXES)
        template = {" ".join(name.split()): quantity for name, quantity in box_template.items()}
        if len(template) > MAX_TEMPLATE_ITEMS or not all(
            0 < len(name) <= 40 and 0 < quantity <= 1000 for name, quantity in template.items()
        ):
            raise InvalidBoxTemplate(items=MAX_TEMPLATE_ITEMS)
        self._packing_configured(daily_box_target, template)

    @event("PackingConfigured")
    def _packing_configured(self, daily_box_target: int, box_template: dict[str, int]) -> None:
        self.daily_box_target, self.box_template = daily_box_target, box_template

    def add_line(self, name: str, zone: str, hourly_target: int) -> UUID:
        self._check_packing()
        name, zone = " ".join(name.split()), " ".join(zone.split())
        if not (0 < len(name) <= 60 and 0 < len(zone) <= 60):
            raise InvalidLineName()
        if not 0 <= hourly_target <= MAX_HOURLY_BOXES:
            raise InvalidBoxTarget(maximum=MAX_HOURLY_BOXES)
        line_id = stable_id("line", str(self.id), name.casefold())
        if line_id in self.lines:
            raise LineExists(name=name)
        self._line_added(line_id, name, zone, hourly_target)
        return line_id

    @event("LineAdded")
    def _line_added(self, line_id: UUID, name: str, zone: str, hourly_target: int) -> None:
        self.lines[line_id] = (name, zone, hourly_target)

    def rename(self, name_ar: str, name_en: str, by: UUID | None) -> bool:
        names = (" ".join(name_ar.split()), " ".join(name_en.split()))
        if not all(0 < len(name) <= 120 for name in names):
            raise InvalidSiteName()
        if names == (self.name_ar, self.name_en):
            return False
        self._renamed(*names, by)
        return True

    @event("Renamed")
    def _renamed(self, name_ar: str, name_en: str, by: UUID | None) -> None:
        self.name_ar, self.name_en = name_ar, name_en

    def locate(
        self, address: str, latitude: float | None, longitude: float | None, by: UUID | None
    ) -> bool:
        address = " ".join(address.split())
        if len(address) > 240:
            raise InvalidAddress(maximum=240)
        latitude = self.latitude if latitude is None else latitude
        longitude = self.longitude if longitude is None else longitude
        if not (
            EGYPT_LATITUDES[0] <= latitude <= EGYPT_LATITUDES[1]
            and EGYPT_LONGITUDES[0] <= longitude <= EGYPT_LONGITUDES[1]
        ):
            raise LocationOutsideEgypt()
        if (address, latitude, longitude) == (self.address, self.latitude, self.longitude):
            return False
        self._located(address, latitude, longitude, by)
        return True

    @event("Located")
    def _located(self, address: str, latitude: float, longitude: float, by: UUID | None) -> None:
        self.address, self.latitude, self.longitude = address, latitude, longitude

    def close(self, by: UUID | None) -> bool:
        if self.closed:
            return False
        self._closed(by)
        return True

    @event("Closed")
    def _closed(self, by: UUID | None) -> None:
        self.closed = True

    def _check_packing(self) -> None:
        if self.kind != SiteKind.PACKING:
            raise NotAPackingSite()


class SiteClosed(RuleViolation):
    code = "site_closed"


class UnknownSiteKind(InvalidInput):
    code = "unknown_site_kind"


class InvalidSiteName(InvalidInput):
    code = "invalid_site_name"


class InvalidAddress(InvalidInput):
    code = "invalid_address"


class SiteNotFound(NotFound):
    code = "site_not_found"


class NotAKitchen(InvalidInput):
    code = "not_a_kitchen"


class NotADistributionPoint(InvalidInput):
    code = "not_a_distribution_point"


class InvalidMealTarget(InvalidInput):
    code = "invalid_meal_target"


class LocationOutsideEgypt(InvalidInput):
    code = "location_outside_egypt"


class NotAPackingSite(InvalidInput):
    code = "not_a_packing_site"


class InvalidBoxTarget(InvalidInput):
    code = "invalid_box_target"


class InvalidBoxTemplate(InvalidInput):
    code = "invalid_box_template"


class InvalidLineName(InvalidInput):
    code = "invalid_line_name"


class LineExists(RuleViolation):
    code = "line_exists"


class LineNotFound(NotFound):
    code = "line_not_found"
