"""The exhibitor API: the same use cases as the pages, in the OpenAPI schema."""

import pytest
from rest_framework.test import APIClient

from fairs.models import StandBooking
from tests.factories import MembershipFactory

from .factories import (
    CompanyMemberFactory,
    JobOfferFactory,
    StandBookingFactory,
    StandFactory,
)

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_company_books_and_withdraws_and_sees_stand_states():
    member = CompanyMemberFactory()
    stand = StandFactory()
    api = _client(member.user)
    response = api.post(
        "/api/fairs/bookings/",
        {
            "stands": [stand.pk],
            "tables": 1,
            "staff_passes": 2,
            "day_contact_name": "Jo Lehmann",
            "day_contact_phone": "0151 222",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    [booking] = response.json()
    assert booking["status"] == "requested"
    assert booking["extras_price"] == "10.00"
    stands = api.get(f"/api/fairs/halls/{stand.hall_id}/stands/").json()
    assert stands[0]["state"] == "requested"
    [hall] = APIClient().get(f"/api/fairs/events/{stand.hall.fair.event.slug}/plan/").json()
    assert [(row["label"], row["state"]) for row in hall["stands"]] == [(stand.label, "requested")]
    again = _client(CompanyMemberFactory().user).post(
        "/api/fairs/bookings/",
        {"stands": [stand.pk], "day_contact_name": "X", "day_contact_phone": "1"},
        format="json",
    )
    assert again.status_code == 409
    assert again.json()["code"] == "stand_taken"
    listed = api.get("/api/fairs/bookings/").json()
    assert [row["id"] for row in listed] == [booking["id"]]
    withdrawn = api.post(f"/api/fairs/bookings/{booking['id']}/withdraw/")
    assert withdrawn.json()["status"] == "withdrawn"


def test_organiser_approves_and_rejects_only_at_own_events():
    booking = StandBookingFactory()
    other = StandBookingFactory()
    organiser = MembershipFactory(organisation=booking.fair.event.organisation).user
    api = _client(organiser)
    listed = api.get("/api/fairs/organiser/bookings/").json()["results"]
    assert [row["id"] for row in listed] == [booking.pk]
    assert api.post(f"/api/fairs/organiser/bookings/{other.pk}/approve/").status_code == 404
    rejected = api.post(f"/api/fairs/organiser/bookings/{booking.pk}/reject/", {"message": ""})
    assert rejected.status_code == 400
    assert rejected.json()["code"] == "reason_required"
    approved = api.post(f"/api/fairs/organiser/bookings/{booking.pk}/approve/")
    assert approved.json()["status"] == "approved"
    # a company user is not an organiser
    company_user = CompanyMemberFactory(company=booking.company).user
    assert _client(company_user).get("/api/fairs/organiser/bookings/").status_code == 403


def test_company_sees_only_its_own_rows():
    mine, theirs = CompanyMemberFactory(), CompanyMemberFactory()
    their_booking = StandBookingFactory(company=theirs.company)
    their_offer = JobOfferFactory(company=theirs.company)
    api = _client(mine.user)
    assert api.post(f"/api/fairs/bookings/{their_booking.pk}/withdraw/").status_code == 404
    assert api.get(f"/api/fairs/job-offers/{their_offer.pk}/").status_code == 404
    assert api.patch(f"/api/fairs/job-offers/{their_offer.pk}/", {"title": "x"}).status_code == 404
    assert api.delete(f"/api/fairs/job-offers/{their_offer.pk}/").status_code == 404
    assert api.get("/api/fairs/bookings/").json() == []
    assert api.get("/api/fairs/company/").json()["id"] == mine.company.pk
    StandBooking.objects.get(pk=their_booking.pk)  # untouched


def test_job_offer_crud_and_public_job_wall():
    member = CompanyMemberFactory(company__sector="care")
    booking = StandBookingFactory(company=member.company, status="approved")
    event = booking.fair.event
    api = _client(member.user)
    created = api.post(
        "/api/fairs/job-offers/",
        {
            "title": "Pflegefachkraft (m/w/d)",
            "kind": "job",
            "place_of_work": "Oschatz",
            "event_slugs": [event.slug],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    offer_id = created.json()["id"]
    elsewhere = api.post(
        "/api/fairs/job-offers/",
        {
            "title": "x",
            "kind": "job",
            "place_of_work": "y",
            "event_slugs": [StandFactory().hall.fair.event.slug],
        },
        format="json",
    )
    assert elsewhere.json()["code"] == "not_exhibiting"
    patched = api.patch(
        f"/api/fairs/job-offers/{offer_id}/", {"starts_immediately": True}, format="json"
    )
    assert (patched.json()["starts_immediately"], patched.json()["start"]) == (True, "ab sofort")
    both = api.patch(
        f"/api/fairs/job-offers/{offer_id}/", {"start_date": "2027-08-01"}, format="json"
    )
    assert both.status_code == 400 and "start_date" in str(both.json())
    dated = api.patch(
        f"/api/fairs/job-offers/{offer_id}/",
        {"starts_immediately": False, "start_date": "2027-08-01", "field_of_work": "care"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()
    assert (dated["start_date"], dated["start"]) == ("2027-08-01", "from 1\u00a0August 2027")
    public = APIClient()
    wall = public.get(f"/api/fairs/events/{event.slug}/job-offers/?sector=care").json()
    assert [row["title"] for row in wall["results"]] == ["Pflegefachkraft (m/w/d)"]
    assert (
        public.get(f"/api/fairs/events/{event.slug}/job-offers/?kind=internship").json()["count"]
        == 0
    )
    assert api.delete(f"/api/fairs/job-offers/{offer_id}/").status_code == 204


def test_profile_patch_with_a_svg_logo_is_refused():
    member = CompanyMemberFactory()
    api = _client(member.user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    svg = SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    response = api.patch("/api/fairs/company/", {"logo": svg}, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "logo_svg_refused"
    renamed = api.patch("/api/fairs/company/", {"town": "Delitzsch"}, format="json")
    assert renamed.json()["town"] == "Delitzsch"


def test_schema_lists_the_exhibitor_operations():
    schema = APIClient().get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in [
        "/api/fairs/company/",
        "/api/fairs/halls/{id}/stands/",
        "/api/fairs/events/{slug}/plan/",
        "/api/fairs/bookings/",
        "/api/fairs/bookings/{id}/withdraw/",
        "/api/fairs/organiser/bookings/{id}/approve/",
        "/api/fairs/organiser/bookings/{id}/reject/",
        "/api/fairs/job-offers/{id}/",
        "/api/fairs/events/{slug}/job-offers/",
        "/api/fairs/series/{slug}/job-offers/",
    ]:
        assert path in paths, path
