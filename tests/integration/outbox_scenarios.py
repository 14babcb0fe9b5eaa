"""The outbox and its delivery: one SMS per event, recipient and channel, sent once through
a real local HTTP gateway, kept through a rebuild; retries, quiet hours, reminders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header
from typing import Any
from uuid import UUID

import pytest

from coordination.areas.accounts.commands import (
    ChangeMyEmail,
    ChooseMessageLanguage,
    CreateUser,
    RegisterVolunteer,
)
from coordination.areas.administration.commands import IssueResetCode
from coordination.areas.shifts.commands import CancelShift, ChangeShift, ReleaseNoShows
from coordination.areas.sites.commands import FoundAssociation
from coordination.areas.tickets.commands import Assign
from coordination.calendar import CAMPAIGN_TIMEZONE, from_utc_text
from coordination.permissions import SYSTEM, Actor, Grant, Role
from coordination.volunteer import InvalidEmail, UnknownLanguage
from projections.outbox import insert_message, message_email
from projections.reminders import remind
from projections.waitlists import waited_for_under_way
from tests.gateways import SmsGateway, sms_gateway, smtp_server
from tests.helpers import PASSWORD, mobile, national_id, tomorrow
from tests.integration.shift_scenarios import manager_of, open_site, plan_day, sign_up, volunteer
from tests.integration.ticket_scenarios import AGENT, open_urgent
from tests.integration.waitlist_scenarios import join, withdraw
from web.bootstrap import Services
from web.platform.delivery_report import delivery_report
from web.platform.outbox_texts import render
from workers.delivery import MAX_ATTEMPTS, Burst, Deliverer
from workers.gateways import HttpSmsGateway, LogGateway, SmtpGateway
from workers.rounds import release_no_shows


def deliverer(
    services: Services,
    gateway: SmsGateway,
    quiet: tuple[int, int] | None = None,
    concurrency: int = 1,
    smtp_url: str = "",
    reminding: bool = False,
    burst: Burst | None = None,
) -> Deliverer:
    email = SmtpGateway(smtp_url, "katf@example.org") if smtp_url else LogGateway("email")
    gateways = {"sms": HttpSmsGateway(gateway.url, gateway.token), "email": email}
    worker = Deliverer if reminding else WithoutReminders
    return worker(
        services.db, services.sealer, gateways, render, quiet, concurrency=concurrency, burst=burst
    )


class WithoutReminders(Deliverer):
    """The delivery worker without its reminder round, which from 20:00 in Cairo writes the
    evening's reminders of tomorrow's shifts: these tests count the messages their events
    made, whatever the hour they run at (the reminders' own tests keep the round)."""

    def remind(self, now: datetime) -> int:
        return 0


def outbox(services: Services) -> list[dict]:
    return services.db.query(
        "SELECT message_key, recipient_id, kind, status, attempts FROM outbox_messages"
        " ORDER BY message_key"
    )


def kinds_for(services: Services, person: UUID) -> list[str]:
    return sorted(r["kind"] for r in outbox(services) if r["recipient_id"] == str(person))


def cairo(day: datetime, hour: int, minute: int = 0) -> datetime:
    here = day.astimezone(CAMPAIGN_TIMEZONE)
    return here.replace(hour=hour, minute=minute, second=0, microsecond=0).astimezone(UTC)


def quiet_night() -> tuple[datetime, datetime]:
    """The next moment in the quiet hours (23:00 to 08:00 in Cairo) and the 08:00 after it,
    both less than a day from now, whatever the hour now."""
    now = datetime.now(UTC)
    hour = now.astimezone(CAMPAIGN_TIMEZONE).hour
    night = now + timedelta(minutes=1) if hour >= 23 or hour < 8 else cairo(now, 23, 5)
    morning = cairo(night, 8, 0)
    if morning <= night:
        morning = cairo(night + timedelta(days=1), 8, 0)
    return night, morning


class OutboxScenarios:
    """Subclasses provide a ``services`` fixture for one event store."""

    def full_shift(self, services: Services) -> tuple[UUID, list[UUID]]:
        """The packers' morning tomorrow (10:00 in Cairo) with its one place taken."""
        site = open_site(services)
        self.manager = manager_of(site)
        shift = plan_day(services, site, self.manager, capacity=1)[0]
        holder = volunteer(services, "Holder Hassan")
        sign_up(services, shift, holder)
        return shift, [holder]

    def test_each_event_tells_each_person_once_and_a_rebuild_sends_nothing_again(
        self, services: Services
    ) -> None:
        shift, (holder,) = self.full_shift(services)
        mona, omar = volunteer(services, "Mona Adel"), volunteer(services, "Omar Fathy")
        join(services, shift, mona)
        join(services, shift, omar)
        withdraw(services, shift, holder)  # Mona gets the place
        services.dispatcher.run(ChangeShift(shift, tomorrow(9), tomorrow(12), 1), self.manager)
        services.dispatcher.run(CancelShift(shift, "Flooded"), self.manager)
        services.runner.catch_up()
        assert kinds_for(services, holder) == ["signed_up"]
        assert kinds_for(services, mona) == ["lost_cancelled", "promoted", "retimed"]
        assert kinds_for(services, omar) == ["waitlist_cancelled"]
        with sms_gateway() as gateway:
            sent = deliverer(services, gateway).round()["sent"]
            assert sent == len(outbox(services)) == 5
            assert sorted(gateway.delivered.values()) == [1] * 5
            texts = [body["text"] for body in gateway.texts.values()]
            assert any("11:00" in text and "تغيّر موعد ورديتك" in text for text in texts)
            services.runner.rebuild(services.runner.projection("outbox"))
            assert {r["status"] for r in outbox(services)} == {"sent"}
            assert deliverer(services, gateway).round()["sent"] == 0
            assert len(gateway.requests) == 5

    def test_each_volunteer_is_written_to_in_the_language_they_chose(
        self, services: Services
    ) -> None:
        """Registered from the English page: English; Arabic after choosing it on the profile,
        from the next message on; a rebuild of the view keeps each choice."""
        site = open_site(services)
        manager = manager_of(site)
        first, second = plan_day(services, site, manager, capacity=2)[:2]
        english = services.dispatcher.run(
            RegisterVolunteer("Nour Khaled", mobile(), national_id(), "16", PASSWORD, None, "en")
        )
        arabic = volunteer(services, "Samir Lotfy")
        for person in (english, arabic):
            sign_up(services, first, person)
        services.runner.catch_up()
        with sms_gateway() as gateway:
            deliverer(services, gateway).round()
            texts = {body["to"]: body["text"] for body in gateway.texts.values()}
        assert sorted(text.startswith("Katf: you are signed up") for text in texts.values()) == [
            False,
            True,
        ]
        assert any(text.startswith("كتف: تم تسجيلك") for text in texts.values())
        own = Actor(volunteer_id=english)
        assert services.dispatcher.run(ChooseMessageLanguage("ar"), own) is True
        assert services.dispatcher.run(ChooseMessageLanguage("ar"), own) is False  # no change
        with pytest.raises(UnknownLanguage):
            services.dispatcher.run(ChooseMessageLanguage("fr"), own)
        services.runner.rebuild(services.runner.projection("outbox"))
        sign_up(services, second, english)
        services.runner.catch_up()
        written = services.db.query(
            "SELECT kind, status, locale FROM outbox_messages WHERE recipient_id = %s",
            (str(english),),
        )
        assert sorted((r["kind"], r["status"], r["locale"]) for r in written) == [
            ("signed_up", "pending", "ar"),  # the second shift's, after the choice
            ("signed_up", "sent", "en"),
        ]

    def test_a_volunteer_who_gives_an_email_address_gets_each_message_there_too_once(
        self, services: Services
    ) -> None:
        """One message per channel: the SMS and, once an address is given, the e-mail, each
        sent once (a rebuild sends neither again); an address taken away stops the e-mails;
        an address that is not one is refused and the one before kept."""
        site = open_site(services)
        manager = manager_of(site)
        first, second = plan_day(services, site, manager, capacity=2)[:2]
        mona = volunteer(services, "Mona Adel")
        own = Actor(volunteer_id=mona)
        assert services.dispatcher.run(ChangeMyEmail("  mona.adel@Example.ORG "), own) is True
        assert services.dispatcher.run(ChangeMyEmail("mona.adel@example.org"), own) is False
        with pytest.raises(InvalidEmail):
            services.dispatcher.run(ChangeMyEmail("mona.adel at example"), own)
        sign_up(services, first, mona)
        services.runner.catch_up()
        assert message_email(services.db, services.sealer, {"volunteer_id": str(mona)}) == (
            "mona.adel@example.org"
        )
        channels = sorted((r["kind"], r["message_key"].rsplit(":", 1)[1]) for r in outbox(services))
        assert channels == [("signed_up", "email"), ("signed_up", "sms")]
        with sms_gateway() as gateway, smtp_server() as (url, mailbox):
            assert deliverer(services, gateway, smtp_url=url).round()["sent"] == 2
            ((recipients, mail),) = mailbox.messages
            assert recipients == ["mona.adel@example.org"]
            (sms,) = gateway.texts.values()
            body = mail.get_payload(decode=True).decode().strip()
            subject = str(make_header(decode_header(mail["Subject"])))
            assert body == sms["text"] and subject == sms["text"]
            services.runner.rebuild(services.runner.projection("outbox"))
            assert deliverer(services, gateway, smtp_url=url).round()["sent"] == 0
            assert len(mailbox.messages) == 1 and len(gateway.requests) == 1
            assert services.dispatcher.run(ChangeMyEmail(""), own) is True
            sign_up(services, second, mona)
            services.runner.catch_up()
            assert deliverer(services, gateway, smtp_url=url).round()["sent"] == 1
            assert len(mailbox.messages) == 1 and len(gateway.requests) == 2

    def test_the_staff_see_what_became_of_the_messages_their_changes_caused(
        self, services: Services
    ) -> None:
        """A cancelled shift's messages are counted and listed on it by what became of
        them, with each volunteer's name; the confirmations volunteers caused themselves are
        not the staff's to follow."""
        shift, (holder,) = self.full_shift(services)
        mona = volunteer(services, "Mona Adel")
        join(services, shift, mona)
        services.dispatcher.run(CancelShift(shift, "Flooded"), self.manager)
        services.runner.catch_up()
        report = delivery_report(services.db, services.sealer, shift)
        assert (report.sent, report.waiting, report.failed) == (0, 2, 0)
        assert sorted((m["name"], m["kind"], m["state"]) for m in report.latest) == [
            ("Holder Hassan", "lost_cancelled", "pending"),
            ("Mona Adel", "waitlist_cancelled", "pending"),
        ]
        (refused_key,) = [m["message_key"] for m in report.latest if m["kind"] == "lost_cancelled"]
        with sms_gateway() as gateway:
            gateway.refusing[refused_key] = 1
            deliverer(services, gateway).round()
        report = delivery_report(services.db, services.sealer, shift)
        assert (report.sent, report.waiting, report.failed) == (1, 1, 0)
        states = {m["kind"]: m["state"] for m in report.latest}
        assert states == {"lost_cancelled": "retrying", "waitlist_cancelled": "sent"}
        assert all(m["sent_at"] for m in report.latest if m["state"] == "sent")

    def test_no_one_is_sent_more_than_their_share_of_messages_an_hour(
        self, services: Services
    ) -> None:
        """A flood of changes for one volunteer (a shift moved again and again) sends three
        an hour by each channel at a share of three, the rest as the hour passes, none lost;
        an urgent message (a reset code) goes whatever the share; another volunteer is not
        held up."""
        site = open_site(services)
        manager = manager_of(site)
        shift = plan_day(services, site, manager, capacity=2)[0]
        mona, omar = volunteer(services, "Mona Adel"), volunteer(services, "Omar Fathy")
        services.dispatcher.run(ChangeMyEmail("mona@example.org"), Actor(volunteer_id=mona))
        sign_up(services, shift, mona)
        for hour in (9, 10, 11, 12, 13):
            services.dispatcher.run(ChangeShift(shift, tomorrow(hour), tomorrow(17), 2), manager)
        sign_up(services, shift, omar)
        services.runner.catch_up()
        assert kinds_for(services, mona) == ["retimed"] * 10 + ["signed_up"] * 2  # SMS, e-mail
        now = datetime.now(UTC)
        with sms_gateway() as gateway:
            worker = WithoutReminders(
                services.db,
                services.sealer,
                {"sms": HttpSmsGateway(gateway.url, gateway.token), "email": LogGateway("email")},
                render,
                None,
                per_recipient=3,
            )
            worker.round(now)
            worker.round(now + timedelta(minutes=2))  # what waited: her share is spent
            to_mona = [m for m in outbox(services) if m["recipient_id"] == str(mona)]
            for channel in ("sms", "email"):
                statuses = [m["status"] for m in to_mona if m["message_key"].endswith(channel)]
                assert sorted(statuses) == ["pending"] * 3 + ["sent"] * 3
            assert {m["status"] for m in outbox(services) if m["recipient_id"] == str(omar)} == {
                "sent"
            }
            assert all(m["attempts"] == 0 for m in to_mona if m["status"] == "pending")
            # what waits is put off until her share frees, an hour after the first sent, so
            # the rounds in between do not read it again
            for channel in ("sms", "email"):
                rows = services.db.query(
                    "SELECT status, due_at, sent_at FROM outbox_messages"
                    " WHERE recipient_id = %s AND channel = %s",
                    (str(mona), channel),
                )
                first = min(from_utc_text(r["sent_at"]) for r in rows if r["status"] == "sent")
                # the round's moment, or its first record of sending (a second apart at most)
                (waits_until,) = {r["due_at"] for r in rows if r["status"] == "pending"}
                frees = first + timedelta(hours=1)
                assert abs(from_utc_text(waits_until) - frees) <= timedelta(seconds=2)
            assert worker.claim(now + timedelta(minutes=30)) == ([], 0)
            with services.db.transaction() as cursor:  # as a reset code is written
                insert_message(
                    cursor,
                    services.sealer,
                    "urgent-code",
                    str(mona),
                    "password_code",
                    {"code": "ABCD2345"},
                    at=now,
                    urgent=True,
                    expires_at=now + timedelta(minutes=15),
                )
            worker.round(now + timedelta(minutes=3))
            assert gateway.delivered["urgent-code:sms"] == 1
            worker.round(now + timedelta(minutes=62))  # the hour passed
            assert {m["status"] for m in outbox(services)} == {"sent"}
            texts = [m["message_key"] for m in outbox(services) if m["message_key"].endswith("sms")]
            assert [gateway.delivered[key] for key in texts] == [1] * 8

    def test_a_reset_code_goes_at_once_and_the_rest_waits_for_the_morning(
        self, services: Services
    ) -> None:
        self.full_shift(services)
        account_phone = mobile()
        services.dispatcher.run(
            RegisterVolunteer("Salma Nabil", account_phone, national_id(), "16", PASSWORD)
        )
        code = services.dispatcher.run(IssueResetCode(account_phone), AGENT).code
        services.runner.catch_up()
        night, morning = quiet_night()  # both within a day of the news: not gone stale
        with sms_gateway() as gateway:
            assert deliverer(services, gateway, (23, 8)).round(night)["sent"] == 1
            (body,) = gateway.texts.values()
            assert code in body["text"] and body["to"] == "+2" + account_phone
            held = {r["kind"]: r["status"] for r in outbox(services)}
            assert held["signed_up"] == "pending" and held["password_code"] == "sent"
            deliverer(services, gateway, (23, 8)).round(morning)
        assert {r["kind"]: r["status"] for r in outbox(services)}["signed_up"] == "sent"

    def test_a_burst_of_sign_ups_holds_all_but_codes_back_for_its_give_way(
        self, services: Services
    ) -> None:
        """While the log grows faster than the burst's rate (read from the store itself), a
        confirmation waits and a reset code goes; the burst passed, the confirmations go."""
        site = open_site(services)
        shift = plan_day(services, site, manager_of(site), capacity=10)[0]
        burst = Burst(services.runner.head, timedelta(seconds=30), events_per_second=3)
        now = datetime.now(UTC)
        assert not burst.giving_way(now)  # the log's head before the burst
        for name in ("Burst Basma", "Burst Bassem"):
            sign_up(services, shift, volunteer(services, name))
        account_phone = mobile()
        services.dispatcher.run(
            RegisterVolunteer("Salma Nabil", account_phone, national_id(), "16", PASSWORD)
        )
        services.dispatcher.run(IssueResetCode(account_phone), AGENT)
        services.runner.catch_up()
        with sms_gateway() as gateway:
            worker = deliverer(services, gateway, burst=burst)
            assert worker.round(now + timedelta(seconds=1))["sent"] == 1
            held = {r["kind"] for r in outbox(services) if r["status"] == "pending"}
            assert held == {"signed_up"} and len(gateway.texts) == 1
            assert worker.round(now + timedelta(seconds=2))["sent"] == 2  # the log quiet again
        assert {r["status"] for r in outbox(services)} == {"sent"}

    def test_a_failing_gateway_delays_backs_off_and_gives_up_only_on_a_refused_message(
        self, services: Services
    ) -> None:
        self.full_shift(services)
        services.runner.catch_up()
        (key,) = [r["message_key"] for r in outbox(services) if r["kind"] == "signed_up"]
        now = datetime.now(UTC)
        with sms_gateway() as gateway:
            worker = deliverer(services, gateway)
            gateway.refusing[key] = 1
            worker.round(now)
            assert key not in gateway.delivered
            worker.round(now + timedelta(seconds=10))  # backing off: not tried again yet
            assert key not in gateway.delivered
            assert [r["reference"] for r in gateway.requests].count(key) == 1
            worker.round(now + timedelta(seconds=31))
            assert gateway.delivered[key] == 1
            hours = iter(range(1, 24))  # rounds an hour apart (the longest wait), within a day

            def again(refused_with: int) -> None:
                with services.db.transaction() as cursor:  # the same messages, still to send
                    cursor.execute("UPDATE outbox_messages SET status = 'pending', attempts = 0")
                gateway.delivered.clear()
                gateway.refusing[key], gateway.refused_status = 10_000, refused_with
                for _ in range(MAX_ATTEMPTS + 2):
                    worker.round(now + timedelta(hours=next(hours)))
                assert key not in gateway.delivered

            def state() -> dict[str, Any]:
                (row,) = services.db.query(
                    "SELECT status, last_error, attempts FROM outbox_messages"
                    " WHERE message_key = %s",
                    (key,),
                )
                return row

            again(503)  # the gateway down: tried however often, until the news goes stale
            assert state()["status"] == "pending" and state()["attempts"] == MAX_ATTEMPTS + 2
            assert "503" in state()["last_error"]
            gateway.refusing[key] = 0
            worker.round(now + timedelta(hours=next(hours)))
            assert gateway.delivered[key] == 1
            again(400)  # the gateway refuses this message itself: dead after the last attempt
            assert state()["status"] == "dead" and state()["attempts"] == MAX_ATTEMPTS
            assert state()["last_error"] == "SMS gateway answered 400"

    def test_messages_sent_side_by_side_are_recorded_together_and_refused_ones_retried(
        self, services: Services
    ) -> None:
        site = open_site(services)
        shift = plan_day(services, site, manager_of(site), capacity=9)[0]
        for n in range(9):
            sign_up(services, shift, volunteer(services, f"Volunteer {n}"))
        services.runner.catch_up()
        keys = sorted(r["message_key"] for r in outbox(services))
        now = datetime.now(UTC)
        with sms_gateway() as gateway:
            worker = deliverer(services, gateway, concurrency=4)
            for key in keys[:3]:
                gateway.refusing[key] = 1
            outcome = worker.round(now)
            assert (outcome["sent"], outcome["failed"]) == (6, 3)
            assert worker.round(now + timedelta(seconds=31))["sent"] == 3
            assert worker.round(now + timedelta(minutes=5))["sent"] == 0
        assert sorted(gateway.delivered) == keys and set(gateway.delivered.values()) == {1}
        assert len(gateway.requests) == 12
        rows = outbox(services)
        assert {r["status"] for r in rows} == {"sent"}
        assert sorted(r["attempts"] for r in rows) == [1] * 6 + [2] * 3

    def test_reminders_the_evening_before_and_two_hours_before_once_each(
        self, services: Services
    ) -> None:
        shift, (holder,) = self.full_shift(services)
        services.runner.catch_up()
        starts = tomorrow(8)  # 10:00 in Cairo
        with sms_gateway() as gateway:
            worker = deliverer(services, gateway, reminding=True)
            worker.round(starts - timedelta(days=2))
            assert worker.round(cairo(starts - timedelta(days=1), 19, 59))["reminded"] == 0
            evening = cairo(starts - timedelta(days=1), 20, 5)
            assert worker.round(evening)["reminded"] == 1
            assert worker.round(evening + timedelta(minutes=1))["reminded"] == 0
            assert worker.round(starts - timedelta(minutes=90))["reminded"] == 1
            assert worker.round(starts - timedelta(minutes=30))["reminded"] == 0
            assert kinds_for(services, holder) == [
                "reminder_evening",
                "reminder_soon",
                "signed_up",
            ]
            assert sorted(gateway.delivered.values()) == [1, 1, 1]

    def test_a_reminder_round_writes_only_for_holders_not_yet_reminded(
        self, services: Services
    ) -> None:
        """Each round (every second) once wrote an insert for every holder of every shift of
        the next day and a half; now only for those who came since the last round."""
        site = open_site(services)
        shift = plan_day(services, site, manager_of(site), capacity=3)[0]
        for name in ("Holder Hassan", "Holder Hoda"):
            sign_up(services, shift, volunteer(services, name))
        services.runner.catch_up()
        evening = cairo(tomorrow(8) - timedelta(days=1), 20, 5)
        assert remind(services.db, services.sealer, evening) == 2
        db, opened = services.db, []
        transaction = db.transaction

        def counted(**kwargs: Any) -> Any:
            opened.append(1)
            return transaction(**kwargs)

        db.transaction = counted  # type: ignore[method-assign]  # counts writes of rounds
        try:
            assert remind(db, services.sealer, evening + timedelta(minutes=1)) == 0
            assert opened == []  # nothing to write: no transaction, no lock
            newcomer = volunteer(services, "Holder Hany")
            sign_up(services, shift, newcomer)
            services.runner.catch_up()
            opened.clear()
            assert remind(db, services.sealer, evening + timedelta(minutes=2)) == 1
            assert len(opened) == 1
        finally:
            db.transaction = transaction  # type: ignore[method-assign]
        assert kinds_for(services, newcomer) == ["reminder_evening", "signed_up"]
        assert remind(db, services.sealer, tomorrow(8) - timedelta(minutes=90)) == 3  # soon

    def test_a_reminder_of_a_shift_given_up_since_is_not_sent(self, services: Services) -> None:
        shift, (holder,) = self.full_shift(services)
        services.runner.catch_up()
        evening = cairo(tomorrow(8) - timedelta(days=1), 20, 5)
        assert remind(services.db, services.sealer, evening) == 1
        withdraw(services, shift, holder)
        services.runner.catch_up()
        with sms_gateway() as gateway:
            worker = deliverer(services, gateway)
            worker.round(evening + timedelta(minutes=1))
            worker.round(datetime.now(UTC) + timedelta(minutes=5))
            assert not [r for r in gateway.requests if r["reference"].startswith("reminder")]
        (row,) = [r for r in outbox(services) if r["kind"] == "reminder_evening"]
        assert row["status"] == "pending" and row["attempts"] == 0  # expires at the start

    def test_a_ticket_assigned_to_an_association_tells_its_coordinators(
        self, services: Services
    ) -> None:
        x = services.dispatcher.run(FoundAssociation("x", "س", "X", "01"), SYSTEM)
        grant = Grant(Role.ASSOCIATION_COORDINATOR, str(x))
        coordinator = services.dispatcher.run(
            CreateUser(mobile(), "Hoda Samir", PASSWORD, [grant]), SYSTEM
        )
        services.dispatcher.run(CreateUser(mobile(), "Other Person", PASSWORD, []), SYSTEM)
        ticket = open_urgent(services)
        services.dispatcher.run(Assign(ticket, "association", x), AGENT)
        services.runner.catch_up()
        assert [r["kind"] for r in outbox(services)] == ["ticket_assigned"]
        assert outbox(services)[0]["recipient_id"] == str(coordinator)
        report = delivery_report(services.db, services.sealer, ticket)
        assert report.waiting == 1 and report.latest[0]["name"] == ""  # staff: no volunteer

    def test_news_replayed_a_day_late_is_not_sent(self, services: Services) -> None:
        """A restore from a backup replays every event into an empty outbox: none of it is news."""
        self.full_shift(services)
        services.runner.catch_up()
        with sms_gateway() as gateway:
            outcome = deliverer(services, gateway).round(datetime.now(UTC) + timedelta(days=2))
            assert outcome["expired"] == 1 and outcome["sent"] == 0
            assert not gateway.requests

    def test_a_no_show_half_an_hour_in_gives_the_place_to_the_first_waiting_in_one_write(
        self, services: Services
    ) -> None:
        shift, (holder,) = self.full_shift(services)
        mona = volunteer(services, "Mona Adel")
        join(services, shift, mona)
        services.runner.catch_up()
        starts = tomorrow(8)
        assert waited_for_under_way(services.db, starts + timedelta(minutes=20)) == []
        services.app.clock = lambda: starts + timedelta(minutes=20)  # type: ignore[method-assign]
        assert services.dispatcher.run(ReleaseNoShows(shift), SYSTEM) == 0  # not late yet
        later = starts + timedelta(minutes=31)
        services.app.clock = lambda: later  # type: ignore[method-assign]
        version = services.app.repository.get(shift).version
        assert release_no_shows(services, later) == 1  # the round proposes, the shift decides
        after = services.app.repository.get(shift)
        assert set(after.volunteers) == {mona} and after.waiting == []
        assert after.version == version + 2  # released and given on in one write
        assert services.dispatcher.run(ReleaseNoShows(shift), SYSTEM) == 0  # nobody waits now
        services.runner.catch_up()
        assert kinds_for(services, holder) == ["lost_no_show", "signed_up"]
        assert kinds_for(services, mona) == ["promoted"]
