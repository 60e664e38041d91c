"""The door's live figures (the organiser's live view, its JSON and the scanners' API) and
the figures for funders count the same persons: one source, checkin/queries.py."""

import pytest
from django.urls import reverse

from checkin.models import Device
from figures import definitions
from tests.checkin.factories import pair
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_live_view_the_scanner_api_and_the_figures_agree(client, hand_counted_edition):
    edition = hand_counted_edition
    membership = MembershipFactory(organisation=edition.torgau.organisation)
    client.force_login(membership.user)
    for event in (edition.torgau, edition.oschatz):
        figures = definitions.event_figures(event)
        live = client.get(reverse("checkin:event-figures", args=[event.pk])).json()
        assert live["counters"]["inside"] == figures.present_now
        assert live["counters"]["walk_ins"] == figures.walk_ins
        assert live["counters"]["checked_in"] == figures.checked_in
        assert live["exits"] == figures.exits
        # The arrivals chart adds up to everyone let in: present now plus those who left.
        assert sum(live["arrivals"]["values"]) == figures.present_now + figures.exits
        _device, token = pair(event, name="Handy API", entrance=None)
        api = client.get("/api/checkin/counters/", HTTP_AUTHORIZATION=f"Device {token}").json()
        assert api["inside"] == figures.present_now
        assert api["walk_ins"] == figures.walk_ins
    assert Device.objects.count() == 4
    page = client.get(reverse("checkin:event", args=[edition.torgau.pk])).content.decode()
    assert "27" in page  # present now at Torgau: 24 + 4 in, one out
