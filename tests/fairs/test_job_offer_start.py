"""A job offer's start and field of work read in the page's language: the company chooses
"immediately" or a date and one of the platform's sectors; German pages say "ab sofort",
"ab 1. August 2027", English ones "immediately", "from 1 August 2027", with no German left.
The old free text is mapped by the migration where it can be."""

import importlib
from datetime import date

import pytest
from django.urls import reverse

from fairs import services
from fairs.models import JobOffer

from .factories import CompanyFactory, CompanyMemberFactory, StandBookingFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("fairs.migrations.0004_job_offer_start_date_and_sector")


def test_the_migration_maps_the_old_free_text_where_it_can():
    today = date(2026, 12, 4)
    assert migration.parse_start("sofort", today) == (True, None, "")
    assert migration.parse_start(" Ab sofort ", today) == (True, None, "")
    assert migration.parse_start("1. August", today) == (False, date(2027, 8, 1), "")
    assert migration.parse_start("ab 15. Dezember", today) == (False, date(2026, 12, 15), "")
    assert migration.parse_start("01.08.2028", today) == (False, date(2028, 8, 1), "")
    assert migration.parse_start("nach der Ernte", today) == (False, None, "nach der Ernte")
    assert migration.parse_start("", today) == (False, None, "")
    assert migration.sector_of("Milchvieh") == "agriculture_food"
    assert migration.sector_of("Pflege") == "care"
    assert migration.sector_of("Quantenphysik") == ""


def _wall_offer(**start):
    company = CompanyFactory(name="Agrar Elbaue", sector="agriculture_food")
    booking = StandBookingFactory(company=company, status="approved")
    event = booking.fair.event
    services.create_job_offer(
        company=company,
        data={
            "title": "Herdenmanager/in",
            "kind": "job",
            "place_of_work": "Torgau",
            "field_of_work": "",
            **start,
        },
        events=[event],
    )
    services.create_job_offer(
        company=company,
        data={
            "title": "Landwirt/in",
            "kind": "apprenticeship",
            "place_of_work": "Torgau",
            "field_of_work": "crafts",
            "start_date": date(2027, 8, 1),
        },
        events=[event],
    )
    return event


def test_the_job_wall_shows_the_start_and_field_in_german_and_in_english(client):
    event = _wall_offer(starts_immediately=True)
    german = client.get(reverse("fairs:jobs-event", args=[event.slug])).content.decode()
    assert "Beginn: ab sofort" in german
    assert "Beginn: ab 1.\u00a0August 2027" in german
    assert "Landwirtschaft und Ernährung" in german  # the company's sector
    assert "Handwerk" in german  # the offer's own field

    english = client.get("/en" + reverse("fairs:jobs-event", args=[event.slug])).content.decode()
    assert "Start: immediately" in english
    assert "Start: from 1\u00a0August 2027" in english
    assert "Agriculture and food" in english and "Crafts" in english
    for german_word in ("sofort", "ab 1.", "August 2027 ", "Beginn", "Landwirtschaft", "Uhr"):
        assert german_word not in english


def test_the_company_form_takes_a_start_date_and_a_sector_and_refuses_both_starts(client):
    member = CompanyMemberFactory()
    client.force_login(member.user)
    url = reverse("fairs:job-offer-create")
    form = client.get(url).content.decode()
    assert 'name="start_date"' in form and 'type="date"' in form
    assert 'name="starts_immediately"' in form
    assert '<option value="care">Pflege und Gesundheit</option>' in form

    fields = {"title": "Pflegefachkraft", "kind": "job", "place_of_work": "Oschatz"}
    refused = client.post(
        url, fields | {"starts_immediately": "on", "start_date": "2027-08-01"}
    ).content.decode()
    assert "nicht beides" in refused
    assert 'value="Pflegefachkraft"' in refused  # what was typed is kept
    assert not JobOffer.objects.exists()

    saved = client.post(url, fields | {"start_date": "2027-08-01", "field_of_work": "care"})
    assert saved.status_code == 302
    offer = JobOffer.objects.get()
    assert (offer.start_date, offer.starts_immediately, offer.field_of_work) == (
        date(2027, 8, 1),
        False,
        "care",
    )
    listing = client.get(reverse("fairs:job-offer-list")).content.decode()
    assert "Beginn: ab 1.\u00a0August 2027" in listing
