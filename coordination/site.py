"""A site: a packing site, a distribution point or a kitchen, in one governorate."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.errors import InvalidInput, NotFound
from coordination.fingerprints import stable_id
from coordination.governorates import get_governorate


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


class UnknownSiteKind(InvalidInput):
    code = "unknown_site_kind"


class InvalidSiteName(InvalidInput):
    code = "invalid_site_name"


class SiteNotFound(NotFound):
    code = "site_not_found"
