"""Data-subject requests: a person's copy of their data and its erasure, by e-mail link or
run by an organiser of the same organisation; every request is logged without the address."""

import json
import re
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dataprotection import subject_requests
from events_platform.models import AuditEntry, DataRequest, Membership
from infra.errors import NotAllowed
from notifications.models import Message, Purpose, Suppression
from tests.factories import EventFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.ticketing.factories import CampFactory, camper, person
from ticketing import queries as ticketing_queries
from ticketing import services as ticketing
from ticketing.models import ConsentRecord, Registration, VisitorFeed

pytestmark = pytest.mark.django_db

EMAIL = "anna@example.org"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def _register(event, n=1, **extra):
    data = person(n, email=EMAIL, name="Anna Beispiel", **extra)
    return ticketing.register(event=event, data=data, now=timezone.now())


def _without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _link_path(message: Message) -> str:
    return re.search(r"(/(?:en/)?ihre-daten/[^/\s\"]+/)", message.body_text).group(1)


@pytest.fixture
def tasks_inline():
    """Tasks queued on commit run in the test, in place of a worker (Celery's eager mode)."""
    from config.celery import app

    app.conf.update(task_always_eager=True)
    yield
    app.conf.update(task_always_eager=False)


def _ask(client, email):
    """Post the data-request form; what it queued runs afterwards, as a worker would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("dataprotection:data-request"), {"email": email})
    return response, len(queries)


def test_the_answer_is_the_same_for_a_known_and_an_unknown_address(tasks_inline):
    _register(EventFactory())
    client = Client()
    _ask(client, "warm.up@example.org")  # first-request caches out of the comparison
    known, known_queries = _ask(client, EMAIL)
    unknown, unknown_queries = _ask(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert _without_csrf(known) == _without_csrf(unknown)
    assert "Wenn wir Daten zu dieser E-Mail-Adresse speichern" in known.content.decode()
    # The request does the same work for both: nothing looked up, no mail composed.
    assert known_queries == unknown_queries
    # Only the known address gets a mail; all requests are recorded, none in clear.
    (mail,) = Message.objects.filter(purpose=Purpose.DATA_ACCESS_LINK)
    assert mail.to_email == EMAIL
    assert DataRequest.objects.filter(kind="link").count() == 3
    assert not DataRequest.objects.filter(email_hash__icontains="example").exists()
    assert subject_requests.requests_for(EMAIL).get().result == {"sent": True}


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_the_worker_mails_the_link_to_a_known_address_only(celery_worker, mailbox):
    _register(EventFactory())
    mailbox.wait_for(1, timeout=90)  # the ticket mail
    mailbox.clear()
    client = Client()
    client.post(reverse("dataprotection:data-request"), {"email": "nobody@example.org"})
    client.post(reverse("dataprotection:data-request"), {"email": EMAIL})

    (mail,) = mailbox.wait_for(1, timeout=90)
    assert mail["To"] == EMAIL and mail["Subject"] == "Ihre Daten bei uns"
    deadline = time.monotonic() + 60  # both requests are recorded by the worker
    while DataRequest.objects.filter(kind="link").count() < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert DataRequest.objects.filter(kind="link").count() == 2
    assert len(mailbox.messages) == 1


def test_link_requests_are_limited_per_address_and_per_ip(settings):
    settings.DATA_REQUEST_LIMIT_PER_EMAIL = 2
    settings.DATA_REQUEST_LIMIT_PER_IP = 5
    client = Client()
    url = reverse("dataprotection:data-request")
    answers = [client.post(url, {"email": EMAIL}).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    limited = client.post(url, {"email": EMAIL})
    assert "Zu viele Anfragen" in limited.content.decode()
    # Other addresses from the same IP: two more, then the IP limit holds.
    answers = [client.post(url, {"email": f"x{n}@example.org"}).status_code for n in range(2)]
    assert answers == [200, 429]


def test_the_pages_are_complete_in_english():
    _register(EventFactory(title_en="Returnee Day Oschatz"))
    page = Client().get("/en/ihre-daten/").content.decode()
    assert "Your data" in page and "Send me the link" in page
    token = subject_requests.link_token(EMAIL, now=timezone.now())
    overview = Client().get(f"/en/ihre-daten/{token}/").content.decode()
    assert "What is kept, and why:" in overview and "Registrations" in overview
    assert "Returnee Day Oschatz" in overview


def test_an_invalid_address_is_named_and_kept():
    response = Client().post(reverse("dataprotection:data-request"), {"email": "anna@"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "gültige E-Mail-Adresse" in body and 'value="anna@"' in body


def test_the_mailed_link_shows_the_data_offers_json_and_expires(settings, tasks_inline):
    event = EventFactory(title_de="Rückkehrertag Torgau")
    _register(event, phone="0341 1234")
    client = Client()
    _ask(client, EMAIL)
    mail = Message.objects.get(purpose=Purpose.DATA_ACCESS_LINK)
    path = _link_path(mail)
    assert EMAIL not in path  # the token is encrypted, not just signed

    page = client.get(path)
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "no-referrer"
    assert page["X-Robots-Tag"].startswith("noindex")
    html = page.content.decode()
    assert "Anna Beispiel" in html and "0341 1234" in html and "Rückkehrertag Torgau" in html
    assert "Datenschutzerklärung" in html  # the consent record, readable

    download = client.get(path + "daten.json")
    assert download["Content-Disposition"].startswith("attachment")
    copy = json.loads(download.content)
    (registration,) = copy["data"]["registrations"]["records"]
    assert registration["name"] == "Anna Beispiel" and registration["phone"] == "0341 1234"
    topics = {c["topic"] for c in copy["data"]["consents"]["records"]}
    assert "Datenschutzerklärung" in topics
    assert copy["data"]["messages"]["records"]  # the confirmation mail
    assert copy["data"]["calendar_feeds"]["records"][0]["email"] == EMAIL
    # Viewing and downloading are exports in the log of the event's organisation.
    exports = AuditEntry.objects.filter(action="data_export", organisation=event.organisation)
    assert exports.count() == 2

    later = timezone.now() + timedelta(hours=settings.DATA_REQUEST_LINK_HOURS, minutes=1)
    token = path.rstrip("/").rsplit("/", 1)[1]
    with pytest.raises(Exception) as error:
        subject_requests.email_from_token(token, now=later)
    assert error.value.code == "data_link_invalid"
    assert client.get(path.replace(token, token[:-4] + "AAAA")).status_code == 404


def test_erasure_cancels_upcoming_places_frees_them_and_keeps_the_counts():
    event = EventFactory(capacity=1)
    mine = _register(event)
    waiting = ticketing.register(event=event, data=person(2), now=timezone.now())
    assert waiting.status == "waitlisted"
    past = EventFactory(
        organisation=event.organisation,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=2),
    )
    old = Registration.objects.create(
        event=past,
        status="confirmed",
        name="Anna Beispiel",
        email=EMAIL,
        created_at=timezone.now() - timedelta(days=10),
    )
    Suppression.objects.create(email=EMAIL, reason="unsubscribed")
    old_token = mine.manage_token

    counts = subject_requests.erase_subject_data(email=EMAIL, now=timezone.now())

    assert counts["registrations_cancelled"] == 1
    assert counts["registrations_anonymised"] == 2
    assert counts["calendar_feeds_deleted"] == 1
    assert counts["unsubscribes_kept"] == 1
    mine.refresh_from_db()
    old.refresh_from_db()
    assert (mine.name, mine.email, old.name, old.email) == ("", "", "", "")
    assert mine.status == "cancelled" and mine.headcount == 1
    assert old.status == "confirmed"  # a past visit still counts for the report
    assert ticketing_queries.registration_by_token(old_token) is None
    assert not ConsentRecord.objects.filter(registration__in=[mine, old]).exists()
    assert not VisitorFeed.objects.filter(email=EMAIL).exists()
    # The freed place went to the waiting list.
    waiting.refresh_from_db()
    assert waiting.status == "offered"
    # No message to the address is left, and none waits to be sent.
    assert not Message.objects.filter(to_email=EMAIL).exists()
    assert not Message.objects.filter(to_email="", state="queued").exists()
    assert Suppression.objects.filter(email=EMAIL).exists()
    assert not subject_requests.holds_data(EMAIL) or subject_requests.collect(EMAIL)[0].key == (
        "unsubscribes"
    )
    # Logged for the organisation, without the address.
    entry = AuditEntry.objects.get(action="data_erasure")
    assert entry.organisation == event.organisation and entry.actor is None
    assert EMAIL not in json.dumps(entry.details) and EMAIL not in entry.target_repr


def test_a_guardian_sees_and_erases_the_minors_camp_registration():
    camp = CampFactory()
    data = camper(1, event=camp, guardian_email="parent@example.org")
    registration = ticketing.register(event=camp, data=data, now=timezone.now())
    copy = subject_requests.export_subject_data(email="parent@example.org", now=timezone.now())
    (section,) = [s for s in copy.sections if s.key == "registrations"]
    assert section.records[0]["medical_notes"] == "Erdnussallergie"
    subject_requests.erase_subject_data(email="parent@example.org", now=timezone.now())
    registration.refresh_from_db()
    assert registration.medical_notes == "" and registration.guardian_email == ""
    assert registration.status == "cancelled"


def test_the_erase_page_needs_the_confirmation_then_erases():
    _register(EventFactory())
    client = Client()
    token = subject_requests.link_token(EMAIL, now=timezone.now())
    overview = reverse("dataprotection:data-overview", kwargs={"token": token})
    erase = reverse("dataprotection:data-erase", kwargs={"token": token})
    response = client.post(erase, {})
    html = response.content.decode()
    # The page again: the error beside the box (which the screen reader is pointed to) and
    # in the summary above the form; nothing erased.
    assert response.status_code == 400
    assert html.count("Bitte bestätigen Sie, dass Sie die Löschung wünschen.") == 2
    assert 'aria-describedby="id_confirm_error"' in html
    assert "data-error-summary" in html
    assert Registration.objects.get().name == "Anna Beispiel"
    response = client.post(erase, {"confirm": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == overview
    html = response.content.decode()
    assert "Ihre Daten wurden gelöscht" in html
    assert "Anna Beispiel" not in html
    assert Registration.objects.get().name == ""


def test_an_organiser_exports_and_erases_only_within_their_organisation():
    mine, theirs = EventFactory(), EventFactory()
    _register(mine)
    _register(theirs, n=2)
    organiser = MembershipFactory(organisation=mine.organisation).user
    copy = subject_requests.export_subject_data(
        email=EMAIL, now=timezone.now(), by=organiser, organisations=[mine.organisation]
    )
    records = copy.as_json()["data"]["registrations"]["records"]
    assert [r["event"] for r in records] == [str(mine)]
    assert "calendar_feeds" not in copy.as_json()["data"]

    with pytest.raises(NotAllowed):
        subject_requests.erase_subject_data(email=EMAIL, now=timezone.now(), by=organiser)
    subject_requests.erase_subject_data(
        email=EMAIL, now=timezone.now(), by=organiser, organisations=[mine.organisation]
    )
    assert Registration.objects.get(event=mine).name == ""
    assert Registration.objects.get(event=theirs).name == "Anna Beispiel"
    request = DataRequest.objects.get(kind="erasure")
    assert request.channel == "organiser" and request.requested_by == organiser
    assert request.organisation == mine.organisation
    assert not AuditEntry.objects.filter(organisation=theirs.organisation).exists()


def _admin_client(user) -> Client:
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def test_the_back_office_page_exports_and_erases_for_the_own_organisation():
    mine, theirs = EventFactory(), EventFactory()
    _register(mine)
    _register(theirs, n=2)
    admin = MembershipFactory(organisation=mine.organisation).user
    client = _admin_client(admin)
    url = reverse("admin:events_platform_datarequest_run")
    page = client.get(url)
    assert page.status_code == 200
    # An organisation the user does not administer cannot be chosen.
    refused = client.post(
        url, {"email": EMAIL, "organisation": theirs.organisation.pk, "action": "export"}
    )
    assert refused.status_code == 200 and refused.get("Content-Disposition") is None
    exported = client.post(
        url, {"email": EMAIL, "organisation": mine.organisation.pk, "action": "export"}
    )
    assert exported["Content-Disposition"].startswith("attachment")
    copy = json.loads(exported.content)
    assert [r["event"] for r in copy["data"]["registrations"]["records"]] == [str(mine)]
    # Erasure asks for the identity check first.
    form = {"email": EMAIL, "organisation": mine.organisation.pk, "action": "erase"}
    not_yet = client.post(url, form)
    assert not_yet.status_code == 200
    assert Registration.objects.get(event=mine).name == "Anna Beispiel"
    done = client.post(url, {**form, "identity_checked": "on"}, follow=True)
    assert done.status_code == 200
    assert Registration.objects.get(event=mine).name == ""
    assert Registration.objects.get(event=theirs).name == "Anna Beispiel"
    actions = set(
        AuditEntry.objects.filter(organisation=mine.organisation).values_list("action", flat=True)
    )
    assert {"data_export", "data_erasure"} <= actions


def test_staff_and_other_organisations_do_not_reach_the_back_office_page():
    event = EventFactory()
    staff = MembershipFactory(
        organisation=event.organisation, role=Membership.Role.ORGANISER_STAFF
    ).user
    outsider = MembershipFactory(organisation=OrganisationFactory()).user
    url = reverse("admin:events_platform_datarequest_run")
    assert _admin_client(staff).get(url).status_code == 403
    # An administrator elsewhere sees the page but only their own organisation to choose.
    page = _admin_client(outsider).get(url).content.decode()
    assert event.organisation.name not in page
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert UserFactory  # factories imported for other tests


def test_company_contacts_and_bookings_are_shown_but_kept():
    from tests.fairs.factories import StandBookingFactory

    booking = StandBookingFactory(company__contact_email=EMAIL)
    copy = subject_requests.export_subject_data(email=EMAIL, now=timezone.now())
    keys = {section.key for section in copy.sections}
    assert {"company_contacts", "stand_bookings"} <= keys
    counts = subject_requests.erase_subject_data(email=EMAIL, now=timezone.now())
    assert counts["business_records_kept"] == 2
    booking.refresh_from_db()
    assert booking.company.contact_email == EMAIL


@pytest.mark.browser
@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_your_data_in_the_browser_with_the_keyboard_and_a_real_mail(
    page, axe, celery_worker, mailbox
):
    event = EventFactory(title_de="Rückkehrertag Oschatz", capacity=1)
    _register(event)
    mailbox.wait_for(1, timeout=90)  # the ticket mail
    mailbox.clear()

    page.goto("/")
    page.get_by_role("link", name="Ihre Daten").click()
    page.wait_for_url("**/ihre-daten/")
    axe(page)
    # Keyboard only: from the skip link to the field, type, send with Enter.
    page.get_by_label("E-Mail-Adresse").focus()
    page.keyboard.type("anna@")
    page.keyboard.press("Enter")
    # The message stands in the error summary (a link to the field) and under the field.
    expect(page.get_by_text("gültige E-Mail-Adresse")).to_have_count(2)
    assert page.input_value("input[name=email]") == "anna@"
    axe(page)
    page.get_by_label("E-Mail-Adresse").fill("")
    page.get_by_label("E-Mail-Adresse").focus()
    page.keyboard.type(EMAIL)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Bitte sehen Sie in Ihr E-Mail-Postfach").wait_for()
    axe(page)

    (mail,) = mailbox.wait_for(1, timeout=90)
    assert mail["To"] == EMAIL and mail["Subject"] == "Ihre Daten bei uns"
    body = mail.get_body(("plain",)).get_content()
    path = re.search(r"(/(?:en/)?ihre-daten/[^/\s]+/)", body).group(1)

    page.goto(path)
    expect(page.get_by_text("Anna Beispiel").first).to_be_visible()
    expect(page.get_by_role("heading", name="Anmeldungen")).to_be_visible()
    axe(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Kopie herunterladen (JSON-Datei)").click()
    copy = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert copy["data"]["registrations"]["records"][0]["name"] == "Anna Beispiel"

    # Erase with the keyboard: the checkbox with Space, the button with Enter.
    page.get_by_label("Ich verstehe, dass meine Daten gelöscht werden").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Meine Daten löschen").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Ihre Daten wurden gelöscht.").wait_for()
    expect(
        page.get_by_text("1 Anmeldung für eine kommende Veranstaltung wurde storniert.")
    ).to_be_visible()
    assert not page.get_by_text("Anna Beispiel").count()
    axe(page)
    assert Registration.objects.get().name == ""

    # An altered link is refused with a page that says what to do.
    page.goto(path[:-6] + "XXXXX/")
    expect(page.get_by_role("heading", name="Link ungültig")).to_be_visible()
    axe(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_back_office_data_request_page_in_the_browser(page, axe):
    organiser = MembershipFactory(user__is_staff=True, user__username="orga").user
    event = EventFactory(organisation=organiser.memberships.get().organisation)
    _register(event)
    page.goto(reverse("admin:login"))
    page.get_by_label("Benutzername").fill("orga")
    page.get_by_label("Passwort").fill("correct horse battery staple")
    page.get_by_label("Passwort").press("Enter")
    page.wait_for_url("**/admin/")
    page.goto(reverse("admin:events_platform_datarequest_changelist"))
    page.get_by_role("link", name="Auskunft oder Löschung ausführen").click()
    axe(page)
    page.get_by_label("E-Mail-Adresse der Person").fill(EMAIL)
    page.get_by_label("Löschen: die Daten anonymisieren").check()
    page.get_by_role("button", name="Ausführen").click()
    # Without the identity check nothing happens, and what was typed stays.
    expect(page.get_by_text("Bitte bestätigen Sie, dass Sie geprüft haben")).to_be_visible()
    assert page.input_value("input[name=email]") == EMAIL
    axe(page)
    page.get_by_label("Ich habe geprüft").check()
    page.get_by_role("button", name="Ausführen").click()
    page.wait_for_url("**/admin/events_platform/datarequest/")
    expect(page.get_by_text("Die Daten wurden gelöscht")).to_be_visible()
    axe(page)
    assert Registration.objects.get().name == ""
