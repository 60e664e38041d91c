"""Content fits the person and the event kind: a parent registers a child (and consents for
the child), contact sharing is offered only where there are exhibitors, a registration
without a place never reads as a ticket, and what a mail promises is on the page."""

import html
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone, translation
from rest_framework.test import APIClient

from events_platform.models import Event
from notifications.models import Message, Purpose
from tests.factories import EventFactory, MembershipFactory
from tests.fairs.factories import FairFactory as StandPlanFactory
from ticketing import consent_texts, services
from ticketing.consent_texts import TEXTS, Audience
from ticketing.forms import AnswersForm, GuardianConsentForm, RegistrationForm
from ticketing.models import ConsentRecord, Registration

from .factories import CampFactory, FairFactory, QuestionFactory, camper, person

pytestmark = pytest.mark.django_db
Topic = ConsentRecord.Topic
ROOT = Path(__file__).resolve().parents[2]


def _page(path: str) -> str:
    response = Client().get(path)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _form(page: str) -> str:
    """The page's own form (not the site's navigation, which links to the exhibitors)."""
    return re.search(r'<form method="post" class="tk-form".*?</form>', page, re.S).group(0)


def test_camp_form_asks_the_parent_for_their_details_and_the_childs_in_german():
    camp = CampFactory()
    page = _page(f"/tickets/anmelden/{camp.slug}/")
    for label in [
        "Ihr Name",
        "Ihre E-Mail-Adresse",
        "Ihre Telefonnummer",
        "Name Ihres Kindes",
        "Geburtsdatum Ihres Kindes",
        "Fotos meines Kindes dürfen gemacht und veröffentlicht werden",
        "Die Angaben zu meinem Kind und zu mir",
    ]:
        assert label in page
    assert "Fotos von mir" not in page
    assert "share_contact_consent" not in page and "Aussteller" not in _form(page)
    # One e-mail address: the parent's (no second "guardian's e-mail" field).
    assert 'name="guardian_email"' not in page
    assert page.index('name="guardian_name"') < page.index('name="name"')


def test_camp_form_in_english_speaks_to_the_parent_too():
    camp = CampFactory()
    page = _page(f"/en/tickets/anmelden/{camp.slug}/")
    for label in [
        "Your e-mail address",
        "Your child's name",
        "Your child's date of birth",
        "Photos of my child may be taken and published",
    ]:
        assert label in page
    assert "Photos of me" not in page
    assert "share_contact_consent" not in page and "Exhibitors" not in _form(page)


@pytest.mark.parametrize("kind", ["camp", "excursion", "workshop", "conference", "company_visit"])
def test_no_exhibitor_consent_where_the_event_has_no_exhibitors(kind):
    event = EventFactory(kind=kind, min_age=None, max_age=None)
    form = RegistrationForm(event=event)
    assert "share_contact_consent" not in form.fields
    registration = services.register(
        event=event,
        data=camper(1, event=event, share_contact_consent=True)
        if kind == "camp"
        else person(1, share_contact_consent=True),
        now=timezone.now(),
    )
    assert registration.share_contact_consent is False
    assert not registration.consents.filter(topic=Topic.SHARE_CONTACT).exists()
    assert "share_contact_consent" not in AnswersForm(registration=registration).fields
    edit = _page(f"/tickets/ticket/{registration.manage_token}/aendern/")
    assert "Aussteller" not in _form(edit)


@pytest.mark.parametrize("kind", ["returnee_day", "apprenticeship_fair"])
def test_fairs_and_returnee_days_ask_for_the_exhibitor_consent(kind):
    event = EventFactory(kind=kind)
    page = _page(f"/tickets/anmelden/{event.slug}/")
    assert "Aussteller, die ich treffe, dürfen meine Kontaktdaten erhalten" in page
    english = _page(f"/en/tickets/anmelden/{event.slug}/")
    assert "Exhibitors I meet may receive my contact details" in english
    registration = services.register(
        event=event, data=person(1, share_contact_consent=True), now=timezone.now()
    )
    assert registration.share_contact_consent is True
    edit = _page(f"/tickets/ticket/{registration.manage_token}/aendern/")
    assert "Aussteller, die ich treffe" in edit


