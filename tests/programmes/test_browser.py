"""Programmes in the browser at 360 × 800 and 1366 × 900: whole (no horizontal overflow),
axe clean, used by keyboard. A company signs up (a wrong number named at the top and kept,
then sent right) and enters a mentee with their consent; the organiser pairs a mentor and a
mentee; the public page is read in plain language.
Screenshots in var/screenshots/programmes/<size>/."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from programmes.models import Pair, Participant, Signup
from tests.conftest import ROOT
from tests.factories import MembershipFactory
from tests.fairs.factories import CompanyMemberFactory
from tests.programmes.factories import ParticipantFactory, ProgrammeFactory, add_event
from tests.test_journeys import SIZES, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = ROOT / "var" / "screenshots" / "programmes"


def _folder(size: str) -> Path:
    folder = SCREENS / size
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _context(browser, live_server, size, client=None, user=None):
    context = browser.new_context(
        locale="de-DE", timezone_id="Europe/Berlin", viewport=SIZES[size], base_url=live_server.url
    )
    if user is not None:
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
    return context, context.new_page()


def _tab_to(page, selector: str) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _n in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached by keyboard")


def _programme():
    programme = ProgrammeFactory(
        title_de="Mentoring für internationale Fachkräfte",
        title_plain="Mentoring: Hilfe für neue Kollegen aus dem Ausland",
        offer_plain="Ein Mentor hilft neuen Kollegen.\nEr beantwortet Fragen.",
    )
    add_event(programme, title_de="Mentoring-Programm: Auftakt-Workshop für Unternehmen")
    return programme


@pytest.mark.parametrize("size", list(SIZES))
def test_company_signs_up_and_enters_a_mentee_by_keyboard(browser, live_server, client, size):
    folder = _folder(size)
    programme = _programme()
    member = CompanyMemberFactory(
        company__name="Zschopautal Metallbau GmbH", company__contact_name="Petra Lange"
    )
    context, page = _context(browser, live_server, size, client, member.user)
    try:
        page.goto(reverse("programmes:detail", args=[programme.slug]))
        expect(page.get_by_role("heading", level=1)).to_have_text(programme.title_de)
        expect(
            page.get_by_role("link", name="Mentoring-Programm: Auftakt-Workshop")
        ).to_be_visible()
        check_page(page, "01-programme", folder)
        page.locator("body").focus()
        _tab_to(page, "a[href$='/anmelden/']")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Anmeldung")
        check_page(page, "02-signup-form", folder)
        page.locator("body").focus()
        _tab_to(page, "#id_international_employees")
        page.keyboard.type("0")
        _tab_to(page, "input[name=needs][value=language]")
        page.keyboard.press("Space")
        _tab_to(page, "button[type=submit]")
        page.keyboard.press("Enter")
        summary = page.locator("[data-error-summary]")
        expect(summary).to_be_focused()
        expect(summary.get_by_role("link")).to_contain_text("internationalen Beschäftigten")
        expect(page.locator("#id_international_employees")).to_have_value("0")
        expect(page.locator("#id_contact_name")).to_have_value("Petra Lange")
        expect(page.locator("input[name=needs][value=language]")).to_be_checked()
        check_page(page, "03-signup-error", folder)
        page.locator("#id_international_employees").fill("4")
        page.locator("#id_international_employees").press("Enter")
        expect(page.get_by_text("ist angemeldet. Wir haben Ihnen eine Bestätigung")).to_be_visible()
        signup = Signup.objects.get(programme=programme, company=member.company)
        assert signup.international_employees == 4 and signup.needs == ["language"]
        check_page(page, "04-company-page", folder)

        page.locator("body").focus()
        # A group of radio buttons is one Tab stop; the arrow key picks the next choice.
        _tab_to(page, "input[name=role][value=mentor]")
        page.keyboard.press("ArrowDown")
        expect(page.locator("input[name=role][value=mentee]")).to_be_checked()
        _tab_to(page, "#id_name")
        page.keyboard.type("Rahul Desai")
        _tab_to(page, "#id_consent")
        page.keyboard.press("Space")
        _tab_to(page, "form:has(#id_consent) button[type=submit]")
        page.keyboard.press("Enter")
        expect(page.get_by_text("Rahul Desai ist eingetragen.")).to_be_visible()
        person = Participant.objects.get(name="Rahul Desai")
        assert person.role == "mentee" and person.consent_language == "de"
        check_page(page, "05-mentee-entered", folder)
        page.goto(reverse("programmes:withdraw", args=[programme.slug]))
        expect(page.get_by_text("1 eingetragene Person wird gelöscht")).to_be_visible()
        check_page(page, "06-withdraw-confirm", folder)
        page.goto(reverse("programmes:participant-remove", args=[programme.slug, person.pk]))
        check_page(page, "07-erase-confirm", folder)
        page.locator("body").focus()
        _tab_to(page, "main button[type=submit]")
        page.keyboard.press("Enter")
        expect(page.get_by_text("Rahul Desai ist gelöscht.")).to_be_visible()
        assert not Participant.objects.filter(pk=person.pk).exists()
    finally:
        context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_organiser_pairs_a_mentor_and_a_mentee_by_keyboard(browser, live_server, client, size):
    folder = _folder(size)
    programme = _programme()
    organiser = MembershipFactory(organisation=programme.organisation).user
    mentor = ParticipantFactory(
        signup__programme=programme,
        signup__company__name="Pflegedienst Am Schlossplatz Freiberg",
        role=Participant.Role.MENTOR,
        name="Sabine Kretzschmar",
    )
    ParticipantFactory(signup__programme=programme, role=Participant.Role.MENTOR, name="Anton Alt")
    mentee = ParticipantFactory(signup=mentor.signup, name="Maria Santos")
    ParticipantFactory(signup=mentor.signup, name="Berta Bauer")
    context, page = _context(browser, live_server, size, client, organiser)
    try:
        page.goto(reverse("programmes:organiser-list"))
        check_page(page, "10-organiser-list", folder)
        page.goto(reverse("programmes:organiser-participants", args=[programme.slug]))
        expect(page.get_by_text("Noch keine Tandems.")).to_be_visible()
        check_page(page, "11-participants", folder)
        page.locator("body").focus()
        _tab_to(page, "#id_mentor")
        page.keyboard.type("Sabine")
        _tab_to(page, "#id_mentee")
        page.keyboard.type("Maria")
        expect(page.locator("#id_mentor")).to_have_value(str(mentor.pk))
        expect(page.locator("#id_mentee")).to_have_value(str(mentee.pk))
        _tab_to(page, "form:has(#id_mentor) button[type=submit]")
        page.keyboard.press("Enter")
        expect(
            page.get_by_text("Sabine Kretzschmar und Maria Santos sind jetzt ein Tandem.")
        ).to_be_visible()
        assert Pair.objects.get().mentee == mentee
        expect(page.locator(".programme-figures")).to_contain_text("1 Tandem")
        check_page(page, "12-paired", folder)
        page.goto(reverse("programmes:organiser-edit", args=[programme.slug]))
        check_page(page, "13-edit", folder)
        page.goto(reverse("programmes:organiser-new"))
        check_page(page, "14-new", folder)
        page.goto(reverse("programmes:organiser-messages", args=[programme.slug]))
        check_page(page, "15-messages", folder)
        page.locator("body").focus()
        _tab_to(page, "#id_subject")
        page.keyboard.type("Zweites Treffen")
        _tab_to(page, "#id_body")
        page.keyboard.type("Wir treffen uns am Markt.")
        _tab_to(page, "main form button[type=submit]")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Zweites Treffen")
        expect(page.get_by_text("Wir treffen uns am Markt.")).to_be_visible()
        check_page(page, "16-preview", folder)
        page.locator("body").focus()
        _tab_to(page, "main form button[type=submit]")
        page.keyboard.press("Enter")
        expect(page.get_by_text("Die Nachricht geht an 6 Teilnehmende.")).to_be_visible()
        expect(page.get_by_text("an 6 Empfänger gesendet.")).to_be_visible()
        check_page(page, "17-sent", folder)
    finally:
        context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_public_page_in_plain_language_by_keyboard(browser, live_server, size):
    folder = _folder(size)
    programme = _programme()
    context, page = _context(browser, live_server, size)
    try:
        page.goto(reverse("programmes:list"))
        check_page(page, "20-list", folder)
        page.goto(reverse("programmes:detail", args=[programme.slug]))
        page.locator("body").focus()
        _tab_to(page, "a[href$='/einfache-sprache/']")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text(programme.title_plain)
        expect(page.get_by_text("Er beantwortet Fragen.")).to_be_visible()
        expect(page.get_by_role("heading", name="Was bietet das Programm?")).to_be_visible()
        check_page(page, "21-plain", folder)
        page.goto("/en" + reverse("programmes:detail", args=[programme.slug]))
        expect(page.get_by_role("heading", level=1)).to_have_text(programme.title_en)
        check_page(page, "22-english", folder)
    finally:
        context.close()
