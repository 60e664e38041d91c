"""Messages for the exhibitor side, written by the fairs domain signals."""

import pytest
from django.utils import timezone

from fairs import services as fairs
from notifications.models import Message, Purpose
from tests.factories import UserFactory
from tests.fairs.factories import StandBookingFactory, StandFactory, WaitlistEntryFactory

pytestmark = pytest.mark.django_db


def _only(purpose):
    return Message.objects.get(purpose=purpose)


def test_company_sign_up_confirmation_and_member_invitation():
    member = fairs.sign_up_company(
        name="Agrar GmbH Torgau",
        sector="agriculture_food",
        email="HR@agrar-torgau.de",
        password="correct horse battery staple",
        contact_name="Petra Personal",
        now=timezone.now(),
    )
    confirm = _only(Purpose.COMPANY_EMAIL_CONFIRMATION)
    assert confirm.to_email == "hr@agrar-torgau.de"
    assert confirm.subject == "Bitte bestätigen Sie Ihre E-Mail-Adresse"
    assert "Agrar GmbH Torgau" in confirm.body_text
    assert "E-Mail-Adresse bestätigen:\nhttp://" in confirm.body_text

    url = fairs.invite_company_member(
        by=member, email="kollege@agrar-torgau.de", now=timezone.now()
    )
    invite = _only(Purpose.COMPANY_MEMBER_INVITED)
    assert invite.to_email == "kollege@agrar-torgau.de"
    assert url in invite.body_text
    assert "Agrar GmbH Torgau" in invite.subject


def test_booking_approved_rejected_and_cancelled_reach_the_company():
    organiser = UserFactory()
    approved = StandBookingFactory(
        stand=StandFactory(label="A7"), company__contact_email="info@baeckerei.de"
    )
    fairs.approve_booking(booking=approved, by=organiser, now=timezone.now())
    message = _only(Purpose.BOOKING_APPROVED)
    assert message.to_email == "info@baeckerei.de"
    assert "A7" in message.body_text and "Aufbau" in message.body_text
    assert message.event == approved.fair.event
    assert message.attachments[0]["kind"] == "event_ics"

    rejected = StandBookingFactory()
    fairs.reject_booking(
        booking=rejected, by=organiser, reason="Die Halle ist voll.", now=timezone.now()
    )
    assert "Die Halle ist voll." in _only(Purpose.BOOKING_REJECTED).body_text

    fairs.cancel_booking(booking=approved, by=organiser, reason="Umbau", now=timezone.now())
    cancelled = _only(Purpose.BOOKING_CANCELLED)
    assert "Der Veranstalter hat Ihre Standbuchung storniert." in cancelled.body_text
    assert "Umbau" in cancelled.body_text


def test_stand_offer_from_the_waiting_list():
    entry = WaitlistEntryFactory(company__contact_email="pflege@example.org")
    stand = StandFactory(hall__fair=entry.fair, label="C3")
    fairs.offer_stand(entry=entry, stand_id=stand.pk, by=UserFactory(), now=timezone.now())
    offer = _only(Purpose.STAND_OFFER)
    assert offer.to_email == "pflege@example.org"
    assert "C3" in offer.body_text


def test_company_that_signed_up_in_english_gets_english_mail():
    from django.utils import translation

    with translation.override("en"):
        member = fairs.sign_up_company(
            name="Logistik Schkeuditz GmbH",
            sector="logistics",
            email="jobs@logistik-schkeuditz.de",
            password="correct horse battery staple",
            contact_name="Sam Smith",
            now=timezone.now(),
        )
    assert member.company.language == "en"
    confirm = _only(Purpose.COMPANY_EMAIL_CONFIRMATION)
    assert confirm.language == "en"
    assert confirm.subject == "Please confirm your e-mail address"
