"""Needs surveys: opening invites each address once, the reminder reaches only those who
have not answered, answers are saved per section, and an anonymous survey's answers
cannot be joined to its invitations."""

import uuid

import pytest
from django.db import connection
from django.utils import timezone

from infra.errors import DomainError
from notifications.models import Message, Purpose
from surveys import queries, retention, services, subject_data
from surveys.errors import ErrorCode
from surveys.models import Answer, Invitation, Response, Survey
from tests.surveys.build import answer_all, build_survey

pytestmark = pytest.mark.django_db


def test_opening_invites_each_address_once_in_its_language():
    world = build_survey(companies=3)
    survey = world["survey"]
    written = services.open_survey(survey=survey, by=world["organiser"], now=timezone.now())
    assert written == 3
    assert services.invite(survey=survey, by=world["organiser"], now=timezone.now()) == 0
    mails = Message.objects.filter(purpose=Purpose.SURVEY_INVITATION)
    assert mails.count() == 3
    english = mails.get(to_email=world["companies"][1].contact_email)
    assert english.subject == "Survey: Needs survey"
    german = mails.get(to_email=world["companies"][0].contact_email)
    assert german.subject == "Umfrage: Bedarfsumfrage"
    token = Invitation.objects.get(email=world["companies"][0].contact_email).token
    assert f"/umfragen/a/{token}/" in german.body_text


def test_a_survey_without_questions_or_audience_is_not_opened():
    world = build_survey(companies=0)
    with pytest.raises(DomainError) as error:
        services.open_survey(survey=world["survey"], by=None, now=timezone.now())
    assert error.value.code == ErrorCode.SURVEY_NO_AUDIENCE


def test_the_reminder_reaches_only_who_has_not_answered_and_only_once():
    world = build_survey(companies=3)
    survey = world["survey"]
    services.open_survey(survey=survey, by=world["organiser"], now=timezone.now())
    done = Invitation.objects.get(email=world["companies"][0].contact_email)
    answer_all(world, done)
    assert services.remind(survey=survey, by=world["organiser"], now=timezone.now()) == 2
    assert services.remind(survey=survey, by=world["organiser"], now=timezone.now()) == 0
    reminded = set(
        Message.objects.filter(purpose=Purpose.SURVEY_REMINDER).values_list("to_email", flat=True)
    )
    assert reminded == {c.contact_email for c in world["companies"][1:]}


def test_the_automatic_reminder_comes_n_days_before_closing():
    world = build_survey(companies=2, remind_days_before=3)
    survey = world["survey"]
    services.open_survey(survey=survey, by=world["organiser"], now=timezone.now())
    assert services.remind_due(now=timezone.now()) == 0
    later = survey.closes_at - timezone.timedelta(days=2)
    assert services.remind_due(now=later) == 2
    assert services.remind_due(now=later) == 0


def test_answers_are_saved_per_section_and_conditions_are_respected():
    world = build_survey(companies=1)
    survey, q = world["survey"], world["q"]
    services.open_survey(survey=survey, by=None, now=timezone.now())
    invitation = Invitation.objects.get()
    no = q["employs"].choices.get(label_de="Nein").pk
    # "How many?" was typed while "yes" was chosen, then the answer changed to "no".
    services.save_section(
        invitation=invitation,
        section=world["sections"][0],
        values={q["employs"].pk: {"choices": [no]}, q["count"].pk: {"number": 7}},
        now=timezone.now(),
        last=False,
    )
    invitation.refresh_from_db()
    assert invitation.draft[str(q["employs"].pk)] == {"choices": [no]}
    assert not Response.objects.exists()
    services.save_section(
        invitation=invitation,
        section=world["sections"][1],
        values={q["scale"].pk: {"number": 2}},
        now=timezone.now(),
        last=True,
    )
    invitation.refresh_from_db()
    assert invitation.answered and invitation.draft == {}
    assert not Answer.objects.filter(question=q["count"]).exists()  # its condition was not met
    assert Answer.objects.get(question=q["scale"]).number == 2
    with pytest.raises(DomainError) as error:
        services.save_section(
            invitation=invitation,
            section=world["sections"][1],
            values={},
            now=timezone.now(),
            last=True,
        )
    assert error.value.code == ErrorCode.SURVEY_ALREADY_ANSWERED


def test_anonymous_answers_cannot_be_joined_to_invitations():
    world = build_survey(companies=6)
    survey = world["survey"]
    services.open_survey(survey=survey, by=None, now=timezone.now())
    for invitation in Invitation.objects.order_by("pk")[:5]:
        answer_all(world, invitation, remark=f"Text von {invitation.email}")
    # No column of a response or an answer points to an invitation, a company or a person.
    for model in (Response, Answer):
        for field in model._meta.concrete_fields:
            target = field.related_model
            assert target not in (Invitation,), field
            if field.name == "company":
                assert not Response.objects.exclude(company=None).exists()
            assert not isinstance(getattr(model, field.name, None), timezone.datetime)
    assert not Response.objects.exclude(submitted_on=None).exists()
    # No timestamp of any kind on the answer side.
    for model in (Response, Answer):
        kinds = {f.get_internal_type() for f in model._meta.concrete_fields}
        assert not kinds & {"DateTimeField", "TimeField"}
    # Keys are random UUIDs (version 4): their order says nothing about who answered first.
    for pk in list(Response.objects.values_list("pk", flat=True)) + list(
        Answer.objects.values_list("pk", flat=True)
    ):
        assert isinstance(pk, uuid.UUID) and pk.version == 4
    # And the drafts that held the typed answers were emptied on sending.
    assert not Invitation.objects.exclude(draft={}).exists()
    # The invitation side keeps only whether someone has answered.
    assert Invitation.objects.filter(answered=True).count() == 5
    # A join attempt over every column both tables share finds nothing to join on.
    invitation_columns = {f.column for f in Invitation._meta.concrete_fields}
    response_columns = {f.column for f in Response._meta.concrete_fields}
    assert invitation_columns & response_columns == {"id", "survey_id", "company_id"}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM surveys_response r JOIN surveys_invitation i "
            "ON r.company_id = i.company_id"
        )
        assert cursor.fetchone()[0] == 0


