"""An organiser fills in the funders' report on the figures page by keyboard, in Chromium at
phone and desktop width: bad input is named at the top and next to the field and kept; the
saved report downloads as a PDF that names the organisation, the funders, the key figures
and every site (read back with pypdf); axe clean, nothing wider than the window."""

import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect
from pypdf import PdfReader

from figures import tables
from figures.models import EditionReport
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "figures"
PASSWORD = "correct horse battery staple"
FUNDERS = [f"Förderer {n}" for n in range(1, 10)]  # nine: one more than the title page takes


def _look(page, axe, name: str) -> None:
    folder = SCREENSHOTS / f"{page.viewport_size['width']}px"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"report-{name}.png"), full_page=True)
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name


@pytest.mark.parametrize("size", [(360, 800), (1366, 900)])
def test_organiser_writes_the_report_and_downloads_the_pdf(page, axe, size, hand_counted_edition):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    edition = hand_counted_edition
    MembershipFactory(user__username="orga-report", organisation=edition.series.organisation)
    page.goto(reverse("login"))
    page.fill("#id_username", "orga-report")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")
    year = edition.year
    page.goto(reverse("figures:series", kwargs={"pk": edition.series.pk, "year": year}))

    # Nine funders: too many for the title page.
    page.locator("#id_funders").focus()
    page.keyboard.type("\n".join(FUNDERS))
    page.keyboard.press("Tab")
    page.keyboard.type("Der Rückkehrertag war gut besucht.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Für den Bericht speichern")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("höchstens 8 Fördermittelgeber")
    expect(page.locator("#id_funders_error")).to_contain_text("höchstens 8 Fördermittelgeber")
    expect(page.locator("#id_text")).to_have_value("Der Rückkehrertag war gut besucht.")
    expect(page.locator("#id_funders")).to_have_value("\n".join(FUNDERS))
    _look(page, axe, "01-error")
    assert not EditionReport.objects.exists()

    # The link in the summary leads to the field; two funders are enough.
    summary.get_by_role("link").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_funders")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("Freistaat Sachsen\nEuropäischer Sozialfonds Plus")
    page.get_by_role("button", name="Für den Bericht speichern").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("[data-error-summary]")).to_have_count(0)
    expect(page.locator("#id_funders")).to_have_value(
        "Freistaat Sachsen\nEuropäischer Sozialfonds Plus"
    )
    _look(page, axe, "02-saved")

    link = page.get_by_role("link", name="Bericht herunterladen (PDF)")
    response = page.context.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.body())).pages
    title_page = pages[0].extract_text()
    for text in ("Fachkräfteallianz Nordsachsen", "Freistaat Sachsen", "Sozialfonds Plus"):
        assert text in title_page
    flat = re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in pages[1:]))
    hand = edition.hand_count
    with translation.override("de"):
        for name, label in tables.KEY_FIGURES:  # the key figures, as the page labels them
            assert f"{label} {hand['edition'][name]}" in flat, name
    assert f"Besuchende (eingelassen und ohne Anmeldung) {hand['edition']['visitors']}" in flat
    for town in ("Torgau", "Oschatz"):
        row = " ".join(str(hand[town.lower()][column]) for column in tables.SITE_COLUMNS)
        assert f"{town} {row}" in flat, town
    # No word is broken inside a cell of the per-site table (each column fits its words).
    assert "Standort Angemeldete Personen Eingelassene angemeldete Personen" in flat
    assert "Der Rückkehrertag war gut besucht." in flat
