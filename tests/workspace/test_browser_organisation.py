"""The audit log and the organisation's settings in the browser at 360 × 800 and 1366 × 900:
whole (no horizontal overflow), axe clean, used by keyboard: the log searched, the settings
sent with a wrong address (the summary at the top names it, the field keeps it), then saved.
Screenshots in var/screenshots/workspace-organisation/<size>/."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from events_platform import audit
from events_platform.models import AuditEntry
from tests.conftest import ROOT
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.test_journeys import SIZES, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(browser, live_server, client, user, size):
    client.force_login(user)
    context = browser.new_context(
        locale="de-DE", timezone_id="Europe/Berlin", viewport=SIZES[size], base_url=live_server.url
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context, context.new_page()


def _tab_to(page, selector: str) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _n in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached by keyboard")


@pytest.mark.parametrize("size", list(SIZES))
def test_audit_log_and_settings_by_keyboard(browser, live_server, client, size):
    folder = ROOT / "var" / "screenshots" / "workspace-organisation" / size
    folder.mkdir(parents=True, exist_ok=True)
    organisation = OrganisationFactory(name="Landkreis Nordsachsen")
    user = UserFactory(first_name="Ada", last_name="Beispiel")
    MembershipFactory(organisation=organisation, user=user)
    for town in ("Torgau", "Delitzsch", "Eilenburg"):
        entry = audit.record_action(actor=user, organisation=organisation, action="event_published")
        AuditEntry.objects.filter(pk=entry.pk).update(target_repr=f"Rückkehrertag 2026, {town}")
    context, page = _signed_in(browser, live_server, client, user, size)
    try:
        page.goto(reverse("workspace:audit-log"))
        expect(page.get_by_role("heading", name="Protokoll", level=1)).to_be_visible()
        expect(page.get_by_text("3 Einträge")).to_be_visible()
        check_page(page, "01-audit-log", folder)
        page.locator("body").focus()
        _tab_to(page, "#id_q")
        page.keyboard.type("Delitzsch")
        page.keyboard.press("Enter")
        expect(page.get_by_text("1 Eintrag", exact=True)).to_be_visible()
        expect(page.get_by_role("cell", name="Rückkehrertag 2026, Delitzsch")).to_be_visible()
        expect(page.get_by_role("cell", name="Rückkehrertag 2026, Torgau")).to_have_count(0)
        check_page(page, "02-audit-log-searched", folder)

        page.goto(reverse("workspace:organisation-settings", args=[organisation.pk]))
        expect(
            page.get_by_role("heading", name="Einstellungen von Landkreis Nordsachsen", level=1)
        ).to_be_visible()
        page.locator("body").focus()
        _tab_to(page, "#id_contact_email")
        page.keyboard.type("wirtschaft-at-nordsachsen")
        page.keyboard.press("Enter")
        summary = page.locator("[data-error-summary]")
        expect(summary).to_be_focused()
        expect(summary.get_by_role("link")).to_contain_text("Kontakt-E-Mail")
        expect(page.locator("#id_contact_email")).to_have_value("wirtschaft-at-nordsachsen")
        check_page(page, "03-settings-error", folder)
        page.locator("#id_contact_email").fill("wirtschaft@nordsachsen.example")
        page.locator("#id_contact_email").press("Enter")
        expect(
            page.get_by_text("Die Einstellungen der Organisation wurden gespeichert.")
        ).to_be_visible()
        expect(page.locator("#id_contact_email")).to_have_value("wirtschaft@nordsachsen.example")
        check_page(page, "04-settings-saved", folder)
    finally:
        context.close()