def test_a_workshop_with_a_stand_plan_has_exhibitors():
    workshop = EventFactory(kind=Event.Kind.WORKSHOP)
    assert "share_contact_consent" not in RegistrationForm(event=workshop).fields
    StandPlanFactory(event=workshop)
    assert "share_contact_consent" in RegistrationForm(event=workshop).fields


def test_a_teacher_consents_for_themselves_not_for_the_pupils():
    fair = FairFactory()
    form = RegistrationForm(event=fair, school_class=True)
    with translation.override("de"):
        assert str(form.fields["photo_consent"].label) == (
            "Fotos von mir als begleitende Lehrkraft dürfen gemacht und veröffentlicht werden "
            "(freiwillig)."
        )


def test_every_consent_checkbox_takes_its_words_from_consent_texts():
    """The rule behind the class: whatever the event kind and whoever fills in the form, each
    consent checkbox shows the text chosen by consent_texts for that audience."""
    fields = {
        Topic.PRIVACY: "privacy_consent",
        Topic.PHOTOS: "photo_consent",
        Topic.SHARE_CONTACT: "share_contact_consent",
    }
    for kind in Event.Kind.values:
        event = EventFactory(kind=kind)
        for school_class in (False, True):
            for for_organiser in (False, True):
                form = RegistrationForm(
                    event=event, school_class=school_class, for_organiser=for_organiser
                )
                audience = consent_texts.audience_for(event, school_class=school_class)
                topics = consent_texts.form_topics(event)
                asked = {topic for topic, name in fields.items() if name in form.fields}
                assert asked == set(topics), (kind, school_class)
                for topic in topics:
                    assert str(form.fields[fields[topic]].label) == consent_texts.consent_text(
                        topic, audience=audience, by_organiser=for_organiser
                    )
    guardian = GuardianConsentForm()
    assert str(guardian.fields["photo_consent"].label) == str(TEXTS[Audience.PARENT][Topic.PHOTOS])


def test_no_consent_wording_outside_consent_texts():
    """A consent written straight into a form, template or mail would bypass the audience
    and the exhibitor rule: the wordings live in ticketing/consent_texts.py only."""
    every = [*TEXTS.values(), *consent_texts.ORGANISER_TEXTS.values()]
    wordings = {str(text) for texts in every for text in texts.values()}
    with translation.override("de"):
        wordings |= {str(text) for texts in every for text in texts.values()}
    first_person = re.compile(
        r"(Photos of me\b|Fotos von mir|my contact details|meine Kontaktdaten|"
        r"I agree to the privacy notice|Ich stimme der Datenschutzerklärung)"
    )
    offenders = []
    for app in ("ticketing", "notifications", "events_platform", "fairs"):
        for path in (ROOT / app).rglob("*"):
            if path.suffix not in (".py", ".html", ".txt") or "locale" in path.parts:
                continue
            if path.name == "consent_texts.py" or "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            flat = re.sub(r'"\s*\n\s*"', "", text)  # join implicitly concatenated strings
            if any(wording in flat for wording in wordings) or first_person.search(flat):
                offenders.append(str(path.relative_to(ROOT)))
    # The organiser's add form too takes its words from there (consent_texts.ORGANISER_TEXTS).
    assert offenders == []


