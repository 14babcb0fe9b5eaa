"""Rounds, households, items taken in, and hand-offs: the pure decision of
``coordination.handoff`` over a household, a round and a point's stock, one hand-off or an
upload's items decided in their order and saved together."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from coordination.areas.distribution.commands import (
    HandOff,
    HandOffItems,
    HandOffResult,
    OpenRound,
    RegisterHousehold,
    RegisterHouseholds,
    TakeIn,
)
from coordination.areas.distribution.lookups import household_id_for, point_for
from coordination.areas.distribution.policy import opens_rounds, registers_in, takes_in
from coordination.calendar import local_day
from coordination.campaign_round import CampaignRound, RoundNotFound
from coordination.delivery import Delivery
from coordination.dispatch import Decision, Store, handles
from coordination.dispatch.keys import Keyed, keyed, records_to_save
from coordination.errors import DomainError, InvalidInput, as_answer
from coordination.handoff import AllowanceUsed, hand_off
from coordination.handoff import HandOff as Handed
from coordination.household import Household, HouseholdNotFound
from coordination.identity import parse_national_id
from coordination.permissions import Actor, require
from coordination.retry import retrying
from coordination.site import Site, SiteNotFound
from coordination.stock import Stock, check_count, check_item

MAX_BATCH_ITEMS = 500
Answers = list[HandOffResult | DomainError]
Registered = tuple[UUID, bool]
Given = tuple[UUID, Handed, Keyed | None]


class BatchTooLarge(InvalidInput):
    code = "batch_too_large"


@handles(OpenRound)
def open_round(store: Store, command: OpenRound, actor: Actor) -> UUID:
    require(opens_rounds(actor))
    campaign_round = CampaignRound.open(
        command.slug,
        command.name_ar,
        command.name_en,
        command.target,
        command.allowances,
        actor.account_id,
    )
    store.save_new(campaign_round)
    return campaign_round.id


@handles(RegisterHousehold)
def register_household(store: Store, command: RegisterHousehold, actor: Actor) -> Registered:
    governorate = command.governorate
    if command.point_id is not None:
        governorate = point_for(store, actor, command.point_id).governorate
    else:
        require(registers_in(actor, governorate))
    nid = parse_national_id(command.national_id, today=store.clock().date())
    household = Household.register(
        store.fingerprints.of("household", nid.digits), nid.last_four, command.size, governorate
    )
    return _register_one(store, household)


@handles(RegisterHouseholds)
def register_households(
    store: Store, command: RegisterHouseholds, actor: Actor
) -> list[Registered | DomainError]:
    """Each row registered, found already registered, or refused on its own; a keyed row
    that registered its household before (a chunk retried) answers "registered" again."""
    governorate = point_for(store, actor, command.point_id).governorate
    today = store.clock().date()
    keys = command.keys or _unkeyed(command.rows)
    outcomes: list[Registered | DomainError | Household] = []
    for (national_id, size), key in zip(command.rows, keys, strict=True):
        try:
            nid = parse_national_id(national_id, today=today)
            fingerprint = store.fingerprints.of("household", nid.digits)
            outcomes.append(Household.register(fingerprint, nid.last_four, size, governorate, key))
        except DomainError as refused:
            outcomes.append(_kept(refused))
    proposed = [o for o in outcomes if isinstance(o, Household)]
    known = store.read_many(h.id for h in proposed)
    new: dict[UUID, Household] = {}
    for household in proposed:
        if household.id not in known:
            new.setdefault(household.id, household)  # the first row of a repeated ID registers
    try:
        store.save(*new.values())
    except IntegrityError:  # registered elsewhere meanwhile: row by row
        return [o if not isinstance(o, Household) else _register_one(store, o) for o in outcomes]
    return [
        o
        if not isinstance(o, Household)
        else (o.id, new.pop(o.id, None) is not None or _same_row(known.get(o.id), o))
        for o in outcomes
    ]


def _register_one(store: Store, household: Household) -> Registered:
    if household.import_key is not None:
        earlier = store.find(household.id, Household)
        if earlier is not None:
            return household.id, _same_row(earlier, household)
    elif store.exists(household.id):
        return household.id, False
    store.save_new(household)
    return household.id, True


def _same_row(earlier: Household | None, household: Household) -> bool:
    """Registered by this very row of a list, before its chunk was retried."""
    return (
        earlier is not None
        and household.import_key is not None
        and earlier.import_key == household.import_key
    )


@handles(TakeIn)
def take_in(store: Store, command: TakeIn, actor: Actor) -> int:
    site = store.get(command.site_id, Site, SiteNotFound)
    require(takes_in(actor, site))
    item, count = check_item(command.item), check_count(command.count)
    key = command.idempotency_key.strip()[:100]
    request = keyed(site.id, key, "TakeIn", item, count)

    def attempt() -> int:
        records = records_to_save(store, request)
        stock = _stock_at(store, site.id, site.governorate)
        if not store.exists(Delivery.create_id(site.id, key)):
            delivery = Delivery(site.id, key, item, count, store.clock())
            stock.receive(delivery.id, item, count, delivery.at)
            store.save(delivery, stock, *records)
        elif records:
            store.save(*records)
        return stock.held(item)

    with store.locks(("stock", site.id)):
        return retrying(attempt)


@handles(HandOff)
def give(store: Store, command: HandOff, actor: Actor) -> Decision[Answers]:
    point = point_for(store, actor, command.point_id)
    given = _given(
        store,
        point,
        command.round_id,
        command.household_id,
        command.item,
        command.count,
        command.idempotency_key,
        command.at,
        command.volunteer_id,
    )
    return _hand_offs(store, point, command.round_id, [given], then=_the_one)


def _the_one(answers: Answers) -> HandOffResult:
    [answer] = answers
    if isinstance(answer, DomainError):
        raise answer
    return answer


@handles(HandOffItems)
def give_items(
    store: Store, command: HandOffItems, actor: Actor
) -> Decision[Answers] | list[tuple[int, HandOffResult | DomainError]]:
    """The answers by the items' indexes, in order."""
    if len(command.items) > MAX_BATCH_ITEMS:
        raise BatchTooLarge(maximum=MAX_BATCH_ITEMS)
    answers: dict[int, HandOffResult | DomainError] = {}
    given: list[Given] = []
    indexes: list[int] = []
    point = point_for(store, actor, command.point_id)
    for index, item in enumerate(command.items):
        try:
            household_id = household_id_for(store, item.national_id)
        except DomainError as refused:
            answers[index] = _kept(refused)
            continue
        given.append(
            _given(
                store,
                point,
                command.round_id,
                household_id,
                item.item,
                item.count,
                item.key,
                item.at,
                item.volunteer_id,
            )
        )
        indexes.append(index)

    def in_order(decided: Answers) -> list[tuple[int, HandOffResult | DomainError]]:
        answers.update(zip(indexes, decided, strict=True))
        return sorted(answers.items(), key=lambda answer: answer[0])

    if not given:
        return in_order([])
    return _hand_offs(store, point, command.round_id, given, then=in_order)


