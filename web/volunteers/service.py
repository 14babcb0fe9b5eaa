"""A volunteer's service: hours by association, certificates, offers to answer, and a
printable certificate of service (PDF)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

from babel.dates import format_date
from fpdf import FPDF
from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath

from coordination.areas.exchange.commands import AnswerOffer
from coordination.areas.roster.commands import AnswerLinkRequest
from coordination.calendar import CAMPAIGN_TIMEZONE, utc_text
from projections.exchange_ledger import hours_by_association, offers_to
from projections.volunteer_directory import (
    being_checked,
    certificates_of,
    find_volunteer,
    link_requests_to,
)
from web.platform.answers import answered
from web.platform.auth import actor_of, services_of
from web.platform.flash import take_flashes
from web.platform.guards import requires_volunteer
from web.platform.i18n import N_, gettext_for, in_digits, number, separator
from web.platform.messages import PROGRAMME_NAMES
from web.platform.render import locale_of, page

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]
FONT = Path(__file__).parent / "fonts" / "DejaVuSans.ttf"
TOTAL, NO_ASSOCIATION = N_("Hours served in all"), N_("No association")
OFFER_STATES = {
    "consented": N_("you agreed; waiting for the association"),
    "refused": N_("you said no"),
    "accepted": N_("accepted: you are signed up for the shift"),
    "declined": N_("the association did not need you this time"),
}


def service_record(services: Any, volunteer_id: str) -> dict[str, Any]:
    hours = hours_by_association(services.db, volunteer_id)
    return {
        "person": find_volunteer(services.db, services.sealer, volunteer_id),
        "hours": hours,
        "seconds": sum(row["seconds"] or 0 for row in hours),
        "certificates": certificates_of(services.db, volunteer_id),
        "offers": offers_to(services.db, volunteer_id),
        "link_requests": link_requests_to(services.db, volunteer_id),
        "being_checked": being_checked(services.db, volunteer_id),
    }


def certificate_pdf(record: dict[str, Any], names: dict[str, str]) -> bytes:
    """One A4 page, Arabic above English, shaped by HarfBuzz."""
    pdf = FPDF(format="A4")
    pdf.set_title("Katf certificate of service")
    pdf.add_page()
    pdf.add_font("DejaVu", fname=str(FONT))
    arabic = {"use_shaping_engine": True, "direction": "rtl", "script": "arab", "language": "ara"}
    lines: list[tuple[int, str, dict[str, Any]]] = [
        (22, "شهادة خدمة تطوعية", arabic),
        (18, "Certificate of volunteer service", {"use_shaping_engine": True}),
        (16, record["person"]["full_name"] if record["person"] else "", arabic),
    ]
    english = {"use_shaping_engine": True}
    for row in record["hours"]:  # each association's hours: in Arabic, then in English
        hours = (row["seconds"] or 0) / 3600
        name_ar = row["name_ar"] or "دون جمعية"
        name_en = row["name_en"] or "No association"
        lines.append(
            (13, f"{number(hours, 'ar', fraction=1)} ساعة{separator('ar')}{name_ar}", arabic)
        )
        lines.append(
            (12, f"{number(hours, 'en', fraction=1)} hours{separator('en')}{name_en}", english)
        )
    total = record["seconds"] / 3600
    lines.append((15, f"مجموع ساعات الخدمة: {number(total, 'ar', fraction=1)} ساعة", arabic))
    lines.append((14, f"Hours served in all: {number(total, 'en', fraction=1)}", english))
    issued = datetime.now(CAMPAIGN_TIMEZONE).date()
    on_ar = in_digits(format_date(issued, format="long", locale="ar_EG"), "ar")
    lines.append((11, f"كتف — {on_ar}", arabic))
    lines.append((11, f"Katf — {format_date(issued, format='long', locale='en_GB')}", english))
    for size, text, shaping in lines:
        pdf.set_font("DejaVu", size=size)
        pdf.set_text_shaping(**shaping)
        pdf.multi_cell(0, size * 0.7, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())


class ServicePages(Controller):
    path = "/my-service"
    guards = [requires_volunteer]

    @get("/", sync_to_thread=True)
    def service(self, request: AnyRequest) -> Response[str]:
        volunteer = str(actor_of(request).volunteer_id)
        return page(
            request,
            "my_service.html",
            personal=True,
            programme_names=PROGRAMME_NAMES,
            flashes=take_flashes(request),
            offer_states=OFFER_STATES,
            now=utc_text(datetime.now(UTC)),
            **service_record(services_of(request), volunteer),
        )

    @post("/offers/{request_id:uuid}")
    async def answer(
        self, request: AnyRequest, request_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        """The volunteer's own yes or no to being lent to another association."""
        command = AnswerOffer(request_id, data.get("consents") == "1")
        return await answered(request, command, back="/my-service")

    @post("/links/{association_id:uuid}")
    async def answer_link(
        self, request: AnyRequest, association_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        """The volunteer's own yes or no to an association that imported their national ID."""
        accepts = data.get("accepts") == "1"
        command = AnswerLinkRequest(association_id, accepts)
        said = N_("You joined the association.") if accepts else N_("You said no.")
        done = gettext_for(locale_of(request), said)
        return await answered(request, command, back="/my-service", done=done)

    @get("/certificate.pdf", sync_to_thread=True)
    def certificate(self, request: AnyRequest) -> Response[bytes]:
        record = service_record(services_of(request), str(actor_of(request).volunteer_id))
        locale = locale_of(request)
        names = {
            "total": gettext_for(locale, TOTAL),
            "no_association": gettext_for(locale, NO_ASSOCIATION),
        }
        return Response(
            certificate_pdf(record, names),
            media_type="application/pdf",
            headers={
                "Content-Disposition": 'inline; filename="katf-certificate-of-service.pdf"',
                "Cache-Control": "no-store",
            },
        )
