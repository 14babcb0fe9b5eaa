"""The launch day at the record's scale, replayed through the real HTTP API (``katf simulate-day``).

At scale 1: one stadium where 50,000 volunteers register, sign up for shifts, are scanned in
and out at 64 desks; 1,000,000 food boxes logged in batches of 50 on its lines, dispatched in
trucks of 500 to a distribution point in each of the 18 governorates, received there and handed
off to as many households (registered beforehand from each point's list); 160,000 iftar meals
cooked and served in batches of 200 by a kitchen in each governorate.

The run has two parts, timed apart: the preparation (set-up, registrations and sign-ups,
household lists) and the day itself (check-ins, boxes, trucks, hand-offs, meals, check-outs).
Every request goes through the HTTP API as a phone, desk or staff browser would send it; a
volunteer's requests come from their own address (``X-Forwarded-For``, as behind the campaign's
proxy) so the per-address limits apply as they would in the field.
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from itertools import zip_longest
from typing import Any, TypeVar

import aiohttp

from coordination.governorates import GOVERNORATES
from workers.simulation.client import Api, Job, Phase, Progress, Refused, Session, run_phase

DAY_GOVERNORATES = GOVERNORATES[:18]
RECORD = {"volunteers": 50_000, "boxes": 1_000_000, "meals": 160_000}
BOXES_PER_LOG = 50
BOXES_PER_TRUCK = 500
MEALS_PER_BATCH = 200
HAND_OFFS_PER_UPLOAD = 500
VOLUNTEERS_PER_SHIFT = 1_000
DESKS = 64
MAX_LINES = 100
PASSWORD = "launch-day-volunteer-42"
STADIUM = "01"
T = TypeVar("T")


def split(total: int, parts: int) -> list[int]:
    """``total`` in ``parts`` as even as can be (the first ones one larger)."""
    return [total // parts + (1 if n < total % parts else 0) for n in range(parts)]


def chunks(total: int, size: int) -> list[int]:
    return [min(size, total - start) for start in range(0, total, size)]


def side_by_side(per_place: list[list[T]]) -> list[T]:
    """Every place's work in its own order, the places working at the same time (as the
    governorates do on the day): the first of each, then the second of each, and so on."""
    return [work for turn in zip_longest(*per_place) for work in turn if work is not None]


@dataclass(frozen=True)
class Plan:
    volunteers: int
    boxes: int
    meals: int

    @classmethod
    def at(cls, scale: float) -> Plan:
        return cls(**{k: max(1, round(n * scale)) for k, n in RECORD.items()})

    @property
    def shifts(self) -> int:
        return math.ceil(self.volunteers / VOLUNTEERS_PER_SHIFT)

    @property
    def lines(self) -> int:
        return min(MAX_LINES, max(2, self.volunteers // 500))

    @property
    def boxes_per_point(self) -> list[int]:
        """Every box packed goes to a governorate's point and to one household there."""
        return split(self.boxes, len(DAY_GOVERNORATES))

    @property
    def households(self) -> int:
        return self.boxes

    def described(self) -> dict[str, int]:
        return {
            "volunteers": self.volunteers,
            "shifts": self.shifts,
            "lines": self.lines,
            "boxes": self.boxes,
            "trucks": sum(len(chunks(n, BOXES_PER_TRUCK)) for n in self.boxes_per_point),
            "households": self.households,
            "meals": self.meals,
            "governorates": len(DAY_GOVERNORATES),
        }


def phone(n: int) -> str:
    return f"015{n:08d}"


