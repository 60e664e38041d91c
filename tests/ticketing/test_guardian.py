"""The camp guardian flow end to end: register, the guardian's link, confirm or timeout."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ticketing import services, signals
from ticketing.models import ConsentRecord, Registration

from .factories import CampFactory, camper

pytestmark = pytest.mark.django_db


@pytest.fixture
def guardian_links():
    links = []

    def receive(sender, registration, confirm_url, **kwargs):
        links.append(confirm_url)

    signals.guardian_confirmation_requested.connect(receive, weak=False)
    yield links
    signals.guardian_confirmation_requested.disconnect(receive)


def test_guardian_confirms_by_link_and_the_ticket_is_issued(client, guardian_links, settings):
    camp = CampFactory(capacity=5)
    services.register(event=camp, data=camper(1, event=camp), now=timezone.now())
    path = guardian_links[0].removeprefix(settings.SITE_URL)

    page = client.get(path)
    assert page.status_code == 200
    assert "Besucherin 1" in page.content.decode()

    response = client.post(
        path, {"guardian_name": "Elternteil 1", "confirm": "on", "photo_consent": ""}
    )
    assert response.status_code == 200
    assert "Der Platz von Besucherin 1" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.status == "confirmed"
    assert registration.photo_consent is False
    assert registration.tickets.get().status == "valid"
    guardian = registration.consents.get(topic=ConsentRecord.Topic.GUARDIAN)
    assert guardian.given_by == "Elternteil 1" and guardian.text_version == "2026-01"


def test_the_guardian_who_registered_the_child_gets_a_link_to_the_ticket(client):
    """After confirming, the page offers the ticket to a parent who registered the child: the
    ticket page's link is theirs already (it went to their address). A guardian other than the
    registrant has only the confirmation link, and is not handed the registrant's."""
    camp = CampFactory()
    own = services.register(
        event=camp, data=camper(1, event=camp, email="parent1@example.org"), now=timezone.now()
    )
    other = services.register(event=camp, data=camper(2, event=camp), now=timezone.now())
    for registration, shows_link in [(own, True), (other, False)]:
        path = f"/tickets/einverstaendnis/{registration.guardian_token}/"
        response = client.post(path, {"guardian_name": "Elternteil", "confirm": "on"})
        page = response.content.decode()
        assert "ist bestätigt" in page
        link = f'href="/tickets/ticket/{registration.manage_token}/">Ticket ansehen</a>'
        assert (link in page) is shows_link
        assert ("Ticket ansehen" in client.get(path).content.decode()) is shows_link
    english = client.get(f"/en/tickets/einverstaendnis/{own.guardian_token}/")
    assert "View the ticket" in english.content.decode()


def test_unknown_guardian_link_is_404(client):
    assert client.get("/tickets/einverstaendnis/nonsense/").status_code == 404


def test_guardian_timeout_releases_the_place_deletes_the_data_and_offers_it_on():
    camp = CampFactory(capacity=1)
    now = timezone.now()
    minor = services.register(event=camp, data=camper(1, event=camp), now=now)
    waiting = services.register(event=camp, data=camper(2, event=camp), now=now)
    assert (minor.status, waiting.status) == ("pending_guardian", "waitlisted")

    assert services.release_unconfirmed_minors(now=now + timedelta(hours=71)) == 0
    assert services.release_unconfirmed_minors(now=now + timedelta(hours=72)) == 1
    minor.refresh_from_db()
    waiting.refresh_from_db()
    assert minor.status == "released"
    assert (minor.name, minor.email, minor.guardian_email, minor.medical_notes) == ("", "", "", "")
    assert minor.birth_date is None and minor.answers == {}
    assert not minor.consents.exists()
    assert waiting.status == "offered"

    with pytest.raises(Exception) as error:
        services.confirm_guardian_consent(
            token=minor.guardian_token or "x", photo_consent=True, guardian_name="", now=now
        )
    assert error.value.code == "guardian_link_invalid"


def test_late_guardian_is_told_the_link_expired():
    camp = CampFactory(capacity=1)
    now = timezone.now()
    minor = services.register(event=camp, data=camper(1, event=camp), now=now)
    with pytest.raises(Exception) as error:
        services.confirm_guardian_consent(
            token=minor.guardian_token,
            photo_consent=False,
            guardian_name="",
            now=now + timedelta(hours=73),
        )
    assert error.value.code == "guardian_link_expired"


