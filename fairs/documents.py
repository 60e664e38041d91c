"""Documents for exhibitors as pure functions over plain data: the booking confirmation
(PDF), the set-up calendar entry (.ics) and the staff-pass QR code (PNG)."""

import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from events_platform.when import describe_span
from infra import qr
from infra.dates import years_after


@dataclass(frozen=True)
class BookingSheet:
    """What a booking confirmation says."""

    reference: str
    uid: str
    company: str
    event_title: str
    venue: str
    stand_label: str
    hall: str
    stand_size: str
    status: str
    extras: list[tuple[str, int]]
    staff_passes: int
    day_contact: str
    stand_price: Decimal
    extras_price: Decimal
    event_starts_at: datetime
    event_ends_at: datetime
    setup_starts_at: datetime
    setup_ends_at: datetime
    teardown_starts_at: datetime
    teardown_ends_at: datetime

    @property
    def total_price(self) -> Decimal:
        return self.stand_price + self.extras_price


def measure(value: Decimal) -> str:
    """A length or area in the active language's format, without trailing zeros (German:
    7,5; English: 7.5; both: 9)."""
    value = Decimal(value)
    places = max(-value.normalize().as_tuple().exponent, 0)
    return formats.number_format(value, places, use_l10n=True)


def money(amount: Decimal) -> str:
    """An amount in euros in the active language's format (German: 1.234,50 €)."""
    number = formats.number_format(amount, 2, use_l10n=True, force_grouping=True)
    if (translation.get_language() or "de").startswith("de"):
        return f"{number} €"
    return f"€{number}"


def booking_confirmation_pdf(sheet: BookingSheet, *, language: str = "de") -> bytes:
    """The booking confirmation as a one-page PDF in `language`."""
    buffer = io.BytesIO()
    with translation.override(language):
        pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
        pdf.setTitle(_("Stand booking %(reference)s") % {"reference": sheet.reference})
        y = A4[1] - 25 * mm
        pdf.setFont("Helvetica-Bold", 16)
        pdf.drawString(20 * mm, y, _("Stand booking confirmation"))
        y -= 12 * mm
        rows = [
            (_("Booking"), sheet.reference),
            (_("Status"), sheet.status),
            (_("Company"), sheet.company),
            (_("Event"), sheet.event_title),
            (_("Venue"), sheet.venue),
            (_("Event time"), describe_span(sheet.event_starts_at, sheet.event_ends_at)),
            (_("Stand"), f"{sheet.stand_label} ({sheet.hall}, {sheet.stand_size})"),
            (_("Set-up"), describe_span(sheet.setup_starts_at, sheet.setup_ends_at)),
            (_("Tear-down"), describe_span(sheet.teardown_starts_at, sheet.teardown_ends_at)),
            (_("Contact on the day"), sheet.day_contact),
            (_("Staff passes"), str(sheet.staff_passes)),
        ]
        rows += [(label, str(count)) for label, count in sheet.extras if count]
        rows += [
            (_("Stand price"), money(sheet.stand_price)),
            (_("Extras"), money(sheet.extras_price)),
            (_("Total"), money(sheet.total_price)),
        ]
        for label, value in rows:
            pdf.setFont("Helvetica-Bold", 10)
            pdf.drawString(20 * mm, y, label)
            pdf.setFont("Helvetica", 10)
            pdf.drawString(70 * mm, y, value)
            y -= 7 * mm
        y -= 5 * mm
        pdf.setFont("Helvetica", 9)
        pdf.drawString(
            20 * mm, y, _("Please bring this confirmation. Prices in euros, VAT included.")
        )
        pdf.showPage()
        pdf.save()
    return buffer.getvalue()


def booking_setup_ics(sheet: BookingSheet, *, language: str = "de", now: datetime) -> bytes:
    """A calendar file with the set-up time and the event time of a booking."""
    with translation.override(language):
        calendar = Calendar()
        calendar.add("prodid", "-//events_platform//fairs//DE")
        calendar.add("version", "2.0")
        entries = [
            (
                "setup",
                _("Stand set-up: %(event)s") % {"event": sheet.event_title},
                sheet.setup_starts_at,
                sheet.setup_ends_at,
            ),
            ("event", sheet.event_title, sheet.event_starts_at, sheet.event_ends_at),
        ]
        for kind, summary, start, end in entries:
            entry = CalendarEvent()
            entry.add("uid", f"{sheet.uid}-{kind}@events-platform")
            entry.add("dtstamp", now)
            entry.add("summary", summary)
            entry.add("dtstart", timezone.localtime(start))
            entry.add("dtend", timezone.localtime(end))
            entry.add("location", sheet.venue)
            entry.add(
                "description",
                _("Stand %(stand)s, %(hall)s. Booking %(reference)s.")
                % {"stand": sheet.stand_label, "hall": sheet.hall, "reference": sheet.reference},
            )
            calendar.add_component(entry)
        first = timezone.localtime(sheet.setup_starts_at).date()
        calendar.add_missing_timezones(
            first_date=years_after(first, -1), last_date=years_after(first, 2)
        )
    return calendar.to_ical()


def staff_pass_qr_text(secret: str) -> str:
    """What a staff pass's QR code holds: its secret (a ticket secret, base32 capitals), in
    capitals, the characters of the QR code's compact alphanumeric mode."""
    return secret.upper()


def staff_pass_qr_png(secret: str) -> bytes:
    """The QR code of a staff pass secret as PNG (infra.qr: error correction M)."""
    return qr.png(staff_pass_qr_text(secret))
