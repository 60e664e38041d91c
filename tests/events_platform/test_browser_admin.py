"""The organiser back office in Chromium: sign in with the keyboard, edit an event, and no
serious accessibility violation on the pages organisers use most."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

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
