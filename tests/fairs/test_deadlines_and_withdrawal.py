"""What is offered is possible: after the booking deadline no form is offered (the pages
name the deadline, the API answers `booking_closed`); a withdrawal asks first; a booking
that is not confirmed offers no confirmation PDF or calendar file."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from events_platform import when
from fairs import services
from fairs.models import StandBooking
from fairs.views.public import event_panel, series_panel
from tests.factories import EventFactory, EventSeriesFactory

from .factories import CompanyMemberFactory, FairFactory, StandBookingFactory, StandFactory

pytestmark = pytest.mark.django_db

FORM = {
    "power_connections": 0,
    "tables": 1,
    "chairs": 2,
    "parking_passes": 0,
    "staff_passes": 2,
    "day_contact_name": "Kai Lehmann",
    "day_contact_phone": "0170 2",
}


def _closed_stand():
    closes = timezone.now() - timedelta(hours=2)
    return StandFactory(hall__fair__booking_closes_at=closes, hall__fair__event__series=None)


def test_after_the_deadline_the_booking_page_names_it_and_offers_no_form(client):
    stand = _closed_stand()
    member = CompanyMemberFactory()
    client.force_login(member.user)
    url = reverse("fairs:stand-book", args=[stand.hall.fair.event.slug])
    page = client.get(url).content.decode()
    assert "Die Standbuchung endete am" in page
    assert 'name="stands"' not in page and 'name="day_contact_name"' not in page
    assert "Warteliste" not in page

    refused = client.post(url, FORM | {"stands": [stand.pk]})
    assert refused.status_code == 409
    assert "Die Standbuchung endete am" in refused.content.decode()
    assert not StandBooking.objects.exists()


def test_after_the_deadline_the_api_refuses_with_a_stable_code():
    stand = _closed_stand()
    api = APIClient()
    api.force_authenticate(CompanyMemberFactory().user)
    response = api.post("/api/fairs/bookings/", FORM | {"stands": [stand.pk]}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "booking_closed"


def test_before_the_deadline_the_page_names_it_and_the_form_is_there(client):
    fair = FairFactory(booking_closes_at=timezone.now() + timedelta(days=3))
    StandFactory(hall__fair=fair)
    client.force_login(CompanyMemberFactory().user)
    page = client.get(reverse("fairs:stand-book", args=[fair.event.slug])).content.decode()
    assert "Standplätze können bis" in page
    assert 'name="day_contact_name"' in page


def test_event_page_panel_and_fair_list_show_the_deadline_instead_of_a_booking_link(rf, client):
    stand = _closed_stand()
    event = stand.hall.fair.event
    html = event_panel(rf.get("/"), event)
    assert "Die Standbuchung endete am" in html
    assert reverse("fairs:stand-book", args=[event.slug]) not in html
    listing = client.get(reverse("fairs:fair-list")).content.decode()
    assert "Die Standbuchung endete am" in listing
    assert reverse("fairs:stand-book", args=[event.slug]) not in listing


def test_series_booking_offers_only_the_sites_still_open(client):
    series = EventSeriesFactory()
    start = timezone.now() + timedelta(days=20)
    site = {"series": series, "organisation": series.organisation, "starts_at": start}
    open_fair = FairFactory(event=EventFactory(venue__town="Torgau", **site))
    closed_fair = FairFactory(
        event=EventFactory(venue__town="Oschatz", **site),
        booking_closes_at=timezone.now() - timedelta(minutes=5),
    )
    StandFactory(hall__fair=open_fair)
    closed_stand = StandFactory(hall__fair=closed_fair)
    client.force_login(CompanyMemberFactory().user)
    url = reverse("fairs:series-book", args=[series.slug])
    page = client.get(url).content.decode()
    assert f'name="fair_{open_fair.pk}"' in page
    assert f'name="fair_{closed_fair.pk}"' not in page
    assert "Oschatz: Die Standbuchung endete am" in page

    open_fair.booking_closes_at = timezone.now() - timedelta(minutes=1)
    open_fair.save()
    everywhere_closed = client.get(url).content.decode()
    assert "an keinem Standort dieser Reihe" in everywhere_closed
    assert 'name="day_contact_name"' not in everywhere_closed
    posted = client.post(url, FORM | {f"fair_{closed_fair.pk}": closed_stand.pk})
    assert posted.status_code == 409
    assert not StandBooking.objects.exists()
    assert reverse("fairs:series-book", args=[series.slug]) not in series_panel(
        client.get(url).wsgi_request, series
    )


def _own_booking(client, **kwargs):
    member = CompanyMemberFactory()
    booking = StandBookingFactory(company=member.company, **kwargs)
    client.force_login(member.user)
    return booking


def test_withdrawing_a_confirmed_stand_asks_first_and_names_what_is_lost(client):
    booking = _own_booking(client, status=StandBooking.Status.APPROVED, staff_pass_count=2)
    services.issue_staff_pass(booking=booking, name="Lena Roth", now=timezone.now())
    detail = client.get(reverse("fairs:booking-detail", args=[booking.pk])).content.decode()
    withdraw_url = reverse("fairs:booking-withdraw", args=[booking.pk])
    assert f'href="{withdraw_url}"' in detail  # a link to the question, not a direct POST
    assert f'action="{withdraw_url}"' not in detail

    question = client.get(withdraw_url)
    assert question.status_code == 200
    text = question.content.decode()
    assert f"Ihr bestätigter Standplatz {booking.stand.label} wird aufgegeben" in text
    assert "1 Ausweis wird ungültig" in text
    assert "Nein, Buchung behalten" in text
    booking.refresh_from_db()
    assert booking.status == StandBooking.Status.APPROVED

    done = client.post(withdraw_url)
    assert done.status_code == 302
    booking.refresh_from_db()
    assert booking.status == StandBooking.Status.WITHDRAWN


def test_withdrawing_a_pending_request_asks_first_too(client):
    booking = _own_booking(client)
    text = client.get(reverse("fairs:booking-withdraw", args=[booking.pk])).content.decode()
    assert f"Ihre Anfrage für Standplatz {booking.stand.label} endet" in text
    booking.refresh_from_db()
    assert booking.status == StandBooking.Status.REQUESTED


@pytest.mark.parametrize(
    "status",
    [
        StandBooking.Status.REJECTED,
        StandBooking.Status.WITHDRAWN,
        StandBooking.Status.CANCELLED,
        StandBooking.Status.REQUESTED,
    ],
)
def test_a_booking_that_is_not_confirmed_offers_no_confirmation_documents(client, status):
    booking = _own_booking(client, status=status)
    pdf_url = reverse("fairs:booking-pdf", args=[booking.pk])
    ics_url = reverse("fairs:booking-ics", args=[booking.pk])
    detail = client.get(reverse("fairs:booking-detail", args=[booking.pk])).content.decode()
    assert pdf_url not in detail and ics_url not in detail
    assert client.get(pdf_url).status_code == 404
    assert client.get(ics_url).status_code == 404


def test_a_confirmed_booking_offers_both_documents(client):
    booking = _own_booking(client, status=StandBooking.Status.APPROVED)
    detail = client.get(reverse("fairs:booking-detail", args=[booking.pk])).content.decode()
    assert reverse("fairs:booking-pdf", args=[booking.pk]) in detail
    assert client.get(reverse("fairs:booking-ics", args=[booking.pk])).status_code == 200


def _plan_stands(page: str) -> list[str]:
    """The opening tag of each stand on the floor plan."""
    return re.findall(r'<g class="stand stand--[^>]*>', page)


def test_after_the_deadline_the_plan_shows_free_stands_as_not_bookable(client):
    stand = _closed_stand()
    StandFactory(hall=stand.hall, label="B2")
    client.force_login(CompanyMemberFactory().user)
    url = reverse("fairs:stand-book", args=[stand.hall.fair.event.slug])
    closes = timezone.localtime(stand.hall.fair.booking_closes_at)

    page = client.get(url).content.decode()
    stands = _plan_stands(page)
    assert len(stands) == 2
    for tag in stands:
        assert 'role="checkbox"' not in tag and "tabindex" not in tag
        assert 'data-state="nicht buchbar"' in tag
    assert "Wählen Sie Standplätze im Plan" not in page
    legend = page.split('class="plan-legend"')[1].split("</ul>")[0]
    with translation.override("de"):
        assert f"Die Standbuchung endete am {when.moment(closes)}." in legend
    assert f"{closes:%d.%m.%Y}" not in legend  # the site's one date style, not 04.12.2026
    assert "freie Stände: nicht buchbar" in legend

    with translation.override("en"):
        english_url = reverse("fairs:stand-book", args=[stand.hall.fair.event.slug])
    english = client.get(english_url).content.decode()
    legend = english.split('class="plan-legend"')[1].split("</ul>")[0]
    with translation.override("en"):
        assert f"Stand booking closed on {when.moment(closes)}." in legend
    assert "free stands: not bookable" in legend
    assert all('data-state="not bookable"' in tag for tag in _plan_stands(english))


def test_before_the_deadline_free_stands_on_the_plan_can_be_chosen(client):
    fair = FairFactory(booking_closes_at=timezone.now() + timedelta(days=3))
    StandFactory(hall__fair=fair)
    client.force_login(CompanyMemberFactory().user)
    page = client.get(reverse("fairs:stand-book", args=[fair.event.slug])).content.decode()
    [tag] = _plan_stands(page)
    assert 'role="checkbox"' in tag and 'data-state="frei"' in tag
    assert "Wählen Sie Standplätze im Plan" in page
    assert "nicht buchbar" not in page
