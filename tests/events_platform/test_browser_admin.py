"""The organiser back office in Chromium: sign in with the keyboard, edit an event, and no
serious accessibility violation on the pages organisers use most."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from events_platform.models import Event
from notifications.models import Message
from tests.checkin.factories import make_tickets
from tests.factories import EventFactory, MembershipFactory

PASSWORD = "correct horse battery staple"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_organiser_signs_in_and_edits_an_event(page, axe):
    organiser = MembershipFactory(user__is_staff=True, user__username="orga").user
    event = EventFactory(
        organisation=organiser.memberships.get().organisation, title_de="Messe Oschatz"
    )

    page.goto(reverse("admin:login"))
    axe(page)
    page.keyboard.press("Tab")
    page.get_by_label("Benutzername").fill("orga")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_label("Passwort").press("Enter")
    page.wait_for_url("**/admin/")
    axe(page)

    page.goto(reverse("admin:events_platform_event_changelist"))
    expect(page.get_by_role("link", name="Messe Oschatz")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Messe Oschatz").click()
    page.get_by_label("Titel (Deutsch)").fill("Ausbildungsmesse Oschatz")
    page.get_by_role("button", name="Sichern", exact=True).click()
    page.wait_for_url("**/admin/events_platform/event/")
    event.refresh_from_db()
    assert event.title_de == "Ausbildungsmesse Oschatz"
    axe(page)

    page.goto(reverse("admin:events_platform_auditentry_changelist"))
    expect(page.get_by_text("Ausbildungsmesse Oschatz").first).to_be_visible()
    axe(page)


SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "admin-cancel"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", [(360, 800), (1366, 900)])
def test_organiser_cancels_an_event_after_being_asked(page, axe, size):
    """The cancel action asks first, says what will happen and whom it tells, takes an
    optional message, and cancels through the core's service, all with the keyboard."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    organiser = MembershipFactory(user__is_staff=True, user__username="orga").user
    event = EventFactory(
        organisation=organiser.memberships.get().organisation, title_de="Fachtag Fachkräfte"
    )
    make_tickets(event, 3)
    folder = SCREENSHOTS / f"{size[0]}px"
    folder.mkdir(parents=True, exist_ok=True)

    page.goto(reverse("admin:login"))
    page.get_by_label("Benutzername").fill("orga")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_label("Passwort").press("Enter")
    page.wait_for_url("**/admin/")
    page.goto(reverse("admin:events_platform_event_changelist"))
    page.get_by_role("checkbox", name="Dieses Objekt für eine Aktion auswählen").first.check()
    page.get_by_label("Aktion:").select_option(label="Ausgewählte Veranstaltungen absagen …")
    page.get_by_role("button", name="Ausführen").click()

    page.get_by_text("Möchten Sie diese Veranstaltung wirklich absagen?").wait_for()
    expect(page.get_by_text("3 Anmeldungen werden storniert")).to_be_visible()
    expect(page.get_by_text("3 E-Mail-Adressen werden je einmal benachrichtigt")).to_be_visible()
    page.screenshot(path=str(folder / "01-asked.png"), full_page=True)
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED

    page.get_by_label("Nachricht an alle, die benachrichtigt werden (freiwillig)").focus()
    page.keyboard.type("Der Saal ist gesperrt.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Ja, absagen")).to_be_focused()
    page.keyboard.press("Enter")

    page.get_by_text("1 Veranstaltung abgesagt.").wait_for()
    page.screenshot(path=str(folder / "02-cancelled.png"), full_page=True)
    axe(page)
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    bodies = Message.objects.filter(event=event).values_list("body_text", flat=True)
    assert len(bodies) == 3 and all("Der Saal ist gesperrt." in body for body in bodies)
