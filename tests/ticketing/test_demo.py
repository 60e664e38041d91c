"""The ticketing demo data: what a newcomer sees, and loading it twice adds nothing."""

import pytest
from django.utils import timezone

from events_platform.demo import load_core_demo
from ticketing import queries
from ticketing.demo import load_demo
from ticketing.models import Registration, Ticket

pytestmark = pytest.mark.django_db


def test_demo_registrations_and_tickets_idempotent():
    now = timezone.now()
    events = load_core_demo(now=now)
    load_demo(events_by_slug=events, now=now)
    counts = (Registration.objects.count(), Ticket.objects.count())
    load_demo(events_by_slug=load_core_demo(now=now), now=now)
    assert (Registration.objects.count(), Ticket.objects.count()) == counts

    returnee_sites = {
        r.event.venue.town for r in Registration.objects.filter(event__kind="returnee_day")
    }
    assert len(returnee_sites) == 5
    school_class = Registration.objects.get(kind="school_class")
    assert school_class.tickets.get().headcount == 24 and school_class.time_slot is not None
    camp = Registration.objects.filter(event__kind="camp")
    assert sorted(camp.values_list("status", flat=True)) == ["confirmed", "pending_guardian"]
    assert (
        Registration.objects.filter(event__kind="conference", sessions__isnull=False).count() == 3
    )
    excursion = Registration.objects.get(event__kind="excursion")
    assert queries.settings_for(excursion.event).meeting_point
    assert queries.settings_for(excursion.event).departure_at
    assert excursion.event.registration_closes_at < excursion.event.starts_at
    assert excursion.event.excursion_stops.count() == 2
    for ticket in Ticket.objects.filter(status="valid"):
        assert queries.ticket_for_secret(ticket.secret) == ticket