def test_a_named_survey_keeps_the_company_and_filters_by_it():
    world = build_survey(anonymous=False, companies=3)
    survey = world["survey"]
    services.open_survey(survey=survey, by=None, now=timezone.now())
    for invitation in Invitation.objects.all():
        answer_all(world, invitation)
    assert set(Response.objects.values_list("company", flat=True)) == {
        c.pk for c in world["companies"]
    }
    crafts = queries.results(survey, sector="crafts")
    assert crafts.total == 1 and crafts.filtered
    header, rows = queries.export_rows(survey)
    assert header[:3] == ["Firma", "Branche", "Größe"]
    assert {row[0] for row in rows} == {c.name for c in world["companies"]}


def test_anonymous_results_hide_groups_of_fewer_than_five():
    world = build_survey(companies=9)
    survey, q = world["survey"], world["q"]
    services.open_survey(survey=survey, by=None, now=timezone.now())
    invitations = list(Invitation.objects.order_by("pk"))
    for invitation in invitations[:4]:
        answer_all(world, invitation, remark="Mehr Sprachkurse")
    early = queries.results(survey)
    assert early.suppressed and early.total == 4
    for number, invitation in enumerate(invitations[4:]):
        answer_all(world, invitation, employs=number > 0, support=("Sprache", "Wohnung"))
    data = queries.results(survey)
    assert not data.suppressed and data.total == 9
    by_question = {item.question.pk: item for item in data.questions}
    employs = {row.label: row for row in by_question[q["employs"].pk].rows}
    # 8 yes and 1 no: the one "no" is hidden, and "yes" too (9 minus yes would tell it).
    assert not employs["Nein"].shown and not employs["Ja"].shown
    assert "Ja" not in str(by_question[q["employs"].pk].chart)
    support = {row.label: row for row in by_question[q["support"].pk].rows}
    assert support["Sprache"].shown and support["Sprache"].count == 9
    assert support["Wohnung"].shown and support["Wohnung"].count == 5
    assert by_question[q["support"].pk].chart
    # Four identical remarks: fewer than five texts are not listed.
    assert by_question[q["remark"].pk].texts == []
    header, rows = queries.export_rows(survey)
    assert ["Beschäftigen Sie internationale Fachkräfte?", "Nein", "weniger als 5"] in rows
    # No filter of an anonymous survey narrows the group.
    assert queries.results(survey, sector="crafts").total == 9


def test_data_copy_and_erasure_of_an_invited_address():
    world = build_survey(companies=2)
    survey = world["survey"]
    services.open_survey(survey=survey, by=None, now=timezone.now())
    email = world["companies"][0].contact_email
    sections = subject_data.export(email)
    assert len(sections[0].records) == 1
    counts = subject_data.erase(email, now=timezone.now())
    assert counts == {"survey_invitations_anonymised": 1, "survey_lists_cleaned": 0}
    assert not Invitation.objects.filter(email=email).exists()


def test_erasure_takes_the_address_out_of_a_surveys_own_list():
    world = build_survey(
        companies=0,
        audience=Survey.Audience.LIST,
        emails="Anna@Beispiel.de\nbernd@beispiel.de\n",
    )
    survey = world["survey"]
    assert subject_data.organisations("anna@beispiel.de") == {survey.organisation_id}
    counts = subject_data.erase("anna@beispiel.de", now=timezone.now())
    assert counts["survey_lists_cleaned"] == 1
    survey.refresh_from_db()
    assert survey.emails == "bernd@beispiel.de"


def test_a_survey_with_a_later_start_opens_and_invites_at_its_start():
    start = timezone.now() + timezone.timedelta(days=2)
    world = build_survey(companies=2, opens_at=start)
    survey = world["survey"]
    assert services.open_survey(survey=survey, by=world["organiser"], now=timezone.now()) == 0
    survey.refresh_from_db()
    assert survey.state == Survey.State.SCHEDULED
    assert not Message.objects.filter(purpose=Purpose.SURVEY_INVITATION).exists()
    assert not services.is_answerable(survey, timezone.now())
    assert services.open_due(now=start - timezone.timedelta(minutes=1)) == 0
    assert services.open_due(now=start) == 1
    survey.refresh_from_db()
    assert survey.state == Survey.State.OPEN
    assert survey.opens_at == start
    assert Message.objects.filter(purpose=Purpose.SURVEY_INVITATION).count() == 2
    assert services.open_due(now=start) == 0


def test_retention_empties_addresses_after_the_survey_closed():
    world = build_survey(companies=2)
    survey = world["survey"]
    services.open_survey(survey=survey, by=None, now=timezone.now())
    services.close_survey(survey=survey, by=None, now=timezone.now())
    assert retention.erase_expired_invitations(now=timezone.now()) == 0
    later = timezone.now() + timezone.timedelta(days=91)
    assert retention.erase_expired_invitations(now=later) == 2
    assert set(Invitation.objects.values_list("email", flat=True)) == {""}
    assert Survey.objects.get().state == Survey.State.CLOSED
