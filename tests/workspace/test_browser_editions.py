"""An organiser copies this year's Rückkehrertag (five sites) as next year's draft edition
with the keyboard, in Chromium at phone and desktop width: the summary of what is copied, a
refused first try without a date, then the new series with its five draft sites; axe clean,
nothing wider than the window."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from events_platform.models import Event, EventSeries
from tests.factories import EventFactory, EventSeriesFactory, MembershipFactory, VenueFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "workspace-editions"
PASSWORD = "correct horse battery staple"
BERLIN = ZoneInfo("Europe/Berlin")
TOWNS = ("Delitzsch", "Torgau", "Oschatz", "Eilenburg", "Schkeuditz")


def _look(page, axe, name: str) -> None:
    """Save a screenshot to look through; axe clean, nothing wider than the window."""
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
def test_organiser_copies_a_series_as_next_years_edition_by_keyboard(page, axe, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    membership = MembershipFactory(user__username="orga-editions")
    org = membership.organisation
    series = EventSeriesFactory(organisation=org, title_de="Rückkehrertag 2026")
    for town in TOWNS:
        EventFactory(
            organisation=org,
            series=series,
            kind="returnee_day",
            title_de="Rückkehrertag 2026",
            venue=VenueFactory(organisation=org, town=town),
            starts_at=datetime(2026, 12, 28, 10, tzinfo=BERLIN),
            ends_at=datetime(2026, 12, 28, 12, tzinfo=BERLIN),
            capacity=300,
        )
    page.goto(reverse("login"))
    page.fill("#id_username", "orga-editions")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")

    page.goto(reverse("workspace:series-copy", args=[series.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Diese Ausgabe kopieren")
    expect(page.locator("[data-copied]")).to_contain_text("Veranstaltungen (Standorte): 5")
    expect(page.get_by_label("Erster Tag der neuen Ausgabe")).to_have_value("2027-12-28")
    expect(page.get_by_label("Titel (Deutsch)")).to_have_value("Rückkehrertag 2027")
    _look(page, axe, "01-copy-form")

    # Without a date the page refuses, the summary takes the focus, the title stays.
    page.get_by_label("Erster Tag der neuen Ausgabe").fill("")
    _press_enter_on(page, page.get_by_role("button", name="Als Entwurf kopieren"))
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.get_by_label("Titel (Deutsch)")).to_have_value("Rückkehrertag 2027")
    _look(page, axe, "02-copy-refused")

    page.get_by_label("Erster Tag der neuen Ausgabe").fill("2027-12-27")
    _press_enter_on(page, page.get_by_role("button", name="Als Entwurf kopieren"))
    expect(page.get_by_text("Die neue Ausgabe ist als Entwurf angelegt.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rückkehrertag 2027")
    expect(page.get_by_role("link", name="Rückkehrertag 2027, Schkeuditz")).to_be_visible()
    _look(page, axe, "03-new-edition")

    new_series = EventSeries.objects.get(title_de="Rückkehrertag 2027")
    sites = list(new_series.events.all())
    assert sorted(site.venue.town for site in sites) == sorted(TOWNS)
    assert {site.status for site in sites} == {Event.Status.DRAFT}
    assert {site.starts_at for site in sites} == {datetime(2027, 12, 27, 10, tzinfo=BERLIN)}
