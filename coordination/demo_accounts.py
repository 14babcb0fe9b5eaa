"""The demo's people: one account per role, signed in with the phones and passwords printed
by ``katf seed-demo``, and the demo campaign round. Seeding again changes nothing."""

from __future__ import annotations

from typing import NamedTuple

from coordination.account import PhoneTaken
from coordination.areas.accounts.commands import CreateUser, RegisterVolunteer
from coordination.areas.distribution.commands import OpenRound
from coordination.association import Association
from coordination.dispatch import Dispatcher
from coordination.permissions import SYSTEM, Grant, Role
from coordination.site import Site
from coordination.volunteer import AlreadyRegistered

DEMO_ROUND = ("ramadan-1447", "رمضان 1447", "Ramadan 1447", 4_000_000)


class DemoAccount(NamedTuple):
    role: Role
    phone: str
    password: str
    full_name: str
    scope: str = ""


def demo_accounts() -> list[DemoAccount]:
    stadium = str(Site.create_id("cairo-stadium"))
    kitchen = str(Site.create_id("giza-kitchen"))
    association = str(Association.create_id("youth-for-good"))
    return [
        DemoAccount(Role.NATIONAL_ADMIN, "01000000001", "katf-admin-1447", "مدير الحملة"),
        DemoAccount(
            Role.GOVERNORATE_COORDINATOR, "01000000002", "katf-cairo-1447", "منسق القاهرة", "01"
        ),
        DemoAccount(
            Role.ASSOCIATION_COORDINATOR,
            "01000000003",
            "katf-youth-1447",
            "منسقة شباب الخير",
            association,
        ),
        DemoAccount(Role.SITE_MANAGER, "01000000004", "katf-stadium-1447", "مدير الاستاد", stadium),
        DemoAccount(Role.KITCHEN_LEAD, "01000000005", "katf-kitchen-1447", "رئيسة المطبخ", kitchen),
        DemoAccount(Role.OPERATIONS_AGENT, "01000000006", "katf-room-1447", "موظف غرفة العمليات"),
        DemoAccount(Role.VOLUNTEER, "01000000007", "katf-volunteer-1447", "سارة أحمد محمود"),
    ]


DEMO_NATIONAL_ID = "29901010100014"  # born 1 January 1999, Cairo


def seed_demo_accounts(dispatcher: Dispatcher) -> list[DemoAccount]:
    """Every demo account and the demo round; those that exist already are left as they are."""
    accounts = demo_accounts()
    for account in accounts:
        try:
            if account.role is Role.VOLUNTEER:
                command: object = RegisterVolunteer(
                    account.full_name, account.phone, DEMO_NATIONAL_ID, "01", account.password
                )
            else:
                grant = Grant(account.role, account.scope)
                command = CreateUser(account.phone, account.full_name, account.password, [grant])
            dispatcher.run(command, SYSTEM)
        except (PhoneTaken, AlreadyRegistered):
            continue
    dispatcher.run(OpenRound(*DEMO_ROUND), SYSTEM)
    return accounts
