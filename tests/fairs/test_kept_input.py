"""Text typed before a refused action is kept: every fairs form that a service refuses
shows the page again with what was typed and the reason, instead of a redirect that loses it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from fairs.models import StandBooking, WaitlistEntry

from .factories import (
    CompanyMemberFactory,
    StandBookingFactory,
    StandFactory,
    WaitlistEntryFactory,
)

pytestmark = pytest.mark.django_db


def _member(client, **kwargs):
    member = CompanyMemberFactory(**kwargs)
    client.force_login(member.user)
    return member


def test_a_stand_taken_meanwhile_keeps_extras_and_contact(client):
    stand = StandFactory(label="B4")
    StandFactory(hall=stand.hall, label="B5")
    _member(client)
    url = reverse("fairs:stand-book", args=[stand.hall.fair.event.slug])
    client.get(url)
    StandBookingFactory(stand=stand)  # someone else is quicker
    response = client.post(
        url,
        {
            "stands": [stand.pk],
            "power_connections": 1,
            "tables": 3,
            "chairs": 6,
            "parking_passes": 2,
            "staff_passes": 4,
            "day_contact_name": "Kai Lehmann-Überall",
            "day_contact_phone": "0170 9876543",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ein gewählter Standplatz wurde gerade vergeben." in page
    assert 'value="Kai Lehmann-Überall"' in page and 'value="0170 9876543"' in page
    assert 'name="tables" value="3"' in page and 'name="chairs" value="6"' in page
    assert StandBooking.objects.count() == 1


def test_a_refused_waiting_list_request_keeps_the_wishes(client):
    stand = StandFactory()
    member = _member(client)
    StandBookingFactory(stand=stand)  # the fair is full: the waiting list form shows
    WaitlistEntryFactory(fair=stand.hall.fair, company=member.company)
    response = client.post(
        reverse("fairs:waitlist-join", args=[stand.hall.fair.event.slug]),
        {"note": "Gern ein Eckstand mit Strom"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "schon auf der Warteliste" in page
    assert 'value="Gern ein Eckstand mit Strom"' in page
    assert WaitlistEntry.objects.count() == 1


def test_a_too_long_wish_is_shown_again_with_its_error(client):
    stand = StandFactory()
    _member(client)
    StandBookingFactory(stand=stand)
    wish = "Eckstand " * 40
    response = client.post(
        reverse("fairs:waitlist-join", args=[stand.hall.fair.event.slug]), {"note": wish}
    )
    assert response.status_code == 400
    assert wish.strip() in response.content.decode()
    assert not WaitlistEntry.objects.exists()


def test_a_refused_staff_pass_keeps_the_typed_name(client):
    member = _member(client)
    booking = StandBookingFactory(company=member.company, status=StandBooking.Status.APPROVED)
    response = client.post(
        reverse("fairs:staff-pass-create", args=[booking.pk]), {"name": "x" * 201}
    )
    assert response.status_code == 400
    assert f'value="{"x" * 201}"' in response.content.decode()
    assert not booking.staff_passes.exists()


def test_the_last_stand_taken_meanwhile_says_so_above_the_waiting_list(client):
    stand = StandFactory(label="B4")
    _member(client)
    StandBookingFactory(stand=stand)
    response = client.post(
        reverse("fairs:stand-book", args=[stand.hall.fair.event.slug]),
        {"stands": [stand.pk], "day_contact_name": "Kai", "day_contact_phone": "0170 1"},
    )
    page = response.content.decode()
    assert "Ein gewählter Standplatz wurde gerade vergeben." in page
    assert 'name="note"' in page


def test_a_staff_pass_beyond_the_booked_number_says_why(client):
    from fairs import services

    member = _member(client)
    booking = StandBookingFactory(
        company=member.company, status=StandBooking.Status.APPROVED, staff_pass_count=1
    )
    services.issue_staff_pass(booking=booking, name="Erste Person", now=timezone.now())
    response = client.post(
        reverse("fairs:staff-pass-create", args=[booking.pk]), {"name": "Zweite Person"}
    )
    assert response.status_code == 400
    assert "kern-alert--danger" in response.content.decode()
    assert booking.staff_passes.count() == 1