def national_id(n: int, born: date) -> str:
    """A well-formed national ID, unique for each ``n`` below a million."""
    day = born + timedelta(days=n // 10_000)
    return f"2{day:%y%m%d}{STADIUM}{n % 10_000:04d}1"


def address(n: int) -> str:
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


@dataclass
class Campaign:
    """What the set-up made: ids the day's requests name."""

    stadium: str = ""
    lines: list[str] = field(default_factory=list)
    shifts: list[str] = field(default_factory=list)
    desks: list[Session] = field(default_factory=list)
    points: list[str] = field(default_factory=list)
    kitchens: list[str] = field(default_factory=list)
    round_id: str = ""
    volunteers: dict[int, str] = field(default_factory=dict)


class Day:
    def __init__(self, api: Api, plan: Plan, admin: Session, progress: Progress) -> None:
        self.api, self.plan, self.admin, self.progress = api, plan, admin, progress
        self.campaign = Campaign()
        self.stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        self.phases: list[Phase] = []

    async def phase(self, name: str, jobs: list[Job]) -> None:
        self.phases.append(await run_phase(self.api, name, jobs, self.progress))

    async def post(self, path: str, body: dict[str, Any], key: str = "") -> dict[str, Any]:
        return (await self.api.call("POST", path, self.admin, key=key, json=body)).json()

    # The preparation

    async def set_up(self) -> None:
        """Sites, lines, shifts, desks, points, kitchens and the round, as the staff would."""
        plan, campaign, now = self.plan, self.campaign, datetime.now(UTC)
        self.progress("set-up", 0, 1)
        campaign.stadium = (await self.post("/api/v1/sites", site("stadium", "packing", STADIUM)))[
            "id"
        ]
        stadium = f"/api/v1/sites/{campaign.stadium}"
        await self.post(f"{stadium}/packing", {"daily_box_target": plan.boxes})
        for n in range(plan.lines):
            body = {"name": f"Line {n + 1}", "zone": f"Z{n // 10 + 1}", "hourly_target": 2_000}
            campaign.lines.append((await self.post(f"{stadium}/lines", body))["line_id"])
        for n in range(plan.shifts):
            starts = now + timedelta(minutes=10 + n)
            body = {
                "role": "packer",
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=10)).isoformat(),
                "capacity": VOLUNTEERS_PER_SHIFT,
            }
            campaign.shifts.append((await self.post(f"{stadium}/shifts", body))["id"])
        for n in range(DESKS):
            token = (await self.post(f"{stadium}/devices", {"label": f"Gate {n + 1}"}))["token"]
            campaign.desks.append(Session(bearer=token))
        for governorate in DAY_GOVERNORATES:
            point = site(f"point-{governorate.code}", "distribution_point", governorate.code)
            campaign.points.append((await self.post("/api/v1/sites", point))["id"])
            kitchen = site(f"kitchen-{governorate.code}", "kitchen", governorate.code)
            kitchen_id = (await self.post("/api/v1/sites", kitchen))["id"]
            await self.post(
                f"/api/v1/kitchens/{kitchen_id}/settings",
                {"daily_meal_target": max(1, plan.meals // len(DAY_GOVERNORATES))},
            )
            campaign.kitchens.append(kitchen_id)
        campaign.round_id = (
            await self.post(
                "/api/v1/rounds",
                {
                    "slug": f"launch-day-{self.stamp}",
                    "name_ar": "يوم الإطلاق",
                    "name_en": "Launch day",
                    "target": plan.households,
                    "allowances": {"food_box": 1},
                },
            )
        )["round_id"]
        await self.until_ready(f"/api/v1/sites/{campaign.stadium}/board")
        for point_id in campaign.points:
            await self.until_ready(f"/points/{point_id}")

    async def until_ready(self, path: str, seconds: float = 120) -> None:
        """Desks and points are checked against the views: wait until they show the set-up."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                await self.api.call("GET", path, self.admin)
                return
            except Refused:
                await asyncio.sleep(0.2)
        raise RuntimeError(f"{path} never became ready")

    def volunteer_jobs(self) -> list[Job]:
        born = date(1990, 1, 1)
        shifts = self.campaign.shifts

        async def volunteer(n: int) -> None:
            session = await self.api.session(address(n))
            body = {
                "full_name": f"Volunteer {n}",
                "phone": phone(n),
                "national_id": national_id(n, born),
                "governorate": STADIUM,
                "password": PASSWORD,
            }
            await self.api.call("POST", "/api/v1/volunteers", session, json=body, ok=(201, 409))
            # registered already (a second run on the same database): signing in still works
            me = (await self.api.sign_in(session, phone(n), PASSWORD))["volunteer_id"]
            self.campaign.volunteers[n] = me
            shift = shifts[n // VOLUNTEERS_PER_SHIFT]
            await self.api.call(
                "POST",
                f"/api/v1/shifts/{shift}/sign-ups",
                session,
                key=f"{me}-{shift}",
                json={"volunteer_id": me},
            )

        return [partial(volunteer, n) for n in range(self.plan.volunteers)]

    async def household_lists(self) -> None:
        """Each point uploads its list; the imports run on the server, watched till done."""
        born, first = date(1960, 1, 1), 0
        self.api.phase = phase = Phase("household lists imported")
        started, jobs = time.monotonic(), []
        for point, count in zip(self.campaign.points, self.plan.boxes_per_point, strict=True):
            rows = "\n".join(f"{national_id(first + n, born)},{1 + n % 7}" for n in range(count))
            first += count
            answer = await self.api.call(
                "POST",
                f"/points/{point}/import",
                self.admin,
                ok=(303,),
                data=csv_form("households.csv", f"national_id,size\n{rows}\n"),
            )
            jobs.append(answer.headers["Location"])
        total = self.plan.households
        while True:
            states = [
                (await self.api.call("GET", f"/api/v1{job}", self.admin)).json() for job in jobs
            ]
            self.progress(phase.name, sum(s["done"] for s in states), total)
            if all(s["finished"] for s in states):
                break
            await asyncio.sleep(0.5)
        phase.seconds = time.monotonic() - started
        phase.statuses["households created"] = sum(s["counts"]["created"] for s in states)
        phase.statuses["households refused"] = sum(s["counts"]["rejected"] for s in states)
        self.phases.append(phase)

    # The day

    def scan_jobs(self, arriving: bool) -> list[Job]:
        campaign, way = self.campaign, "check-ins" if arriving else "check-outs"

        async def scan(n: int, volunteer: str) -> None:
            shift = campaign.shifts[n // VOLUNTEERS_PER_SHIFT]
            await self.api.call(
                "POST",
                f"/api/v1/sites/{campaign.stadium}/{way}",
                campaign.desks[n % DESKS],
                key=f"{way}-{volunteer}",
                json={"volunteer_id": volunteer, "shift_id": shift, "desk": f"Gate {n % DESKS}"},
            )

        return [partial(scan, n, v) for n, v in sorted(campaign.volunteers.items())]

    def box_jobs(self) -> list[Job]:
        lines, stadium = self.campaign.lines, self.campaign.stadium
        counts = chunks(self.plan.boxes, BOXES_PER_LOG)

        async def log(n: int, count: int) -> None:
            await self.post(
                f"/api/v1/sites/{stadium}/boxes",
                {"line_id": lines[n % len(lines)], "count": count},
                key=f"boxes-{self.stamp}-{n}",
            )

        return [partial(log, n, c) for n, c in enumerate(counts)]

    def truck_jobs(self) -> list[Job]:
        stadium = self.campaign.stadium
        trucks = side_by_side(
            [
                [(point, count) for count in chunks(boxes, BOXES_PER_TRUCK)]
                for point, boxes in zip(
                    self.campaign.points, self.plan.boxes_per_point, strict=True
                )
            ]
        )

        async def truck(n: int, point: str, count: int) -> None:
            sent = await self.post(
                f"/api/v1/sites/{stadium}/dispatches",
                {"point_id": point, "count": count, "label": f"Truck {n + 1}"},
                key=f"truck-{self.stamp}-{n}",
            )
            await self.post(
                f"/api/v1/truckloads/{sent['truckload_id']}/receipt",
                {"received": count},
                key=f"receipt-{self.stamp}-{n}",
            )

        return [partial(truck, n, p, c) for n, (p, c) in enumerate(trucks)]

    def hand_off_jobs(self) -> list[Job]:
        born, first = date(1960, 1, 1), 0
        jobs: list[list[Job]] = []  # each point's uploads

        async def upload(point: str, start: int, count: int) -> None:
            items = [
                {
                    "national_id": national_id(n, born),
                    "item": "food_box",
                    "count": 1,
                    "key": f"hand-off-{self.stamp}-{n}",
                }
                for n in range(start, start + count)
            ]
            body = {"round_id": self.campaign.round_id, "items": items}
            answer = await self.post(f"/api/v1/points/{point}/hand-offs/batch", body)
            for status, count in answer["counts"].items():
                self.api.phase.statuses[f"hand-offs {status}"] += count

        for point, households in zip(self.campaign.points, self.plan.boxes_per_point, strict=True):
            jobs.append([])
            for count in chunks(households, HAND_OFFS_PER_UPLOAD):
                jobs[-1].append(partial(upload, point, first, count))
                first += count
        return side_by_side(jobs)

    def meal_jobs(self) -> list[Job]:
        jobs: list[Job] = []

        async def batch(kitchen: str, n: int, count: int) -> None:
            cooked = await self.post(
                f"/api/v1/kitchens/{kitchen}/batches",
                {"dish": "Rice and chicken", "count": count},
                key=f"cooked-{self.stamp}-{kitchen}-{n}",
            )
            await self.post(
                f"/api/v1/batches/{cooked['batch_id']}/served",
                {"count": count, "how": "on_site"},
                key=f"served-{self.stamp}-{kitchen}-{n}",
            )

        for kitchen, meals in zip(
            self.campaign.kitchens,
            split(self.plan.meals, len(DAY_GOVERNORATES)),
            strict=True,
        ):
            for n, count in enumerate(chunks(meals, MEALS_PER_BATCH)):
                jobs.append(partial(batch, kitchen, n, count))
        return jobs


def csv_form(name: str, text: str) -> aiohttp.FormData:
    form = aiohttp.FormData()
    form.add_field("file", text.encode(), filename=name, content_type="text/csv")
    return form


def site(slug: str, kind: str, governorate: str) -> dict[str, str]:
    return {
        "slug": f"{slug}",
        "kind": kind,
        "governorate": governorate,
        "name_ar": f"موقع {slug}",
        "name_en": slug.replace("-", " ").title(),
    }


async def simulate(
    bases: list[str],
    admin_phone: str,
    admin_password: str,
    plan: Plan,
    clients: int,
    progress: Progress,
) -> dict[str, Any]:
    api = Api(bases, clients)
    await api.open()
    try:
        admin = await api.session()
        await api.sign_in(admin, admin_phone, admin_password)
        day = Day(api, plan, admin, progress)
        started = time.monotonic()
        await day.set_up()
        api.phase.seconds = time.monotonic() - started
        day.phases.append(api.phase)
        await day.phase("volunteers register, sign in and sign up", day.volunteer_jobs())
        await day.household_lists()
        prepared = time.monotonic()
        await day.phase("check-ins at the gates", day.scan_jobs(arriving=True))
        await day.phase("boxes logged on the lines", day.box_jobs())
        await day.phase("trucks dispatched and received", day.truck_jobs())
        await day.phase("hand-offs uploaded by points", day.hand_off_jobs())
        await day.phase("iftar meals cooked and served", day.meal_jobs())
        await day.phase("check-outs at the gates", day.scan_jobs(arriving=False))
        finished = time.monotonic()
    finally:
        await api.close()
    return {
        "plan": plan.described(),
        "preparation_s": round(prepared - started, 2),
        "day_s": round(finished - prepared, 2),
        "phases": [phase.report() for phase in day.phases],
    }