def test_camp_ticket_mail_greets_the_parent_and_names_the_child_in_both_languages():
    for language, greeting_name, sentence in [
        ("de", "Petra Muster", "Sie haben Ihr Kind Mia Muster für die unten genannte"),
        ("en", "Petra Muster", "You have registered your child Mia Muster for the event below"),
    ]:
        camp = CampFactory()
        data = camper(1, event=camp, name="Mia Muster", guardian_name="Petra Muster")
        with translation.override(language):
            registration = services.register(event=camp, data=data, now=timezone.now())
        request = Message.objects.get(
            purpose=Purpose.GUARDIAN_CONFIRMATION, object_id=str(registration.pk)
        )
        assert greeting_name in request.body_text.splitlines()[0]
        assert "Mia Muster" in request.body_text
        services.confirm_guardian_consent(
            token=registration.guardian_token,
            photo_consent=True,
            guardian_name="Petra Muster",
            now=timezone.now(),
        )
        mail = Message.objects.get(
            purpose=Purpose.REGISTRATION_CONFIRMED, object_id=str(registration.pk)
        )
        first_line = mail.body_text.splitlines()[0]
        assert greeting_name in first_line and "Mia" not in first_line
        assert sentence in mail.body_text
        assert "Mia Muster" in mail.subject


def test_a_waitlisted_registration_never_reads_as_a_ticket():
    event = EventFactory(capacity=1)
    services.register(event=event, data=person(1), now=timezone.now())
    waiting = services.register(event=event, data=person(2), now=timezone.now())
    assert waiting.status == Registration.Status.WAITLISTED
    german = _page(f"/tickets/ticket/{waiting.manage_token}/")
    assert "Ticket:" not in german.split("</title>")[0]
    for phrase in ["es ist Ihr Ticket", "Ihr Ticket ist gültig", "ticket.pdf", "Kalender hinzu"]:
        assert phrase not in german
    assert "Ein Ticket gibt es noch nicht" in german
    english = _page(f"/en/tickets/ticket/{waiting.manage_token}/")
    for phrase in ["it is your ticket", "Your ticket is valid", "ticket.pdf", "Add to calendar"]:
        assert phrase not in english

    joined = Message.objects.get(purpose=Purpose.WAITLIST_JOINED)
    assert "Ihr Ticket" not in joined.body_text and "Ihr Ticket" not in joined.subject
    services.cancel_registration(registration=waiting, now=timezone.now())
    cancelled = Message.objects.get(purpose=Purpose.REGISTRATION_CANCELLED)
    assert "Ticket" not in cancelled.body_text
    page = _page(f"/tickets/ticket/{waiting.manage_token}/")
    assert "Diese Anmeldung wurde storniert." in page and "Ticket ist nicht mehr" not in page


def test_a_cancelled_confirmed_registration_says_the_ticket_no_longer_counts():
    event = EventFactory()
    registration = services.register(event=event, data=person(1), now=timezone.now())
    services.cancel_registration(registration=registration, now=timezone.now())
    page = _page(f"/tickets/ticket/{registration.manage_token}/")
    assert "Das Ticket ist nicht mehr gültig." in page
    assert "ticket.pdf" not in page and "es ist Ihr Ticket" not in page
    mail = Message.objects.get(purpose=Purpose.REGISTRATION_CANCELLED)
    assert "Das Ticket ist nicht mehr gültig." in mail.body_text


def test_the_offer_mail_promises_accept_or_decline_and_the_page_has_both():
    event = EventFactory(capacity=1)
    first = services.register(event=event, data=person(1), now=timezone.now())
    second = services.register(event=event, data=person(2), now=timezone.now())
    third = services.register(event=event, data=person(3), now=timezone.now())
    services.cancel_registration(registration=first, now=timezone.now())
    offer = Message.objects.get(purpose=Purpose.WAITLIST_OFFER)
    assert "Platz annehmen oder ablehnen" in offer.body_text
    page = _page(f"/tickets/ticket/{second.manage_token}/")
    assert "Platz annehmen" in page and "Platz ablehnen" in page

    response = Client().post(f"/tickets/ticket/{second.manage_token}/ablehnen/")
    assert response.status_code == 302 and response["Location"].endswith("notice=offer_declined")
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == Registration.Status.RELEASED
    assert third.status == Registration.Status.OFFERED  # the place moved on
    again = Client().post(f"/tickets/ticket/{second.manage_token}/ablehnen/")
    assert again["Location"].endswith("notice=no_offer")


