"""Booking confirmation (PDF), set-up calendar entry (.ics), staff passes with QR codes."""

import io
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import vobject
import zxingcpp
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from events_platform import services as core_services
from events_platform import ticket_codes
from fairs import queries, services
from fairs.documents import staff_pass_qr_png
from infra.errors import DomainError

from .factories import CompanyMemberFactory, StandBookingFactory, StandFactory

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def _booking(day=datetime(2026, 12, 27, tzinfo=BERLIN), **kwargs):
    stand = StandFactory(
        label="B12",
        price=Decimal("1234.50"),
        hall__fair__setup_starts_at=day.replace(hour=7, minute=30),
        hall__fair__setup_ends_at=day.replace(hour=9, minute=30),
        hall__fair__event__starts_at=day.replace(hour=10),
        hall__fair__event__ends_at=day.replace(hour=12),
    )
    return StandBookingFactory(
        stand=stand, tables=2, extras_price=Decimal("20.00"), staff_pass_count=2, **kwargs
    )


def test_confirmation_pdf_reads_back_in_german_and_english():
    booking = _booking(status="approved")
    sheet = queries.booking_sheet(booking)
    from fairs.documents import booking_confirmation_pdf

    german = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(booking_confirmation_pdf(sheet))).pages
    )
    assert "Standbuchung" in german
    assert "B12" in german
    assert "1.254,50 €" in german  # total in German format
    assert "So., 27. Dezember 2026, 7:30" in german  # set-up start in Berlin time, site style
    english = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(booking_confirmation_pdf(sheet, language="en"))).pages
    )
    assert "Stand booking confirmation" in english
    assert "Set-up" in english
    assert "Sunday 27 December 2026, 07:30" in english


def test_setup_ics_reads_back_with_vobject():
    booking = _booking()
    from fairs.documents import booking_setup_ics

    body = booking_setup_ics(queries.booking_sheet(booking), now=timezone.now())
    calendar = vobject.readOne(body.decode())
    events = {event.uid.value: event for event in calendar.vevent_list}
    setup = events[f"fairs-booking-{booking.pk}-{booking.fair.event.uid}-setup@events-platform"]
    assert setup.dtstart.value == datetime(2026, 12, 27, 7, 30, tzinfo=BERLIN)
    assert "DTSTART;TZID=Europe/Berlin:20261227T073000" in body.decode()
    assert setup.dtend.value == datetime(2026, 12, 27, 9, 30, tzinfo=BERLIN)
    assert setup.summary.value.startswith("Standaufbau: ")


def test_setup_ics_of_a_fair_on_29_february(client):
    # The calendar's time zone rules span the year before to two years after: from a leap day
    # that is a day that does not exist (a 500 before infra.dates).
    booking = _booking(day=datetime(2028, 2, 29, tzinfo=BERLIN), status="approved")
    client.force_login(CompanyMemberFactory(company=booking.company).user)

    answer = client.get(reverse("fairs:booking-ics", args=[booking.pk]))

    assert answer.status_code == 200
    assert "DTSTART;TZID=Europe/Berlin:20280229T073000" in answer.content.decode()


def test_staff_pass_is_signed_limited_readable_and_found_by_serial():
    booking = _booking(status="approved")
    first = services.issue_staff_pass(booking=booking, name="Lena Roth", now=timezone.now())
    services.issue_staff_pass(booking=booking, name="Max Roth", now=timezone.now())
    with pytest.raises(DomainError) as error:
        services.issue_staff_pass(booking=booking, name="Dritte Person", now=timezone.now())
    assert error.value.code == "staff_pass_limit"

    claim = core_services.verify_ticket_secret(first.secret)
    assert claim.kind == ticket_codes.Kind.STAFF_PASS
    assert claim.serial == first.serial
    assert claim.event_id == booking.fair.event_id
    [decoded] = zxingcpp.read_barcodes(Image.open(io.BytesIO(staff_pass_qr_png(first.secret))))
    assert decoded.text == first.secret
    assert queries.staff_pass_by_serial(first.serial) == first
    assert set(queries.staff_passes_for_event(booking.fair.event)) == set(
        booking.staff_passes.all()
    )
    fair = booking.fair
    assert queries.staff_pass_is_valid(first, now=fair.setup_starts_at)
    assert queries.staff_pass_is_valid(first, now=fair.teardown_ends_at)
    assert not queries.staff_pass_is_valid(first, now=fair.setup_starts_at - timedelta(minutes=1))
    services.revoke_staff_pass(staff_pass=first, now=timezone.now())
    first.refresh_from_db()
    assert not queries.staff_pass_is_valid(first, now=fair.setup_starts_at)
    assert first not in queries.staff_passes_for_event(booking.fair.event)
    # the revoked pass frees one of the booked passes
    services.issue_staff_pass(booking=booking, name="Dritte Person", now=timezone.now())


def test_no_staff_pass_before_confirmation():
    with pytest.raises(DomainError) as error:
        services.issue_staff_pass(booking=_booking(), name="Lena", now=timezone.now())
    assert error.value.code == "booking_not_confirmed"


def test_company_downloads_its_documents(client):
    member = CompanyMemberFactory()
    booking = _booking(company=member.company, status="approved")
    client.force_login(member.user)
    pdf = client.get(reverse("fairs:booking-pdf", args=[booking.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    ics = client.get(reverse("fairs:booking-ics", args=[booking.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    client.post(reverse("fairs:staff-pass-create", args=[booking.pk]), {"name": "Lena Roth"})
    staff_pass = booking.staff_passes.get()
    qr = client.get(reverse("fairs:staff-pass-qr", args=[staff_pass.pk]))
    assert qr["Content-Type"] == "image/png"
