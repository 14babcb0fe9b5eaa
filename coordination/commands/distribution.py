"""Distribution points: campaign rounds, households, items taken in, and hand-offs to families."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from coordination.calendar import local_day
from coordination.campaign_round import CampaignRound, RoundNotFound
from coordination.commands.base import CommandBase
from coordination.commands.kitchens import NotADistributionPoint
from coordination.delivery import Delivery
from coordination.errors import DomainError, InvalidInput, as_answer
from coordination.handoff import AllowanceUsed, HandOff, hand_off
from coordination.household import Household, HouseholdNotFound
from coordination.identity import parse_national_id
from coordination.permissions import Actor, Role, require
from coordination.retry import retrying
from coordination.site import Site, SiteKind, SiteNotFound
from coordination.stock import Stock, check_count, check_item

MAX_BATCH_ITEMS = 500


@dataclass(frozen=True)
class HandOffResult:
    household_id: UUID
    recorded: bool
    taken: int
    allowance: int
    on_hand: int


class DistributionCommands(CommandBase):
    def open_round(
        self,
        actor: Actor,
        slug: str,
        name_ar: str,
        name_en: str,
        target: int,
        allowances: dict[str, int] | None = None,
    ) -> UUID:
        require(actor.is_admin)
        campaign_round = CampaignRound.open(slug, name_ar, name_en, target, allowances)
        self._save_new(campaign_round)
        return campaign_round.id

    def household_id_for(self, national_id: str) -> UUID:
        nid = parse_national_id(national_id, today=self.clock().date())
        return Household.create_id(self.fingerprints.of("household", nid.digits))

    def register_household(
        self, actor: Actor, national_id: str, size: int, governorate: str, point_id: UUID | None
    ) -> tuple[UUID, bool]:
        """Registered once in the whole country; registering again finds the same household."""
        if point_id is not None:
            governorate = self.point_for(actor, point_id).governorate
        else:
            require(actor.is_admin or actor.has(Role.GOVERNORATE_COORDINATOR, governorate))
        nid = parse_national_id(national_id, today=self.clock().date())
        household = Household.register(
            self.fingerprints.of("household", nid.digits), nid.last_four, size, governorate
        )
        return self._register_one(household)

    def register_households(
        self, actor: Actor, rows: list[tuple[str, int]], point_id: UUID
    ) -> list[tuple[UUID, bool] | DomainError]:
        """A list's households at a point, in one write: each row registered, found already
        registered, or refused on its own; ``rows`` are (national ID, number of people)."""
        governorate = self.point_for(actor, point_id).governorate
        today = self.clock().date()
        outcomes: list[tuple[UUID, bool] | DomainError | Household] = []
        for national_id, size in rows:
            try:
                nid = parse_national_id(national_id, today=today)
                fingerprint = self.fingerprints.of("household", nid.digits)
                outcomes.append(Household.register(fingerprint, nid.last_four, size, governorate))
            except DomainError as refused:
                outcomes.append(as_answer(refused))
        proposed = [o for o in outcomes if isinstance(o, Household)]
        known = set(self.read_many(h.id for h in proposed))
        new = {h.id: h for h in proposed if h.id not in known}
        try:
            self.save(*new.values())
        except IntegrityError:  # registered elsewhere meanwhile: row by row
            return [o if not isinstance(o, Household) else self._register_one(o) for o in outcomes]
        return [
            o if not isinstance(o, Household) else (o.id, new.pop(o.id, None) is not None)
            for o in outcomes
        ]

    def _register_one(self, household: Household) -> tuple[UUID, bool]:
        if household.id in self.repository:
            return household.id, False
        self._save_new(household)
        return household.id, True

    def take_in(
        self, actor: Actor, site_id: UUID, item: str, count: int, idempotency_key: str
    ) -> int:
        """Items from outside the campaign's trucks; the stock on hand after."""
        site = self._get(site_id, Site, SiteNotFound)
        require(actor.manages_site(site.id, site.governorate) or actor.device_site_id == site.id)
        item, count, key = check_item(item), check_count(count), idempotency_key.strip()[:100]

        def attempt() -> int:
            stock = self._stock_at(site.id, site.governorate)
            if Delivery.create_id(site.id, key) not in self.repository:
                delivery = Delivery(site.id, key, item, count, self.clock())
                stock.receive(delivery.id, item, count, delivery.at)
                self.save(delivery, stock)
            return stock.held(item)

        with self.locks(("stock", site.id)):
            return retrying(attempt)

    def hand_off(
        self,
        actor: Actor,
        point_id: UUID,
        round_id: UUID,
        household_id: UUID,
        item: str,
        count: int,
        idempotency_key: str,
        at: datetime | None = None,
        volunteer_id: UUID | None = None,
    ) -> HandOffResult:
        point = self.point_for(actor, point_id)
        given = self.given(
            point, round_id, household_id, item, count, idempotency_key, at, volunteer_id
        )
        [answer] = self.hand_offs_later(point, round_id, [given]).result()
        if isinstance(answer, DomainError):
            raise answer
        return answer

    def given(
        self,
        point: Site,
        round_id: UUID,
        household_id: UUID,
        item: str,
        count: int,
        idempotency_key: str,
        at: datetime | None = None,
        volunteer_id: UUID | None = None,
    ) -> tuple[UUID, HandOff]:
        """One hand-off as ``hand_offs_later`` takes it: the household and what it was given."""
        key = idempotency_key.strip()[:100] or f"{household_id}:{round_id}:{item}"
        at = at or self.clock()
        return household_id, HandOff(
            key, item, count, at, point.id, point.governorate, volunteer_id
        )

    def hand_offs_later(
        self, point: Site, round_id: UUID, given: list[tuple[UUID, HandOff]]
    ) -> Future[list[HandOffResult | DomainError]]:
        """Hand-offs at a point ``point_for`` gave, enqueued as one command: decided in their
        order, each recorded or refused on its own, and saved with concurrent ones."""
        stock_id = Stock.create_id(point.id)

        def one(aggregates: dict[UUID, Any], household_id: UUID, handed: HandOff) -> HandOffResult:
            household = self._held(aggregates, household_id, Household, HouseholdNotFound)
            campaign_round = self._held(aggregates, round_id, CampaignRound, RoundNotFound)
            stock = aggregates.get(stock_id) or Stock(point.id, point.governorate)
            aggregates[stock_id] = stock
            try:
                recorded = hand_off(household, stock, campaign_round, handed)
            except AllowanceUsed as refused:
                raise self._explained(refused) from None
            return HandOffResult(
                household.id,
                recorded,
                household.taken(round_id, handed.item),
                campaign_round.allowance(handed.item),
                stock.held(handed.item),
            )

        def decide(aggregates: dict[UUID, Any]) -> list[HandOffResult | DomainError]:
            answers: list[HandOffResult | DomainError] = []
            for household_id, handed in given:
                try:
                    answers.append(one(aggregates, household_id, handed))
                except DomainError as refused:
                    answers.append(as_answer(refused))
            return answers

        households = tuple(dict.fromkeys(household_id for household_id, _ in given))
        return self._decision(
            decide,
            (*households, round_id, stock_id),
            (stock_id,),
            ("stock", point.id),
            weight=len(given),
        )

    def _explained(self, refused: AllowanceUsed) -> AllowanceUsed:
        """Where and when the household received, in words a distributor can tell the family."""
        context = dict(refused.context)
        point = self._find(UUID(context["point_id"]), Site) if context["point_id"] else None
        context["point"] = f"{point.name_ar} ({point.name_en})" if point else "-"
        at = context["at"]
        context["date"] = local_day(datetime.fromisoformat(at)).isoformat() if at else "-"
        return AllowanceUsed(**context)

    def point_for(self, actor: Actor, point_id: UUID) -> Site:
        """The distribution point, if the actor may hand off there."""
        point = self._get(point_id, Site, SiteNotFound)
        if point.kind != SiteKind.DISTRIBUTION_POINT:
            raise NotADistributionPoint()
        require(actor.manages_site(point.id, point.governorate) or actor.device_site_id == point.id)
        return point

    def _stock_at(self, site_id: UUID, governorate: str) -> Stock:
        stock = self._find(Stock.create_id(site_id), Stock)
        return stock if stock is not None else Stock(site_id, governorate)


class BatchTooLarge(InvalidInput):
    code = "batch_too_large"


def hand_off_items(
    app: DistributionCommands, actor: Actor, point_id: UUID, round_id: UUID, items: list[Any]
) -> list[tuple[int, HandOffResult | DomainError]]:
    """An offline device's upload: each item accepted or refused on its own, in order."""
    if len(items) > MAX_BATCH_ITEMS:
        raise BatchTooLarge(maximum=MAX_BATCH_ITEMS)
    answers: dict[int, HandOffResult | DomainError] = {}
    given: list[tuple[UUID, HandOff]] = []
    indexes: list[int] = []
    point = app.point_for(actor, point_id)
    for index, item in enumerate(items):
        try:
            household_id = app.household_id_for(item.national_id)
        except DomainError as refused:
            answers[index] = as_answer(refused)
            continue
        given.append(
            app.given(
                point,
                round_id,
                household_id,
                item.item,
                item.count,
                item.key,
                item.at,
                item.volunteer_id,
            )
        )
        indexes.append(index)
    if given:
        decided = app.hand_offs_later(point, round_id, given).result()
        answers.update(zip(indexes, decided, strict=True))
    return sorted(answers.items(), key=lambda answer: answer[0])