def test_an_offer_can_be_declined_through_the_api():
    event = EventFactory(capacity=1)
    first = services.register(event=event, data=person(1), now=timezone.now())
    second = services.register(event=event, data=person(2), now=timezone.now())
    api = APIClient()
    refused = api.post(f"/api/tickets/{second.manage_token}/decline/")
    assert refused.status_code == 409 and refused.json()["code"] == "no_offer"
    services.cancel_registration(registration=first, now=timezone.now())
    response = api.post(f"/api/tickets/{second.manage_token}/decline/")
    assert response.status_code == 200 and response.json()["status"] == "released"


def test_the_api_shows_who_consented_for_whom_and_drops_contact_sharing_without_exhibitors():
    camp = CampFactory()
    data = camper(1, event=camp)
    body = {
        "name": "Mia Muster",
        "email": "petra@example.org",
        "privacy_consent": True,
        "photo_consent": True,
        "share_contact_consent": True,
        "birth_date": data.birth_date.isoformat(),
        "guardian_name": "Petra Muster",
        "guardian_email": "petra@example.org",
        "guardian_phone": "0341 1",
        "emergency_contact": "Oma, 0341 2",
    }
    answer = APIClient().post(f"/api/tickets/events/{camp.slug}/register/", body, format="json")
    assert answer.status_code == 201
    consents = {c["topic"]: c for c in answer.json()["consents"]}
    assert set(consents) == {"privacy", "photos"}
    assert (consents["photos"]["given_by"], consents["photos"]["given_for"]) == (
        "Petra Muster",
        "Mia Muster",
    )


def test_the_guardian_page_offers_confirm_and_decline_and_decline_releases_the_place():
    camp = CampFactory(capacity=1)
    now = timezone.now()
    minor = services.register(event=camp, data=camper(1, event=camp), now=now)
    waiting = services.register(event=camp, data=camper(2, event=camp), now=now)
    request = Message.objects.get(purpose=Purpose.GUARDIAN_CONFIRMATION, object_id=str(minor.pk))
    assert "bestätigen oder ablehnen" in request.body_text.lower()
    path = f"/tickets/einverstaendnis/{minor.guardian_token}/"
    page = _page(path)
    assert "Teilnahme bestätigen" in page and "Teilnahme ablehnen" in page

    response = Client().post(path, {"decline": "1"})
    assert response.status_code == 200
    assert "Sie haben den Platz abgelehnt" in html.unescape(response.content.decode())
    minor.refresh_from_db()
    waiting.refresh_from_db()
    assert minor.status == Registration.Status.RELEASED and minor.name == ""
    assert waiting.status == Registration.Status.OFFERED
    released = Message.objects.get(purpose=Purpose.PLACE_RELEASED, object_id=str(minor.pk))
    assert "abgelehnt" in released.body_text


def test_the_organiser_sees_who_consented_for_whom():
    camp = CampFactory()
    data = camper(1, event=camp, name="Mia Muster", guardian_name="Petra Muster")
    registration = services.register(event=camp, data=data, now=timezone.now())
    client = Client()
    client.force_login(MembershipFactory(organisation=camp.organisation).user)
    page = client.get(f"/tickets/organiser/anmeldung/{registration.pk}/").content.decode()
    assert "Petra Muster für Mia Muster" in page


def test_the_parent_is_asked_once_to_confirm_their_own_childs_registration():
    camp = CampFactory()
    registration = services.register(event=camp, data=camper(1, event=camp), now=timezone.now())
    assert registration.status == Registration.Status.PENDING_GUARDIAN

    page = _page(f"/tickets/ticket/{registration.manage_token}/?notice=registered")

    assert page.count("Bitte bestätigen Sie die Anmeldung Ihres Kindes bis") == 1
    assert "über den Link in Ihrer E-Mail" in page
    assert "erziehungsberechtigte Person muss" not in page
    assert "Fast geschafft" not in page
    english = _page(f"/en/tickets/ticket/{registration.manage_token}/?notice=registered")
    assert english.count("Please confirm your child's registration by") == 1


