"""A volunteer: registered once, identified by a keyed hash of the national ID."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, insort
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from email_validator import EmailNotValidError, validate_email
from eventsourcing.domain import Aggregate, event

from coordination.errors import InvalidInput, NotFound, RuleViolation
from coordination.fingerprints import stable_id

MESSAGE_LANGUAGES = ("ar", "en")  # Arabic first: the campaign's language

NAME_LENGTH = range(2, 101)


def clean_full_name(text: str) -> str:
    name = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip()
    if len(name) not in NAME_LENGTH:
        raise InvalidName(minimum=NAME_LENGTH.start, maximum=NAME_LENGTH.stop - 1)
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise InvalidName(minimum=NAME_LENGTH.start, maximum=NAME_LENGTH.stop - 1)
    if not any(char.isalpha() for char in name):
        raise InvalidName(minimum=NAME_LENGTH.start, maximum=NAME_LENGTH.stop - 1)
    return name


def clean_email(text: str) -> str:
    """An e-mail address in its normal form ("" for none), or InvalidEmail."""
    address = (text or "").strip()
    if not address:
        return ""
    try:
        checked = validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        raise InvalidEmail() from None
    return str(checked.normalized)


class Volunteer(Aggregate):
    if TYPE_CHECKING:  # @event makes these classes at runtime; the type checker sees them here
        Linked: ClassVar[type[Aggregate.Event]]
        LinkAsked: ClassVar[type[Aggregate.Event]]
        LinkDeclined: ClassVar[type[Aggregate.Event]]
        VerificationAsked: ClassVar[type[Aggregate.Event]]
        VerificationConfirmed: ClassVar[type[Aggregate.Event]]
        VerificationRejected: ClassVar[type[Aggregate.Event]]
        Certified: ClassVar[type[Aggregate.Event]]
        ShiftReleased: ClassVar[type[Aggregate.Event]]
        ShiftRetimed: ClassVar[type[Aggregate.Event]]
        ShiftLost: ClassVar[type[Aggregate.Event]]
        InboxRead: ClassVar[type[Aggregate.Event]]
        DetailsChanged: ClassVar[type[Aggregate.Event]]
        LanguageChosen: ClassVar[type[Aggregate.Event]]
        EmailChanged: ClassVar[type[Aggregate.Event]]
        CalendarLinkReset: ClassVar[type[Aggregate.Event]]

    # Volunteers registered before imports were recorded or checked
    imported_by: UUID | None = None
    import_key: str | None = None
    claimant: tuple[UUID, str, str] | None = None
    language: str = MESSAGE_LANGUAGES[0]  # what messages are written in, until one is chosen
    email: str = ""  # where messages also go by e-mail; none until the volunteer gives one
    calendar_link: int = 0  # which link to their calendar works: resetting it ends the others

    @staticmethod
    def create_id(national_id_hash: str) -> UUID:
        return stable_id("volunteer", national_id_hash)

    class Registered(Aggregate.Created):
        """``import_key``: the row of a list that registered them (None: registered in person,
        or before keys were kept), so a chunk of the list decided again answers "created"."""

        class_version = 2
        national_id_hash: str
        national_id_last4: str
        full_name: str
        phone: str
        governorate: str
        association_id: UUID | None
        imported_by: UUID | None = None
        import_key: str | None = None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["import_key"] = None

    @event(Registered)
    def __init__(
        self,
        national_id_hash: str,
        national_id_last4: str,
        full_name: str,
        phone: str,
        governorate: str,
        association_id: UUID | None,
        imported_by: UUID | None = None,  # registered in person, or before it was recorded
        import_key: str | None = None,
    ) -> None:
        self.imported_by, self.import_key = imported_by, import_key
        self.link_requests: set[UUID] = set()
        self.claimant: tuple[UUID, str, str] | None = None  # account, phone, name being checked
        self.national_id_hash, self.national_id_last4 = national_id_hash, national_id_last4
        self.full_name, self.phone, self.governorate = full_name, phone, governorate
        self.association_id = association_id
        self.shifts: dict[UUID, tuple[datetime, datetime]] = {}
        self._by_start: list[tuple[datetime, datetime, UUID]] = []  # the shifts, ordered
        self._longest = timedelta(0)
        # the keys of the sign-ups that took places, each with its shift: a key is one request
        # (places taken before keys were kept here have none, so any key matches them)
        self.shift_keys: dict[str, UUID] = {}
        self.certificates: dict[str, tuple[datetime, UUID]] = {}
        self.serves: set[UUID] = set()

    def link(self, association_id: UUID) -> bool:
        """Serving another association besides the home one; linking twice changes nothing."""
        if association_id == self.association_id or association_id in self.serves:
            return False
        self._linked(association_id)
        return True

    @event("Linked")
    def _linked(self, association_id: UUID) -> None:
        self.serves.add(association_id)
        self.link_requests.discard(association_id)

    def ask_to_link(self, association_id: UUID, by: UUID | None) -> bool:
        """An association asks to count the volunteer among its own; nothing changes until
        the volunteer accepts. Asking again, or asking to serve where they serve, is nothing."""
        if association_id == self.association_id or association_id in self.serves:
            return False
        if association_id not in self.link_requests:
            self._link_asked(association_id, by)
        return True

    @event("LinkAsked")
    def _link_asked(self, association_id: UUID, by: UUID | None) -> None:
        self.link_requests.add(association_id)

    def answer_link(self, association_id: UUID, accepts: bool) -> None:
        if association_id not in self.link_requests:
            raise LinkRequestNotFound()
        if accepts:
            self._linked(association_id)
        else:
            self._link_declined(association_id)

    @event("LinkDeclined")
    def _link_declined(self, association_id: UUID) -> None:
        self.link_requests.discard(association_id)

    def change_details(self, full_name: str, governorate: str, association_id: UUID | None) -> bool:
        """The volunteer's own name, home governorate and home association; False when nothing
        changes. Choosing a home association is their own consent to its coordinators seeing
        them (a request it made is answered by it); the one they leave sees them no more."""
        if self.claimant is not None:
            raise RegistrationBeingChecked()
        now = (self.full_name, self.governorate, self.association_id)
        if now == (full_name, governorate, association_id):
            return False
        self._details_changed(full_name, governorate, association_id)
        return True

    @event("DetailsChanged")
    def _details_changed(
        self, full_name: str, governorate: str, association_id: UUID | None
    ) -> None:
        self.full_name, self.governorate = full_name, governorate
        self.association_id = association_id
        if association_id is not None:
            self.serves.discard(association_id)
            self.link_requests.discard(association_id)

    def ask_verification(self, account_id: UUID, phone: str, full_name: str) -> None:
        """Someone registers with the national ID of a record imported with another mobile
        number and never claimed: the record waits for the importer or the room to check."""
        if self.claimant is not None:
            raise RegistrationBeingChecked()
        self._verification_asked(account_id, phone, full_name)

    @event("VerificationAsked")
    def _verification_asked(self, account_id: UUID, phone: str, full_name: str) -> None:
        self.claimant = (account_id, phone, full_name)

    def answer_verification(self, confirms: bool, by: UUID | None) -> UUID:
        """The claimant's account; confirmed, the record takes their mobile number and name."""
        if self.claimant is None:
            raise NoVerificationPending()
        account_id = self.claimant[0]
        if confirms:
            self._verification_confirmed(by)
        else:
            self._verification_rejected(by)
        return account_id

    @event("VerificationConfirmed")
    def _verification_confirmed(self, by: UUID | None) -> None:
        assert self.claimant is not None
        _, self.phone, self.full_name = self.claimant
        self.claimant = None

    @event("VerificationRejected")
    def _verification_rejected(self, by: UUID | None) -> None:
        self.claimant = None

    def holds(self, programme: str, at: datetime) -> bool:
        held = self.certificates.get(programme)
        return held is not None and at <= held[0]

    @event("Certified")
    def certify(self, programme: str, expires_at: datetime, session_id: UUID) -> None:
        """A newer certificate replaces the older one of the same programme."""
        self.certificates[programme] = (expires_at, session_id)

    def clashing_shift(self, starts_at: datetime, ends_at: datetime) -> UUID | None:
        """Only a shift starting less than the longest one lasts before ``starts_at`` can
        overlap it: a volunteer with years of shifts is checked against a handful."""
        taken = self._by_start
        at = bisect_left(taken, (starts_at - self._longest,))
        while at < len(taken) and taken[at][0] < ends_at:
            if starts_at < taken[at][1]:
                return taken[at][2]
            at += 1
        return None

    class ShiftTaken(Aggregate.Event):
        """A place taken, with the key of the sign-up that took it ("": taken before keys were
        kept with the volunteer, and places taken without a sign-up of their own)."""

        class_version = 2
        shift_id: UUID
        starts_at: datetime
        ends_at: datetime
        key: str = ""

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["key"] = ""

    @event(ShiftTaken)
    def take_shift(
        self, shift_id: UUID, starts_at: datetime, ends_at: datetime, key: str = ""
    ) -> None:
        if key:
            self.shift_keys[key] = shift_id
        self.shifts[shift_id] = (starts_at, ends_at)
        insort(self._by_start, (starts_at, ends_at, shift_id))
        self._longest = max(self._longest, ends_at - starts_at)

    @event("ShiftReleased")
    def release_shift(self, shift_id: UUID) -> None:
        starts_at, ends_at = self.shifts.pop(shift_id)
        self._by_start.remove((starts_at, ends_at, shift_id))

    def clash_besides(self, shift_id: UUID, starts_at: datetime, ends_at: datetime) -> UUID | None:
        """Another of the volunteer's shifts overlapping ``shift_id`` moved to these times."""
        for other, (start, end) in self.shifts.items():
            if other != shift_id and start < ends_at and starts_at < end:
                return other
        return None

    @event("ShiftRetimed")
    def retime_shift(self, shift_id: UUID, starts_at: datetime, ends_at: datetime) -> None:
        self._drop(shift_id)
        self._keep(shift_id, starts_at, ends_at)

    @event("ShiftLost")
    def lose_shift(self, shift_id: UUID, reason: str, why: str) -> None:
        """Taken off a shift by the staff (``why``: cancelled, removed or moved), with a reason."""
        self._drop(shift_id)

    @event("InboxRead")
    def read_inbox(self) -> None:
        """Every message in the inbox until now has been read."""

    def choose_language(self, language: str) -> bool:
        """The language of the volunteer's messages (SMS, e-mail); True when it changed."""
        if language not in MESSAGE_LANGUAGES:
            raise UnknownLanguage()
        if language == self.language:
            return False
        self._language_chosen(language)
        return True

    @event("LanguageChosen")
    def _language_chosen(self, language: str) -> None:
        self.language = language

    def change_email(self, address: str) -> bool:
        """The address the volunteer's messages also go to (empty: none); True when it
        changed. Checked for its form only: nothing is sent to check it."""
        email = clean_email(address)
        if email == self.email:
            return False
        self._email_changed(email)
        return True

    @event("EmailChanged")
    def _email_changed(self, email: str) -> None:
        self.email = email

    @event("CalendarLinkReset")
    def reset_calendar_link(self) -> None:
        """A new link to the volunteer's calendar of shifts; the one given out before ends."""
        self.calendar_link += 1

    def _keep(self, shift_id: UUID, starts_at: datetime, ends_at: datetime) -> None:
        self.shifts[shift_id] = (starts_at, ends_at)
        insort(self._by_start, (starts_at, ends_at, shift_id))
        self._longest = max(self._longest, ends_at - starts_at)

    def _drop(self, shift_id: UUID) -> None:
        starts_at, ends_at = self.shifts.pop(shift_id)
        self._by_start.remove((starts_at, ends_at, shift_id))


class InvalidName(InvalidInput):
    code = "invalid_name"


class InvalidEmail(InvalidInput):
    code = "invalid_email"


class UnknownLanguage(InvalidInput):
    code = "unknown_language"


class VolunteerNotFound(NotFound):
    code = "volunteer_not_found"


class LinkRequestNotFound(NotFound):
    code = "link_request_not_found"


class RegistrationBeingChecked(RuleViolation):
    code = "registration_being_checked"


class NoVerificationPending(NotFound):
    code = "no_verification_pending"


class PhoneDiffers(RuleViolation):
    """An imported row names a registered volunteer with another mobile number."""

    code = "import_phone_differs"


class AlreadyRegistered(RuleViolation):
    code = "already_registered"


class OverlappingShift(RuleViolation):
    code = "overlapping_shift"
