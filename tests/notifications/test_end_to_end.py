"""Done means: register, and the confirmation mail with its QR code arrives through a real
Redis broker, a real Celery worker and a real SMTP server; the QR code decodes (zxing-cpp)
to a ticket secret that verifies."""

import pytest
from django.utils import timezone

from events_platform.services import verify_ticket_secret
from notifications.models import Message
from tests.factories import EventFactory
from tests.qrcodes import code_of_png, codes_on_pages
from ticketing import services as ticketing

from .conftest import wait_until

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_registration_confirmation_arrives_with_a_valid_qr(celery_worker, mailbox):
    event = EventFactory(title_de="Nordsächsischer Rückkehrertag Delitzsch")
    data = ticketing.RegistrationInput(
        name="Rita Rückkehr", email="rita@example.org", privacy_consent=True
    )
    registration = ticketing.register(event=event, data=data, now=timezone.now())

    mail = mailbox.wait_for(1, timeout=60)[0]
    assert mail["To"] == "rita@example.org"
    assert str(mail["Subject"]).strip() == "Ihr Ticket: Nordsächsischer Rückkehrertag Delitzsch"
    assert "List-Unsubscribe" not in mail
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert 'src="cid:ticket-qr"' in html
    parts = {part.get_filename(): part for part in mail.walk() if part.get_filename()}
    assert parts["ticket-qr.png"]["Content-ID"] == "<ticket-qr>"

    secret = code_of_png(parts["ticket-qr.png"].get_payload(decode=True))
    claim = verify_ticket_secret(secret)
    assert claim.event_id == event.pk
    assert claim.serial == registration.tickets.get().serial

    assert codes_on_pages(parts["ticket.pdf"].get_payload(decode=True)) == [{secret}]
    assert b"BEGIN:VEVENT" in parts["event.ics"].get_payload(decode=True)

    # The worker marks the row sent right after the server accepted the mail.
    wait_until(
        lambda: Message.objects.get(purpose="registration_confirmed").state == "sent",
        what="the message marked sent",
    )
    message = Message.objects.get(purpose="registration_confirmed")
    assert message.attempts == 1