def test_a_parent_changes_the_childs_emergency_contact_and_medical_notes_before_the_camp():
    camp = CampFactory()
    registration = services.register(event=camp, data=camper(1, event=camp), now=timezone.now())
    url = f"/tickets/ticket/{registration.manage_token}/aendern/"
    ticket = _page(f"/tickets/ticket/{registration.manage_token}/")
    assert "Angaben ändern" in ticket and "Antworten ändern" not in ticket
    edit = _form(_page(url))
    for label in [
        "Ihre Telefonnummer",
        "Notfallkontakt (Name und Telefon)",
        "Allergien und medizinische Hinweise Ihres Kindes (freiwillig)",
    ]:
        assert label in edit
    assert "Erdnussallergie" in edit and "Oma, 0341 654321" in edit
    assert "Telefon (freiwillig)" not in edit

    # The phone and the emergency contact stay required, as on the registration form;
    # nothing is saved then, and what was typed stays on the form.
    client = Client()
    refused = client.post(
        url, {"phone": "", "emergency_contact": "", "medical_notes": "Laktoseintoleranz"}
    )
    assert refused.status_code == 200
    assert "Laktoseintoleranz" in refused.content.decode()
    registration.refresh_from_db()
    assert registration.medical_notes == "Erdnussallergie"

    saved = client.post(
        url,
        {
            "phone": "0341 999999",
            "emergency_contact": "Opa, 0341 111111",
            "medical_notes": "Erdnuss- und Laktoseallergie",
        },
        follow=True,
    )
    assert "Ihre Änderungen wurden gespeichert." in html.unescape(saved.content.decode())
    registration.refresh_from_db()
    assert registration.phone == "0341 999999"
    assert registration.emergency_contact == "Opa, 0341 111111"
    assert registration.medical_notes == "Erdnuss- und Laktoseallergie"


def test_change_details_in_english_and_no_care_fields_for_other_events_or_after_the_camp():
    camp = CampFactory()
    registration = services.register(event=camp, data=camper(2, event=camp), now=timezone.now())
    edit = _form(_page(f"/en/tickets/ticket/{registration.manage_token}/aendern/"))
    assert "Your child&#x27;s allergies" in edit or "Your child's allergies" in edit
    assert "Change details" in _page(f"/en/tickets/ticket/{registration.manage_token}/")
    after = AnswersForm(registration=registration, now=camp.ends_at)
    assert "medical_notes" not in after.fields and "emergency_contact" not in after.fields
    fair = FairFactory()
    visitor = services.register(event=fair, data=person(3), now=timezone.now())
    fields = AnswersForm(registration=visitor, now=timezone.now()).fields
    assert "medical_notes" not in fields and "emergency_contact" not in fields
    assert fields["phone"].label == "Phone (optional)"


# --- the organiser's "Anmeldung eintragen" form ---------------------------------------------

# A form text in the first person: the organiser speaks for nobody. German words as whole words
# (any case), English ones as words ("I" only as the capital pronoun).
FIRST_PERSON = re.compile(r"(?i:\b(?:mir|mich|meine?[mnrs]?|ich)\b)|\b(?:I|[Mm]e|[Mm]y|[Mm]ine)\b")


def _organiser_client(event) -> Client:
    client = Client()
    client.force_login(MembershipFactory(organisation=event.organisation).user)
    return client


