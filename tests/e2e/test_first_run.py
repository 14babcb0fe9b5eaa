"""The first run: ``katf seed-demo`` prints an account per role, and each person, signed in
without asking for a page, lands on their own home with the places they may go in the header."""

from __future__ import annotations

import subprocess
import sys
from uuid import UUID

from litestar.testing import TestClient

from coordination.association import Association
from coordination.demo import seed_demo
from coordination.demo_accounts import demo_accounts, seed_demo_accounts
from coordination.permissions import Role
from coordination.site import Site
from tests.e2e.test_admin_pages import signed_in
from tests.processes import environment
from web.app import create_app
from web.bootstrap import Services
from web.platform.settings import Settings

STADIUM = Site.create_id("cairo-stadium")
HOMES = {
    Role.NATIONAL_ADMIN: "/admin",
    Role.GOVERNORATE_COORDINATOR: "/admin",
    Role.ASSOCIATION_COORDINATOR: f"/associations/{Association.create_id('youth-for-good')}",
    Role.SITE_MANAGER: f"/packing/{STADIUM}",
    Role.KITCHEN_LEAD: f"/kitchens/{Site.create_id('giza-kitchen')}",
    Role.OPERATIONS_AGENT: "/operations",
    Role.VOLUNTEER: "/shifts",
}
OFFERED = {  # a place in the header: who sees it
    'href="/admin"': {Role.NATIONAL_ADMIN, Role.GOVERNORATE_COORDINATOR},
    'href="/operations"': {Role.NATIONAL_ADMIN, Role.OPERATIONS_AGENT},
    'href="/packing"': {
        Role.NATIONAL_ADMIN,
        Role.OPERATIONS_AGENT,
        Role.GOVERNORATE_COORDINATOR,
        Role.SITE_MANAGER,
    },
    'href="/my-shifts"': {Role.VOLUNTEER},
    'href="/training"': {Role.NATIONAL_ADMIN, Role.ASSOCIATION_COORDINATOR, Role.VOLUNTEER},
}


def test_each_demo_account_lands_on_its_own_home(services: Services) -> None:
    seed_demo(services.dispatcher, days=1)
    seed_demo_accounts(services.dispatcher)
    services.runner.catch_up()
    for account in demo_accounts():
        with TestClient(create_app(services, secure_cookies=False)) as client:
            token_page = client.get("/sign-in").text
            assert 'name="next" value="/home"' in token_page
            signed_in(client, account.phone, account.password)
            home = client.get("/home", follow_redirects=False).headers["location"]
            assert home == HOMES[account.role], account.role
            landed = client.get(home)
            assert landed.status_code == 200, (account.role, home)
            for link, roles in OFFERED.items():
                assert (link in landed.text) == (account.role in roles), (account.role, link)
    assert UUID(str(STADIUM))


def test_seed_demo_prints_a_sign_in_per_role(sqlite_settings: Settings) -> None:
    from web.bootstrap import migrate_database

    migrate_database(sqlite_settings)
    seeded = subprocess.run(
        [sys.executable, "-m", "web.cli", "seed-demo"],
        env={**environment(sqlite_settings), "COLUMNS": "120"},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    for account in demo_accounts():
        assert account.phone in seeded.stdout and account.password in seeded.stdout
        assert account.role.value.replace("_", " ") in seeded.stdout
