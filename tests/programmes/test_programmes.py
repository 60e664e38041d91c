"""Programmes: the public page in three variants, a company's sign-up (its mail once) and
withdrawal, mentors and mentees with their consent, pairs, figures (sessions attended
counted once per person and event), messages sent once, each party seeing only its own,
erasure and retention."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from checkin.models import Attendance, CheckinList
from dataprotection import subject_requests
from notifications.models import Message, Purpose
from programmes import queries, retention, services
from programmes.models import Pair, Participant, Programme, ProgrammeMessage, Signup
from tests.checkin.factories import make_ticket
from tests.factories import EventFactory, MembershipFactory, UserFactory
from tests.fairs.factories import CompanyMemberFactory
from tests.programmes.factories import (
    ParticipantFactory,
    ProgrammeFactory,
    SignupFactory,
    add_event,
)

pytestmark = pytest.mark.django_db


def _organiser(programme):
    return MembershipFactory(organisation=programme.organisation).user


def test_public_page_in_german_english_and_plain_language(client):
    programme = ProgrammeFactory()
    event = add_event(programme, title_de="Auftakt in Mittweida")
    hidden = add_event(programme, status="draft", title_de="Noch geheim")
    page = client.get(reverse("programmes:detail", args=[programme.slug])).content.decode()
    assert programme.title_de in page and "Auftakt in Mittweida" in page
    assert hidden.title_de not in page
    assert event.get_absolute_url() in page
    assert reverse("programmes:plain", args=[programme.slug]) in page
    with translation.override("en"):
        english = client.get(reverse("programmes:detail", args=[programme.slug]))
    english = english.content.decode()
    assert programme.title_en in english
    plain = client.get(reverse("programmes:plain", args=[programme.slug])).content.decode()
    assert "Ein Kollege hilft Ihnen am Anfang." in plain and 'lang="de"' in plain


def test_draft_programme_and_missing_plain_text_answer_404(client):
    draft = ProgrammeFactory(status=Programme.Status.DRAFT)
    assert client.get(reverse("programmes:detail", args=[draft.slug])).status_code == 404
    no_plain = ProgrammeFactory(title_plain="", offer_plain="")
    assert client.get(reverse("programmes:plain", args=[no_plain.slug])).status_code == 404
    assert client.get(reverse("programmes:list")).status_code == 200


def _signup_data(**changes):
    data = {
        "contact_name": "Petra Lange",
        "contact_email": "petra@firma.example",
        "contact_phone": "",
        "international_employees": "4",
        "needs": ["language", "housing"],
        "needs_text": "Wohnungen in Mittweida",
    }
    data.update(changes)
    return data


def test_company_signs_up_once_and_gets_one_confirmation(client):
    programme = ProgrammeFactory()
    member = CompanyMemberFactory()
    client.force_login(member.user)
    url = reverse("programmes:signup", args=[programme.slug])
    response = client.post(url, _signup_data())
    assert response.status_code == 302
    signup = Signup.objects.get(programme=programme, company=member.company)
    assert signup.international_employees == 4 and signup.needs == ["language", "housing"]
    # Changing the details later sends no second confirmation.
    client.post(url, _signup_data(international_employees="5"))
    signup.refresh_from_db()
    assert signup.international_employees == 5
    mails = Message.objects.filter(purpose=Purpose.PROGRAMME_SIGNUP)
    assert [m.to_email for m in mails] == ["petra@firma.example"]
    assert programme.title_de in mails[0].subject


def test_bad_signup_input_is_named_and_kept(client):
    programme = ProgrammeFactory()
    client.force_login(CompanyMemberFactory().user)
    response = client.post(
        reverse("programmes:signup", args=[programme.slug]),
        _signup_data(international_employees="0", contact_email="kein-at"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "error-summary" in page and 'value="Petra Lange"' in page
    assert not Signup.objects.exists()


def test_people_without_a_company_are_sent_to_register_it(client):
    programme = ProgrammeFactory()
    client.force_login(UserFactory())
    response = client.get(reverse("programmes:signup", args=[programme.slug]))
    assert response.status_code == 302 and response.url == reverse("fairs:company-signup")


def test_closed_programme_takes_no_signup(client):
    programme = ProgrammeFactory(signup_open=False)
    client.force_login(CompanyMemberFactory().user)
    response = client.post(reverse("programmes:signup", args=[programme.slug]), _signup_data())
    assert response.status_code == 404 and not Signup.objects.exists()


def test_company_enters_a_mentee_with_consent_and_sees_only_its_own(client):
    signup = SignupFactory()
    member = CompanyMemberFactory(company=signup.company)
    other = ParticipantFactory(signup__programme=signup.programme, name="Fremde Person")
    client.force_login(member.user)
    url = reverse("programmes:company", args=[signup.programme.slug])
    refused = client.post(url, {"role": "mentee", "name": "Rahul Desai"})
    assert refused.status_code == 400 and "Rahul Desai" in refused.content.decode()
    assert not Participant.objects.filter(name="Rahul Desai").exists()
    with translation.override("en"):
        english_url = reverse("programmes:company", args=[signup.programme.slug])
    client.post(english_url, {"role": "mentee", "name": "Rahul Desai", "consent": "on"})
    person = Participant.objects.get(name="Rahul Desai")
    assert person.consent_language == "en" and "agrees" in person.consent_text
    assert person.entered_by == member.user and person.consent_given_at
    page = client.get(url).content.decode()
    assert "Rahul Desai" in page and "Fremde Person" not in page
    # Another company's person cannot be erased through this company.
    remove = reverse("programmes:participant-remove", args=[signup.programme.slug, other.pk])
    assert client.post(remove).status_code == 404
    remove = reverse("programmes:participant-remove", args=[signup.programme.slug, person.pk])
    assert client.post(remove).status_code == 302
    assert not Participant.objects.filter(pk=person.pk).exists()


def test_withdrawing_erases_the_companys_people_and_pairs():
    signup = SignupFactory()
    mentor = ParticipantFactory(signup=signup, role=Participant.Role.MENTOR)
    mentee = ParticipantFactory(signup=signup)
    services.pair(
        programme=signup.programme, mentor=mentor, mentee=mentee, user=None, now=timezone.now()
    )
    services.withdraw(signup=signup, now=timezone.now())
    signup.refresh_from_db()
    assert signup.status == Signup.Status.WITHDRAWN
    assert not Participant.objects.exists() and not Pair.objects.exists()


def test_organiser_pairs_only_a_mentor_and_a_mentee_of_their_programme(client):
    programme = ProgrammeFactory()
    mentor = ParticipantFactory(signup__programme=programme, role=Participant.Role.MENTOR)
    mentee = ParticipantFactory(signup__programme=programme)
    stranger = ParticipantFactory(role=Participant.Role.MENTOR)  # another programme
    client.force_login(_organiser(programme))
    url = reverse("programmes:organiser-participants", args=[programme.slug])
    refused = client.post(url, {"mentor": stranger.pk, "mentee": mentee.pk})
    assert refused.status_code == 400 and not Pair.objects.exists()
    assert client.post(url, {"mentor": mentor.pk, "mentee": mentee.pk}).status_code == 302
    assert Pair.objects.get().mentor == mentor
    # A mentee given another mentor keeps one pair.
    second = ParticipantFactory(signup__programme=programme, role=Participant.Role.MENTOR)
    client.post(url, {"mentor": second.pk, "mentee": mentee.pk})
    assert list(Pair.objects.values_list("mentor", flat=True)) == [second.pk]


def test_organiser_of_another_organisation_sees_nothing(client):
    programme = ProgrammeFactory()
    client.force_login(MembershipFactory().user)
    for name in ("organiser-edit", "organiser-participants", "organiser-messages"):
        assert client.get(reverse(f"programmes:{name}", args=[programme.slug])).status_code == 404
    assert (
        programme.title_de not in client.get(reverse("programmes:organiser-list")).content.decode()
    )


def _attend(event, email, n):
    ticket = make_ticket(event, n, email=email)
    now = timezone.now()
    checkin_list = CheckinList.objects.get_or_create(
        event=event,
        defaults={"name": "Tür", "opens_at": now, "closes_at": now + timedelta(hours=1)},
    )[0]
    Attendance.objects.create(
        checkin_list=checkin_list, ticket=ticket, first_entry_at=now, last_entry_at=now
    )


def test_figures_count_each_participant_once_per_event():
    programme = ProgrammeFactory()
    first, second = add_event(programme), add_event(programme)
    outside = EventFactory(organisation=programme.organisation)
    signup = SignupFactory(programme=programme, contact_email="chefin@firma.example")
    mentor = ParticipantFactory(signup=signup, role=Participant.Role.MENTOR, email="m@f.example")
    mentee = ParticipantFactory(signup=signup, email="n@f.example")
    services.pair(programme=programme, mentor=mentor, mentee=mentee, user=None, now=timezone.now())
    _attend(first, "chefin@firma.example", 1)
    _attend(first, "CHEFIN@firma.example", 2)  # the same person registered twice
    _attend(first, "m@f.example", 3)
    _attend(second, "n@f.example", 4)
    _attend(second, "fremd@example.org", 5)  # no participant
    _attend(outside, "m@f.example", 6)  # not an event of the programme
    figures = queries.figures(programme)
    assert (figures.companies, figures.mentors, figures.mentees, figures.pairs) == (1, 1, 1, 1)
    assert figures.international_employees == 3
    assert figures.sessions_attended == 3


def test_message_reaches_each_participant_once_and_is_sent_once(client):
    programme = ProgrammeFactory()
    signup = SignupFactory(programme=programme, contact_email="chefin@firma.example")
    ParticipantFactory(signup=signup, email="Chefin@firma.example")  # the same address
    ParticipantFactory(signup=signup, email="mentee@firma.example", role=Participant.Role.MENTEE)
    ParticipantFactory(signup=signup, email="")  # no address: not written to
    SignupFactory(programme=programme, status=Signup.Status.WITHDRAWN)
    client.force_login(_organiser(programme))
    response = client.post(
        reverse("programmes:organiser-messages", args=[programme.slug]),
        {"subject": "Zweites Treffen", "body": "Wir treffen uns am Markt.\n\nBis bald!"},
    )
    message = ProgrammeMessage.objects.get()
    assert response.url == reverse(
        "programmes:organiser-message", args=[programme.slug, message.pk]
    )
    preview = client.get(response.url).content.decode()
    assert "Wir treffen uns am Markt." in preview and message.sent_at is None
    client.post(response.url)
    client.post(response.url)  # a second click sends nothing more
    sent = Message.objects.filter(purpose=Purpose.PROGRAMME_MESSAGE)
    assert sorted(m.to_email.lower() for m in sent) == [
        "chefin@firma.example",
        "mentee@firma.example",
    ]
    message.refresh_from_db()
    assert message.sent_at and message.recipients == 2


def test_a_persons_copy_and_erasure():
    person = ParticipantFactory(email="rahul@firma.example", name="Rahul Desai")
    copy = subject_requests.export_subject_data(email="rahul@firma.example", now=timezone.now())
    records = [
        record
        for section in copy.sections
        if section.key == "programme_participants"
        for record in section.records
    ]
    assert records and "Rahul Desai" in str(records)
    subject_requests.erase_subject_data(email="rahul@firma.example", now=timezone.now())
    assert not Participant.objects.filter(pk=person.pk).exists()


def test_retention_erases_people_of_programmes_long_over():
    today = timezone.localdate()
    old = ParticipantFactory(
        signup__programme__starts_on=today - timedelta(days=600),
        signup__programme__ends_on=today - timedelta(days=400),
    )
    current = ParticipantFactory()
    assert retention.erase_expired(now=timezone.now()) == 2  # the person and the contact
    assert not Participant.objects.filter(pk=old.pk).exists()
    assert Participant.objects.filter(pk=current.pk).exists()
    old_signup = Signup.objects.get(pk=old.signup_id)
    assert old_signup.contact_name == "" and old_signup.international_employees == 3
    assert retention.erase_expired(now=timezone.now()) == 0


def test_survey_results_link_to_the_programme_built_from_them(client):
    from tests.surveys.build import build_survey

    built = build_survey()
    survey, organiser = built["survey"], built["organiser"]
    client.force_login(organiser)
    results = reverse("surveys:results", args=[survey.pk])
    assert "programmes-from-survey" not in client.get(results).content.decode()
    programme = ProgrammeFactory(organisation=built["organisation"], survey=survey)
    page = client.get(results).content.decode()
    assert reverse("programmes:organiser-edit", args=[programme.slug]) in page
    assert reverse("programmes:detail", args=[programme.slug]) in page
    # Another organisation's survey is not offered on the programme's form.
    other = build_survey()["survey"]
    form = client.get(reverse("programmes:organiser-edit", args=[programme.slug]))
    assert form.status_code == 200
    assert f'value="{survey.pk}"' in form.content.decode()
    assert f'value="{other.pk}"' not in form.content.decode()


def test_an_event_of_a_published_programme_names_it_on_its_page(client):
    programme = ProgrammeFactory()
    event = add_event(programme, role="kickoff")
    page = client.get(event.get_absolute_url()).content.decode()
    assert reverse("programmes:detail", args=[programme.slug]) in page
    assert "Auftakt-Workshop" in page
    Programme.objects.filter(pk=programme.pk).update(status=Programme.Status.DRAFT)
    page = client.get(event.get_absolute_url()).content.decode()
    assert reverse("programmes:detail", args=[programme.slug]) not in page


def test_the_company_area_links_to_its_programmes(client):
    programme = ProgrammeFactory()
    member = CompanyMemberFactory()
    client.force_login(member.user)
    home = client.get(reverse("fairs:company-home")).content.decode()
    assert reverse("programmes:list") in home
    SignupFactory(programme=programme, company=member.company)
    home = client.get(reverse("fairs:company-home")).content.decode()
    assert reverse("programmes:company", args=[programme.slug]) in home
