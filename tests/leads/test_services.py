"""Stand contacts: a scan records a contact (named only with the visitor's consent), the
door's codes refuse what the door refuses, twice is once, withdrawal and retention erase
the personal parts and keep the count."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from checkin.services import Code
from infra.errors import DomainError
from leads import services
from leads.errors import ErrorCode
from leads.models import Contact
from notifications.models import Message, Purpose
from ticketing.models import ConsentRecord, Registration, Ticket

from .factories import DoorEventFactory, make_ticket, paired_stand

pytestmark = pytest.mark.django_db


def scan(device, secret, nonce=None, **kwargs):
    return services.scan_ticket(
        device=device, secret=secret, nonce=nonce or uuid.uuid4().hex, now=timezone.now(), **kwargs
    )


def test_consenting_visitor_is_a_named_contact_and_the_other_a_nameless_count():
    booking, device, _token = paired_stand()
    event = booking.fair.event
    yes = make_ticket(event, 1, share_contact_consent=True, name="Anna Berg")
    no = make_ticket(event, 2, share_contact_consent=False, name="Ben Kurz")

    named, nameless = scan(device, yes.secret), scan(device, no.secret)

    assert named.code == Code.OK and named.shared and named.name == "Anna Berg"
    assert nameless.code == Code.OK and not nameless.shared and nameless.name == ""
    assert "1 Besucher ohne Kontaktfreigabe" in nameless.message
    rows = Contact.objects.filter(booking=booking).order_by("pk")
    assert [(c.shared, c.name, c.email) for c in rows] == [
        (True, "Anna Berg", "visitor1@example.org"),
        (False, "", ""),
    ]


def test_a_ticket_scanned_twice_is_one_contact_and_a_replayed_upload_counts_once():
    booking, device, _token = paired_stand()
    ticket = make_ticket(booking.fair.event, 1, share_contact_consent=True)

    first = scan(device, ticket.secret, nonce="n1")
    again = scan(device, ticket.secret, nonce="n2")
    replay = scan(device, ticket.secret, nonce="n1", offline=True)

    assert first.ok and again.ok and again.repeated and replay.replayed
    assert Contact.objects.filter(booking=booking).count() == 1


def test_the_door_codes_refuse_forged_foreign_other_events_and_cancelled_tickets():
    booking, device, _token = paired_stand()
    event = booking.fair.event
    good = make_ticket(event, 1)
    other = make_ticket(DoorEventFactory(), 2)
    cancelled = make_ticket(event, 3)
    Ticket.objects.filter(pk=cancelled.pk).update(status=Ticket.Status.REVOKED)
    forged = good.secret[:-6] + ("AAAAAA" if not good.secret.endswith("AAAAAA") else "BBBBBB")

    assert scan(device, forged).code == Code.INVALID
    assert scan(device, "nonsense").code == Code.INVALID
    assert scan(device, other.secret).code == Code.WRONG_EVENT
    assert scan(device, cancelled.secret).code == Code.CANCELLED
    assert Contact.objects.count() == 0


def test_company_b_scanning_the_same_visitor_makes_its_own_contact():
    booking_a, device_a, _ = paired_stand()
    booking_b, device_b, _ = paired_stand(booking_a.fair.event, "Bau AG", fair=booking_a.fair)
    ticket = make_ticket(booking_a.fair.event, 1, share_contact_consent=True)

    scan(device_a, ticket.secret)
    scan(device_b, ticket.secret)

    assert Contact.objects.filter(company=booking_a.company).count() == 1
    assert Contact.objects.filter(company=booking_b.company).count() == 1


def test_pairing_needs_a_genuine_staff_pass():
    booking, _device, _token = paired_stand()
    ticket = make_ticket(booking.fair.event, 1)
    with pytest.raises(DomainError) as refused:
        services.pair_stand_device(staff_pass_code=ticket.secret, now=timezone.now())
    assert refused.value.code == ErrorCode.STAND_PAIRING_INVALID
    with pytest.raises(DomainError):
        services.pair_stand_device(staff_pass_code="XYZ", now=timezone.now())


def test_note_rating_and_tags_from_the_phone_once_per_nonce():
    booking, device, _token = paired_stand()
    ticket = make_ticket(booking.fair.event, 1, share_contact_consent=True)
    contact_id = scan(device, ticket.secret).contact
    data = {"contact": contact_id, "note": "Sucht Ausbildung", "rating": 4, "tags": ["Mechatronik"]}

    services.annotate_from_device(device=device, nonce="x", now=timezone.now(), data=data)
    replay = services.annotate_from_device(
        device=device, nonce="x", now=timezone.now(), data={**data, "note": "anders"}
    )

    contact = Contact.objects.get(pk=contact_id)
    assert (contact.note, contact.rating, contact.tags) == ("Sucht Ausbildung", 4, ["Mechatronik"])
    assert replay.replayed
    with pytest.raises(DomainError):
        services.annotate_contact(contact=contact, now=timezone.now(), rating=6)


def test_consent_at_the_stand_is_recorded_and_names_the_contact():
    booking, device, _token = paired_stand()
    ticket = make_ticket(booking.fair.event, 1, share_contact_consent=False, name="Cem Yilmaz")
    code = services.stand_code(booking)

    found = services.booking_for_code(code)
    contact = services.share_at_stand(
        registration=ticket.registration, booking=found, language="de", now=timezone.now()
    )
    answer = scan(device, ticket.secret)

    assert contact.shared and contact.name == "Cem Yilmaz"
    assert answer.shared and answer.contact == contact.pk
    record = ConsentRecord.objects.get(registration=ticket.registration, granted=True)
    assert booking.company.name in record.text and record.text_version
    with pytest.raises(DomainError):
        services.booking_for_code(code + "x")


def test_withdrawal_erases_the_company_copy_tells_the_company_and_keeps_the_count():
    booking, device, _token = paired_stand()
    ticket = make_ticket(booking.fair.event, 1, share_contact_consent=True)
    contact = Contact.objects.get(pk=scan(device, ticket.secret).contact)
    services.annotate_contact(contact=contact, now=timezone.now(), note="Sucht Lehrstelle")

    services.withdraw_contact(contact=contact, now=timezone.now())

    contact.refresh_from_db()
    assert (contact.name, contact.email, contact.note, contact.registration) == ("", "", "", None)
    assert contact.withdrawn_at and contact.erased_at
    assert Contact.objects.filter(booking=booking).count() == 1
    mail = Message.objects.get(purpose=Purpose.CONTACT_WITHDRAWN)
    assert mail.to_email == booking.company.contact_email
    assert "Sucht Lehrstelle" not in mail.body_text and "visitor1" not in mail.body_text
    assert ConsentRecord.objects.filter(registration=ticket.registration, granted=False).exists()
    # Scanned again at this stand: counted without a name despite the general consent.
    again = scan(device, ticket.secret)
    assert again.ok and not again.shared and again.repeated
    assert Contact.objects.filter(booking=booking).count() == 1
    assert Contact.objects.get(booking=booking).name == ""
    # Shared again at the stand: the company has the contact again.
    services.share_at_stand(
        registration=ticket.registration, booking=booking, language="de", now=timezone.now()
    )
    contact.refresh_from_db()
    assert contact.shared and contact.erased_at is None and contact.withdrawn_at is None
    # Withdrawn again, then the retention: no link to the ticket is left either.
    services.withdraw_contact(contact=contact, now=timezone.now())
    assert Contact.objects.get(pk=contact.pk).ticket_id == ticket.pk
    services.erase_expired(now=booking.fair.event.ends_at + timedelta(days=200))
    assert Contact.objects.get(pk=contact.pk).ticket_id is None


def test_retention_erases_contacts_months_after_the_fair_and_keeps_the_count():
    booking, device, _token = paired_stand()
    event = booking.fair.event
    scan(device, make_ticket(event, 1, share_contact_consent=True).secret)
    organisation = event.organisation
    organisation.exhibitor_contacts_retention_months = 3
    organisation.save()

    assert services.erase_expired(now=event.ends_at + timedelta(days=80)) == 0
    assert services.erase_expired(now=event.ends_at + timedelta(days=93)) == 1

    contact = Contact.objects.get(booking=booking)
    assert contact.erased_at and contact.name == "" and contact.registration is None
    assert contact.ticket is None
    assert Registration.objects.filter(event=event).exists()
