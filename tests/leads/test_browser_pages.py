"""The visitor's and the organiser's pages of the stand contacts in Chromium: the ticket
page's panel, the stand's QR page (share, by keyboard), withdrawal, and the organiser's
counts; axe and no horizontal overflow at 360 and 1366 px."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from leads import services
from leads.models import Contact
from tests.factories import MembershipFactory

from .factories import make_ticket, paired_stand

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/h6")  # noqa: S108 - screenshots to look at by hand
SIZES = {"phone": {"width": 360, "height": 800}, "desk": {"width": 1366, "height": 900}}


def whole(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name


def _tab_to(page, selector: str) -> None:
    for _n in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached by keyboard")


@pytest.mark.parametrize("size", list(SIZES))
def test_visitor_shares_at_the_stand_and_withdraws_on_the_ticket_page(
    browser, live_server, axe, size
):
    booking, _device, _token = paired_stand(company_name="Glasformen Torgau GmbH")
    ticket = make_ticket(booking.fair.event, 1, name="Emil Ernst", share_contact_consent=False)
    context = browser.new_context(
        locale="de-DE", timezone_id="Europe/Berlin", viewport=SIZES[size], base_url=live_server.url
    )
    page = context.new_page()
    panel = page.locator("#stand-contacts")
    try:
        page.goto(reverse("ticketing:ticket", kwargs={"token": ticket.registration.manage_token}))
        expect(page.locator("#stand-contacts")).to_contain_text(
            "Kein Unternehmen hat Ihren Kontakt"
        )
        axe(page)
        page.goto(reverse("leads:share", kwargs={"code": services.stand_code(booking)}))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Glasformen Torgau GmbH")
        axe(page)
        whole(page, f"10-share-{size}")
        _tab_to(page, "#share-submit")
        page.keyboard.press("Enter")
        expect(panel).to_contain_text("Glasformen Torgau GmbH")
        expect(panel).to_contain_text("wurde mit dem Unternehmen geteilt")
        axe(page)
        whole(page, f"11-ticket-shared-{size}")
        assert Contact.objects.get(booking=booking).name == "Emil Ernst"

        page.get_by_role("button", name="Von Glasformen Torgau GmbH zurückziehen").click()
        expect(page.locator("#stand-contacts")).to_contain_text(
            "Kopie des Unternehmens ist gelöscht"
        )
        axe(page)
        assert Contact.objects.get(booking=booking).name == ""
    finally:
        context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_organiser_sees_counts_per_company(browser, live_server, client, axe, size):
    booking, device, _token = paired_stand(company_name="Spedition Nordsachsen GmbH")
    ticket = make_ticket(booking.fair.event, 1, name="Fritz Frei", share_contact_consent=True)
    from django.utils import timezone

    services.scan_ticket(device=device, secret=ticket.secret, nonce="o1", now=timezone.now())
    organiser = MembershipFactory(organisation=booking.fair.event.organisation).user
    client.force_login(organiser)
    context = browser.new_context(
        locale="de-DE", timezone_id="Europe/Berlin", viewport=SIZES[size], base_url=live_server.url
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    try:
        page.goto(reverse("leads:organiser-fairs"))
        row = page.get_by_role("row", name="Spedition Nordsachsen GmbH")
        expect(row).to_contain_text("1")
        assert "Fritz Frei" not in page.content()
        axe(page)
        whole(page, f"12-organiser-{size}")
        page.get_by_role("link", name=str(booking.fair.event)).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Standkontakte")
        axe(page)
    finally:
        context.close()
