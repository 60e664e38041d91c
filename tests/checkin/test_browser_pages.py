"""Organiser and door pages in Chromium: usable with the keyboard, no serious axe findings,
in German and English; the door tablet's QR code reads back as the new ticket."""

import re
import uuid

import pytest
import zxingcpp
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from checkin import services
from events_platform.models import Membership
from tests.factories import EventSeriesFactory, MembershipFactory
from ticketing.models import Registration

from .factories import DoorEventFactory, five_days_at_the_door, make_ticket, pair

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"


def log_in(page, username):
    page.goto("/login/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_label("Passwort").press("Enter")
    page.wait_for_load_state()


def test_organiser_live_view_series_pairing_and_export(page, axe):
    organiser = MembershipFactory(role=Membership.Role.ORGANISER_ADMIN, user__username="orga")
    series = EventSeriesFactory(organisation=organiser.organisation, title_de="Rückkehrertag")
    event = DoorEventFactory(
        organisation=organiser.organisation, series=series, title_de="Rückkehrertag Eilenburg"
    )
    arrived = make_ticket(event, 1, name="Anna Schmidt")
    make_ticket(event, 2, name="Ben Krüger")
    device, _token = pair(event, "Handy 1", "Eingang Nord")
    services.redeem_ticket(
        device=device, secret=arrived.secret, nonce=uuid.uuid4().hex, now=timezone.now()
    )
    log_in(page, "orga")

    page.goto(f"/einlass/series/{series.pk}/")
    axe(page)
    page.get_by_role("link", name=event.venue.town).click()
    page.wait_for_url(f"**/einlass/events/{event.pk}/")
    assert page.locator("#figure-checked-in").inner_text() == "1"
    expect(page.get_by_text("Ben Krüger")).to_be_visible()
    assert page.locator("#arrivals-chart").get_attribute("width")  # Chart.js drew it
    axe(page)

    # Keyboard: choose an entrance and show the pairing code.
    page.get_by_label("Eingang", exact=True).select_option(label="Eingang Nord")
    page.get_by_role("button", name="Kopplungscode zeigen").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/pairing/**")
    expect(page.get_by_role("img", name="QR-Code zum Koppeln")).to_be_visible()
    axe(page)

    page.goto(f"/en/einlass/events/{event.pk}/")
    expect(page.get_by_role("heading", name="Arrivals per 15 minutes")).to_be_visible()
    axe(page)


def test_staff_home_and_door_tablet_give_a_ticket_whose_code_reads_back(page, axe, tmp_path):
    staff = MembershipFactory(role=Membership.Role.CHECKIN_STAFF, user__username="tuer")
    event = DoorEventFactory(organisation=staff.organisation, title_de="Rückkehrertag Torgau")
    services.assign_staff(event=event, user=staff.user)
    log_in(page, "tuer")

    page.goto("/einlass/")
    axe(page)
    page.get_by_role("link", name="Einlass-Tablet: Person ohne Anmeldung anmelden").click()
    axe(page)
    page.get_by_label("Name", exact=True).fill("Clara Neumann")
    page.get_by_label("E-Mail-Adresse").fill("clara@example.org")
    page.get_by_label("Die Person stimmt der Datenschutzerklärung zu.").check()
    page.get_by_role("button", name="Anmelden und Ticket zeigen").click()
    page.get_by_role("heading", name="Ticket für Clara Neumann").wait_for()
    axe(page)

    shot = tmp_path / "ticket.png"
    page.locator("img.checkin__qr").screenshot(path=str(shot))
    ticket = Registration.objects.get(event=event).tickets.get()
    assert zxingcpp.read_barcodes(Image.open(shot))[0].text == ticket.secret

    page.goto("/einlass/")
    page.get_by_role("button", name="Dieses Gerät als Scanner nutzen").click()
    page.get_by_role("button", name="Koppeln und Scanner öffnen").click()
    page.wait_for_url("**/einlass/scanner/")
    page.locator("#checkin[data-ready=true]").wait_for()
    page.get_by_label("Name, E-Mail oder Ticketnummer").fill("Clara")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Einlassen: Clara Neumann").click()
    expect(page.locator("#result-name")).to_have_text("Clara Neumann")
    expect(page.locator("#checkin-result")).to_have_attribute("data-code", "ok")
    page.get_by_role("button", name="Nächster Scan").click()
    page.get_by_role("button", name="Person ohne Anmeldung zählen").click()
    page.locator("#counter-walk-ins", has_text="1").wait_for()
    page.get_by_role("button", name="Nächster Scan").click()
    axe(page)


def test_arrivals_chart_of_five_days_stays_one_screen_high_and_agrees_with_present_now(page, axe):
    organiser = MembershipFactory(role=Membership.Role.ORGANISER_ADMIN, user__username="orga")
    event, door = five_days_at_the_door(organisation=organiser.organisation)
    log_in(page, "orga")

    page.goto(f"/einlass/events/{event.pk}/")

    days = page.get_by_role("navigation", name="Tage mit Ankünften").get_by_role("link")
    expect(days).to_have_count(door["days"])
    expect(days.last).to_have_attribute("aria-current", "page")  # today
    chart = page.locator("#arrivals-chart")
    expect(chart).to_have_attribute("width", re.compile(r"\d+"))  # Chart.js drew it
    height = chart.bounding_box()["height"]
    assert 0 < height <= page.viewport_size["height"]
    expect(page.locator("#figure-inside")).to_have_text(str(door["present"]))
    expect(page.locator("#arrivals-balance")).to_have_text(
        f"Eintritte: {door['entered']} · Austritte: {door['left']} · "
        f"Jetzt anwesend: {door['present']}"
    )
    axe(page)

    # Another day: its own chart, as high as before.
    days.first.click()
    expect(days.first).to_have_attribute("aria-current", "page")
    assert chart.bounding_box()["height"] == height