def _form_texts(page: str) -> list[str]:
    """The form's checkbox labels, help texts and errors (not the organiser's questions)."""
    form = _form(page)
    texts = re.findall(r'<p class="(?:help[^"]*|error)"[^>]*>(.*?)</p>', form, re.S)
    texts += re.findall(r'<input type="checkbox"[^>]*>\s*<label[^>]*>(.*?)</label>', form, re.S)
    return [re.sub(r"<[^>]+>", "", text).strip() for text in texts]


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("kind", ["fair", "class", "camp"])
def test_the_organisers_form_speaks_about_the_person_never_as_them(kind, language):
    """An organiser enters a registration on someone's behalf (after a phone call): every
    consent, help text and error speaks about the person (the child's parent, the teacher),
    the organiser's own questions stay as the person sees them, under a note saying so."""
    event = CampFactory() if kind == "camp" else FairFactory()
    QuestionFactory(
        event=event,
        label_de="In welcher Branche suchen Sie eine Stelle?",
        label_en="Which sector are you looking for a job in?",
    )
    client = _organiser_client(event)
    prefix = "/en" if language == "en" else ""
    url = f"{prefix}/tickets/organiser/{event.pk}/neu/" + ("?as=class" if kind == "class" else "")
    shown = html.unescape(client.get(url).content.decode())
    # Sent without the privacy box (and so with the errors of the fields left empty).
    refused = client.post(url, {"name": "Anna Beispiel", "phone": "0341 1"})
    assert refused.status_code == 200
    sent = html.unescape(refused.content.decode())

    texts = _form_texts(shown) + _form_texts(sent)
    assert len([t for t in texts if t]) >= 4
    offenders = [t for t in texts if FIRST_PERSON.search(t) or "Sie einen Platz" in t]
    assert offenders == []
    expected = {
        ("fair", "de"): "Bitte bestätigen Sie, dass die Person der Datenschutzerklärung "
        "zugestimmt hat.",
        ("class", "de"): "Bitte bestätigen Sie, dass die Lehrkraft der Datenschutzerklärung "
        "zugestimmt hat.",
        ("camp", "de"): "Bitte bestätigen Sie, dass die erziehungsberechtigte Person der "
        "Datenschutzerklärung zugestimmt hat.",
        ("fair", "en"): "Please confirm that the person has agreed to the privacy notice.",
        ("class", "en"): "Please confirm that the teacher has agreed to the privacy notice.",
        ("camp", "en"): "Please confirm that the parent or guardian has agreed to the privacy "
        "notice.",
    }[kind, language]
    assert expected in _form_texts(sent)
    assert "Bitte stimmen Sie" not in sent and "Please agree" not in sent
    question = "In welcher Branche" if language == "de" else "Which sector"
    note = "so formuliert, wie die Person sie" if language == "de" else "as the person sees them"
    assert note in shown and shown.index(note) < shown.index(question)
    if kind == "fair" and language == "de":
        assert (
            "Die Person ist einverstanden, dass Fotos von ihr gemacht und veröffentlicht werden "
            "(freiwillig)." in texts
        )


def test_an_organiser_entered_registration_records_what_the_organiser_confirmed():
    """The consent records keep the wording the organiser ticked (about the person), given by
    the person; the visitor's own registration keeps the visitor's wording."""
    fair = FairFactory()
    client = _organiser_client(fair)
    data = {
        "name": "Anna Beispiel",
        "email": "anna@example.org",
        "privacy_consent": "on",
        "photo_consent": "on",
    }
    response = client.post(f"/tickets/organiser/{fair.pk}/neu/", data)
    assert response.status_code == 302
    entered = Registration.objects.get(email="anna@example.org")
    records = {record.topic: record for record in entered.consents.all()}
    assert set(records) == {Topic.PRIVACY, Topic.PHOTOS, Topic.SHARE_CONTACT}
    for topic, record in records.items():
        assert record.text == str(consent_texts.ORGANISER_TEXTS[Audience.SELF][topic])
        assert record.given_by == "Anna Beispiel"
        assert not FIRST_PERSON.search(record.text)
    with translation.override("de"):
        german = str(consent_texts.ORGANISER_TEXTS[Audience.SELF][Topic.PHOTOS])
    assert german == (
        "Die Person ist einverstanden, dass Fotos von ihr gemacht und veröffentlicht werden "
        "(freiwillig)."
    )
    # Entered twice: the organiser is told about the person, not "you are registered".
    again = client.post(f"/tickets/organiser/{fair.pk}/neu/", data)
    page = html.unescape(again.content.decode())
    assert "Diese Person ist für diese Veranstaltung bereits angemeldet." in page
    assert "Sie sind bereits" not in page

    own = services.register(event=fair, data=person(2), now=timezone.now())
    privacy = own.consents.get(topic=Topic.PRIVACY)
    assert privacy.text == str(TEXTS[Audience.SELF][Topic.PRIVACY])