def test_accepted_offer_for_a_minor_goes_to_the_guardian():
    camp = CampFactory(capacity=1)
    now = timezone.now()
    first = services.register(event=camp, data=camper(1, event=camp), now=now)
    second = services.register(event=camp, data=camper(2, event=camp), now=now)
    services.cancel_registration(registration=first, now=now)
    second = services.accept_offer(registration=Registration.objects.get(pk=second.pk), now=now)
    assert second.status == "pending_guardian"
    assert second.guardian_deadline == now + timedelta(hours=72)


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_guardian_flow_end_to_end_with_real_mail(client, celery_worker, mailbox, settings):
    """A parent registers their child on the page; the confirmation mail arrives over SMTP
    at the parent's address with the link; confirming by that link issues the ticket, whose
    mail greets the parent and names the child."""
    import re

    camp = CampFactory(capacity=5, title_de="NaWi-Camp Nordsachsen")
    data = camper(1, event=camp)
    response = client.post(
        f"/tickets/anmelden/{camp.slug}/",
        {
            "guardian_name": "Petra Muster",
            "email": "petra.muster@example.org",
            "phone": "0341 123456",
            "name": "Mia Muster",
            "birth_date": data.birth_date.isoformat(),
            "emergency_contact": data.emergency_contact,
            "medical_notes": data.medical_notes,
            "privacy_consent": "on",
            "photo_consent": "on",
        },
    )
    assert response.status_code == 302
    (to_guardian,) = mailbox.wait_for(1, timeout=90)
    assert to_guardian["To"] == "petra.muster@example.org"
    body = to_guardian.get_body(("plain",)).get_content()
    assert "Petra Muster" in body.splitlines()[0]  # the greeting
    assert "Sie haben Ihr Kind Mia Muster" in body
    path = re.search(r"(/(?:en/)?tickets/einverstaendnis/[^/\s]+/)", body).group(1)

    page = client.get(path).content.decode()
    assert "Sie haben Ihr Kind Mia Muster" in page
    # The photo consent given on the form is ticked already.
    assert re.search(r'<input[^>]*name="photo_consent"[^>]*checked', page)
    confirm = client.post(
        path, {"guardian_name": "Petra Muster", "confirm": "on", "photo_consent": "on"}
    )
    assert confirm.status_code == 200
    registration = Registration.objects.get()
    assert registration.status == "confirmed"
    assert (registration.guardian_email, registration.email) == (
        "petra.muster@example.org",
        "petra.muster@example.org",
    )
    ticket_mail = mailbox.wait_for(2, timeout=90)[1]
    assert ticket_mail["To"] == "petra.muster@example.org"
    assert ticket_mail["Subject"] == "Ticket für Mia Muster: NaWi-Camp Nordsachsen"
    text = ticket_mail.get_body(("plain",)).get_content()
    assert "Petra Muster" in text.splitlines()[0]  # the parent is greeted, once
    assert "Sie haben Ihr Kind Mia Muster für die unten genannte Veranstaltung angemeldet" in text
    assert text.count("Petra Muster") == 1
    records = registration.consents.values_list("topic", "given_by", "given_for")
    assert set(records) == {
        ("privacy", "Petra Muster", "Mia Muster"),
        ("photos", "Petra Muster", "Mia Muster"),
        ("guardian", "Petra Muster", "Mia Muster"),
    }


def test_visitor_data_is_anonymised_after_the_retention_period():
    camp = CampFactory(capacity=5)
    camp.organisation.visitor_data_retention_days = 30
    camp.organisation.save()
    now = timezone.now()
    registration = services.register(event=camp, data=camper(1, event=camp), now=now)
    assert services.erase_expired_visitor_data(now=camp.ends_at + timedelta(days=29)) == 0
    assert services.erase_expired_visitor_data(now=camp.ends_at + timedelta(days=30)) == 1
    registration.refresh_from_db()
    assert (registration.name, registration.email, registration.medical_notes) == ("", "", "")
    assert registration.birth_date is None and not registration.consents.exists()
    assert registration.headcount == 1 and registration.status == "pending_guardian"
    assert services.erase_expired_visitor_data(now=camp.ends_at + timedelta(days=31)) == 0
