"""The door scanner in Chromium with a fake camera that films a ticket's QR code."""

import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from checkin import services
from checkin.models import Entrance, Scan, WalkIn
from tests.conftest import AXE_SOURCE

from .factories import DoorEventFactory, make_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pair_in_browser(page, event, name="Handy Nord"):
    door = Entrance.objects.create(event=event, name="Eingang Nord")
    page.goto(f"/einlass/pair/{services.pairing_token(event=event, entrance=door)}/")
    page.get_by_label("Name dieses Geräts").fill(name)
    page.get_by_role("button", name="Koppeln und Scanner öffnen").click()
    page.wait_for_url("**/einlass/scanner/")
    expect(page.locator("#checkin[data-ready=true]")).to_have_count(1, timeout=20000)


def test_pairing_needs_no_script_so_a_slow_phone_pairs_with_its_first_tap(browser, live_server):
    # A page whose scripts have not arrived yet behaves like one without scripts: the
    # pairing button must pair all the same (it used to reload the page instead).
    event = DoorEventFactory()
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto(f"/einlass/pair/{services.pairing_token(event=event)}/")
        page.get_by_label("Name dieses Geräts").fill("Handy Süd")
        page.get_by_role("button", name="Koppeln und Scanner öffnen").click()
        page.wait_for_url("**/einlass/scanner/#device=*")
        assert event.checkin_devices.get().name == "Handy Süd"
    finally:
        context.close()


def test_camera_scan_turns_green_then_already_checked_in_and_offline_scans_upload_once(
    camera_page, axe
):
    event = DoorEventFactory(title_de="Rückkehrertag Oschatz")
    filmed = make_ticket(event, 1, name="Anna Schmidt")
    second = make_ticket(event, 2, name="Ben Krüger")
    group = make_ticket(event, 3, headcount=24, name="Frau Lehmann")
    page = camera_page(filmed.secret)

    page.goto(f"/einlass/pair/{services.pairing_token(event=event)}/")
    axe(page)
    pair_in_browser(page, event)
    expect(page.locator("#checkin-event")).to_have_text("Rückkehrertag Oschatz")
    expect(page.locator("#counter-registered")).to_have_text("26")

    # The camera films Anna's ticket: green, her name, and the counter moves.
    result = page.locator("#checkin-result")
    expect(result).to_have_class("checkin-result checkin-result--ok", timeout=30000)
    expect(page.locator("#result-name")).to_have_text("Anna Schmidt")
    expect(page.locator("#counter-checked-in")).to_have_text("1", timeout=10000)
    # The camera still sees the same code: a moment later it says "already checked in".
    expect(result).to_have_class("checkin-result checkin-result--amber", timeout=30000)
    expect(page.locator("#result-message")).to_contain_text("Bereits eingelassen")
    expect(page.locator("#result-message")).to_contain_text("Eingang Nord")

    page.get_by_role("button", name="Kamera beenden").click()
    expect(result).to_be_hidden(timeout=10000)
    axe(page)

    # Offline: the service worker serves the page again, the ticket list is on the phone,
    # and the hand scanner types two codes; both are checked on the phone and queued.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("#checkin[data-ready=true]")).to_have_count(1, timeout=20000)
    expect(page.locator("#checkin-event")).to_have_text("Rückkehrertag Oschatz")
    expect(page.locator("#checkin-network")).to_contain_text("Offline")
    page.get_by_role("button", name="Kamera beenden").click()
    for ticket in (second, group):
        # A hand scanner just types: no click into the field first.
        page.keyboard.type(ticket.secret)
        page.keyboard.press("Enter")
        expect(result).to_have_class("checkin-result checkin-result--ok")
        expect(page.locator("#result-message")).to_contain_text("offline")
        page.get_by_role("button", name="Nächster Scan").click()
    page.get_by_role("button", name="Person ohne Anmeldung zählen").click()
    expect(page.locator("#result-message")).to_have_text("Person ohne Anmeldung gezählt.")
    page.get_by_role("button", name="Nächster Scan").click()
    expect(page.locator("#checkin")).to_have_attribute("data-pending", "3")
    assert not Scan.objects.filter(ticket__in=[second, group]).exists()

    # Back online: the queue is uploaded, and each scan counts once.
    page.context.set_offline(False)
    expect(page.locator("#checkin")).to_have_attribute("data-pending", "0", timeout=20000)
    expect(page.locator("#counter-checked-in")).to_have_text("26", timeout=20000)
    page.wait_for_timeout(6000)  # one more upload round: nothing is counted twice
    assert Scan.objects.filter(ticket=second, offline=True).count() == 1
    assert Scan.objects.filter(ticket=group, offline=True).count() == 1
    expect(page.locator("#counter-checked-in")).to_have_text("26")
    expect(page.locator("#counter-walk-ins")).to_have_text("1")
    assert WalkIn.objects.filter(checkin_list__event=event).count() == 1


