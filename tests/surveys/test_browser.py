"""Needs surveys in Chromium: an organiser builds and opens a survey by keyboard; a company
answers on a phone, leaves and comes back by its link; the results show with small groups
hidden. At 360 px (and the organiser's pages also at 1366 px): axe clean, nothing wider than
the window. Screenshots in var/screenshots/surveys/ to look through."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from surveys import services
from surveys.models import Invitation, Question, Survey
from tests.factories import MembershipFactory
from tests.fairs.factories import CompanyFactory, CompanyVerificationFactory
from tests.surveys.build import answer_all, build_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "surveys"
PASSWORD = "correct horse battery staple"


def _look(page, axe, name: str) -> None:
    folder = SCREENSHOTS / f"{page.viewport_size['width']}px"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name


def _press(page, locator) -> None:
    """Reach a link or button by focus and use it with the keyboard."""
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _login(page, username: str) -> None:
    page.goto(reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")


@pytest.mark.parametrize("size", [(360, 800), (1366, 900)])
def test_an_organiser_builds_and_opens_a_survey_by_keyboard(page, axe, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    membership = MembershipFactory(user__username=f"orga-survey-{size[0]}")
    company = CompanyFactory(name="Tischlerei Mittweida")
    CompanyVerificationFactory(company=company, organisation=membership.organisation)
    _login(page, membership.user.username)

    page.goto(reverse("surveys:list"))
    _look(page, axe, "01-list")
    page.fill("#id_title_de", "Bedarf 2027")
    page.fill("#id_minutes", "")
    _press(page, page.get_by_role("button", name="Umfrage anlegen"))
    # Minutes missing: the error at the field and in the summary, the title kept.
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#id_title_de")).to_have_value("Bedarf 2027")
    _look(page, axe, "02-list-error")
    page.fill("#id_minutes", "10")
    _press(page, page.get_by_role("button", name="Umfrage anlegen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedarf 2027")

    page.fill("#id_section-title_de", "Ihr Betrieb")
    _press(page, page.get_by_role("button", name="Abschnitt hinzufügen"))
    _press(page, page.get_by_role("link", name="Frage zu Ihr Betrieb hinzufügen"))
    page.fill("#id_text_de", "Wo brauchen Sie Unterstützung?")
    page.select_option("#id_kind", "multiple")
    _press(page, page.get_by_role("button", name="Frage speichern"))
    expect(page.locator(".error-summary")).to_contain_text(
        "Bitte geben Sie mindestens zwei Antwortmöglichkeiten ein."
    )
    _look(page, axe, "03-question-error")
    page.fill("#id_choices_text", "Sprache | Language\nWohnung | Housing")
    page.locator("#id_allow_other").check()
    _press(page, page.get_by_role("button", name="Frage speichern"))
    expect(page.get_by_text("Sprache · Wohnung · Sonstiges")).to_be_visible()
    _look(page, axe, "04-edit")

    _press(page, page.get_by_role("link", name="Vorschau"))
    expect(page.get_by_role("group", name="Wo brauchen Sie Unterstützung?")).to_be_visible()
    _look(page, axe, "05-preview")
    _press(page, page.get_by_role("link", name="Fragen und Einstellungen"))
    _press(page, page.get_by_role("button", name="Umfrage öffnen und einladen"))
    expect(
        page.get_by_text("Die Umfrage ist offen. 1 Einladung wurde geschrieben.")
    ).to_be_visible()
    survey = Survey.objects.get()
    assert survey.state == Survey.State.OPEN
    assert Invitation.objects.get().email == company.contact_email
    _press(page, page.get_by_role("link", name="Einladungen"))
    expect(page.get_by_role("cell", name="Tischlerei Mittweida")).to_be_visible()
    _look(page, axe, "06-invitations")


def test_a_company_answers_on_a_phone_leaves_and_resumes(page, axe):
    page.set_viewport_size({"width": 360, "height": 780})
    world = build_survey(companies=1)
    services.open_survey(survey=world["survey"], by=None, now=timezone.now())
    link = reverse("surveys:answer", args=[Invitation.objects.get().token])

    page.goto(link)
    expect(page.get_by_text("Seite 1 von 2")).to_be_visible()
    _look(page, axe, "10-answer-first")
    _press(page, page.get_by_role("button", name="Speichern und weiter"))
    expect(page.locator(".error-summary")).to_contain_text("Bitte beantworten Sie diese Frage.")
    _look(page, axe, "11-answer-error")
    group = page.get_by_role("group", name="Beschäftigen Sie internationale Fachkräfte?")
    group.get_by_label("Ja").check()
    _press(page, page.get_by_role("button", name="Speichern und weiter"))
    # "Yes" brings the question how many, on the same page.
    page.get_by_label("Wie viele?").fill("4")
    _press(page, page.get_by_role("button", name="Speichern und weiter"))
    expect(page.get_by_text("Seite 2 von 2")).to_be_visible()

    # The company leaves and comes back later by the link in its mail.
    page.goto(reverse("events_platform:home"))
    page.goto(link)
    expect(page.get_by_text("Seite 2 von 2")).to_be_visible()
    _press(page, page.get_by_role("link", name="Zurück zur vorigen Seite"))
    expect(page.get_by_label("Wie viele?")).to_have_value("4")
    page.goto(link)
    support = page.get_by_role("group", name="Wobei brauchen Sie Unterstützung?")
    support.get_by_label("Wohnung").check()
    page.get_by_role("group", name="Wie wichtig ist ein Mentoring?").get_by_label("5").check()
    page.get_by_label("Anmerkungen").fill("Mehr Kita-Plätze")
    _look(page, axe, "12-answer-second")
    _press(page, page.get_by_role("button", name="Antworten senden"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vielen Dank")
    _look(page, axe, "13-thanks")
    invitation = Invitation.objects.get()
    assert invitation.answered and invitation.draft == {}
    q = world["q"]
    assert world["survey"].responses.get().answers.get(question=q["count"]).number == 4


def test_results_show_with_small_groups_hidden(page, axe):
    world = build_survey(companies=6)
    survey = world["survey"]
    services.open_survey(survey=survey, by=None, now=timezone.now())
    for number, invitation in enumerate(Invitation.objects.order_by("pk")[:6]):
        answer_all(world, invitation, employs=number > 0, remark=f"Anmerkung {number}")
    world["organiser"].username = "orga-results"
    world["organiser"].save()
    _login(page, "orga-results")
    for width in (360, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(reverse("surveys:results", args=[survey.pk]))
        expect(page.get_by_text("6 Firmen haben geantwortet.")).to_be_visible()
        question = survey.sections.first().questions.get(kind=Question.Kind.YESNO)
        table = page.locator(f"#table-{question.pk}")
        # One "no": hidden, and "yes" too, since 6 minus "yes" would tell it.
        expect(table.get_by_role("row", name=re.compile("Nein.*weniger als 5"))).to_be_visible()
        expect(table.get_by_role("row", name=re.compile("Ja.*weniger als 5"))).to_be_visible()
        support = page.locator(f"#table-{world['q']['support'].pk}")
        expect(support.get_by_role("row", name=re.compile("Sprache.*6"))).to_be_visible()
        expect(page.get_by_text("Anmerkung 3")).to_be_visible()
        _look(page, axe, "20-results")
