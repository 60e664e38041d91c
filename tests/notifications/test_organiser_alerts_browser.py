"""The organiser's e-mail settings and the fairs pages changed with them, in the browser at
360 × 800 and 1366 × 900: whole (no horizontal overflow), axe clean, focus visible; a
screenshot of each step in var/screenshots/organiser-alerts/<size>/."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from notifications.models import OrganiserAlertSetting
from tests.conftest import ROOT
from tests.factories import MembershipFactory, UserFactory
from tests.fairs.factories import CompanyMemberFactory, StandBookingFactory, StandFactory
from tests.test_journeys import SIZES, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(browser, live_server, client, user, size):
    client.force_login(user)
    context = browser.new_context(
        locale="de-DE",
        timezone_id="Europe/Berlin",
        viewport=SIZES[size],
        base_url=live_server.url,
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context, context.new_page()


@pytest.mark.parametrize("size", list(SIZES))
def test_organiser_chooses_alerts_and_sees_open_requests(browser, live_server, client, size):
    folder = ROOT / "var" / "screenshots" / "organiser-alerts" / size
    folder.mkdir(parents=True, exist_ok=True)
    booking = StandBookingFactory(
        company__name="Landtechnik Müller-Lüdenscheidt-Oberweißbach GmbH & Co. KG"
    )
    membership = MembershipFactory(
        organisation=booking.fair.event.organisation, user=UserFactory(first_name="Petra")
    )
    context, page = _signed_in(browser, live_server, client, membership.user, size)
    try:
        page.goto(reverse("notifications:alert-settings"))
        expect(page.get_by_role("heading", name="E-Mails zu Ihren Veranstaltungen")).to_be_visible()
        check_page(page, "01-settings", folder)
        page.get_by_label("Sofort eine E-Mail für jedes Ereignis").check()
        page.get_by_role("button", name="Auswahl speichern").click()
        expect(page.get_by_text("Ihre Auswahl ist gespeichert.")).to_be_visible()
        check_page(page, "02-settings-saved", folder)
        assert OrganiserAlertSetting.objects.get(membership=membership).mode == "at_once"

        # The menu counts the open request (on a phone folded behind the menu button); a
        # rejection without a reason keeps the page.
        page.goto(reverse("fairs:organiser-fair", args=[booking.fair.event.slug]))
        expect(
            page.get_by_role("link", name="Standbuchungen (1 offene Anfrage)", include_hidden=True)
        ).to_be_attached()
        page.get_by_label("Nachricht an die Firma").fill("  ")
        page.get_by_role("button", name=f"Standplatz {booking.stand.label} ablehnen").click()
        expect(page.get_by_text("Bitte nennen Sie der Firma den Grund.").first).to_be_visible()
        check_page(page, "03-refused-decision", folder)
    finally:
        context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_company_pages_after_the_deadline_and_before_a_withdrawal(
    browser, live_server, client, size
):
    folder = ROOT / "var" / "screenshots" / "company-deadline-withdrawal" / size
    folder.mkdir(parents=True, exist_ok=True)
    member = CompanyMemberFactory()
    closed = StandFactory(hall__fair__booking_closes_at=timezone.now() - timedelta(hours=1))
    booking = StandBookingFactory(company=member.company, status="approved")
    context, page = _signed_in(browser, live_server, client, member.user, size)
    try:
        page.goto(reverse("fairs:stand-book", args=[closed.hall.fair.event.slug]))
        expect(page.locator("p", has_text="Die Standbuchung endete am")).to_be_visible()
        check_page(page, "01-booking-closed", folder)
        page.goto(reverse("fairs:booking-detail", args=[booking.pk]))
        page.get_by_role("link", name="Buchung zurückziehen").click()
        expect(page.get_by_role("button", name="Ja, Buchung zurückziehen")).to_be_visible()
        check_page(page, "02-withdraw-question", folder)
        page.get_by_role("link", name="Nein, Buchung behalten").click()
        expect(page.get_by_text("Bestätigung (PDF)")).to_be_visible()
    finally:
        context.close()
