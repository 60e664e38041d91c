"""The stand scanner in Chromium with a fake camera, and the company's download.

Stand staff pair a phone with their staff pass, the camera films a consenting visitor's
ticket (a named contact), the code field takes a visitor without consent (a nameless count),
an offline scan is queued on the phone and its upload sent twice counts once; the company
then downloads its CSV and reads its contacts back. Every page passes axe and has no
horizontal overflow at 360 px; screenshots go to /tmp/h6/.
"""

import csv
import io
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from fairs.models import CompanyMember
from leads.models import Contact
from tests.fairs.factories import CompanyMemberFactory

from .factories import make_ticket, stand

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/h6")  # noqa: S108 - screenshots to look at by hand


def whole(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name


def test_stand_staff_scan_with_camera_code_and_offline_then_the_company_downloads(
    camera_page,
    axe,
    browser,
    live_server,
    client,
):
    booking, staff_pass = stand(company_name="Mechatronik Riesa GmbH")
    event = booking.fair.event
    anna = make_ticket(event, 1, name="Anna Berg", share_contact_consent=True)
    ben = make_ticket(event, 2, name="Ben Kurz", share_contact_consent=False)
    carla = make_ticket(event, 3, name="Carla Offline", share_contact_consent=True)
    page = camera_page(anna.secret)

    # Pairing with the staff pass's code, by keyboard.
    page.goto(reverse("leads:pair"))
    axe(page)
    whole(page, "01-pair-360")
    page.get_by_label("Code Ihres Standpersonal-Ausweises").fill(staff_pass.secret)
    page.keyboard.press("Enter")
    page.wait_for_url("**/stand/scanner/")
    expect(page.locator("#stand[data-ready=true]")).to_have_count(1, timeout=20000)
    expect(page.locator("#stand-company")).to_contain_text("Mechatronik Riesa GmbH")
    axe(page)

    # The camera films Anna's ticket: a named contact.
    page.get_by_role("button", name="Kamera starten").click()
    result = page.locator("#stand-result")
    expect(result).to_have_class("stand-result stand-result--ok", timeout=30000)
    expect(page.locator("#result-name")).to_have_text("Anna Berg")
    page.get_by_role("button", name="Kamera beenden").click()
    page.get_by_label("Notiz").fill("Sucht Ausbildung Mechatronik")
    page.get_by_label("Bewertung (1–5)").select_option("4")
    page.get_by_role("button", name="Notiz speichern").click()
    expect(page.locator("#result-message")).to_have_text("Notiz gespeichert.")
    whole(page, "02-scanned-360")
    axe(page)

    # Ben did not consent: counted without a name, and the screen says so.
    page.get_by_label("Ticket-Code").fill(ben.secret)
    page.keyboard.press("Enter")
    expect(result).to_have_class("stand-result stand-result--nameless", timeout=10000)
    expect(page.locator("#result-message")).to_contain_text("1 Besucher ohne Kontaktfreigabe")
    expect(page.locator("#counter-contacts")).to_have_text("2", timeout=10000)
    whole(page, "03-nameless-360")
    axe(page)

    # Offline: Carla's scan waits on the phone; the queue is then uploaded twice.
    # The service worker keeps the scanner: it opens again without network.
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=20000)
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("#stand[data-ready=true]")).to_have_count(1, timeout=20000)
    expect(page.locator("#stand-company")).to_contain_text("Mechatronik Riesa GmbH")
    page.get_by_label("Ticket-Code").fill(carla.secret)
    page.keyboard.press("Enter")
    expect(page.locator("#stand-pending")).to_have_text("Warten auf Übertragung: 1")
    assert Contact.objects.filter(booking=booking).count() == 2
    queued = page.evaluate(
        """() => new Promise((resolve) => {
             const open = indexedDB.open("stand", 1);
             open.onsuccess = () => {
               const all = open.result.transaction("queue").objectStore("queue").getAll();
               all.onsuccess = () => resolve(all.result);
             };
           })"""
    )
    assert [item["type"] for item in queued] == ["scan"]
    page.context.set_offline(False)
    page.get_by_role("button", name="Jetzt hochladen").click()
    expect(page.locator("#stand-pending")).to_have_text("Offline-Scans übertragen.", timeout=10000)
    again = page.evaluate(
        """async (items) => {
             const response = await fetch(document.getElementById("stand").dataset.upload, {
               method: "POST",
               headers: {Authorization: `Device ${localStorage.getItem("stand.token")}`,
                         "Content-Type": "application/json"},
               body: JSON.stringify({items}),
             });
             return response.json();
           }""",
        queued,
    )
    assert again["results"][0]["replayed"] is True
    contacts = Contact.objects.filter(booking=booking)
    assert contacts.count() == 3
    assert contacts.filter(ticket=carla).count() == 1

    # The company downloads its CSV and reads its contacts back.
    member = CompanyMemberFactory(company=booking.company, role=CompanyMember.Role.ADMIN)
    client.force_login(member.user)
    for width in (360, 1366):
        context = browser.new_context(
            locale="de-DE",
            timezone_id="Europe/Berlin",
            viewport={"width": width, "height": 900},
            base_url=live_server.url,
        )
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        office = context.new_page()
        try:
            office.goto(reverse("leads:company-contacts"))
            expect(office.get_by_role("cell", name="Sucht Ausbildung Mechatronik")).to_be_visible()
            axe(office)
            whole(office, f"04-company-{width}")
            link = office.get_by_role("link", name="CSV")
            link.focus()
            with office.expect_download() as download:
                office.keyboard.press("Enter")
            text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        finally:
            context.close()
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        named = {row[2]: row for row in rows[1:]}
        assert set(named) == {"Anna Berg", "Carla Offline", "ohne Kontaktfreigabe"}
        assert named["Anna Berg"][3] == "visitor1@example.org"
        assert named["Anna Berg"][5] == "4" and named["Anna Berg"][7].startswith("Sucht")
