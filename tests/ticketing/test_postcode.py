"""Where visitors come from: the optional postcode of individual visitors of returnee days
and fairs (queries.asks_postcode), in the form, the edit page, the API and the export."""

import csv
import io

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from events_platform.models import Event
from tests.factories import EventFactory, MembershipFactory
from ticketing import queries, services
from ticketing.models import Registration

from .factories import CampFactory, person

pytestmark = pytest.mark.django_db

POSTCODE_ERROR = (
    "Bitte geben Sie eine deutsche Postleitzahl mit fünf Ziffern an, zum Beispiel 04860."
)


def _form(**extra):
    data = {"name": "Anna Beispiel", "email": "anna@example.org", "privacy_consent": "on"}
    data.update(extra)
    return data


def test_one_rule_decides_who_is_asked():
    returnee = EventFactory(kind=Event.Kind.RETURNEE_DAY)
    fair = EventFactory(kind=Event.Kind.APPRENTICESHIP_FAIR)
    assert queries.asks_postcode(returnee) and queries.asks_postcode(fair)
    assert not queries.asks_postcode(fair, Registration.Kind.SCHOOL_CLASS)
    for kind in (Event.Kind.CAMP, Event.Kind.EXCURSION, Event.Kind.WORKSHOP):
        assert not queries.asks_postcode(EventFactory(kind=kind))
    # A fair whose visitors are all minors is filled in by their parents: not asked.
    assert not queries.asks_postcode(EventFactory(kind=Event.Kind.APPRENTICESHIP_FAIR, max_age=15))


def test_form_asks_keeps_and_checks_the_postcode(client):
    event = EventFactory(kind=Event.Kind.RETURNEE_DAY)
    url = f"/tickets/anmelden/{event.slug}/"
    html = client.get(url).content.decode()
    assert "Postleitzahl (freiwillig)" in html and 'autocomplete="postal-code"' in html

    bad = client.post(url, _form(postcode="4860"))
    html = bad.content.decode()
    assert bad.status_code == 400
    assert 'id="id_postcode_error"' in html and POSTCODE_ERROR in html
    assert 'href="#id_postcode"' in html  # the error summary at the top points to the field
    assert 'value="4860"' in html and 'value="Anna Beispiel"' in html
    assert not Registration.objects.exists()

    assert client.post(url, _form(postcode=" 04860 ")).status_code == 302
    assert Registration.objects.get().postcode == "04860"


def test_events_that_do_not_ask_ignore_a_posted_postcode(client):
    event = EventFactory(kind=Event.Kind.WORKSHOP)
    url = f"/tickets/anmelden/{event.slug}/"
    assert "Postleitzahl" not in client.get(url).content.decode()
    assert client.post(url, _form(postcode="04860")).status_code == 302
    assert Registration.objects.get().postcode == ""


def test_edit_page_changes_the_postcode(client):
    event = EventFactory(kind=Event.Kind.APPRENTICESHIP_FAIR)
    registration = services.register(event=event, data=person(1), now=timezone.now())
    url = f"/tickets/ticket/{registration.manage_token}/aendern/"
    assert 'name="postcode"' in client.get(url).content.decode()
    bad = client.post(url, {"phone": "", "postcode": "ABCDE"})
    assert 'id="id_postcode_error"' in bad.content.decode()
    assert POSTCODE_ERROR in bad.content.decode() and 'value="ABCDE"' in bad.content.decode()
    assert client.post(url, {"phone": "", "postcode": "01067"}).status_code == 302
    registration.refresh_from_db()
    assert registration.postcode == "01067"


def test_api_takes_checks_and_shows_the_postcode():
    api = APIClient()
    event = EventFactory(kind=Event.Kind.RETURNEE_DAY)
    url = f"/api/tickets/events/{event.slug}/register/"
    body = {"name": "Anna", "email": "anna@example.org", "privacy_consent": True}
    bad = api.post(url, {**body, "postcode": "123456"}, format="json")
    assert bad.status_code == 400 and "postcode" in str(bad.json())
    good = api.post(url, {**body, "postcode": "04860"}, format="json")
    assert good.status_code == 201 and good.json()["postcode"] == "04860"

    camp = CampFactory()
    api.post(
        f"/api/tickets/events/{camp.slug}/register/",
        {**body, "postcode": "04860", "birth_date": "2000-01-01"},
        format="json",
    )
    assert not Registration.objects.filter(event=camp).exclude(postcode="").exists()

    organiser = MembershipFactory(organisation=event.organisation)
    api.force_authenticate(organiser.user)
    listed = api.get(f"/api/tickets/organiser/events/{event.pk}/registrations/").json()
    assert listed["results"][0]["postcode"] == "04860"


def test_export_has_the_postcode(client):
    event = EventFactory(kind=Event.Kind.RETURNEE_DAY)
    services.register(event=event, data=person(1, postcode="04886"), now=timezone.now())
    client.force_login(MembershipFactory(organisation=event.organisation).user)
    text = client.get(f"/tickets/organiser/{event.pk}/export.csv").content.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert row[header.index("Postleitzahl")] == "04886"
    registration = Registration.objects.get()
    detail = client.get(f"/tickets/organiser/anmeldung/{registration.pk}/").content.decode()
    assert "<dt>Postleitzahl</dt><dd>04886</dd>" in detail
