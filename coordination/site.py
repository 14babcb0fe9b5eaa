"""A site: a packing site, a distribution point or a kitchen, in one governorate."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.errors import InvalidInput, NotFound
from coordination.fingerprints import stable_id
from coordination.governorates import get_governorate

MAX_DAILY_MEALS = 1_000_000
EGYPT_LATITUDES = (21.5, 32.0)
EGYPT_LONGITUDES = (24.5, 37.0)


class SiteKind(StrEnum):
    PACKING = "packing"
    DISTRIBUTION_POINT = "distribution_point"
    KITCHEN = "kitchen"


class Site(Aggregate):
    @staticmethod
    def create_id(slug: str) -> UUID:
        return stable_id("site", slug)

    @classmethod
    def open(cls, slug: str, kind: str, governorate: str, name_ar: str, name_en: str) -> Site:
        try:
            kind = SiteKind(kind).value
        except ValueError:
            raise UnknownSiteKind(kind=kind) from None
        names = (name_ar.strip(), name_en.strip())
        if not slug.strip() or not all(0 < len(name) <= 120 for name in names):
            raise InvalidSiteName()
        return cls(slug.strip(), kind, get_governorate(governorate).code, *names)

    @event("Opened")
    def __init__(self, slug: str, kind: str, governorate: str, name_ar: str, name_en: str) -> None:
        self.slug, self.kind, self.governorate = slug, kind, governorate
        self.name_ar, self.name_en = name_ar, name_en
        capital = get_governorate(governorate)
        self.latitude, self.longitude = capital.latitude, capital.longitude
        self.daily_meal_target = 0

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
        self._kitchen_configured(daily_meal_target, latitude, longitude)

    @event("KitchenConfigured")
    def _kitchen_configured(
        self, daily_meal_target: int, latitude: float, longitude: float
    ) -> None:
        self.daily_meal_target = daily_meal_target
        self.latitude, self.longitude = latitude, longitude


class UnknownSiteKind(InvalidInput):
    code = "unknown_site_kind"


class InvalidSiteName(InvalidInput):
    code = "invalid_site_name"


class SiteNotFound(NotFound):
    code = "site_not_found"


class NotAKitchen(InvalidInput):
    code = "not_a_kitchen"


class InvalidMealTarget(InvalidInput):
    code = "invalid_meal_target"


class LocationOutsideEgypt(InvalidInput):
    code = "location_outside_egypt"
