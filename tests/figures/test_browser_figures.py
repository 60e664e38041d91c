"""An organiser opens the figures of an edition from the organiser menu with the keyboard,
in Chromium at phone and desktop width: every chart beside its table, axe clean, nothing
wider than the window; the CSV link answers with the file."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "figures"
PASSWORD = "correct horse battery staple"


def _look(page, axe, name: str) -> None:
    folder = SCREENSHOTS / f"{page.viewport_size['width']}px"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name


def _press_enter_on(page, locator) -> None:
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("size", [(360, 800), (1366, 900)])
def test_organiser_reads_the_figures_of_an_edition_by_keyboard(
    page, axe, size, hand_counted_edition
):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    edition = hand_counted_edition
    MembershipFactory(user__username="orga-figures", organisation=edition.series.organisation)
    page.goto(reverse("login"))
    page.fill("#id_username", "orga-figures")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")

    menu = page.locator(".organiser-menu")
    if page.locator(".organiser-menu__toggle").is_visible():
        page.locator(".organiser-menu__toggle").click()
    _press_enter_on(page, menu.get_by_role("link", name="Zahlen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Zahlen")
    _look(page, axe, "01-index")

    year = edition.year
    _press_enter_on(page, page.get_by_role("link", name=str(year)))
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(year))
    key = page.locator("#table-key")
    expect(key.get_by_role("row", name="Besuchende", exact=False).first).to_contain_text("32")
    # Each chart is an image with a name, described by the sentence above its table.
    expect(page.locator("svg.figures-chart")).to_have_count(4)
    for name in ("sites", "arrivals", "history"):
        expect(page.locator(f"#table-{name}")).to_be_visible()
        expect(page.locator(f"#{name}-summary")).not_to_be_empty()
    expect(page.locator("#table-sites").get_by_role("row", name="Torgau")).to_contain_text("28")
    _look(page, axe, "02-edition")

    # The table regions scroll by keyboard; the CSV link downloads the file.
    link = page.get_by_role("link", name="CSV: Standorte im Vergleich")
    link.focus()
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Torgau" in text and "Oschatz" in text
