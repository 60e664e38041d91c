"""The staff passes PDF of an approved stand booking: linked from the booking page, a page
per named pass (not the revoked one) with company, person, fair, site, time and stand, and
two QR codes that decode to the pass's own code and the stand's share link. Company B
gets nothing."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from events_platform.when import describe_event_time
from fairs.models import CompanyMember
from fairs.services.passes import issue_staff_pass, revoke_staff_pass
from leads import services
from tests.fairs.factories import CompanyMemberFactory
from tests.qrcodes import codes_on_pages

from .factories import stand

pytestmark = pytest.mark.django_db


def company_client(company) -> Client:
    client = Client()
    client.force_login(CompanyMemberFactory(company=company, role=CompanyMember.Role.ADMIN).user)
    return client


def test_the_staff_passes_pdf_has_a_page_per_pass_with_both_qr_codes():
    booking, tom = stand(company_name="Tischlerei Weber")
    gone = issue_staff_pass(booking=booking, name="Weg Gegangen", now=timezone.now())
    revoke_staff_pass(staff_pass=gone, now=timezone.now())
    ines = issue_staff_pass(booking=booking, name="Ines Groß", now=timezone.now())
    client = company_client(booking.company)

    page = client.get(reverse("fairs:booking-detail", args=[booking.pk])).content.decode()
    link = reverse("leads:staff-passes", args=[booking.pk])
    assert f'href="{link}"' in page

    answer = client.get(link)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.content))
    assert len(reader.pages) == 2
    share = "http://testserver" + reverse(
        "leads:share", kwargs={"code": services.stand_code(booking)}
    )
    event = booking.fair.event
    for pdf_page, staff_pass in zip(reader.pages, [ines, tom], strict=True):
        text = re.sub(r"\s+", " ", pdf_page.extract_text())
        for expected in (
            staff_pass.name,
            "Tischlerei Weber",
            event.venue.town,
            describe_event_time(event, "de"),
            f"Stand {booking.stand.label}",
            "Scannen Sie diesen Code",
        ):
            # The PDF's text reads the date's no-break spaces back as spaces.
            assert re.sub(r"\s+", " ", expected) in text, (expected, text)
        assert "Weg Gegangen" not in text
    assert codes_on_pages(answer.content) == [
        {ines.secret.upper(), share},
        {tom.secret.upper(), share},
    ]


def test_company_b_and_a_booking_without_passes_get_nothing():
    booking, tom = stand(company_name="Tischlerei Weber")
    other, _pass = stand(company_name="Andere GmbH")
    link = reverse("leads:staff-passes", args=[booking.pk])
    assert company_client(other.company).get(link).status_code == 404
    anonymous = Client().get(link)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    revoke_staff_pass(staff_pass=tom, now=timezone.now())
    assert company_client(booking.company).get(link).status_code == 404
