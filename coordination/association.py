"""A member association: volunteers call one home; its coordinators look after them."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.errors import InvalidInput, NotFound
from coordination.fingerprints import stable_id
from coordination.governorates import get_governorate


class Association(Aggregate):
    @staticmethod
    def create_id(slug: str) -> UUID:
        return stable_id("association", slug)

    @classmethod
    def found(cls, slug: str, name_ar: str, name_en: str, governorate: str) -> Association:
        names = (name_ar.strip(), name_en.strip())
        if not slug.strip() or not all(0 < len(name) <= 160 for name in names):
            raise InvalidAssociationName()
        return cls(slug.strip(), *names, get_governorate(governorate).code)

    @event("Founded")
    def __init__(self, slug: str, name_ar: str, name_en: str, governorate: str) -> None:
        self.slug, self.name_ar, self.name_en, self.governorate = (
            slug,
            name_ar,
            name_en,
            governorate,
        )


class InvalidAssociationName(InvalidInput):
    code = "invalid_association_name"


class AssociationNotFound(NotFound):
    code = "association_not_found"