def test_a_camp_child_entered_by_the_organiser_records_the_guardians_consent():
    camp = CampFactory()
    client = _organiser_client(camp)
    data = camper(1, event=camp)
    response = client.post(
        f"/tickets/organiser/{camp.pk}/neu/",
        {
            "name": "Mia Muster",
            "email": "mia@example.org",
            "birth_date": data.birth_date.isoformat(),
            "guardian_name": "Petra Muster",
            "guardian_email": "petra@example.org",
            "guardian_phone": "0341 1",
            "emergency_contact": "Oma, 0341 2",
            "privacy_consent": "on",
        },
    )
    assert response.status_code == 302
    record = Registration.objects.get().consents.get(topic=Topic.PRIVACY)
    assert record.text == str(consent_texts.ORGANISER_TEXTS[Audience.PARENT][Topic.PRIVACY])
    assert (record.given_by, record.given_for) == ("Petra Muster", "Mia Muster")
    assert "erziehungsberechtigte Person hat der Datenschutzerklärung zugestimmt" in record.text


# --- the ticket page of a registration that has ended ---------------------------------------


def test_a_cancelled_registration_shows_one_notice_and_the_way_back_to_the_event():
    event = EventFactory()
    registration = services.register(event=event, data=person(1), now=timezone.now())
    services.cancel_registration(registration=registration, now=timezone.now())
    path = f"/tickets/ticket/{registration.manage_token}/"

    page = _page(path + "?notice=cancelled")
    assert page.count('class="tk-status') == 1
    assert "Ihre Anmeldung wurde storniert. Das Ticket ist nicht mehr gültig." in page
    assert "Diese Anmeldung wurde storniert" not in page
    # Nothing left to see, change or cancel, and no link to renew.
    for pointless in [
        "Damit kann man die Anmeldung ansehen",
        "Neuen Link anfordern",
        "Neuen Kalender-Link anfordern",
        "Anmeldung stornieren",
        "Angaben ändern",
    ]:
        assert pointless not in page
    assert f'href="/tickets/anmelden/{event.slug}/">Erneut anmelden</a>' in page
    assert f'href="{event.get_absolute_url()}">Zur Veranstaltung</a>' in page
    # Opened again later, it says what happened, once.
    later = _page(path)
    assert later.count('class="tk-status') == 1 and "Diese Anmeldung wurde storniert." in later

    english = _page(f"/en{path}?notice=cancelled")
    assert english.count('class="tk-status') == 1
    assert "Your registration has been cancelled. The ticket is no longer valid." in english
    assert "Get a new link" not in english and "Register again" in english

    # Registration closed: back to the event's page only.
    Event.objects.filter(pk=event.pk).update(registration_closes_at=timezone.now())
    closed = _page(path)
    assert "Erneut anmelden" not in closed and "Zur Veranstaltung" in closed


def test_a_declined_offer_shows_one_notice():
    event = EventFactory(capacity=1)
    first = services.register(event=event, data=person(1), now=timezone.now())
    second = services.register(event=event, data=person(2), now=timezone.now())
    services.cancel_registration(registration=first, now=timezone.now())
    services.decline_offer(registration=second, now=timezone.now())
    page = _page(f"/tickets/ticket/{second.manage_token}/?notice=offer_declined")
    assert page.count('class="tk-status') == 1
    assert "Sie haben den Platz abgelehnt" in page and "Neuen Link anfordern" not in page


def test_the_cancel_page_says_cancel_throughout():
    registration = services.register(event=EventFactory(), data=person(1), now=timezone.now())
    page = _page(f"/tickets/ticket/{registration.manage_token}/stornieren/")
    assert "Anmeldung stornieren" in page and "Ja, stornieren</button>" in page
    assert "absagen" not in page
    english = _page(f"/en/tickets/ticket/{registration.manage_token}/stornieren/")
    assert "Cancel registration" in english and "Yes, cancel</button>" in english
