"""Sentences a person reads for each domain error code, marked for the catalogue."""

from __future__ import annotations

from web.platform.i18n import N_

ERROR_MESSAGES: dict[str, str] = {
    "invalid_input": N_("Some of the information is missing or not valid."),
    "unsafe_characters": N_(
        "The text holds invisible control or direction characters. Please type it again."
    ),
    "text_too_long": N_("Please keep this text to %(maximum)s characters."),
    "too_much_to_replay": N_(
        "Too much happened before that moment to show the board as it was. Please choose an"
        " earlier time."
    ),
    "invalid_name": N_("Please enter your full name (%(minimum)s to %(maximum)s letters)."),
    "unknown_language": N_("Please choose Arabic or English."),
    "invalid_email": N_(
        "Please enter an e-mail address such as name@example.com, or leave it empty."
    ),
    "invalid_phone": N_("Please enter an Egyptian mobile number, for example 010 1234 5678."),
    "invalid_national_id": N_("The national ID number is not valid."),
    "national_id_length": N_("The national ID number must have exactly 14 digits."),
    "national_id_century": N_("The national ID number must start with 2 or 3."),
    "national_id_birth_date": N_("The birth date in the national ID number is not a real date."),
    "national_id_governorate": N_("The governorate code in the national ID number is unknown."),
    "unknown_governorate": N_("Please choose a governorate from the list."),
    "unknown_site_kind": N_("This kind of site is unknown."),
    "invalid_site_name": N_("Please give the site a name in Arabic and in English."),
    "invalid_address": N_("The address is too long (up to %(maximum)s characters)."),
    "bad_set_up_code": N_(
        "The mobile number or the code is wrong, or the code has expired or was used already."
    ),
    "unknown_role": N_("This shift role is unknown."),
    "invalid_shift_times": N_("A shift must end after it starts, within 16 hours."),
    "invalid_capacity": N_("A shift needs between 1 and %(maximum)s places."),
    "already_registered": N_("This national ID number is already registered."),
    "phone_taken": N_("This mobile number is already registered to another volunteer."),
    "import_phone_differs": N_(
        "This national ID is registered with another mobile number: nothing was done."
    ),
    "link_request_not_found": N_("This association is no longer asking for you."),
    "registration_being_checked": N_(
        "Your registration is being checked: you can sign up for shifts once it is confirmed."
    ),
    "no_verification_pending": N_("This registration is no longer waiting for a check."),
    "shift_full": N_("Sorry, this shift is full."),
    "shift_over": N_("This shift has already ended."),
    "shift_started": N_("This shift has already started; you can no longer withdraw."),
    "overlapping_shift": N_("You already have a shift at the same time."),
    "retime_overlaps": N_("%(volunteer)s has another shift at these times."),
    "capacity_below_taken": N_(
        "%(taken)s volunteers have signed up: keep at least that many places."
    ),
    "shift_cancelled": N_("This shift was cancelled."),
    "shift_not_full": N_("This shift still has places: sign up instead."),
    "not_waiting": N_("You are not on this shift's waitlist."),
    "already_on_shift": N_("You already have a place on this shift."),
    "not_on_shift": N_("This volunteer is not on this shift."),
    "reason_needed": N_("Please give a reason: the volunteers will read it."),
    "empty_plan": N_("Plan between 1 and %(maximum)s shifts at a time."),
    "too_busy": N_("Many people are signing up right now. Please try again in a moment."),
    "idempotency_key_reused": N_(
        "This request carries the key of an earlier request that was different. Nothing was"
        " recorded: send it again with a new key."
    ),
    "idempotency_key_in_flight": N_(
        "The same request is still being recorded. Please try again in a moment."
    ),
    "not_found": N_("We could not find what you asked for."),
    "site_not_found": N_("This site does not exist."),
    "shift_not_found": N_("This shift does not exist."),
    "volunteer_not_found": N_("This volunteer is not registered."),
    "not_registered": N_("Please register first."),
    "malformed_request": N_("The request is malformed: %(detail)s"),
    "forbidden": N_("You are not allowed to do this."),
    "not_allowed": N_("You are not allowed to do this."),
    "roles_outside_governorate": N_(
        "You can grant and revoke roles only for the sites, kitchens and associations of your"
        " governorate."
    ),
    "site_closed": N_("This site is closed: it takes no new shifts and no sign-ups."),
    "sign_in_required": N_("Please sign in first."),
    "too_many_attempts": N_("Too many attempts. Please try again in %(minutes)s minutes."),
    "too_many_replays": N_(
        "You have asked for the board at earlier times too often in a short while. Please wait"
        " a minute and try again."
    ),
    "bad_credentials": N_("The mobile number or the password is wrong."),
    "wrong_current_password": N_("Your current password is not the one you typed."),
    "password_length": N_("The password must have %(minimum)s to %(maximum)s characters."),
    "common_password": N_(
        "This password is too common or too easy to guess. Please choose another."
    ),
    "account_not_found": N_("This account does not exist."),
    "association_not_found": N_("This association does not exist."),
    "invalid_association_name": N_("Please give the association a name in Arabic and in English."),
    "device_token_not_found": N_("This device does not exist."),
    "invalid_device_label": N_("Please give the device a short name."),
    "unknown_account_role": N_("This role is unknown."),
    "missing_scope": N_("This role needs a scope: the site, kitchen, association or governorate."),
    "not_a_kitchen": N_("This site is not a kitchen."),
    "invalid_meal_target": N_("The daily meal target must be between 0 and %(maximum)s."),
    "location_outside_egypt": N_("The kitchen's location must be in Egypt."),
    "invalid_meal_count": N_("Please enter a number of meals between 1 and %(maximum)s."),
    "invalid_dish": N_("Please name the dish."),
    "unknown_serving_mode": N_("Say whether the meals were served on site or delivered."),
    "unknown_discard_reason": N_("Please choose why the meals were discarded."),
    "more_than_cooked": N_("That is more than is left of this batch (%(left)s meals left)."),
    "nothing_to_reverse": N_("There is no such entry to correct, or it was already corrected."),
    "correction_reason_needed": N_("Please say why this entry is corrected."),
    "not_your_line": N_("You can correct only the batches of the line you lead."),
    "meal_batch_not_found": N_("This batch does not exist."),
    "not_a_distribution_point": N_("Meals can be delivered only to a distribution point."),
    "unknown_channel": N_("Please choose the channel the request came through."),
    "unknown_category": N_("Please choose a category."),
    "unknown_priority": N_("Please choose a priority."),
    "unknown_assignee_kind": N_("Assign the ticket to an association or a site."),
    "invalid_description": N_("Please describe the request (up to %(maximum)s characters)."),
    "invalid_note": N_("Please write the note (up to %(maximum)s characters)."),
    "invalid_outcome": N_("Please say how it was resolved (up to %(maximum)s characters)."),
    "not_triaged": N_("Triage the ticket before assigning it."),
    "not_assigned": N_("The ticket is not assigned yet."),
    "ticket_closed": N_("This ticket is resolved; reopen it first."),
    "still_open": N_("This ticket is still open."),
    "ticket_not_found": N_("This ticket does not exist."),
    "unknown_position": N_("Please choose a position from the list."),
    "invalid_zone": N_("Please name the zone (up to %(maximum)s characters)."),
    "not_checked_in": N_("This volunteer has not checked in on this shift."),
    "already_checked_out": N_("This volunteer has already checked out of this shift."),
    "not_signed_up_here": N_(
        "This volunteer is not signed up for a shift here now. Choose the shift and tick"
        " walk-in to sign them up."
    ),
    "unknown_badge": N_("This badge is not one of ours. Type the mobile number instead."),
    "no_volunteer_given": N_("Scan a badge or type a mobile number."),
    "unknown_item": N_("This kind of item is unknown."),
    "invalid_box_count": N_("Please enter a number of boxes between 1 and %(maximum)s."),
    "not_enough_stock": N_(
        "Only %(on_hand)s boxes are on hand here; %(asked)s cannot leave. Send fewer."
    ),
    "already_sent_out": N_(
        "These boxes have already left on trucks (%(on_hand)s on hand); this batch cannot be"
        " undone."
    ),
    "invalid_truck_label": N_("The truck's plate or name can have up to %(maximum)s characters."),
    "invalid_received_count": N_("Please enter the boxes counted, between 0 and %(maximum)s."),
    "already_received": N_("This truck was already received with %(received)s boxes counted."),
    "truckload_not_found": N_("This truckload does not exist."),
    "not_a_packing_site": N_("This site is not a packing site."),
    "invalid_box_target": N_("The target must be between 0 and %(maximum)s boxes."),
    "invalid_box_template": N_(
        "List up to %(items)s box items, one a line, each with a quantity: rice (kg): 2"
    ),
    "invalid_line_name": N_("Please name the line and its zone."),
    "line_exists": N_("There is already a line called %(name)s."),
    "line_not_found": N_("This line does not exist."),
    "invalid_moment": N_("Please give a time earlier today, such as 10:42."),
    "invalid_round": N_("A round needs a name in Arabic and English and a target in boxes."),
    "invalid_allowance": N_("An allowance is between 0 and %(maximum)s per household."),
    "round_not_found": N_("This campaign round does not exist."),
    "invalid_household_size": N_("A household has between 1 and %(maximum)s people."),
    "household_not_found": N_(
        "This household is not registered yet. Register it first with its size."
    ),
    "allowance_used": N_(
        "This household already received its share in this round: on %(date)s at %(point)s."
    ),
    "point_out_of_stock": N_("This point is out of stock for this item (%(on_hand)s left)."),
    "batch_too_large": N_("Send at most %(maximum)s hand-offs in one upload."),
    "too_many_scans": N_("Send at most %(maximum)s scans in one upload."),
    "empty_table": N_("The file is empty."),
    "unreadable_table": N_("The file could not be read. Send a CSV (UTF-8) or an XLSX file."),
    "missing_columns": N_("The file lacks these columns: %(columns)s."),
    "one_column": N_(
        "The file has one column only. Put %(columns)s each in a column of its own,"
        " separated by commas."
    ),
    "field_too_long": N_(
        "A cell of the file is longer than %(limit)s characters, too long to be read."
        " Check the file and send it again."
    ),
    "too_many_rows": N_(
        "The file has more than %(limit)s rows. Split it into files of at most %(limit)s rows."
    ),
    "control_character_in_query": N_(
        "The link holds a control character, which no page takes. Check the link and try again."
    ),
    "import_running": N_(
        "An import for this place is still running. Wait until it finishes, then send the"
        " next file."
    ),
    "missing_certificate": N_(
        "This shift needs the %(certificate)s certificate. No session is scheduled yet;"
        " ask your association."
    ),
    "missing_certificate_next_session": N_(
        "This shift needs the %(certificate)s certificate. The next session is on %(when)s"
        " at %(place)s."
    ),
    "unknown_programme": N_("This training programme is unknown."),
    "invalid_session": N_("A session needs a place, a start time and 1 to 500 places."),
    "session_full": N_("This training session is full."),
    "not_enrolled": N_("This volunteer is not enrolled in the session."),
    "training_session_not_found": N_("This training session does not exist."),
    "invalid_asked": N_("Ask for between 1 and %(maximum)s volunteers."),
    "request_filled": N_("This request has all the volunteers it asked for."),
    "own_volunteer": N_("An association cannot lend its volunteers to itself."),
    "offer_answered": N_("This offer has already been answered."),
    "no_consent": N_("This volunteer has not agreed to serve; they must consent in the app first."),
    "offer_not_found": N_("There is no such offer in this request."),
    "exchange_request_not_found": N_("This request does not exist."),
    "unknown_association_kind": N_("An association is a national member entity or grassroots."),
}

