"""Transactional messages written by the domain signals, read back as the recipient would."""

import io
from datetime import date, timedelta

import pytest
import vobject
from django.utils import timezone, translation
from pypdf import PdfReader

from events_platform import when
from events_platform.services import verify_ticket_secret
from notifications import outbox
from notifications.models import Message, Purpose
from tests.factories import EventFactory
from tests.qrcodes import code_of_png, codes_on_pages
from ticketing import services as ticketing
from ticketing.models import Registration

pytestmark = pytest.mark.django_db


def _register(event, *, name="Anna Beispiel", email="anna@example.org", **extra):
    data = ticketing.RegistrationInput(name=name, email=email, privacy_consent=True, **extra)
    return ticketing.register(event=event, data=data, now=timezone.now())


def test_registration_confirmed_mail_carries_a_verifiable_qr_and_the_calendar_entry():
    event = EventFactory(title_de="Rückkehrertag Torgau")
    registration = _register(event)

    message = Message.objects.get(purpose=Purpose.REGISTRATION_CONFIRMED)
    assert message.to_email == "anna@example.org"
    assert message.event == event
    assert message.subject == "Ihr Ticket: Rückkehrertag Torgau"
    assert "Ihre Anmeldung ist bestätigt" in message.body_text
    assert "Unsubscribe" not in message.body_text and "abmelden" not in message.body_text.lower()
    assert 'src="cid:ticket-qr"' in message.body_html

    email = outbox.build_email(message).message()
    parts = {part.get_filename(): part for part in email.walk() if part.get_filename()}
    secret = code_of_png(parts["ticket-qr.png"].get_payload(decode=True))
    claim = verify_ticket_secret(secret)
    assert claim.event_id == event.pk
    assert registration.tickets.get().secret == secret
    # The PDF ticket carries the same QR code (read back from the rendered page).
    pdf_bytes = parts["ticket.pdf"].get_payload(decode=True)
    assert "Anna Beispiel" in PdfReader(io.BytesIO(pdf_bytes)).pages[0].extract_text()
    assert codes_on_pages(pdf_bytes) == [{secret}]
    calendar = vobject.readOne(parts["event.ics"].get_payload(decode=True).decode())
    assert calendar.vevent.summary.value == "Rückkehrertag Torgau"
    assert calendar.vevent.dtstart.value == timezone.localtime(event.starts_at).replace(
        microsecond=0
    )


def test_waiting_list_then_offer_with_its_expiry_then_cancellation():
    event = EventFactory(capacity=1)
    first = _register(event, name="Erste Person", email="erste@example.org")
    waiting = _register(event, name="Zweite Person", email="zweite@example.org")
    assert waiting.status == Registration.Status.WAITLISTED
    joined = Message.objects.get(purpose=Purpose.WAITLIST_JOINED)
    assert joined.to_email == "zweite@example.org"
    assert "Warteliste" in joined.subject

    ticketing.cancel_registration(registration=first, now=timezone.now())

    cancelled = Message.objects.get(purpose=Purpose.REGISTRATION_CANCELLED)
    assert cancelled.to_email == "erste@example.org"
    assert "nicht mehr gültig" in cancelled.body_text
    offer = Message.objects.get(purpose=Purpose.WAITLIST_OFFER)
    assert offer.to_email == "zweite@example.org"
    waiting.refresh_from_db()
    # The deadline reads as every date and time does (Fr., 4. Dezember 2026, 22 Uhr).
    with translation.override("de"):
        assert when.moment(waiting.offer_expires_at) in offer.body_text


def test_guardian_is_asked_to_confirm_a_minor_camp_registration():
    event = EventFactory(kind="camp", min_age=10, max_age=16)
    birth = date.today() - timedelta(days=365 * 12 + 30)
    _register(
        event,
        name="Kim Kind",
        email="kim@example.org",
        birth_date=birth,
        guardian_name="Gerda Gast",
        guardian_email="gerda@example.org",
        guardian_phone="0171 000000",
        emergency_contact="Gerda Gast, 0171 000000",
    )
    message = Message.objects.get(purpose=Purpose.GUARDIAN_CONFIRMATION)
    assert message.to_email == "gerda@example.org"
    assert "Gerda Gast" in message.body_text
    registration = Registration.objects.get(email="kim@example.org")
    assert registration.guardian_token in message.body_text


def test_english_recipient_gets_english_text(settings):
    event = EventFactory(title_en="Returnee Day Torgau")
    registration = _register(event)
    message = Message.objects.get(purpose=Purpose.REGISTRATION_CONFIRMED)
    message.delete()
    registration.language = "en"
    from notifications import transactional
    from notifications.outbox import composed

    # Written with what it is about; composed (here on demand) in the stored language.
    english = composed(transactional.registration_confirmed(registration=registration))
    assert english.language == "en"
    assert english.subject == "Your ticket: Returnee Day Torgau"
    assert "Your registration is confirmed" in english.body_text


def test_registering_in_english_gives_the_english_ticket_mail():
    from django.utils import translation

    event = EventFactory(title_en="Returnee Day Oschatz")
    with translation.override("en"):
        registration = _register(event, email="sam@example.org")
    assert registration.language == "en"
    message = Message.objects.get(purpose=Purpose.REGISTRATION_CONFIRMED)
    assert message.language == "en"
    assert message.subject == "Your ticket: Returnee Day Oschatz"
