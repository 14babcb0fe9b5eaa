"""A member association: volunteers call one home; its coordinators look after them."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.errors import InvalidInput, NotFound
from coordination.fingerprints import stable_id
from coordination.governorates import get_governorate


class AssociationKind(StrEnum):
    MEMBER_ENTITY = "member_entity"
    GRASSROOTS = "grassroots"


class Association(Aggregate):
    if TYPE_CHECKING:  # @event makes these classes at runtime; the type checker sees them here
        Founded: ClassVar[type[Aggregate.Event]]
        Classified: ClassVar[type[Aggregate.Event]]
        Renamed: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(slug: str) -> UUID:
        return stable_id("association", slug)

    @classmethod
    def found(
        cls,
        slug: str,
        name_ar: str,
        name_en: str,
        governorate: str,
        kind: str = AssociationKind.GRASSROOTS,
        by: UUID | None = None,
    ) -> Association:
        names = (name_ar.strip(), name_en.strip())
        if not slug.strip() or not all(0 < len(name) <= 160 for name in names):
            raise InvalidAssociationName()
        try:
            kind = AssociationKind(kind).value
        except ValueError:
            raise UnknownAssociationKind(kind=kind) from None
        association = cls(slug.strip(), *names, get_governorate(governorate).code, by)
        if kind != association.kind:
            association._classified(kind)
        return association

    @event("Founded")
    def __init__(
        self,
        slug: str,
        name_ar: str,
        name_en: str,
        governorate: str,
        founded_by: UUID | None = None,  # associations founded before it was recorded
    ) -> None:
        self.kind: str = AssociationKind.GRASSROOTS
        self.slug, self.name_ar, self.name_en, self.governorate = (
            slug,
            name_ar,
            name_en,
            governorate,
        )

    @event("Classified")
    def _classified(self, kind: str) -> None:
        self.kind = kind

    def rename(self, name_ar: str, name_en: str, by: UUID | None) -> bool:
        names = (" ".join(name_ar.split()), " ".join(name_en.split()))
        if not all(0 < len(name) <= 160 for name in names):
            raise InvalidAssociationName()
        if names == (self.name_ar, self.name_en):
            return False
        self._renamed(*names, by)
        return True

    @event("Renamed")
    def _renamed(self, name_ar: str, name_en: str, by: UUID | None) -> None:
        self.name_ar, self.name_en = name_ar, name_en

    def reclassify(self, kind: str) -> bool:
        try:
            kind = AssociationKind(kind).value
        except ValueError:
            raise UnknownAssociationKind(kind=kind) from None
        if kind == self.kind:
            return False
        self._classified(kind)
        return True


class UnknownAssociationKind(InvalidInput):
    code = "unknown_association_kind"


class InvalidAssociationName(InvalidInput):
    code = "invalid_association_name"


class AssociationNotFound(NotFound):
    code = "association_not_found"