def _given(
    store: Store,
    point: Site,
    round_id: UUID,
    household_id: UUID,
    item: str,
    count: int,
    idempotency_key: str,
    at: datetime | None,
    volunteer_id: UUID | None,
) -> Given:
    """One hand-off as ``_hand_offs`` takes it: the household, what it was given, and the
    request's key (the same whether it came alone or in an upload)."""
    request = keyed(
        point.id, idempotency_key, "HandOff", household_id, round_id, item, count, at, volunteer_id
    )
    key = idempotency_key.strip()[:100] or f"{household_id}:{round_id}:{item}"
    handed = Handed(
        key, item, count, at or store.clock(), point.id, point.governorate, volunteer_id
    )
    return household_id, handed, request


def _hand_offs(
    store: Store,
    point: Site,
    round_id: UUID,
    given: Sequence[Given],
    then: Callable[[Answers], object],
) -> Decision[Answers]:
    """Hand-offs at a point ``point_for`` gave, as one decision: decided in their order, each
    recorded or refused on its own, and saved with concurrent ones."""
    stock_id = Stock.create_id(point.id)
    places: dict[str, str] = {}  # the points refusals name, each looked up once

    def one(
        aggregates: dict[UUID, Any], household_id: UUID, handed: Handed, request: Keyed | None
    ) -> HandOffResult:
        new = request.checked(aggregates.get(request.record_id)) if request else None
        household = store.held(aggregates, household_id, Household, HouseholdNotFound)
        campaign_round = store.held(aggregates, round_id, CampaignRound, RoundNotFound)
        stock = aggregates.get(stock_id) or Stock(point.id, point.governorate)
        aggregates[stock_id] = stock
        try:
            recorded = hand_off(household, stock, campaign_round, handed)
        except AllowanceUsed as refused:
            raise _explained(store, refused, places) from None
        if request is not None and new is not None:
            aggregates[request.record_id] = new
        return HandOffResult(
            household.id,
            recorded,
            household.taken(round_id, handed.item),
            campaign_round.allowance(handed.item),
            stock.held(handed.item),
        )

    def decide(aggregates: dict[UUID, Any]) -> Answers:
        answers: Answers = []
        for household_id, handed, request in given:
            try:
                answers.append(one(aggregates, household_id, handed, request))
            except DomainError as refused:
                answers.append(_kept(refused))
        return answers

    households = tuple(dict.fromkeys(household_id for household_id, _, _ in given))
    records = tuple(dict.fromkeys(r.record_id for _, _, r in given if r is not None))
    return Decision(
        decide,
        (*households, round_id, stock_id),
        lock=("stock", point.id),
        contested=(stock_id,),
        weight=len(given),
        then=then,
        keys=records,
    )


def _explained(store: Store, refused: AllowanceUsed, places: dict[str, str]) -> AllowanceUsed:
    """Where and when the household received, in words a distributor can tell the family;
    ``places`` keeps the points named already (an upload of families served elsewhere names
    the same few points hundreds of times)."""
    context = dict(refused.context)
    point_id = str(context["point_id"])
    if point_id not in places:
        point = store.find(UUID(point_id), Site) if point_id else None
        places[point_id] = f"{point.name_ar} ({point.name_en})" if point else "-"
    context["point"] = places[point_id]
    at = context["at"]
    context["date"] = local_day(datetime.fromisoformat(str(at))).isoformat() if at else "-"
    return AllowanceUsed(**context)


def _kept(refused: DomainError) -> DomainError:
    """The refusal kept among other answers, without its traceback (``as_answer``)."""
    as_answer(refused)
    return refused


def _stock_at(store: Store, site_id: UUID, governorate: str) -> Stock:
    stock = store.find(Stock.create_id(site_id), Stock)
    return stock if stock is not None else Stock(site_id, governorate)


def _unkeyed(rows: Sequence[object]) -> list[str | None]:
    return [None] * len(rows)
