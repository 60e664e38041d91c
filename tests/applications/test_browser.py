"""In Chromium: a visitor applies on a phone (360 px) with a real small PDF after a PDF with
JavaScript and one with too many pages were refused; the company reads the application at
1366 px, downloads the CV and answers; the visitor sees the answer on the secret-link page.
Every page passes axe, fits its width, and is used by keyboard."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from applications.models import Application, ApplicationTally
from notifications.models import Message, Purpose
from tests.factories import MembershipFactory

from .helpers import pdf, pdf_with_javascript, pdf_with_pages, wall

PASSWORD = "correct horse battery staple"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "applications"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, axe, name: str) -> None:
    page.wait_for_load_state("load")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    axe(page)


def _tab_to(page, locator, limit: int = 60) -> None:
    """Press Tab until `locator` has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


def test_a_visitor_applies_on_a_phone_and_the_company_answers(browser, live_server, axe, tmp_path):
    event, offer, member = wall()
    member.user.username = "personal"
    member.user.save()
    files = {
        "script.pdf": pdf_with_javascript(),
        "long.pdf": pdf_with_pages(21),
        "cv.pdf": pdf("Lebenslauf Lena Hartmann"),
        "letter.pdf": pdf("Anschreiben Lena Hartmann"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)

    phone = browser.new_context(
        locale="de-DE",
        timezone_id="Europe/Berlin",
        viewport={"width": 360, "height": 740},
        base_url=live_server.url,
    )
    page = phone.new_page()
    page.goto(reverse("fairs:jobs-event", args=[event.slug]))
    _check(page, axe, "wall-360")
    apply = page.get_by_role("link", name=re.compile(r"^Jetzt bewerben\W+Landwirt.in$"))
    _tab_to(page, apply)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('applications:apply', args=[offer.pk, event.slug])}")
    _check(page, axe, "apply-360")

    page.get_by_label("Ihr Name").fill("Lena Hartmann")
    page.get_by_label("E-Mail-Adresse").fill("lena@example.org")
    page.get_by_label("Ihre Nachricht an die Firma").fill("Ich möchte gern bei Ihnen anfangen.")
    page.get_by_label("Lebenslauf (PDF)").set_input_files(str(tmp_path / "script.pdf"))
    page.get_by_label("Anschreiben (PDF)").set_input_files(str(tmp_path / "long.pdf"))
    page.get_by_label("Ich bin einverstanden").check()
    page.get_by_role("button", name="Bewerbung senden").press("Enter")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Skripte, Aktionen oder eingebettete Dateien")
    expect(summary).to_contain_text("höchstens 20 Seiten")
    expect(summary).to_contain_text("wählen Sie Ihren Lebenslauf und Ihr Anschreiben erneut")
    expect(page.get_by_label("Ihr Name")).to_have_value("Lena Hartmann")
    expect(page.get_by_label("Ihre Nachricht an die Firma")).to_have_value(
        "Ich möchte gern bei Ihnen anfangen."
    )
    _check(page, axe, "apply-errors-360")
    assert not Application.objects.exists()

    page.get_by_label("Lebenslauf (PDF)").set_input_files(str(tmp_path / "cv.pdf"))
    page.get_by_label("Anschreiben (PDF)").set_input_files(str(tmp_path / "letter.pdf"))
    page.get_by_label("Ich bin einverstanden").check()
    page.get_by_role("button", name="Bewerbung senden").press("Enter")
    page.wait_for_url("**/bewerbungen/b/**")
    expect(page.get_by_role("heading", name="Ihre Bewerbung", exact=True)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Noch keine Antwort")
    _check(page, axe, "mine-360")
    application = Application.objects.get()
    assert Message.objects.filter(purpose=Purpose.APPLICATION_RECEIVED).count() == 1
    applicant_page = page.url

    desk = browser.new_context(
        locale="de-DE",
        timezone_id="Europe/Berlin",
        viewport={"width": 1366, "height": 900},
        base_url=live_server.url,
    )
    company = desk.new_page()
    home = reverse("fairs:company-home")
    company.goto(home)
    company.wait_for_url("**/login/**")
    company.get_by_label("Benutzername").fill("personal")
    company.get_by_label("Passwort").fill(PASSWORD)
    company.get_by_label("Passwort").press("Enter")
    company.wait_for_url(f"**{home}")
    link = company.get_by_role("link", name="Bewerbungen", exact=True).first
    _tab_to(company, link, limit=80)
    company.keyboard.press("Enter")
    company.wait_for_url(f"**{reverse('applications:company-offers')}")
    _check(company, axe, "company-offers-1366")
    company.get_by_role("link", name="Landwirt/in").click()
    _check(company, axe, "company-list-1366")
    company.get_by_label("Nach Name oder E-Mail suchen").fill("Hartmann")
    company.get_by_label("Nach Name oder E-Mail suchen").press("Enter")
    company.get_by_role("link", name="Lena Hartmann").click()
    company.wait_for_url(f"**{reverse('applications:company-detail', args=[application.pk])}")
    expect(company.locator("main")).to_contain_text("Ich möchte gern bei Ihnen anfangen.")
    _check(company, axe, "company-detail-1366")
    with company.expect_download() as download:
        company.get_by_role("link", name="Lebenslauf: cv.pdf").click()
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == files["cv.pdf"]

    company.get_by_label("Status").select_option(label="Zum Gespräch eingeladen")
    company.get_by_label("Nachricht an die Bewerberin oder den Bewerber").fill(
        "Kommen Sie am Samstag an unseren Stand."
    )
    company.get_by_role("button", name="Antwort senden").press("Enter")
    expect(company.locator("main")).to_contain_text("Ihre Antwort wurde gesendet.")
    assert Message.objects.filter(purpose=Purpose.APPLICATION_ANSWERED).count() == 1
    desk.close()

    page.goto(applicant_page)
    expect(page.locator("main")).to_contain_text("Kommen Sie am Samstag an unseren Stand.")
    expect(page.locator("main")).to_contain_text("Zum Gespräch eingeladen")
    _check(page, axe, "mine-answered-360")
    page.set_viewport_size({"width": 1366, "height": 900})
    _check(page, axe, "mine-answered-1366")

    # Withdrawn from the page behind the link (no Referer there, so no CSRF cookie check).
    page.get_by_role("button", name="Bewerbung zurückziehen").press("Enter")
    expect(page.get_by_role("heading", name="Bewerbung zurückgezogen")).to_be_visible()
    _check(page, axe, "withdrawn-1366")
    assert not Application.objects.exists()
    assert Message.objects.filter(purpose=Purpose.APPLICATION_WITHDRAWN).count() == 1
    phone.close()


def test_the_organisers_counts_page(page, live_server, axe):
    event, offer, _member = wall()
    Application.objects.create(
        job_offer=offer, company=offer.company, event=event, name="Lena", email="l@example.org",
        message="x", consent_text="x", consent_language="de", consent_at=event.starts_at,
        created_at=event.starts_at,
    )  # fmt: skip
    ApplicationTally.objects.create(event=event, company=offer.company, received=3)
    MembershipFactory(organisation=event.organisation, user__username="orga")
    target = reverse("applications:organiser-counts")
    page.goto(target)
    page.wait_for_url("**/login/**")
    page.get_by_label("Benutzername").fill("orga")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_label("Passwort").press("Enter")
    page.wait_for_url(f"**{target}")
    expect(page.locator("tbody")).to_contain_text("3")
    expect(page.locator("main")).not_to_contain_text("Lena")
    page.set_viewport_size({"width": 360, "height": 740})
    _check(page, axe, "organiser-counts-360")
    page.set_viewport_size({"width": 1366, "height": 900})
    _check(page, axe, "organiser-counts-1366")
