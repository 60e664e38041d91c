"""A camp's time slots are its days, the same for every participant: nobody chooses one,
so no page offers them as slots with places of their own."""

import pytest
from django.urls import reverse

from events_platform.models import Event, Membership
from tests.factories import EventFactory, MembershipFactory, TimeSlotFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(client):
    membership = MembershipFactory(role=Membership.Role.ORGANISER_ADMIN)
    client.force_login(membership.user)
    return membership


def test_the_organisers_list_of_a_camp_has_no_slots_and_no_slot_filter(client, organiser):
    camp = EventFactory(organisation=organiser.organisation, kind=Event.Kind.CAMP, capacity=60)
    TimeSlotFactory(event=camp, starts_at=camp.starts_at, ends_at=camp.ends_at, capacity=60)
    page = client.get(reverse("ticketing:organiser-list", kwargs={"event_id": camp.pk}))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Zeitfenster" not in html and 'name="time_slot"' not in html


def test_the_organisers_list_of_a_fair_keeps_its_slots_and_the_slot_filter(client, organiser):
    fair = EventFactory(
        organisation=organiser.organisation, kind=Event.Kind.APPRENTICESHIP_FAIR, capacity=600
    )
    TimeSlotFactory(event=fair, starts_at=fair.starts_at, ends_at=fair.ends_at, capacity=60)
    html = client.get(reverse("ticketing:organiser-list", kwargs={"event_id": fair.pk}))
    html = html.content.decode()
    assert "Zeitfenster" in html and 'name="time_slot"' in html
