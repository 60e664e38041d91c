"""Pure functions that turn ticket data into bytes: the QR code, the PDF ticket, the
personal calendar. They read no database and no request: data in, bytes out."""

import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar
from icalendar import Event as VEvent
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from events_platform.ical import add_times, site_vtimezone
from infra import qr

BERLIN = ZoneInfo("Europe/Berlin")


def qr_png(secret: str) -> bytes:
    """The ticket secret as a QR code PNG (infra.qr: error correction M, 8 pixels a module)."""
    return qr.png(secret)


@dataclass(frozen=True)
class TicketPrint:
    """What a printed ticket shows (texts already in the holder's language)."""

    heading: str
    event_title: str
    when: str
    venue: str
    holder: str
    admits: str
    serial: str
    secret: str
    footer: str


def ticket_pdf(ticket: TicketPrint) -> bytes:
    """A one-page A4 PDF ticket with a large QR code."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setTitle(f"{ticket.heading} – {ticket.event_title}")
    width, height = A4
    left = 20 * mm
    y = height - 25 * mm
    pdf.setFont("Helvetica", 11)
    pdf.drawString(left, y, ticket.heading)
    y -= 12 * mm
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawString(left, y, ticket.event_title[:60])
    pdf.setFont("Helvetica", 12)
    for line in [ticket.when, ticket.venue, "", ticket.holder, ticket.admits]:
        y -= 8 * mm
        pdf.drawString(left, y, line)
    size = 90 * mm
    y -= size + 10 * mm
    qr.draw(pdf, ticket.secret, x=left, y=y, size=size)
    pdf.setFont("Helvetica", 9)
    pdf.drawString(left, y - 6 * mm, ticket.serial)
    pdf.drawString(left, 15 * mm, ticket.footer)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@dataclass(frozen=True)
class CalendarEntry:
    """One registered event as the personal calendar shows it."""

    uid: str
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str
    url: str
    description: str
    updated_at: datetime
    all_day: bool = False
    daily: bool = False


def calendar_uid(event_uid: str, site_url: str) -> str:
    """The calendar UID of an event: the same as in the public feeds, so apps merge them."""
    return f"{event_uid}@{urlsplit(site_url).hostname or 'localhost'}"


def personal_calendar(entries: list[CalendarEntry], *, name: str, reminder: str) -> bytes:
    """A subscribable calendar of the given events, times in Europe/Berlin, as .ics bytes."""
    cal = Calendar()
    cal.add("prodid", "-//events_platform//Meine Anmeldungen//DE")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("name", name)
    cal.add("x-wr-timezone", "Europe/Berlin")
    cal.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    moments = [entry.starts_at for entry in entries] + [entry.ends_at for entry in entries]
    cal.add_component(site_vtimezone(moments))
    for entry in entries:
        vevent = VEvent()
        vevent.add("uid", entry.uid)
        vevent.add("dtstamp", entry.updated_at.astimezone(ZoneInfo("UTC")))
        vevent.add("summary", entry.title)
        add_times(
            vevent,
            starts_at=entry.starts_at,
            ends_at=entry.ends_at,
            all_day=entry.all_day,
            daily=entry.daily,
        )
        vevent.add("location", entry.location)
        vevent.add("url", entry.url)
        vevent.add("description", entry.description)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", timedelta(days=-1))
        alarm.add("description", reminder)
        vevent.add_component(alarm)
        cal.add_component(vevent)
    return cal.to_ical()
