"""Factories and helpers of the check-in tests: an event on today, tickets, paired devices."""

import uuid
from datetime import date, datetime, timedelta

import factory
from django.utils import timezone

from checkin import services
from checkin.models import Entrance
from events_platform import services as core_services
from events_platform import ticket_codes
from events_platform.models import Event
from infra.dates import years_after
from tests.factories import EventFactory
from ticketing.models import Registration, Ticket


class DoorEventFactory(EventFactory):
    """A site event that is on right now, so its doors are open."""

    kind = Event.Kind.RETURNEE_DAY
    title_de = factory.Sequence(lambda n: f"Rückkehrertag {n}")
    capacity = 5000
    walk_ins_allowed = True
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=30))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + timedelta(hours=2))


def make_ticket(event, n: int = 0, *, headcount: int = 1, **registration) -> Ticket:
    """A confirmed registration with a valid signed ticket (written directly, fast)."""
    now = timezone.now()
    values = {
        "name": f"Besucherin {n}",
        "email": f"visitor{n}@example.org",
        "status": Registration.Status.CONFIRMED,
        "headcount": headcount,
        "created_at": now,
        "confirmed_at": now,
    }
    if headcount > 1:
        values.update(kind=Registration.Kind.SCHOOL_CLASS, school="Oberschule Torgau", grade="9b")
    values.update(registration)
    reg = Registration.objects.create(event=event, **values)
    serial = ticket_codes.new_serial()
    return Ticket.objects.create(
        event=event,
        registration=reg,
        kind=Ticket.Kind.GROUP if headcount > 1 else Ticket.Kind.SINGLE,
        serial=serial,
        secret=core_services.issue_ticket_secret(
            event=event, kind=ticket_codes.Kind.TICKET, serial=serial
        ),
        headcount=headcount,
        issued_at=now,
    )


def make_minor_ticket(event, n: int = 0, *, photo_consent: bool) -> Ticket:
    born = years_after(date.today(), -12)
    return make_ticket(
        event,
        n,
        birth_date=born,
        kind=Registration.Kind.CAMP_PARTICIPANT,
        photo_consent=photo_consent,
        medical_notes="Erdnussallergie",
        guardian_name="Elternteil",
    )


def pair(event, name: str = "Handy 1", entrance: str | None = "Eingang Nord"):
    """A paired device (and its token) at a named entrance of `event`."""
    door = Entrance.objects.get_or_create(event=event, name=entrance)[0] if entrance else None
    token = services.pairing_token(event=event, entrance=door)
    return services.pair_device(token=token, name=name, now=timezone.now())


def make_tickets(event, count: int) -> list[Ticket]:
    """`count` confirmed single tickets, written in bulk (for load and concurrency tests)."""
    now = timezone.now()
    key = core_services.get_signing_key(event=event)
    registrations = Registration.objects.bulk_create(
        Registration(
            event=event,
            name=f"Besucher {n}",
            email=f"bulk{n}@example.org",
            status=Registration.Status.CONFIRMED,
            created_at=now,
            confirmed_at=now,
            manage_token=f"bulk-{event.pk}-{n}",
        )
        for n in range(count)
    )
    tickets = []
    for registration in registrations:
        serial = ticket_codes.new_serial()
        secret = ticket_codes.sign(
            private_key_encrypted=key.private_key_encrypted,
            kind=ticket_codes.Kind.TICKET,
            event_id=event.pk,
            serial=serial,
        )
        tickets.append(
            Ticket(
                event=event,
                registration=registration,
                serial=serial,
                secret=secret,
                issued_at=now,
            )
        )
    return Ticket.objects.bulk_create(tickets)


def five_days_at_the_door(**event_fields):
    """A site event open on five days up to today with entries on each day, one exit and
    a re-entry, and walk-ins. Returns the event and what the door saw: 11 persons let in
    (6 scans, 5 walk-ins), 1 out, so 10 present now."""
    from tests.factories import start_of_today

    today = start_of_today()
    event = DoorEventFactory(
        starts_at=today - timedelta(days=4, hours=-9),
        ends_at=today + timedelta(hours=23),
        **event_fields,
    )
    device, _token = pair(event)
    tickets = [make_ticket(event, n, name=f"Besucherin {n}") for n in range(5)]

    def at(day: int, hour: int) -> datetime:
        return today - timedelta(days=4 - day) + timedelta(hours=hour)

    def scan(ticket, when, direction="entry"):
        services.redeem_ticket(
            device=device,
            secret=ticket.secret,
            nonce=uuid.uuid4().hex,
            now=timezone.now(),
            scanned_at=when,
            offline=True,
            direction=direction,
        )

    for day, ticket in enumerate(tickets):
        scan(ticket, at(day, 10))
    scan(tickets[0], at(0, 16), "exit")
    scan(tickets[0], at(1, 11))
    for persons, when in ((1, at(2, 11)), (1, at(2, 11)), (3, at(4, 0))):
        services.count_walk_in(
            device=device,
            nonce=uuid.uuid4().hex,
            now=timezone.now(),
            persons=persons,
            counted_at=when,
        )
    return event, {"entered": 11, "left": 1, "present": 10, "days": 5}
