"""An organiser invites last edition's exhibitors by keyboard, in Chromium at phone and desktop
width: the confirmation lists the companies, the button sends, the page then shows when each
was invited; axe clean, nothing wider than the window."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from notifications.models import Message, Purpose
from tests.workspace.test_invite import build_editions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "workspace-invite"
PASSWORD = "correct horse battery staple"


def _look(page, axe, name: str) -> None:
    """Save a screenshot to look through; axe clean, nothing wider than the window."""
    folder = SCREENSHOTS / f"{page.viewport_size['width']}px"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name


@pytest.mark.parametrize("size", [(360, 800), (1366, 900)])
def test_organiser_invites_last_editions_exhibitors_by_keyboard(page, axe, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    editions = build_editions(user__username="orga-invite")
    page.goto(reverse("login"))
    page.fill("#id_username", "orga-invite")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")

    page.goto(reverse("workspace:event-edit", args=[editions["new"].pk]))
    link = page.get_by_role("link", name="Aussteller der letzten Ausgabe einladen")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Aussteller der letzten Ausgabe einladen"
    )
    expect(page.get_by_role("rowheader", name="Alpha Bau")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Beta Tech")).to_be_visible()
    _look(page, axe, "01-confirm")

    button = page.get_by_role("button", name="2 Einladungen senden")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("2 Einladungen werden jetzt verschickt.")).to_be_visible()
    expect(page.get_by_text("Alle Firmen der letzten Ausgabe sind eingeladen.")).to_be_visible()
    expect(page.get_by_text("noch nicht")).to_have_count(0)
    _look(page, axe, "02-invited")
    assert Message.objects.filter(purpose=Purpose.EXHIBITORS_INVITED).count() == 2
