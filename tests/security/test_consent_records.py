"""Consent records: for the privacy notice, photos, contact sharing and a guardian's consent,
what text (the wording shown, in its language), which version, when and by whom."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from dataprotection import subject_requests
from tests.factories import EventFactory
from tests.ticketing.factories import CampFactory, RegistrationSettingsFactory, camper, person
from ticketing import services as ticketing
from ticketing.consent_texts import TEXTS, Audience
from ticketing.forms import AnswersForm, GuardianConsentForm, RegistrationForm
from ticketing.models import ConsentRecord, Registration

pytestmark = pytest.mark.django_db
Topic = ConsentRecord.Topic
VISITOR_TEXTS = TEXTS[Audience.SELF]
GUARDIAN_TEXTS = TEXTS[Audience.PARENT]


def _records(registration) -> dict[str, ConsentRecord]:
    return {record.topic: record for record in registration.consents.order_by("given_at", "pk")}


def test_the_forms_show_exactly_the_recorded_wording():
    event = EventFactory(kind="returnee_day")
    form = RegistrationForm(event=event, school_class=False)
    for topic, field in [
        (Topic.PRIVACY, "privacy_consent"),
        (Topic.PHOTOS, "photo_consent"),
        (Topic.SHARE_CONTACT, "share_contact_consent"),
    ]:
        assert str(form.fields[field].label) == str(VISITOR_TEXTS[topic])
    registration = ticketing.register(event=event, data=person(1), now=timezone.now())
    edit = AnswersForm(registration=registration)
    camp = CampFactory()
    parent = RegistrationForm(event=camp, school_class=False)
    for topic, field in [(Topic.PRIVACY, "privacy_consent"), (Topic.PHOTOS, "photo_consent")]:
        assert str(parent.fields[field].label) == str(GUARDIAN_TEXTS[topic])
    assert "share_contact_consent" not in parent.fields
    assert str(edit.fields["share_contact_consent"].label) == str(
        VISITOR_TEXTS[Topic.SHARE_CONTACT]
    )
    guardian = GuardianConsentForm()
    assert str(guardian.fields["confirm"].label) == str(GUARDIAN_TEXTS[Topic.GUARDIAN])
    assert str(guardian.fields["photo_consent"].label) == str(GUARDIAN_TEXTS[Topic.PHOTOS])


def test_registering_records_privacy_photos_and_contact_sharing_with_text_version_and_time():
    event = EventFactory(kind="apprenticeship_fair")
    RegistrationSettingsFactory(event=event, privacy_text_version="2026-03")
    response = Client().post(
        reverse("ticketing:register", kwargs={"slug": event.slug}),
        {
            "name": "Anne Krüger",
            "email": "anne@example.org",
            "privacy_consent": "on",
            "photo_consent": "on",
        },
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    records = _records(registration)
    assert set(records) == {Topic.PRIVACY, Topic.PHOTOS, Topic.SHARE_CONTACT}
    privacy = records[Topic.PRIVACY]
    assert privacy.granted and privacy.text_version == "2026-03"
    assert privacy.text == (
        "Ich stimme der Datenschutzerklärung zu: Meine Angaben werden nur für diese "
        "Veranstaltung verwendet."
    )
    assert records[Topic.PHOTOS].granted is True
    assert records[Topic.SHARE_CONTACT].granted is False  # a declined consent is recorded too
    for record in records.values():
        assert record.given_by == "Anne Krüger"
        assert abs(record.given_at - timezone.now()) < timedelta(minutes=1)
        with translation.override("de"):
            assert record.text == str(VISITOR_TEXTS[record.topic])


def test_the_wording_is_kept_in_the_language_it_was_shown_in():
    event = EventFactory()
    with translation.override("en"):
        registration = ticketing.register(event=event, data=person(1), now=timezone.now())
    privacy = _records(registration)[Topic.PRIVACY]
    assert privacy.text == (
        "I agree to the privacy notice: my details are used only for this event."
    )


def test_a_changed_contact_sharing_consent_is_a_new_record():
    event = EventFactory(kind="returnee_day")
    now = timezone.now()
    registration = ticketing.register(
        event=event, data=person(1, share_contact_consent=True), now=now
    )
    later = now + timedelta(days=2)
    ticketing.update_answers(
        registration=registration, answers={}, phone="", share_contact_consent=False, now=later
    )
    sharing = registration.consents.filter(topic=Topic.SHARE_CONTACT).order_by("given_at")
    assert [(r.granted, r.given_at) for r in sharing] == [(True, now), (False, later)]


def test_a_guardian_consents_for_a_minor_with_their_own_wording_and_name():
    camp = CampFactory()
    RegistrationSettingsFactory(event=camp, privacy_text_version="2026-05")
    now = timezone.now()
    registration = ticketing.register(event=camp, data=camper(1, event=camp), now=now)
    # The parent filled in the form, for the child; a camp has no exhibitors.
    on_the_form = _records(registration)
    assert set(on_the_form) == {Topic.PRIVACY, Topic.PHOTOS}
    for record in on_the_form.values():
        assert (record.given_by, record.given_for) == ("Elternteil 1", "Besucherin 1")
        assert record.text == str(GUARDIAN_TEXTS[record.topic])
    confirmed = now + timedelta(hours=5)
    ticketing.confirm_guardian_consent(
        token=registration.guardian_token,
        photo_consent=False,
        guardian_name="Petra Krüger",
        now=confirmed,
    )
    records = _records(registration)
    guardian, photos = records[Topic.GUARDIAN], records[Topic.PHOTOS]
    assert guardian.granted and guardian.given_by == "Petra Krüger"
    assert guardian.given_for == "Besucherin 1"
    assert guardian.given_at == confirmed and guardian.text_version == "2026-05"
    assert guardian.text == str(GUARDIAN_TEXTS[Topic.GUARDIAN])
    assert photos.granted is False and photos.text == str(GUARDIAN_TEXTS[Topic.PHOTOS])


def test_the_person_sees_their_consent_records_in_their_data_copy():
    event = EventFactory(kind="returnee_day")
    ticketing.register(
        event=event,
        data=person(1, email="anne@example.org", photo_consent=True),
        now=timezone.now(),
    )
    copy = subject_requests.export_subject_data(email="anne@example.org", now=timezone.now())
    records = copy.as_json()["data"]["consents"]["records"]
    topics = {record["topic"]: record for record in records}
    assert set(topics) == {
        "Datenschutzerklärung",
        "Fotos",
        "Weitergabe der Kontaktdaten an Aussteller",
    }
    for record in records:
        assert record["text"] and record["text_version"] and record["given_at"]


def test_the_privacy_notice_page_shows_the_version_registrations_record():
    from dataprotection.views import PRIVACY_NOTICE_VERSION
    from ticketing.models import RegistrationSettings

    default = RegistrationSettings._meta.get_field("privacy_text_version").default
    assert PRIVACY_NOTICE_VERSION == default
    page = Client().get(reverse("dataprotection:privacy-notice")).content.decode()
    assert f"Fassung {default}" in page
    assert "30 Tage nach der Veranstaltung" in page and "7 Tage nach dem Ende des Camps" in page
    english = Client().get("/en/datenschutz/").content.decode()
    assert f"Version {default}" in english and "Your rights" in english


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_privacy_notice_in_the_browser(page, axe):
    page.goto("/")
    page.get_by_role("link", name="Datenschutzerklärung").click()
    page.get_by_role("heading", name="Datenschutzerklärung").wait_for()
    axe(page)
    link = page.get_by_role("link", name="Ihre Daten ansehen, herunterladen oder löschen")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/ihre-daten/")