def contrast_findings(page, selector: str) -> tuple[list, int]:
    """axe's color-contrast rule on one part of the page: its violations, and how many
    elements it found readable (so that a check of nothing cannot pass).

    For a page whose clock Playwright holds: axe waits on timers between its steps, so the
    clock is moved on a millisecond at a time until axe is done (far less than the second
    after which a result screen hides).
    """
    page.evaluate(AXE_SOURCE.read_text())
    page.evaluate(
        """(selector) => {
            window.axeResult = null;
            axe.run(selector, {runOnly: ['color-contrast']}).then((r) => (window.axeResult = r));
        }""",
        selector,
    )
    for _step in range(300):
        if page.evaluate("window.axeResult !== null"):
            break
        page.clock.run_for(1)
    result = page.evaluate("window.axeResult")
    assert result is not None, "axe did not finish within 300 ms of the page's clock"
    violations = [
        f"{node['target']}: {node['failureSummary']}"
        for rule in result["violations"]
        for node in rule["nodes"]
    ]
    return violations, sum(len(rule["nodes"]) for rule in result["passes"])


def forged(secret: str) -> str:
    """The secret with one letter of its signature changed: well formed, not signed by us."""
    letter = "B" if secret[60] == "A" else "A"
    return secret[:60] + letter + secret[61:]


def test_green_amber_and_red_result_screens_are_readable(page, tmp_path):
    event = DoorEventFactory(title_de="Rückkehrertag Delitzsch")
    ticket = make_ticket(event, 1, name="Anna Schmidt")
    # The result screens hide after a second or two: time stands still while they are checked.
    page.clock.install()
    pair_in_browser(page, event)
    page.clock.pause_at(datetime.now() + timedelta(seconds=1))
    result = page.locator("#checkin-result")

    for code, state, kind in (
        (ticket.secret, "ok", "ok"),
        (ticket.secret, "already_checked_in", "amber"),
        (forged(ticket.secret), "invalid", "red"),
    ):
        page.get_by_label("Ticketcode (Handscanner)").fill(code)
        page.keyboard.press("Enter")
        expect(result).to_have_attribute("data-code", state)
        expect(result).to_have_class(f"checkin-result checkin-result--{kind}")
        page.get_by_role("button", name="Nächster Scan").focus()
        page.screenshot(path=str(tmp_path / f"result-{kind}.png"))
        violations, readable = contrast_findings(page, "#checkin-result")
        assert not violations, f"{kind}: " + "\n".join(violations)
        assert readable >= 3  # the status, the message and the button's label at least
        page.get_by_role("button", name="Nächster Scan").click()
        expect(result).to_be_hidden()


def printed_number(page, ticket) -> str:
    """The ticket number as the holder's ticket page prints it (in groups of four), digits
    only."""
    page.goto(reverse("ticketing:ticket", kwargs={"token": ticket.registration.manage_token}))
    printed = page.locator(".tk-serial").inner_text()
    assert re.search(r"\d{4}\s\d{4}", printed), printed
    return re.sub(r"\D", "", printed)


def test_a_printed_ticket_number_typed_by_hand_is_looked_up_online_and_offline(page):
    event = DoorEventFactory(title_de="Rückkehrertag Torgau")
    online = make_ticket(event, 1, name="Jonas Weber")
    offline = make_ticket(event, 2, name="Lena Vogt")
    numbers = {ticket.pk: printed_number(page, ticket) for ticket in (online, offline)}
    assert numbers[online.pk] == str(online.serial)
    pair_in_browser(page, event)
    expect(page.locator("#checkin")).to_have_attribute("data-synced", "true")
    field = page.get_by_label("Ticketcode (Handscanner)")
    result = page.locator("#checkin-result")

    # Read off the paper in groups, as people do.
    digits = numbers[online.pk]
    field.fill(" ".join(digits[i : i + 4] for i in range(0, len(digits), 4)))
    field.press("Enter")
    expect(page.locator("#result-name")).to_have_text("Jonas Weber")
    expect(result).to_have_attribute("data-code", "ok")
    expect(page.locator("#counter-checked-in")).to_have_text("1")
    assert Scan.objects.get(ticket=online).manual

    # Without network the phone finds the number in its ticket list.
    page.context.set_offline(True)
    field.fill("-".join(numbers[offline.pk][i : i + 3] for i in range(0, 19, 3)).strip("-"))
    field.press("Enter")
    expect(page.locator("#result-name")).to_have_text("Lena Vogt")
    expect(result).to_have_attribute("data-code", "ok")
    expect(page.locator("#result-message")).to_contain_text("offline")