# Where a refusal sends a volunteer to put it right: a path (filled from the refusal's
# context) and the link's words.
FOLLOW_UPS: dict[str, tuple[str, str]] = {
    "missing_certificate": (
        "/training?programme=%(programme)s",
        N_("See the training sessions that give this certificate"),
    ),
}

OUTCOME_MESSAGES: dict[str, str] = {
    "signed_up": N_("You are signed up for this shift."),
    "already_signed_up": N_("You are already signed up for this shift."),
    "withdrawn": N_("You have withdrawn from this shift."),
    "not_signed_up": N_("You were not signed up for this shift."),
    "registered": N_("Welcome! You are registered. Choose your shifts below."),
    "password_changed": N_("Your password is changed. Sign in with it from now on."),
    "details_changed": N_("Your details are changed."),
    "message_language_chosen": N_("Your text messages will come in the language you chose."),
    "email_saved": N_("Your messages will also come to this e-mail address."),
    "email_removed": N_("Your messages will no longer come by e-mail."),
    "calendar_link_reset": N_("Here is a new link to your calendar; the old one no longer works."),
    "signed_in": N_("You are signed in."),
    "signed_out": N_("You are signed out."),
}

ROLE_NAMES: dict[str, str] = {
    "packer": N_("Packer"),
    "line_lead": N_("Line lead"),
    "loader": N_("Loader"),
    "runner": N_("Runner"),
    "registrar": N_("Registrar"),
    "medic": N_("Medic"),
    "distributor": N_("Distributor"),
    "cook": N_("Cook"),
    "driver": N_("Driver"),
}

