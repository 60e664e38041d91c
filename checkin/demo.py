"""Demo data for the door: entrances, the check-in staff's assignments, a paired scanner at
each Rückkehrertag site, and at Torgau a morning of scans and walk-ins already recorded.
`demo_notes` tells `make run` which ticket to scan at today's company visit (on now).

Idempotent: entrances and assignments are found by name, the device by name, and every
scan and walk-in carries a fixed nonce, which the redeem use case counts once.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation

from checkin.models import Device
from events_platform import when
from events_platform.demo import DOOR_DEMO_PREFIX, door_demo_slug
from events_platform.models import Event
from ticketing.models import Registration, Ticket

from . import services

ENTRANCES = ["Haupteingang", "Eingang Hof"]


def _device(event: Event, name: str, *, now: datetime) -> Device:
    device = Device.objects.filter(event=event, name=name).first()
    if device is None:
        token = services.pairing_token(event=event)
        device, _secret = services.pair_device(token=token, name=name, now=now)
    return device


def load_demo(*, events_by_slug: dict, now: datetime) -> None:
    """Set up the door for the Rückkehrertag sites and today's company visit; record some
    arrivals at Torgau."""
    staff = get_user_model().objects.filter(username="einlass").first()
    for slug, event in events_by_slug.items():
        # The Rückkehrertag sites, and the event that is on today (its door works now).
        if event.kind != Event.Kind.RETURNEE_DAY and not slug.startswith(DOOR_DEMO_PREFIX):
            continue
        for name in ENTRANCES:
            services.add_entrance(event=event, name=name)
        if staff is not None:
            services.assign_staff(event=event, user=staff)
        device = _device(event, f"Demo-Handy {event.venue.town}", now=now)
        if not slug.endswith("-torgau"):
            continue
        # A morning at Torgau as it will look on the day: every second ticket scanned in
        # the first hour, and a few walk-ins counted at the door.
        tickets = Ticket.objects.filter(event=event, status=Ticket.Status.VALID).order_by("pk")
        for index, ticket in enumerate(tickets[::2]):
            moment = event.starts_at + timedelta(minutes=4 * index + 2)
            services.redeem_ticket(
                device=device, nonce=f"demo-scan-{ticket.serial}", secret=ticket.secret, now=moment
            )
        for index, postcode in enumerate(["04860", "04886", "04874", "10115", "04860"]):
            moment = event.starts_at + timedelta(minutes=7 * index + 5)
            services.count_walk_in(
                device=device,
                nonce=f"demo-walk-in-{index}",
                now=moment,
                postcode=postcode,
                interest="Pflege" if index % 2 else "Handwerk",
            )


def door_ticket(*, now: datetime) -> Registration | None:
    """A demo registration at today's company visit whose ticket has not been scanned in."""
    return (
        Registration.objects.filter(
            event__slug=door_demo_slug(timezone.localdate(now)),
            status=Registration.Status.CONFIRMED,
            tickets__status=Ticket.Status.VALID,
            tickets__attendances__isnull=True,
        )
        .select_related("event")
        .order_by("pk")
        .first()
    )


def demo_notes(*, now: datetime) -> list[str]:
    """What `make run` prints about the door: the event on now and a ticket to scan."""
    registration = door_ticket(now=now)
    if registration is None:
        return []
    event, site = registration.event, settings.SITE_URL
    with translation.override("en"):
        # One rule for an event's hours everywhere: an end at midnight is 24:00, never 00:00.
        hours = when.hours(event.starts_at, event.ends_at)
    ticket = registration.tickets.get()
    return [
        f"Door demo / Einlass: {event.title_de}, today {hours}.",
        f"Sign in as einlass at {site}{reverse('checkin:home')}, open the scanner for it,",
        f"and scan {registration.name}'s ticket (number {ticket.serial}), shown at",
        f"{site}{reverse('ticketing:ticket', kwargs={'token': registration.manage_token})}",
    ]
