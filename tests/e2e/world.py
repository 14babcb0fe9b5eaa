"""A small world for access tests: two associations, two volunteers, coordinators, a site."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from litestar import Litestar
from litestar.testing import TestClient

from coordination.permissions import SYSTEM, Grant, Role
from tests.e2e.clients import prime, sign_in
from tests.helpers import PASSWORD, mobile, national_id, tomorrow
from tests.integration.scenarios import make_shift
from web.bootstrap import Services
from web.platform.imports import start_import

PRINCIPALS = (
    "anonymous",
    "volunteer_a",
    "volunteer_b",
    "coordinator_x",
    "coordinator_y",
    "site_manager",
    "admin",
)


@dataclass
class World:
    services: Services
    app: Litestar
    ids: dict[str, str] = field(default_factory=dict)
    phones: dict[str, str] = field(default_factory=dict)
    national_ids: dict[str, str] = field(default_factory=dict)

    @contextmanager
    def client(self, principal: str) -> Iterator[TestClient]:
        with TestClient(self.app) as client:
            prime(client)
            if principal != "anonymous":
                sign_in(client, self.phones[principal])
            yield client

    def path(self, template: str) -> str:
        if template.startswith("/kitchens/governorates/"):
            template = template.replace("{code:str}", "21")
        if template.startswith("/governorates/"):
            template = template.replace("{code:str}", "01").replace("{name:str}", "01.csv")
        values = {
            "volunteer_id": self.ids["volunteer_a"],
            "shift_id": self.ids["shift"],
            "site_id": self.ids["site"],
            "association_id": self.ids["association_x"],
            "account_id": self.ids["account_b"],
            "token_id": self.ids["token"],
            "kitchen_id": self.ids["kitchen"],
            "batch_id": self.ids["batch"],
            "ticket_id": self.ids["ticket"],
            "line_id": self.ids["line"],
            "truckload_id": self.ids["truckload"],
            "point_id": self.ids["point"],
            "job_id": self.ids["job"],
            "session_id": self.ids["session"],
            "request_id": self.ids["request"],
            "name": "hours.csv",
            "action": "note",
            "kind": "csv",
            "code": "en",
            "file_path": "katf.css",
        }
        for name, value in values.items():
            for kind in ("uuid", "str", "path"):
                template = template.replace(f"{{{name}:{kind}}}", value)
        return template


def build_world(services: Services, app: Litestar) -> World:
    world = World(services, app)
    core = services.app
    x = core.found_association(SYSTEM, "assoc-x", "جمعية س", "Association X", "01")
    y = core.found_association(SYSTEM, "assoc-y", "جمعية ص", "Association Y", "02")
    shift = make_shift(services, capacity=50)
    site = core.repository.get(shift).site_id
    volunteers: dict[str, Any] = {"volunteer_a": x, "volunteer_b": y}
    for name, association in volunteers.items():
        world.phones[name], world.national_ids[name] = mobile(), national_id()
        world.ids[name] = str(
            core.register_volunteer(
                name.replace("_", " ").title(),
                world.phones[name],
                world.national_ids[name],
                "01",
                PASSWORD,
                association,
            )
        )
    staff = {
        "coordinator_x": Grant(Role.ASSOCIATION_COORDINATOR, str(x)),
        "coordinator_y": Grant(Role.ASSOCIATION_COORDINATOR, str(y)),
        "site_manager": Grant(Role.SITE_MANAGER, str(site)),
        "admin": Grant(Role.NATIONAL_ADMIN),
    }
    for name, grant in staff.items():
        world.phones[name] = mobile()
        world.ids[name] = str(
            core.create_user(SYSTEM, world.phones[name], name.title(), PASSWORD, [grant])
        )
    kept = make_shift(services, capacity=5, hour=20, hours=2)
    core.sign_up(SYSTEM, kept, UUID(world.ids["volunteer_a"]), "a-stays-at-site")
    token_id, _ = core.issue_device_token(SYSTEM, site, "desk 1")
    kitchen = core.open_site(SYSTEM, "giza-kitchen", "kitchen", "21", "مطبخ", "Kitchen")
    batch = core.log_cooked(SYSTEM, kitchen, "كشري", 1000, "world-batch").batch_id
    core.log_served(SYSTEM, batch, 10, "on_site", "to-reverse")
    world.ids.update(kitchen=str(kitchen), batch=str(batch))
    ticket = core.open_ticket(
        SYSTEM, "hotline", "urgent_need", "01", "A family needs food", "Caller", "0223456789"
    )
    core.triage(SYSTEM, ticket, "high")
    core.assign(SYSTEM, ticket, "association", x)
    world.ids["ticket"] = str(ticket)
    world.ids.update(packing_world(services, site, shift))
    world.ids["session"] = str(
        core.schedule_session(SYSTEM, "first_aid", tomorrow(9), "Cairo", 100)
    )
    exchange_shift = make_shift(services, capacity=5, hour=14, hours=2)
    world.ids["request"] = str(core.request_volunteers(SYSTEM, x, exchange_shift, 2))
    world.ids["job"] = start_import(
        services.db, "households", world.ids["admin"], world.ids["point"], [], list, "ar"
    )
    world.ids.update(
        association_x=str(x),
        association_y=str(y),
        shift=str(shift),
        site=str(site),
        token=str(token_id),
        account_b=str(core.account_id_for(world.phones["volunteer_b"])),
    )
    services.runner.catch_up()
    return world


def packing_world(services: Services, site: UUID, shift: UUID) -> dict[str, str]:
    """A line with boxes, a truck on its way to a point, a volunteer to place on the shift."""
    core = services.app
    line = core.add_line(SYSTEM, site, "Line 1", "North stand", 400)
    core.log_boxes(SYSTEM, site, line, 100, "world-boxes")
    core.log_boxes(SYSTEM, site, line, 5, "to-unpack")
    point = core.open_site(SYSTEM, "world-point", "distribution_point", "01", "نقطة", "Point")
    truck = core.dispatch_truck(SYSTEM, site, point, 10, "world-truck").truckload_id
    core.confirm_truckload(SYSTEM, truck, 10)
    core.open_round(SYSTEM, "world-round", "جولة", "Round", 1000)
    family = national_id()
    core.register_household(SYSTEM, family, 4, "", point)
    placed = core.register_volunteer("Placed Person", mobile(), national_id(), "01", PASSWORD)
    core.sign_up(SYSTEM, shift, placed, "placed-on-shift")
    return {
        "line": str(line),
        "point": str(point),
        "truckload": str(truck),
        "placed": str(placed),
        "family": family,
    }
