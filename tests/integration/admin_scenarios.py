"""Campaign administration scenarios, run on every event store through one base class."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coordination.account import BadSetUpCode
from coordination.areas.accounts.commands import GrantRole, RegisterVolunteer, RevokeRole
from coordination.areas.accounts.lookups import account as stored_account
from coordination.areas.accounts.lookups import account_id_for, sign_in
from coordination.areas.accounts.policy import OutsideGovernorate
from coordination.areas.administration.commands import (
    CloseSite,
    EditAssociation,
    EditSite,
    InviteStaff,
    SetPassword,
)
from coordination.areas.shifts.commands import PlannedShift, PlanShifts
from coordination.areas.sign_ups.commands import JoinWaitlist, SignUp
from coordination.areas.sites.commands import FoundAssociation, OpenSite, ScheduleShift
from coordination.demo import seed_demo
from coordination.demo_accounts import demo_accounts, seed_demo_accounts
from coordination.permissions import SYSTEM, Actor, Grant, NotAllowed, Role
from projections.associations import find_association
from projections.campaign_admin import CampaignAdmin, admin_site, staff_accounts
from projections.kitchen_dashboard import find_kitchen
from projections.shift_board import list_sites
from projections.stadium import find_packing_site
from projections.volunteer_directory import volunteers_on_shift
from tests.helpers import mobile, national_id, tomorrow
from tests.integration.scenarios import refused, register
from web.bootstrap import Services

NEW_PASSWORD = "orange-minaret-77"


def events_recorded(services: Services) -> int:
    return len(services.app.recorder.select_notifications(start=None, limit=1_000_000))


class AdminScenarios:
    """Subclasses provide a ``services`` fixture for one event store."""

    def test_an_invited_person_sets_a_password_once_then_signs_in(self, services: Services) -> None:
        phone = mobile()
        invitation = services.dispatcher.run(InviteStaff(phone, "هالة سمير"), SYSTEM)
        code = f"{invitation.code[:5]}-{invitation.code[5:].lower()}"  # as a person types it
        with pytest.raises(BadSetUpCode):
            services.dispatcher.run(SetPassword(phone, "WRONGCODE1", NEW_PASSWORD), SYSTEM)
        account = services.dispatcher.run(SetPassword(phone, code, NEW_PASSWORD), SYSTEM)
        assert account == invitation.account_id
        assert sign_in(services.app, phone, NEW_PASSWORD) == account
        with pytest.raises(BadSetUpCode):
            services.dispatcher.run(SetPassword(phone, code, "another-pass-991"), SYSTEM)
        services.runner.catch_up()
        listed = {a["account_id"]: a for a in staff_accounts(services.db, services.sealer)}
        assert listed[str(account)]["has_password"] and listed[str(account)]["phone"].endswith(
            phone[1:]
        )

    def test_an_expired_code_sets_nothing(self, services: Services) -> None:
        phone = mobile()
        invitation = services.dispatcher.run(InviteStaff(phone, "Late Person"), SYSTEM)
        later = invitation.expires_at + timedelta(seconds=1)
        services.app.clock = lambda: later
        with pytest.raises(BadSetUpCode):
            services.dispatcher.run(SetPassword(phone, invitation.code, NEW_PASSWORD), SYSTEM)

    def test_a_governorate_coordinator_changes_only_their_governorate(
        self, services: Services
    ) -> None:
        mine = services.dispatcher.run(OpenSite("s-mine", "packing", "03", "أ", "Mine"), SYSTEM)
        other = services.dispatcher.run(OpenSite("s-other", "packing", "04", "ب", "Other"), SYSTEM)
        coordinator = Actor(grants=frozenset({Grant(Role.GOVERNORATE_COORDINATOR, "03")}))
        assert services.dispatcher.run(EditSite(mine, "أ ٢", "Mine 2", "شارع"), coordinator)
        with pytest.raises(NotAllowed):
            services.dispatcher.run(EditSite(other, "ب ٢", "Other 2"), coordinator)
        with pytest.raises(NotAllowed):
            services.dispatcher.run(CloseSite(other), coordinator)
        with pytest.raises(NotAllowed):
            services.dispatcher.run(InviteStaff(mobile(), "Someone"), coordinator)
        services.runner.catch_up()
        assert admin_site(services.db, str(mine))["name_en"] == "Mine 2"
        assert admin_site(services.db, str(other))["closed"] == 0

    def test_the_administration_view_rebuilds_from_the_log(self, services: Services) -> None:
        site = services.dispatcher.run(OpenSite("s-rb", "kitchen", "21", "مطبخ", "K"), SYSTEM)
        services.dispatcher.run(EditSite(site, "مطبخ الجيزة", "Giza kitchen"), SYSTEM)
        services.dispatcher.run(CloseSite(site), SYSTEM)
        invited = services.dispatcher.run(InviteStaff(mobile(), "Lead Person"), SYSTEM)
        services.dispatcher.run(GrantRole(invited.account_id, Role.KITCHEN_LEAD, str(site)), SYSTEM)
        services.runner.catch_up()
        before = (admin_site(services.db, str(site)), staff_accounts(services.db, services.sealer))
        view = next(p for p in services.runner.projections if isinstance(p, CampaignAdmin))
        services.runner.rebuild(view)
        after = (admin_site(services.db, str(site)), staff_accounts(services.db, services.sealer))
        assert after == before
        assert after[0]["name_en"] == "Giza kitchen" and after[0]["closed"] == 1

    def test_a_new_name_shows_wherever_the_site_or_association_is_shown(
        self, services: Services
    ) -> None:
        packing = services.dispatcher.run(OpenSite("n-p", "packing", "01", "أ", "A"), SYSTEM)
        kitchen = services.dispatcher.run(OpenSite("n-k", "kitchen", "21", "ب", "B"), SYSTEM)
        association = services.dispatcher.run(FoundAssociation("n-a", "ج", "C", "01"), SYSTEM)
        services.dispatcher.run(EditSite(packing, "مركز أ", "Centre A"), SYSTEM)
        services.dispatcher.run(EditSite(kitchen, "مطبخ ب", "Kitchen B"), SYSTEM)
        services.dispatcher.run(
            EditAssociation(association, "جمعية ج", "Assoc C", "grassroots"), SYSTEM
        )
        services.runner.catch_up()
        db = services.db
        board = {s["site_id"]: s["name_en"] for s in list_sites(db)}
        assert board[str(packing)] == "Centre A" and board[str(kitchen)] == "Kitchen B"
        assert find_packing_site(db, str(packing))["name_ar"] == "مركز أ"
        assert find_kitchen(db, str(kitchen))["name_ar"] == "مطبخ ب"
        services.dispatcher.run(EditSite(kitchen, "مطبخ ب", "Kitchen B", "", 31.2, 29.9), SYSTEM)
        services.runner.catch_up()
        assert (
            find_kitchen(db, str(kitchen))["latitude"],
            find_kitchen(db, str(kitchen))["longitude"],
        ) == (31.2, 29.9)
        assert find_association(db, str(association))["name_en"] == "Assoc C"

    def test_seeding_the_demo_again_changes_nothing(self, services: Services) -> None:
        seed_demo(services.dispatcher, days=1)
        seed_demo_accounts(services.dispatcher)
        recorded = events_recorded(services)
        seed_demo(services.dispatcher, days=1)
        seed_demo_accounts(services.dispatcher)
        assert events_recorded(services) == recorded
        for account in demo_accounts():
            assert sign_in(services.app, account.phone, account.password)

    def test_a_closed_site_takes_no_new_shift_and_no_sign_up(self, services: Services) -> None:
        run = services.dispatcher.run
        site = run(OpenSite("s-closing", "packing", "02", "موقع", "Closing"), SYSTEM)
        start = tomorrow(9)
        shift = run(ScheduleShift(site, "packer", start, start + timedelta(hours=3), 1), SYSTEM)
        stays, late = register(services, "Early Person"), register(services, "Late Person")
        run(SignUp(shift, stays, "before-closing"), SYSTEM)
        run(CloseSite(site), SYSTEM)
        recorded = events_recorded(services)

        later = start + timedelta(hours=4)
        planned = PlannedShift("packer", later, later + timedelta(hours=2), 5)
        for command in (
            ScheduleShift(site, "packer", later, later + timedelta(hours=2), 5),
            PlanShifts(site, (planned,)),
            SignUp(shift, late, "after-closing"),
            JoinWaitlist(shift, late),
        ):
            assert refused(lambda c=command: run(c, SYSTEM)).code == "site_closed", command
        volunteer = Actor(volunteer_id=late)
        assert refused(lambda: run(SignUp(shift, late, "own"), volunteer)).code == "site_closed"
        assert events_recorded(services) == recorded  # the refusals recorded nothing

        services.runner.catch_up()
        on_shift = volunteers_on_shift(services.db, services.sealer, str(shift))
        assert [row["volunteer_id"] for row in on_shift] == [str(stays)]  # who was on it stays

    def test_a_governorate_coordinator_grants_roles_only_in_their_governorate(
        self, services: Services
    ) -> None:
        run = services.dispatcher.run
        mine = run(OpenSite("g-mine", "kitchen", "03", "مطبخ", "Mine"), SYSTEM)
        other = run(OpenSite("g-other", "kitchen", "04", "مطبخ", "Other"), SYSTEM)
        near = run(FoundAssociation("g-near", "جمعية", "Near", "03"), SYSTEM)
        person = run(InviteStaff(mobile(), "Given Roles"), SYSTEM).account_id
        coordinator = Actor(grants=frozenset({Grant(Role.GOVERNORATE_COORDINATOR, "03")}))
        run(GrantRole(person, Role.KITCHEN_LEAD, str(mine)), coordinator)
        run(GrantRole(person, Role.ASSOCIATION_COORDINATOR, str(near)), coordinator)
        run(RevokeRole(person, Role.ASSOCIATION_COORDINATOR, str(near)), coordinator)
        run(GrantRole(person, Role.KITCHEN_LEAD, str(other)), SYSTEM)
        for command in (
            GrantRole(person, Role.KITCHEN_LEAD, str(other)),
            RevokeRole(person, Role.KITCHEN_LEAD, str(other)),
            GrantRole(person, Role.GOVERNORATE_COORDINATOR, "03"),
            GrantRole(person, Role.OPERATIONS_AGENT),
            GrantRole(person, Role.SITE_MANAGER, "not-a-site"),
        ):
            with pytest.raises(OutsideGovernorate):
                run(command, coordinator)
        with pytest.raises(NotAllowed):
            run(GrantRole(person, Role.KITCHEN_LEAD, str(mine)), Actor(grants=frozenset()))
        assert stored_account(services.app, person).grants == {
            Grant(Role.KITCHEN_LEAD, str(mine)),
            Grant(Role.KITCHEN_LEAD, str(other)),
        }

    def test_a_volunteer_made_staff_is_listed_with_the_staff_after_a_rebuild(
        self, services: Services
    ) -> None:
        volunteer_phone = mobile()
        run = services.dispatcher.run
        run(RegisterVolunteer("Made Staff", volunteer_phone, national_id(), "01", "a-pass-1234-x"))
        run(RegisterVolunteer("Just Volunteer", mobile(), national_id(), "01", "a-pass-1234-y"))
        person = account_id_for(services.app, volunteer_phone)
        run(GrantRole(person, Role.OPERATIONS_AGENT), SYSTEM)
        services.runner.catch_up()
        listed = [a["full_name"] for a in staff_accounts(services.db, services.sealer)]
        assert "Made Staff" in listed and "Just Volunteer" not in listed
        view = next(p for p in services.runner.projections if isinstance(p, CampaignAdmin))
        services.runner.rebuild(view)
        again = [a["full_name"] for a in staff_accounts(services.db, services.sealer)]
        assert again == listed
