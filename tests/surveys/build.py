"""A small needs survey for the tests: two sections, a condition, every kind of question."""

from datetime import timedelta

from django.utils import timezone

from fairs.models import CompanySize, Sector
from surveys import services
from surveys.models import Question, Survey
from tests.factories import MembershipFactory
from tests.fairs.factories import CompanyFactory, CompanyVerificationFactory


def build_survey(*, anonymous=True, companies=3, audience=Survey.Audience.DISTRICT, **extra):
    membership = MembershipFactory()
    organisation = membership.organisation
    firms = []
    for number in range(companies):
        company = CompanyFactory(
            sector=Sector.CRAFTS if number % 2 else Sector.INDUSTRY,
            size=CompanySize.SMALL if number % 2 else CompanySize.MEDIUM,
            language="en" if number == 1 else "de",
        )
        CompanyVerificationFactory(company=company, organisation=organisation)
        firms.append(company)
    survey = services.create_survey(
        organisation=organisation,
        by=membership.user,
        title_de="Bedarfsumfrage",
        title_en="Needs survey",
        minutes=10,
        anonymous=anonymous,
        audience=audience,
        closes_at=timezone.now() + timedelta(days=30),
        **extra,
    )
    first = services.add_section(survey=survey, title_de="Ihr Betrieb", title_en="Your firm")
    second = services.add_section(survey=survey, title_de="Bedarf", title_en="Needs")
    employs = services.save_question(
        section=first,
        kind=Question.Kind.YESNO,
        text_de="Beschäftigen Sie internationale Fachkräfte?",
        text_en="Do you employ international skilled workers?",
        required=True,
    )
    count = services.save_question(
        section=first,
        kind=Question.Kind.NUMBER,
        text_de="Wie viele?",
        text_en="How many?",
        condition_choice=employs.choices.get(label_de="Ja"),
    )
    support = services.save_question(
        section=second,
        kind=Question.Kind.MULTIPLE,
        text_de="Wobei brauchen Sie Unterstützung?",
        text_en="Where do you need support?",
        allow_other=True,
        choices=[("Sprache", "Language"), ("Wohnung", "Housing"), ("Behörden", "Authorities")],
    )
    scale = services.save_question(
        section=second,
        kind=Question.Kind.SCALE,
        text_de="Wie wichtig ist ein Mentoring?",
        text_en="How important is mentoring?",
    )
    remark = services.save_question(
        section=second, kind=Question.Kind.LONG, text_de="Anmerkungen", text_en="Remarks"
    )
    return {
        "survey": survey,
        "organiser": membership.user,
        "organisation": organisation,
        "companies": firms,
        "sections": [first, second],
        "q": {
            "employs": employs,
            "count": count,
            "support": support,
            "scale": scale,
            "remark": remark,
        },
    }


def answer_all(world, invitation, *, employs=True, support=("Sprache",), scale=4, remark=""):
    """Send a full set of answers for `invitation` through the service."""
    q = world["q"]
    now = timezone.now()
    first = {
        q["employs"].pk: {
            "choices": [q["employs"].choices.get(label_de="Ja" if employs else "Nein").pk]
        }
    }
    if employs:
        first[q["count"].pk] = {"number": 3}
    services.save_section(
        invitation=invitation, section=world["sections"][0], values=first, now=now, last=False
    )
    chosen = [q["support"].choices.get(label_de=label).pk for label in support]
    second = {q["support"].pk: {"choices": chosen}, q["scale"].pk: {"number": scale}}
    if remark:
        second[q["remark"].pk] = {"text": remark}
    services.save_section(
        invitation=invitation, section=world["sections"][1], values=second, now=now, last=True
    )
