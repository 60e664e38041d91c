"""'Ihre Daten' reads as a page for people, in German and English: capitalised, translated
labels; dates as the rest of the site shows them (never ISO text); the questions' text
beside the answers; the event's title in the page's language in every section; short
link texts; an erasure list that names what erasure really does. The JSON file keeps
machine keys and ISO dates. The back office's log and its message say in words what a
request did."""

import html
import json
import re

import pytest
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from applications.models import Application
from dataprotection import results, subject_requests
from dataprotection.admin import DataRequestRunForm
from events_platform import when
from events_platform.models import DataRequest
from leads import services as lead_services
from tests.applications.helpers import form_data, wall
from tests.checkin.factories import DoorEventFactory, make_ticket
from tests.factories import MembershipFactory
from tests.leads.factories import paired_stand
from tests.ticketing.factories import person
from ticketing import services as ticketing
from ticketing.models import Question, Registration

pytestmark = pytest.mark.django_db

EMAIL = "anna@example.org"
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()  # the application form's limit per address


def _person_with_everything(client) -> dict:
    """A registration with answers (one question removed since), an application and a stand
    contact, each at an event with a German and an English title."""
    event, offer, _member = wall()  # "Rückkehrertag Torgau" / "Homecomers' Day Torgau"
    sector = Question.objects.create(
        event=event,
        position=1,
        kind=Question.Kind.CHOICE,
        label_de="Welche Branche interessiert Sie?",
        label_en="Which sector interests you?",
        choices_de="Pflege\nHandwerk",
        choices_en="Care\nCrafts",
    )
    parking = Question.objects.create(
        event=event,
        position=2,
        kind=Question.Kind.YES_NO,
        label_de="Brauchen Sie einen Parkplatz?",
        label_en="Do you need a parking space?",
    )
    removed = Question.objects.create(event=event, position=3, label_de="Alte Frage")
    answers = {str(sector.pk): "Pflege", str(parking.pk): True, str(removed.pk): "Busfahrt"}
    data = person(1, email=EMAIL, name="Anna Beispiel", answers=answers)
    registration = ticketing.register(event=event, data=data, now=timezone.now())
    removed.delete()
    client.post(
        reverse("applications:apply", args=[offer.pk, event.slug]),
        form_data(email=EMAIL, name="Anna Beispiel"),
    )
    assert Application.objects.filter(email=EMAIL).exists()
    fair = DoorEventFactory(
        title_de="Fachkräftemesse Riesa", title_en="Skilled Workers' Fair Riesa"
    )
    _booking, device, _token = paired_stand(event=fair, company_name="Elbtal Kunststoff GmbH")
    ticket = make_ticket(fair, 7, email=EMAIL, name="Anna Beispiel", share_contact_consent=True)
    lead_services.scan_ticket(device=device, secret=ticket.secret, nonce="r1", now=timezone.now())
    return {"registration": registration}


def _page(client, language: str) -> str:
    token = subject_requests.link_token(EMAIL, now=timezone.now())
    with translation.override(language):
        path = reverse("dataprotection:data-overview", args=[token])
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _labels(page: str) -> list[str]:
    """The labels of every record's rows (not the questions inside the answers)."""
    rows = re.findall(r'<div class="data-record__row"><dt>(.*?)</dt>', page)
    return [html.unescape(label) for label in rows]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "de",
            {"Veranstaltung", "Status", "Angemeldet", "Antworten", "Firma", "Gesendet"},
        ),
        ("en", {"Event", "Status", "Registered", "Answers", "Company", "Sent"}),
    ],
)
def test_every_label_is_capitalised_and_translated(language, expected):
    client = Client()
    _person_with_everything(client)
    labels = _labels(_page(client, language))
    assert labels and expected <= set(labels)
    assert all(label[0].isupper() for label in labels), labels
    # No field name shows through untranslated.
    assert not {"time slot", "created at", "event", "time_slot"} & set(labels)


@pytest.mark.parametrize("language", ["de", "en"])
def test_dates_read_as_on_the_rest_of_the_site_never_as_iso_text(language):
    client = Client()
    registration = _person_with_everything(client)["registration"]
    text = _text(_page(client, language))
    assert not ISO_TIME.search(text), ISO_TIME.search(text)
    with translation.override(language):
        registered = when.moment(registration.created_at)
    assert registered in text
    assert ("Dezember" in registered or "Uhr" in registered) == (language == "de")


