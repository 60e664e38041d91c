"""The survey pages through the test client: the organiser builds and opens a survey, a
company answers section by section (errors next to the field, resumes where it left off),
the results and exports show, and another organisation sees none of it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys import services
from surveys.models import Invitation, Question, Response, Survey
from tests.factories import MembershipFactory
from tests.surveys.build import answer_all, build_survey

pytestmark = pytest.mark.django_db


def test_an_organiser_builds_and_opens_a_survey(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    response = client.post(
        reverse("surveys:list"),
        {
            "title_de": "Bedarf 2027",
            "minutes": "8",
            "anonymous": "on",
            "audience": "list",
            "emails": "a@firma.example\nkein-mail\n",
        },
    )
    assert response.status_code == 400
    assert "Das sind keine E-Mail-Adressen: kein-mail" in response.content.decode()
    assert "a@firma.example" in response.content.decode()  # what was typed is kept
    response = client.post(
        reverse("surveys:list"),
        {
            "title_de": "Bedarf 2027",
            "minutes": "8",
            "anonymous": "on",
            "audience": "list",
            "emails": "a@firma.example\nb@firma.example",
        },
    )
    survey = Survey.objects.get()
    assert response.url == reverse("surveys:edit", args=[survey.pk])
    client.post(reverse("surveys:section-add", args=[survey.pk]), {"section-title_de": "Teil 1"})
    section = survey.sections.get()
    url = reverse("surveys:question-add", args=[survey.pk, section.pk])
    response = client.post(url, {"kind": "single", "text_de": "Welche Branche?"})
    assert "Bitte geben Sie mindestens zwei Antwortmöglichkeiten ein." in response.content.decode()
    client.post(
        url,
        {
            "kind": "single",
            "text_de": "Welche Branche?",
            "choices_text": "Handwerk | Crafts\nIndustrie | Industry",
            "required": "on",
        },
    )
    question = Question.objects.get()
    assert [c.label_en for c in question.choices.all()] == ["Crafts", "Industry"]
    assert client.get(reverse("surveys:preview", args=[survey.pk])).status_code == 200
    client.post(reverse("surveys:state", args=[survey.pk]), {"action": "open"})
    survey.refresh_from_db()
    assert survey.state == Survey.State.OPEN
    assert Invitation.objects.filter(invited=True).count() == 2
    # Another organisation's organiser sees nothing of it.
    other = MembershipFactory()
    client.force_login(other.user)
    assert client.get(reverse("surveys:edit", args=[survey.pk])).status_code == 404
    assert client.get(reverse("surveys:results", args=[survey.pk])).status_code == 404


def test_a_company_answers_resumes_and_sends(client):
    world = build_survey(companies=1)
    services.open_survey(survey=world["survey"], by=None, now=timezone.now())
    invitation = Invitation.objects.get()
    q = world["q"]
    url = reverse("surveys:answer", args=[invitation.token])
    page = client.get(url).content.decode()
    assert "Seite 1 von 2" in page and "Wie viele?" not in page
    response = client.post(url, {})
    body = response.content.decode()
    assert "Bitte beantworten Sie diese Frage." in body and "error-summary" in body
    yes = q["employs"].choices.get(label_de="Ja").pk
    response = client.post(url, {f"q{q['employs'].pk}": str(yes)})
    # Yes brings "How many?" on the same page.
    assert response.url.endswith("?abschnitt=0")
    assert "Wie viele?" in client.get(response.url).content.decode()
    response = client.post(
        url + "?abschnitt=0", {f"q{q['employs'].pk}": str(yes), f"q{q['count'].pk}": "4"}
    )
    assert response.url.endswith("?abschnitt=1")
    # Leaving and coming back by the link opens the first page not yet answered.
    page = client.get(url).content.decode()
    assert "Seite 2 von 2" in page
    response = client.post(
        url + "?abschnitt=1",
        {
            f"q{q['support'].pk}": ["other"],
            f"q{q['support'].pk}_other": "",
            f"q{q['scale'].pk}": "5",
        },
    )
    assert "Bitte schreiben Sie, was „Sonstiges“ hier heißt." in response.content.decode()
    response = client.post(
        url + "?abschnitt=1",
        {
            f"q{q['support'].pk}": ["other"],
            f"q{q['support'].pk}_other": "Kita-Plätze",
            f"q{q['scale'].pk}": "5",
        },
    )
    assert response.url == url
    assert "Vielen Dank" in client.get(url).content.decode()
    answers = Response.objects.get().answers
    assert answers.get(question=q["count"]).number == 4
    assert answers.get(question=q["support"]).text == "Kita-Plätze"


def test_results_and_exports(client):
    world = build_survey(anonymous=False, companies=3)
    survey = world["survey"]
    services.open_survey(survey=survey, by=None, now=timezone.now())
    for invitation in Invitation.objects.all():
        answer_all(world, invitation, remark="Sprachkurs im Betrieb")
    client.force_login(world["organiser"])
    page = client.get(reverse("surveys:results", args=[survey.pk]) + "?sector=crafts")
    body = page.content.decode()
    assert "1 Firma hat geantwortet." in body and "<svg" in body
    assert "Sprachkurs im Betrieb" in body
    csv = client.get(reverse("surveys:export", args=[survey.pk, "csv"]))
    assert csv["Content-Type"].startswith("text/csv")
    assert world["companies"][0].name in csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("surveys:export", args=[survey.pk, "xlsx"]))
    assert xlsx.content[:2] == b"PK"
    assert client.get(reverse("surveys:export", args=[survey.pk, "pdf"])).status_code == 404


def test_the_public_link_gives_each_visitor_a_link_of_their_own(client):
    world = build_survey(companies=0, audience=Survey.Audience.PUBLIC)
    survey = world["survey"]
    services.open_survey(survey=survey, by=None, now=timezone.now())
    url = reverse("surveys:public", args=[survey.public_token])
    assert "Umfrage beginnen" in client.get(url).content.decode()
    first = client.post(url)
    second = client.post(url)
    assert first.url != second.url
    assert Invitation.objects.filter(public=True, email="").count() == 2


def test_the_api_gives_the_results_with_small_groups_null(client):
    from rest_framework.test import APIClient

    world = build_survey(companies=6)
    survey, q = world["survey"], world["q"]
    services.open_survey(survey=survey, by=None, now=timezone.now())
    for number, invitation in enumerate(Invitation.objects.order_by("pk")[:6]):
        answer_all(world, invitation, employs=number > 0)
    api = APIClient()
    api.force_authenticate(world["organiser"])
    data = api.get(f"/api/surveys/{survey.pk}/results/").json()
    assert data["responses"] == 6 and not data["suppressed"]
    by_id = {item["id"]: item for item in data["questions"]}
    assert by_id[q["employs"].pk]["rows"] == [
        {"label": "Ja", "count": None},
        {"label": "Nein", "count": None},
    ]
    assert {"label": "Sprache", "count": 6} in by_id[q["support"].pk]["rows"]
    other = MembershipFactory()
    api.force_authenticate(other.user)
    assert api.get(f"/api/surveys/{survey.pk}/results/").status_code == 404


def test_the_answer_link_is_masked_in_logs_and_sends_no_referrer(client):
    from infra.logmask import mask_secrets

    world = build_survey(companies=1)
    services.open_survey(survey=world["survey"], by=None, now=timezone.now())
    token = Invitation.objects.get().token
    url = reverse("surveys:answer", args=[token])
    assert token not in mask_secrets(f'"GET {url} HTTP/1.1" 200')
    response = client.get(url)
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_starting_a_public_survey_is_limited_per_address(client, settings):
    from surveys import views

    world = build_survey(companies=0, audience=Survey.Audience.PUBLIC)
    survey = world["survey"]
    services.open_survey(survey=survey, by=None, now=timezone.now())
    url = reverse("surveys:public", args=[survey.public_token])
    from infra import ratelimit

    ratelimit.reset("survey-start", "127.0.0.1")
    for _number in range(views.PUBLIC_STARTS_PER_HOUR):
        assert client.post(url).status_code == 302
    response = client.post(url)
    assert response.status_code == 429
    assert Invitation.objects.count() == views.PUBLIC_STARTS_PER_HOUR
    ratelimit.reset("survey-start", "127.0.0.1")
