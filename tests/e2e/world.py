"""A small world for access tests: two associations, two volunteers, coordinators, a site."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from litestar import Litestar
from litestar.testing import TestClient

from coordination.areas.accounts.commands import CreateUser, RegisterVolunteer
from coordination.areas.accounts.lookups import account_id_for
from coordination.areas.distribution.commands import OpenRound, RegisterHousehold
from coordination.areas.exchange.commands import RequestVolunteers
from coordination.areas.kitchens.commands import LogCooked, LogServed
from coordination.areas.packing.commands import AddLine, ConfirmTruckload, DispatchTruck, LogBoxes
from coordination.areas.sign_ups.commands import SignUp
from coordination.areas.sites.commands import FoundAssociation, IssueDeviceToken, OpenSite
from coordination.areas.tickets.commands import Assign, OpenTicket, Triage
from coordination.areas.training.commands import ScheduleSession
from coordination.campaign_round import CampaignRound
from coordination.permissions import SYSTEM, Actor, Grant, Role
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
    desk_secret: str = ""

    @contextmanager
    def client(self, principal: str) -> Iterator[TestClient]:
        with TestClient(self.app) as client:
            prime(client)
            if principal == "desk_session":  # a browser enrolled with the desk's code
                enrolled = client.post("/desk", data={"device_code": self.desk_secret})
                assert enrolled.status_code == 200, enrolled.text[:200]
                prime(client)
            elif principal == "desk_token":  # a desk app with its bearer token
                client.headers["Authorization"] = f"Bearer {self.desk_secret}"
            elif principal != "anonymous":
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
            "round_id": str(CampaignRound.create_id("world-round")),
            "name": "hours.csv",
            "action": "note",
            "kind": "csv",
            "code": "en",
            "file_path": "katf.css",
            "token": "not-a-calendar-link",
        }
        for name, value in values.items():
            for kind in ("uuid", "str", "path"):
                template = template.replace(f"{{{name}:{kind}}}", value)
        return template


def build_world(services: Services, app: Litestar) -> World:
    world = World(services, app)
    core = services.app
    x = services.dispatcher.run(
        FoundAssociation("assoc-x", "جمعية س", "Association X", "01"), SYSTEM
    )
    y = services.dispatcher.run(
        FoundAssociation("assoc-y", "جمعية ص", "Association Y", "02"), SYSTEM
    )
    shift = make_shift(services, capacity=50)
    site = core.repository.get(shift).site_id
    volunteers: dict[str, Any] = {"volunteer_a": x, "volunteer_b": y}
    for name, association in volunteers.items():
        world.phones[name], world.national_ids[name] = mobile(), national_id()
        world.ids[name] = str(
            services.dispatcher.run(
                RegisterVolunteer(
                    name.replace("_", " ").title(),
                    world.phones[name],
                    world.national_ids[name],
                    "01",
                    PASSWORD,
                    association,
                )
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
            services.dispatcher.run(
                CreateUser(world.phones[name], name.title(), PASSWORD, [grant]), SYSTEM
            )
        )
    kept = make_shift(services, capacity=5, hour=20, hours=2)
    services.dispatcher.run(SignUp(kept, UUID(world.ids["volunteer_a"]), "a-stays-at-site"), SYSTEM)
    _, world.desk_secret = services.dispatcher.run(IssueDeviceToken(site, "desk 1"), SYSTEM)
    # the revocation rows revoke another desk's token: desk 1 acts in the rows that follow
    token_id, _ = services.dispatcher.run(IssueDeviceToken(site, "desk 2"), SYSTEM)
    kitchen = services.dispatcher.run(
        OpenSite("giza-kitchen", "kitchen", "21", "مطبخ", "Kitchen"), SYSTEM
    )
    batch = services.dispatcher.run(
        LogCooked(kitchen, "كشري", 1000, "world-batch"), SYSTEM
    ).batch_id
    services.dispatcher.run(LogServed(batch, 10, "on_site", "to-reverse"), SYSTEM)
    world.ids.update(kitchen=str(kitchen), batch=str(batch))
    ticket = services.dispatcher.run(
        OpenTicket("hotline", "urgent_need", "01", "A family needs food", "Caller", "0223456789"),
        SYSTEM,
    )
    services.dispatcher.run(Triage(ticket, "high"), SYSTEM)
    services.dispatcher.run(Assign(ticket, "association", x), SYSTEM)
    world.ids["ticket"] = str(ticket)
    world.ids.update(packing_world(services, site, shift))
    world.ids["session"] = str(
        services.dispatcher.run(ScheduleSession("first_aid", tomorrow(9), "Cairo", 100), SYSTEM)
    )
    exchange_shift = make_shift(services, capacity=5, hour=14, hours=2)
    world.ids["request"] = str(
        services.dispatcher.run(RequestVolunteers(x, exchange_shift, 2), SYSTEM)
    )
    admin = Actor(UUID(world.ids["admin"]), grants=frozenset({Grant(Role.NATIONAL_ADMIN)}))
    world.ids["job"] = start_import(services.db, "households", admin, world.ids["point"], [], "ar")
    world.ids.update(
        association_x=str(x),
        association_y=str(y),
        shift=str(shift),
        site=str(site),
        token=str(token_id),
        account_b=str(account_id_for(core, world.phones["volunteer_b"])),
    )
    services.runner.catch_up()
    return world


def packing_world(services: Services, site: UUID, shift: UUID) -> dict[str, str]:
    """A line with boxes, a truck on its way to a point, a volunteer to place on the shift."""
    line = services.dispatcher.run(AddLine(site, "Line 1", "North stand", 400), SYSTEM)
    services.dispatcher.run(LogBoxes(site, line, 100, "world-boxes"), SYSTEM)
    services.dispatcher.run(LogBoxes(site, line, 5, "to-unpack"), SYSTEM)
    point = services.dispatcher.run(
        OpenSite("world-point", "distribution_point", "01", "نقطة", "Point"), SYSTEM
    )
    truck = services.dispatcher.run(
        DispatchTruck(site, point, 10, "world-truck"), SYSTEM
    ).truckload_id
    services.dispatcher.run(ConfirmTruckload(truck, 10), SYSTEM)
    services.dispatcher.run(OpenRound("world-round", "جولة", "Round", 1000), SYSTEM)
    family = national_id()
    services.dispatcher.run(RegisterHousehold(family, 4, "", point), SYSTEM)
    placed = services.dispatcher.run(
        RegisterVolunteer("Placed Person", mobile(), national_id(), "01", PASSWORD)
    )
    services.dispatcher.run(SignUp(shift, placed, "placed-on-shift"), SYSTEM)
    return {
        "line": str(line),
        "point": str(point),
        "truckload": str(truck),
        "placed": str(placed),
        "family": family,
    }
