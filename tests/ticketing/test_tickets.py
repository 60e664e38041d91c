"""Tickets: the QR code read back by an independent decoder, revocation, PDF, calendar."""

import io
import random

import pytest
import vobject
import zxingcpp
from django.utils import timezone
from PIL import Image

from events_platform import services as core_services
from events_platform import ticket_codes
from infra.errors import DomainError
from tests.factories import EventFactory, VenueFactory
from tests.qrcodes import codes_on_pages
from ticketing import queries, rendering, services
from ticketing.models import Ticket

from .factories import person

pytestmark = pytest.mark.django_db


def _decode(png: bytes) -> zxingcpp.Barcode:
    (result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return result


def test_qr_png_reads_back_to_a_secret_that_verifies():
    registration = services.register(event=EventFactory(), data=person(1), now=timezone.now())
    ticket = registration.tickets.get()
    result = _decode(rendering.qr_png(ticket.secret))
    assert result.format == zxingcpp.BarcodeFormat.QRCode
    assert result.text == ticket.secret
    # 125 alphanumeric characters: version 6 at level M (version 5 holds 122 at M).
    assert (result.extra["Version"], result.extra["ECLevel"]) == ("6", "M")
    claim = core_services.verify_ticket_secret(result.text)
    assert (claim.event_id, claim.serial) == (registration.event_id, ticket.serial)
    assert queries.ticket_for_secret(result.text) == ticket


def test_10000_mutations_of_a_scanned_secret_are_all_refused():
    registration = services.register(event=EventFactory(), data=person(1), now=timezone.now())
    scanned = _decode(rendering.qr_png(registration.tickets.get().secret)).text
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    rng = random.Random(4)
    codes = set()
    for _ in range(10_000):
        chars = list(scanned)
        for position in rng.sample(range(len(chars)), rng.choice([1, 1, 2, 5])):
            chars[position] = rng.choice(alphabet.replace(chars[position], ""))
        with pytest.raises(DomainError) as error:
            queries.ticket_for_secret("".join(chars))
        codes.add(error.value.code)
    assert codes <= {"invalid_ticket", "unknown_ticket"}


def test_a_second_spelling_of_the_same_bytes_is_refused():
    """The last base32 character has a spare bit; flipping it keeps the signed bytes."""
    registration = services.register(event=EventFactory(), data=person(1), now=timezone.now())
    secret = registration.tickets.get().secret
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    twin = secret[:-1] + alphabet[alphabet.index(secret[-1]) ^ 1]
    with pytest.raises(DomainError) as error:
        queries.ticket_for_secret(twin)
    assert error.value.code == "invalid_ticket"


def test_cancelled_ticket_verifies_cryptographically_but_is_refused():
    registration = services.register(event=EventFactory(), data=person(1), now=timezone.now())
    secret = _decode(rendering.qr_png(registration.tickets.get().secret)).text
    services.cancel_registration(registration=registration, now=timezone.now())
    assert core_services.verify_ticket_secret(secret).serial == registration.tickets.get().serial
    with pytest.raises(DomainError) as error:
        queries.ticket_for_secret(secret)
    assert error.value.code == "ticket_revoked"
    assert Ticket.objects.get().status == "revoked"


def test_forged_secret_with_another_key_is_refused():
    event = EventFactory()
    core_services.get_signing_key(event=event)
    private, _public = ticket_codes.generate_keypair()
    forged = ticket_codes.sign(
        private_key_encrypted=private, kind=ticket_codes.Kind.TICKET, event_id=event.pk, serial=1
    )
    with pytest.raises(DomainError) as error:
        queries.ticket_for_secret(forged)
    assert error.value.code == "invalid_ticket"


def test_ticket_by_serial_finds_the_ticket_for_check_in():
    registration = services.register(event=EventFactory(), data=person(1), now=timezone.now())
    ticket = registration.tickets.get()
    found = queries.ticket_by_serial(ticket.serial)
    assert found == ticket and found.registration == registration
    assert queries.ticket_by_serial(12345) is None


def test_pdf_ticket_is_a_pdf_with_the_event_title_and_a_readable_code():
    pdf = rendering.ticket_pdf(
        rendering.TicketPrint(
            heading="Eintrittskarte",
            event_title="Rückkehrertag Torgau",
            when="Di., 29.12.2026, 10:00–12:00",
            venue="Kulturbastion, Torgau",
            holder="Anna Beispiel",
            admits="1 Person",
            serial="Ticketnummer 1",
            secret="A" * 125,
            footer="https://example.org",
        )
    )
    assert pdf.startswith(b"%PDF-")
    assert b"/Title (Eintrittskarte" in pdf
    # The code is drawn as vector squares: printed at any size, it reads back.
    assert codes_on_pages(pdf) == [{"A" * 125}]


def test_personal_feed_lists_the_visitors_confirmed_events(client):
    venue = VenueFactory(town="Oschatz", latitude=51.3, longitude=13.1)
    first = EventFactory(venue=venue, organisation=venue.organisation, title_de="Erste")
    second = EventFactory(title_de="Zweite")
    other = EventFactory(title_de="Fremd")
    now = timezone.now()
    one = services.register(event=first, data=person(1), now=now)
    services.register(event=second, data=person(1), now=now)
    services.register(event=other, data=person(2), now=now)
    cancelled = services.register(event=EventFactory(title_de="Abgesagt"), data=person(1), now=now)
    services.cancel_registration(registration=cancelled, now=now)

    feed = queries.feed_for_email("Visitor1@example.org")
    response = client.get(f"/tickets/kalender/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = vobject.readOne(response.content.decode())
    events = sorted(calendar.vevent_list, key=lambda e: e.dtstart.value)
    assert [e.summary.value for e in events] == ["Erste", "Zweite"]
    assert events[0].uid.value == f"{first.uid}@127.0.0.1"
    assert events[0].dtstart.value == first.starts_at.replace(microsecond=0)
    assert events[0].dtstart.params["X-VOBJ-ORIGINAL-TZID"] == ["Europe/Berlin"]
    assert one.manage_token in events[0].url.value
    assert client.get("/tickets/kalender/unknown.ics").status_code == 404