def test_the_file_keeps_machine_keys_and_iso_dates():
    client = Client()
    _person_with_everything(client)
    token = subject_requests.link_token(EMAIL, now=timezone.now())
    download = client.get(reverse("dataprotection:data-download", args=[token]))
    copy = json.loads(download.content)
    (registration,) = [r for r in copy["data"]["registrations"]["records"] if r["answers"]]
    assert ISO_TIME.match(registration["created_at"])
    assert registration["answers"]["Welche Branche interessiert Sie?"] == "Pflege"
    [contact] = copy["data"]["stand_contacts"]["records"]
    assert contact["withdraw"].startswith("http") and "/kontakt/" in contact["withdraw"]
    [application] = copy["data"]["applications"]["records"]
    assert "/bewerbungen/b/" in application["page"] and ISO_TIME.match(application["created_at"])


def test_the_answers_stand_under_their_questions_in_the_page_language():
    client = Client()
    _person_with_everything(client)
    german = _text(_page(client, "de"))
    assert "Welche Branche interessiert Sie?" in german and "Pflege" in german
    assert "Brauchen Sie einen Parkplatz?" in german
    assert "Eine inzwischen entfernte Frage" in german and "Busfahrt" in german
    english = _text(_page(client, "en"))
    assert "Which sector interests you?" in english and "Care" in english
    assert "Do you need a parking space?" in english
    assert "A question that was removed" in english
    # Never the question numbers the answers are stored under.
    question_ids = Question.objects.values_list("pk", flat=True)
    for text in (german, english):
        for pk in question_ids:
            assert f" {pk}: " not in text


def test_every_section_names_the_event_in_the_page_language():
    client = Client()
    _person_with_everything(client)
    english = _text(_page(client, "en"))
    assert "Homecomers' Day Torgau" in english  # registrations, consents, application
    assert "Skilled Workers' Fair Riesa" in english  # the stand contact
    assert "Rückkehrertag Torgau" not in english.replace("Ihr Ticket: Rückkehrertag", "")
    assert "Fachkräftemesse Riesa" not in english
    german = _text(_page(client, "de"))
    assert "Homecomers' Day" not in german and "Skilled Workers' Fair" not in german


@pytest.mark.parametrize(
    ("language", "contact", "application"),
    [
        ("de", "Ihren Kontakt von Elbtal Kunststoff GmbH zurückziehen", "Bewerbung ansehen"),
        ("en", "Withdraw your contact from Elbtal Kunststoff GmbH", "See or withdraw"),
    ],
)
def test_withdraw_links_have_a_short_text_not_the_address(language, contact, application):
    client = Client()
    _person_with_everything(client)
    page = _page(client, language)
    links = {
        html.unescape(text): href
        for href, text in re.findall(r'<a class="kern-link" href="([^"]+)">([^<]+)</a>', page)
    }
    [contact_link] = [href for text, href in links.items() if text == contact]
    assert "/kontakt/" in contact_link
    [application_link] = [href for text, href in links.items() if text.startswith(application)]
    assert "/bewerbungen/b/" in application_link
    assert not [text for text in links if text.startswith("http")]


@pytest.mark.parametrize(
    ("language", "applications", "contacts"),
    [
        ("de", "Ihre Bewerbungen auf Stellenangebote", "Ihre Kontaktdaten, die Firmen an ihrem"),
        ("en", "Your applications to job offers", "Your contact details that companies received"),
    ],
)
def test_the_erasure_list_names_applications_and_stand_contacts(language, applications, contacts):
    client = Client()
    _person_with_everything(client)
    page = _page(client, language)
    erased = _text(page.split('id="data-erase-heading"', 1)[1].split("</ul>", 1)[0])
    assert applications in erased and contacts in erased
    # And erasure does what the list says.
    done = subject_requests.erase_subject_data(email=EMAIL, now=timezone.now())
    assert done["applications_withdrawn"] == 1 and done["stand_contacts"] == 1
    assert not Application.objects.filter(email=EMAIL).exists()


