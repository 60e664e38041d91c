"""The stand's printed documents (reportlab): the stand sign with the stand's QR code for
visitors, and the staff passes of a booking, each with the pass's own QR code (door and
pairing the stand scanner) and the stand's QR code for visitors. Both draw their QR codes
as vector squares (`infra.qr.draw`)."""

import io

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from events_platform.when import describe_event_time
from fairs.documents import staff_pass_qr_text
from infra import qr


def _draw_qr(pdf: canvas.Canvas, text: str, *, centre_x: float, top: float, size: float):
    qr.draw(pdf, text, x=centre_x - size / 2, y=top - size, size=size)


def _site(booking) -> str:
    event = booking.fair.event
    venue = event.venue
    return ", ".join(part for part in (venue.name, venue.street, venue.town) if part)


def stand_sign_pdf(booking, share_url: str) -> bytes:
    """The stand sign (A4): the company, and the stand's QR code for visitors."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    pdf.setTitle(_("Stand sign"))
    pdf.setFont("Helvetica-Bold", 26)
    pdf.drawCentredString(width / 2, height - 40 * mm, booking.company.name[:40])
    pdf.setFont("Helvetica", 16)
    pdf.drawCentredString(
        width / 2,
        height - 52 * mm,
        _("Share your contact with us: scan this code with your phone."),
    )
    _draw_qr(pdf, share_url, centre_x=width / 2, top=height - 65 * mm, size=120 * mm)
    pdf.setFont("Helvetica", 11)
    pdf.drawCentredString(
        width / 2,
        height - 195 * mm,
        _("Open your ticket page first, then scan the code. You can withdraw it at any time."),
    )
    pdf.drawCentredString(
        width / 2, height - 203 * mm, f"{booking.fair.event} – {booking.stand.label}"
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def staff_passes_pdf(booking, passes, share_url: str) -> bytes:
    """The staff passes of a booking (A4, one page per named pass): company, person, fair,
    site, when, stand, the pass's own QR code and the stand's QR code for visitors."""
    event = booking.fair.event
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    left = 20 * mm
    pdf.setTitle(_("Staff passes"))
    for staff_pass in passes:
        pdf.setFont("Helvetica", 12)
        pdf.drawString(left, height - 25 * mm, _("Staff pass"))
        pdf.setFont("Helvetica-Bold", 22)
        pdf.drawString(left, height - 36 * mm, staff_pass.name[:45])
        pdf.setFont("Helvetica-Bold", 15)
        pdf.drawString(left, height - 46 * mm, booking.company.name[:60])
        pdf.setFont("Helvetica", 12)
        lines = [
            event.title_with_town,
            _site(booking),
            describe_event_time(event),
            _("Stand %(stand)s") % {"stand": booking.stand.label},
        ]
        for number, line in enumerate(lines):
            pdf.drawString(left, height - (56 + 7 * number) * mm, line[:90])
        column = (width - 2 * left) / 2
        top = height - 95 * mm
        _draw_qr(
            pdf,
            staff_pass_qr_text(staff_pass.secret),
            centre_x=left + column / 2,
            top=top,
            size=70 * mm,
        )
        _draw_qr(pdf, share_url, centre_x=left + column * 1.5, top=top, size=70 * mm)
        pdf.setFont("Helvetica-Bold", 11)
        pdf.drawCentredString(
            left + column / 2, top - 76 * mm, _("For the entrance and the scanner")
        )
        pdf.drawCentredString(left + column * 1.5, top - 76 * mm, _("For visitors"))
        pdf.setFont("Helvetica", 10)
        pdf.drawCentredString(left + column / 2, top - 82 * mm, _("Personal. Do not pass it on."))
        pdf.drawCentredString(
            left + column * 1.5,
            top - 82 * mm,
            _("Scan this code to share your contact with us."),
        )
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
