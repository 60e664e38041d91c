"""The organiser's start page and menu in the browser at 360 × 800 and 1366 × 900: whole (no
horizontal overflow), axe clean, focus visible; every entry of the organiser's menu reached
by keyboard (on a phone through the menu button, which Escape closes again); a new stand
request shows up without a reload. Screenshots in var/screenshots/workspace-home/<size>/."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from events_platform.models import Event
from tests.conftest import ROOT
from tests.factories import EventFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.fairs.factories import (
    CompanyFactory,
    FairFactory,
    HallFactory,
    StandBookingFactory,
    StandFactory,
)
from tests.test_journeys import SIZES, check_page
from ticketing.models import Registration
from workspace.views import home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world():
    organisation = OrganisationFactory(name="WFG Landkreis Nordsachsen")
    user = UserFactory(username="petra", is_staff=True)
    MembershipFactory(organisation=organisation, user=user)
    fair = FairFactory(
        event__organisation=organisation,
        event__title_de="Ausbildungsmesse Delitzsch 2027",
        event__venue__town="Delitzsch",
    )
    hall = HallFactory(fair=fair)
    StandBookingFactory(
        stand=StandFactory(hall=hall),
        company=CompanyFactory(name="Landtechnik Müller-Lüdenscheidt-Oberweißbach GmbH & Co. KG"),
        verified=False,
    )
    camp = EventFactory(
        organisation=organisation, kind=Event.Kind.CAMP, title_de="NaWi-Camp Nordsachsen"
    )
    Registration.objects.create(
        event=camp,
        status=Registration.Status.PENDING_GUARDIAN,
        kind=Registration.Kind.CAMP_PARTICIPANT,
        name="Mia Beispiel",
        email="eltern@example.org",
        created_at=timezone.now(),
        guardian_deadline=timezone.now() + timedelta(hours=6),
    )
    now = timezone.now()
    EventFactory(
        organisation=organisation,
        title_de="Rückkehrertag 2026",
        venue__town="Torgau",
        starts_at=now - timedelta(minutes=20),
        ends_at=now + timedelta(minutes=40),
    )
    return user, hall


def _signed_in(browser, live_server, client, user, size):
    client.force_login(user)
    context = browser.new_context(
        locale="de-DE", timezone_id="Europe/Berlin", viewport=SIZES[size], base_url=live_server.url
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context, context.new_page()


def _focused_href(page) -> str | None:
    return page.evaluate(
        "() => document.activeElement && document.activeElement.getAttribute('href')"
    )


@pytest.mark.parametrize("size", list(SIZES))
def test_start_page_and_menu_by_keyboard(browser, live_server, client, size, monkeypatch):
    monkeypatch.setattr(home, "REFRESH_SECONDS", 1)  # the page asks for fresh counts each second
    folder = ROOT / "var" / "screenshots" / "workspace-home" / size
    folder.mkdir(parents=True, exist_ok=True)
    user, hall = _world()
    context, page = _signed_in(browser, live_server, client, user, size)
    try:
        page.goto(reverse("workspace:home"))
        expect(page.get_by_role("heading", name="Was jetzt ansteht", level=1)).to_be_visible()
        expect(page.get_by_text("1 offene Standanfrage", exact=True)).to_be_visible()
        expect(page.get_by_text("1 Firma wartet auf Ihre Verifizierung")).to_be_visible()
        expect(
            page.get_by_role("link", name="Live-Ansicht: Rückkehrertag 2026, Torgau")
        ).to_be_visible()
        check_page(page, "01-start", folder)

        # A request that comes in while the page is open is counted without a reload.
        StandBookingFactory(stand=StandFactory(hall=hall))
        expect(page.get_by_text("2 offene Standanfragen", exact=True)).to_be_visible()

        menu = page.get_by_role("navigation", name="Menü für Veranstalter")
        hrefs = menu.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert reverse("workspace:home") in hrefs and reverse("checkin:home") in hrefs
        assert len(hrefs) >= 9
        toggle = menu.get_by_role("button", name="Menü für Veranstalter")
        page.locator("body").focus()
        reached = set()
        if size == "phone":
            expect(toggle).to_be_visible()
            expect(menu.locator("a").first).to_be_hidden()
            for _n in range(30):
                page.keyboard.press("Tab")
                if page.evaluate(
                    "() => document.activeElement.classList.contains('organiser-menu__toggle')"
                ):
                    break
            page.keyboard.press("Enter")
            expect(toggle).to_have_attribute("aria-expanded", "true")
            check_page(page, "02-menu-open", folder)
            toggle.focus()
        else:
            expect(toggle).to_be_hidden()
        for _n in range(len(hrefs) + 15):
            page.keyboard.press("Tab")
            href = _focused_href(page)
            if href in hrefs:
                reached.add(href)
            if reached == set(hrefs):
                break
        assert reached == set(hrefs), f"not reached by keyboard: {set(hrefs) - reached}"
        if size == "phone":
            page.keyboard.press("Escape")
            expect(toggle).to_have_attribute("aria-expanded", "false")
            expect(toggle).to_be_focused()

        # The first entry of the list leads to the stand requests to decide.
        page.get_by_role("link", name="Ausbildungsmesse Delitzsch 2027", exact=True).first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Ausbildungsmesse")
        check_page(page, "03-fair-from-start-page", folder)
    finally:
        context.close()


def test_start_page_in_english_at_phone_size(browser, live_server, client):
    folder = ROOT / "var" / "screenshots" / "workspace-home" / "en-phone"
    folder.mkdir(parents=True, exist_ok=True)
    user, _hall = _world()
    context, page = _signed_in(browser, live_server, client, user, "phone")
    try:
        page.goto("/en/veranstalter/")
        expect(page.get_by_role("heading", name="What needs doing now", level=1)).to_be_visible()
        expect(page.get_by_text("1 open stand request", exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Organiser menu")).to_be_visible()
        check_page(page, "01-start", folder)
    finally:
        context.close()