PROGRAMME_NAMES: dict[str, str] = {
    "food_hygiene": N_("Food hygiene"),
    "first_aid": N_("First aid"),
    "crowd_marshalling": N_("Crowd marshalling"),
    "line_lead": N_("Line lead"),
}

OFFER_STATE_NAMES: dict[str, str] = {
    "offered": N_("offered; waiting for the volunteer"),
    "consented": N_("the volunteer agreed"),
    "refused": N_("the volunteer said no"),
    "accepted": N_("accepted"),
    "declined": N_("declined"),
}

ITEM_NAMES: dict[str, str] = {
    "food_box": N_("Food boxes"),
    "clothing": N_("Clothing pieces"),
    "lantern": N_("Ramadan lanterns"),
    "toy": N_("Toys"),
}

SITE_KIND_NAMES: dict[str, str] = {
    "packing": N_("Packing site"),
    "distribution_point": N_("Distribution point"),
    "kitchen": N_("Kitchen"),
}

HIJRI_MONTHS: tuple[str, ...] = (
    N_("Muharram"),
    N_("Safar"),
    N_("Rabi al-Awwal"),
    N_("Rabi al-Thani"),
    N_("Jumada al-Ula"),
    N_("Jumada al-Akhira"),
    N_("Rajab"),
    N_("Shaban"),
    N_("Ramadan"),
    N_("Shawwal"),
    N_("Dhu al-Qadah"),
    N_("Dhu al-Hijjah"),
)