def test_the_result_reads_as_words_with_german_plurals():
    result = {
        "registrations_cancelled": 6,
        "registrations_anonymised": 1,
        "consents_deleted": 0,
        "applications_withdrawn": 2,
        "some_new_kind": 3,
    }
    with translation.override("de"):
        german = results.summary(result, kind="erasure")
    assert german == (
        "6 Anmeldungen storniert, 1 Anmeldung anonymisiert, 2 Bewerbungen zurückgezogen, "
        "some new kind: 3"
    )
    with translation.override("en"):
        english = results.summary(result, kind="erasure")
        assert english.startswith("6 registrations cancelled, 1 registration anonymised")
        # An export shares some keys with an erasure, but copies rather than erases.
        assert results.summary({"stand_contacts": 1}, kind="erasure") == "1 stand contact erased"
        assert results.summary({"stand_contacts": 2}, kind="export") == "2 stand contacts"
    with translation.override("de"):
        assert results.summary({"stand_contacts": 2}, kind="export") == "2 Standkontakte"
        link = results.summary({"sent": False}, kind="link")
        assert link == "Nichts gespeichert, kein Link gesendet"
        assert results.summary({}, kind="erasure") == "Nichts gefunden"


def _admin(event):
    user = MembershipFactory(organisation=event.organisation).user
    user.is_staff = True
    user.password = make_password("x")
    user.save()
    client = Client()
    client.force_login(user)
    return client


def test_the_back_office_log_and_message_say_what_was_done_in_words():
    registration = _person_with_everything(Client())["registration"]
    client = _admin(registration.event)
    url = reverse("admin:events_platform_datarequest_run")
    form = {
        "email": EMAIL,
        "organisation": registration.event.organisation_id,
        "action": "erase",
        "identity_checked": "on",
    }
    done = client.post(url, form, follow=True)
    page = done.content.decode()
    assert "Die Daten wurden gelöscht (1 Anmeldung storniert, 1 Anmeldung anonymisiert" in page
    assert "registrations_cancelled" not in page and "applications_withdrawn" not in page
    erasure = DataRequest.objects.get(kind=DataRequest.Kind.ERASURE)
    assert erasure.result["registrations_cancelled"] == 1  # the log keeps machine keys
    assert "<div>1 Anmeldung storniert</div>" in page
    assert "1 Bewerbung zurückgezogen" in page
    assert Registration.objects.get(pk=registration.pk).name == ""


def test_the_organisation_field_is_labelled_with_a_capital():
    member = MembershipFactory().user
    for language in ("de", "en"):
        with translation.override(language):
            form = DataRequestRunForm(user=member)
            assert str(form.fields["organisation"].label) == "Organisation"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["de", "en"])
def test_the_page_at_360_px_bullets_inside_no_overflow_accessible(
    browser, live_server, axe, settings, language
):
    settings.SITE_URL = live_server.url
    _person_with_everything(Client())
    token = subject_requests.link_token(EMAIL, now=timezone.now())
    with translation.override(language):
        path = reverse("dataprotection:data-overview", args=[token])
    context = browser.new_context(
        viewport={"width": 360, "height": 800}, base_url=live_server.url, locale="de-DE"
    )
    page = context.new_page()
    try:
        for address in (path, reverse("dataprotection:privacy-notice")):
            page.goto(address)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            axe(page)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            # Each list item's text starts well inside its list, so the bullet does too.
            indents = page.evaluate(
                """[...document.querySelectorAll('ul.kern-body > li')].map(
                    li => li.getBoundingClientRect().left
                        - li.parentElement.getBoundingClientRect().left)"""
            )
            assert indents and min(indents) >= 20, indents
    finally:
        context.close()


@pytest.mark.parametrize(("language", "empty"), [("de", "Schule"), ("en", "School")])
def test_fields_without_a_value_are_left_out_of_the_page_but_not_out_of_the_copy(language, empty):
    client = Client()
    _person_with_everything(client)
    page = _page(client, language)
    labels = _labels(page)
    assert empty not in labels and "–" not in re.findall(r"<dd>(.*?)</dd>", page)
    assert {"Fotos erlaubt", "Photos allowed"} & set(labels)  # "No" is a value
    copy = subject_requests.export_subject_data(email=EMAIL, now=timezone.now()).as_json()
    assert "school" in json.dumps(copy)
