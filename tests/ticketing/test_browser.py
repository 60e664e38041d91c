"""Every ticketing page in Chromium, checked with axe; the required journey: register for
a Rückkehrertag site and open the ticket, whose QR code on screen reads back and verifies."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
import zxingcpp
from django.test import Client
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from events_platform import services as core_services
from events_platform.models import Event
from tests.factories import EventFactory, MembershipFactory, SessionFactory, TimeSlotFactory
from ticketing import queries, services
from ticketing.models import ExcursionStop, Question, Registration, RegistrationSettings

from .factories import CampFactory, FairFactory, QuestionFactory, camper, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _returnee_site():
    event = EventFactory(
        kind=Event.Kind.RETURNEE_DAY,
        title_de="Rückkehrertag in Torgau",
        title_en="Returnee Day in Torgau",
        capacity=300,
        walk_ins_allowed=True,
        venue__town="Torgau",
        venue__name="Kulturbastion",
        venue__latitude=51.56,
        venue__longitude=13.0,
    )
    QuestionFactory(
        event=event,
        kind=Question.Kind.CHOICE,
        label_de="In welcher Branche suchen Sie?",
        label_en="Which sector?",
        choices_de="Pflege\nHandwerk",
        choices_en="Care\nCrafts",
        required=True,
    )
    return event


def test_register_for_a_returnee_site_and_show_the_ticket(page, axe):
    event = _returnee_site()
    page.goto(event.get_absolute_url())
    page.get_by_role("link", name="Jetzt anmelden").click()
    axe(page)

    page.fill("input[name=name]", "Anne Krüger")
    page.fill("input[name=email]", "anne@example.org")
    page.click("form.tk-form button[type=submit]")
    # Nothing typed is lost; the errors are named.
    assert page.input_value("input[name=name]") == "Anne Krüger"
    assert page.locator(".error").count() >= 1
    axe(page)

    question = Question.objects.get(event=event)
    page.select_option(f"select[name=q_{question.pk}]", "Pflege")
    page.check("input[name=privacy_consent]")
    page.click("form.tk-form button[type=submit]")
    page.wait_for_url("**/tickets/ticket/**")
    axe(page)
    assert "Anne Krüger" in page.content()

    shot = page.locator("#ticket-qr").screenshot()
    (result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
    claim = core_services.verify_ticket_secret(result.text)
    ticket = queries.ticket_for_secret(result.text)
    assert claim.event_id == event.pk
    assert ticket.registration.name == "Anne Krüger"
    assert ticket.registration.answers == {str(question.pk): "Pflege"}

    # The photo consent, not given on registering, is given and withdrawn again on the
    # change page (GDPR Art. 7(3)), at the narrowest phone width. axe runs on the page the
    # link opens, not on the one being left (a race under load).
    page.set_viewport_size({"width": 360, "height": 800})
    registration = Registration.objects.get()
    for tick in (True, False):
        page.get_by_role("link", name="Angaben ändern").click()
        page.wait_for_url("**/aendern/**")
        photos = page.get_by_label("Fotos von mir dürfen gemacht und veröffentlicht werden")
        expect(photos).to_be_checked(checked=not tick)
        axe(page)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        photos.set_checked(tick)
        page.click("form.tk-form button[type=submit]")
        page.wait_for_url("**notice=saved")
        expect(page.get_by_text("Ihre Änderungen wurden gespeichert.")).to_be_visible()
        registration.refresh_from_db()
        assert registration.photo_consent is tick
    axe(page)
    assert list(
        registration.consents.filter(topic="photos")
        .order_by("given_at", "pk")
        .values_list("granted", flat=True)
    ) == [False, True, False]
    page.get_by_role("link", name="Anmeldung stornieren").click()
    page.wait_for_url("**/stornieren/")
    axe(page)
    page.click("form.tk-form button[type=submit]")
    page.wait_for_url("**/tickets/ticket/**")
    assert Registration.objects.get().status == "cancelled"
    axe(page)


def test_school_class_camp_and_conference_forms_are_accessible(page, axe):
    fair = FairFactory()
    TimeSlotFactory(event=fair, label="09:00 Uhr")
    camp = CampFactory()
    conference = EventFactory(kind=Event.Kind.CONFERENCE)
    first = SessionFactory(event=conference, title_de="Onboarding")
    SessionFactory(event=conference, title_de="Ausbildung", starts_at=first.starts_at)
    excursion = EventFactory(kind=Event.Kind.EXCURSION, capacity=12)
    RegistrationSettings.objects.create(event=excursion, meeting_point="Leipzig Hbf, Westhalle")
    ExcursionStop.objects.create(event=excursion, position=1, school="Oberschule Mügeln")
    for url in [
        fair.get_absolute_url(),
        excursion.get_absolute_url(),
        f"/tickets/anmelden/{fair.slug}/?as=class",
        f"/tickets/anmelden/{camp.slug}/",
        f"/tickets/anmelden/{conference.slug}/",
        f"/en/tickets/anmelden/{conference.slug}/",
    ]:
        page.goto(url)
        axe(page)
    page.goto(f"/tickets/anmelden/{conference.slug}/")
    page.fill("input[name=name]", "Sandra Fuchs")
    page.fill("input[name=email]", "s.fuchs@example.org")
    page.locator("input[name=sessions]").nth(0).check()
    page.locator("input[name=sessions]").nth(1).check()
    page.check("input[name=privacy_consent]")
    page.click("form.tk-form button[type=submit]")
    expect(page.locator("#id_sessions_error")).to_be_visible()
    assert page.locator("input[name=sessions]").nth(0).is_checked()
    axe(page)


SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "parent-offers"


def _look(page, axe, name: str) -> None:
    """Save a screenshot for a person to look through, and check the page as a user would:
    axe clean, nothing wider than the window."""
    folder = SCREENSHOTS / f"{page.viewport_size['width']}px"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", [(360, 800), (1366, 900)])
def test_waiting_list_offer_and_guardian_pages(page, axe, size):
    """The offer mail says "accept or decline" and the guardian mail "confirm or decline":
    both pages have both buttons, and each button does what it says."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    event = EventFactory(capacity=1)
    now = timezone.now()
    first = services.register(event=event, data=person(1), now=now)
    second = services.register(event=event, data=person(2), now=now)
    third = services.register(event=event, data=person(3), now=now)
    page.goto(f"/tickets/ticket/{second.manage_token}/")
    page.get_by_text("Ein Ticket gibt es noch nicht").wait_for()
    assert page.locator("#ticket-qr").count() == 0
    _look(page, axe, "01-waitlisted")
    services.cancel_registration(registration=first, now=now)
    page.goto(f"/tickets/ticket/{second.manage_token}/")
    accept = page.get_by_role("button", name="Platz annehmen")
    decline = page.get_by_role("button", name="Platz ablehnen")
    accept.wait_for()
    decline.wait_for()
    _look(page, axe, "02-offer")
    decline.click()
    page.get_by_text("Sie haben den Platz abgelehnt").wait_for()
    _look(page, axe, "03-offer-declined")
    second.refresh_from_db()
    assert second.status == "released"
    page.goto(f"/tickets/ticket/{third.manage_token}/")
    page.get_by_role("button", name="Platz annehmen").click()
    page.wait_for_selector("#ticket-qr")

    # Cancelled: one notice, no more self-service, the way back to the event.
    page.get_by_role("link", name="Anmeldung stornieren").click()
    page.get_by_role("button", name="Ja, stornieren").click()
    page.wait_for_url("**notice=cancelled")
    status = page.locator(".tk-status")
    expect(status).to_have_count(1)
    expect(status).to_have_text("Ihre Anmeldung wurde storniert. Das Ticket ist nicht mehr gültig.")
    expect(page.get_by_role("button", name="Neuen Link anfordern")).to_have_count(0)
    expect(page.get_by_role("link", name="Zur Veranstaltung")).to_be_visible()
    again = page.get_by_role("link", name="Erneut anmelden")
    expect(again).to_be_visible()
    _look(page, axe, "03b-cancelled")
    again.click()
    page.wait_for_url(f"**/tickets/anmelden/{event.slug}/")

    camp = CampFactory()
    # The parent registered the child: the ticket's link is theirs (their own address).
    minor = services.register(
        event=camp, data=camper(1, event=camp, email="parent1@example.org"), now=now
    )
    other = services.register(event=camp, data=camper(2, event=camp), now=now)
    page.goto(f"/tickets/einverstaendnis/{minor.guardian_token}/")
    page.get_by_role("button", name="Teilnahme ablehnen").wait_for()
    _look(page, axe, "04-guardian")
    page.fill("input[name=guardian_name]", "Elternteil 1")
    page.check("input[name=confirm]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".tk-status-ok")
    _look(page, axe, "05-guardian-confirmed")
    minor.refresh_from_db()
    assert minor.status == "confirmed" and minor.photo_consent is False
    page.get_by_role("link", name="Ticket ansehen").click()
    page.wait_for_selector("#ticket-qr")
    assert page.url.endswith(f"/tickets/ticket/{minor.manage_token}/")
    _look(page, axe, "05b-guardian-ticket")

    page.goto(f"/tickets/einverstaendnis/{other.guardian_token}/")
    page.get_by_role("button", name="Teilnahme ablehnen").click()
    page.get_by_text("Sie haben den Platz abgelehnt").wait_for()
    _look(page, axe, "06-guardian-declined")
    other.refresh_from_db()
    assert other.status == "released" and other.name == ""


@pytest.mark.parametrize("size", [(360, 800), (1366, 900)])
def test_a_parent_registers_a_child_for_the_camp(page, axe, size):
    """The camp form asks the parent for their details and the child's, in that order, with
    the photo consent for the child and no exhibitors; the page after it speaks to the
    parent."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    camp = CampFactory()
    page.goto(f"/tickets/anmelden/{camp.slug}/")
    form = page.locator("form.tk-form")
    form.get_by_label("Fotos meines Kindes dürfen gemacht und veröffentlicht werden").wait_for()
    assert form.get_by_text("Fotos von mir").count() == 0
    assert form.get_by_text("Aussteller").count() == 0
    _look(page, axe, "10-camp-form")
    start = timezone.localdate(camp.starts_at)
    page.get_by_label("Ihr Name").fill("Petra Muster")
    page.get_by_label("Ihre E-Mail-Adresse").fill("petra@example.org")
    page.get_by_label("Ihre Telefonnummer").fill("0341 123456")
    page.get_by_label("Name Ihres Kindes").fill("Mia Muster")
    page.get_by_label("Geburtsdatum Ihres Kindes").fill(f"{start.year - 12}-03-01")
    page.get_by_label("Notfallkontakt").fill("Oma, 0341 654321")
    page.check("input[name=privacy_consent]")
    page.check("input[name=photo_consent]")
    page.click("form.tk-form button[type=submit]")
    page.get_by_text("bestätigen Sie die Anmeldung Ihres Kindes").wait_for()
    _look(page, axe, "11-camp-registered")
    registration = Registration.objects.get(event=camp)
    assert (registration.name, registration.guardian_name, registration.guardian_email) == (
        "Mia Muster",
        "Petra Muster",
        "petra@example.org",
    )
    assert registration.photo_consent is True


def test_organiser_pages(page, axe, live_server):
    camp = CampFactory()
    registration = services.register(
        event=camp, data=camper(1, event=camp), now=timezone.now() - timedelta(minutes=1)
    )
    membership = MembershipFactory(organisation=camp.organisation)
    client = Client()
    client.force_login(membership.user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    for url in [
        "/tickets/organiser/",
        f"/tickets/organiser/{camp.pk}/",
        f"/tickets/organiser/{camp.pk}/neu/",
        f"/tickets/organiser/anmeldung/{registration.pk}/",
    ]:
        page.goto(url)
        axe(page)
    assert "Erdnussallergie" in page.content()
    page.goto(f"/tickets/organiser/{camp.pk}/")
    page.fill("input[name=query]", "Besucherin")
    page.keyboard.press("Enter")
    page.wait_for_url("**query=Besucherin**")
    expect(page.get_by_role("link", name="Besucherin 1")).to_be_visible()


@pytest.mark.parametrize("size", [(360, 800), (1366, 900)])
def test_the_language_switch_works_on_the_ticket_page_behind_its_secret_link(page, axe, size):
    """The ticket page sends no Referer, so the browser posts its header's language form
    with `Origin: null`; the switch answered with a bare 403 before it stopped asking for
    the CSRF check (config/urls.py)."""
    registration = services.register(event=EventFactory(), data=person(1), now=timezone.now())
    page.set_viewport_size({"width": size[0], "height": size[1]})
    address = f"/tickets/ticket/{registration.manage_token}/"
    page.goto(address)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith(address)
    expect(page.get_by_role("heading", name="Details")).to_be_visible()
    axe(page)