TICKET_WORDS: dict[str, str] = {
    "hotline": N_("Hotline"),
    "tv": N_("TV programme"),
    "social_media": N_("Social media"),
    "site": N_("Site"),
    "association": N_("Association"),
    "urgent_need": N_("Urgent need"),
    "distribution_complaint": N_("Complaint about a distribution"),
    "medical": N_("Medical"),
    "volunteer_conduct": N_("Volunteer conduct"),
    "other": N_("Other"),
    "urgent": N_("Urgent"),
    "high": N_("High"),
    "normal": N_("Normal"),
    "low": N_("Low"),
    "open": N_("Open"),
    "new": N_("New"),
    "triaged": N_("Triaged"),
    "assigned": N_("Assigned"),
    "acknowledged": N_("Acknowledged"),
    "resolved": N_("Resolved"),
    "opened": N_("Opened"),
    "note": N_("Note"),
    "escalated": N_("Escalated"),
    "reopened": N_("Reopened"),
}


def ngettext(singular: str, plural: str, counted: str) -> tuple[str, str, str]:
    """Marks a sentence with plural forms for the catalogue (extracted as ``ngettext`` is);
    ``counted`` names the error's value whose number chooses the form."""
    return singular, plural, counted


# refusals that count something: the count chooses the sentence's form (Arabic has six)
PLURAL_ERROR_MESSAGES: dict[str, tuple[str, str, str]] = {
    "too_early_to_check_in": ngettext(
        "Check-in opens %(hours)s hour before the shift starts.",
        "Check-in opens %(hours)s hours before the shift starts.",
        "hours",
    ),
}
