"""The company's list of its job offers tells two offers of the same title apart."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fairs import services as fair_services
from tests.factories import EventFactory
from tests.fairs.factories import StandBookingFactory

from .helpers import wall

pytestmark = pytest.mark.django_db


def test_two_offers_of_one_title_show_where_and_when_each_is_presented(client):
    event, offer, member = wall()
    later = EventFactory(
        organisation=event.organisation,
        title_de="Ausbildungsmesse",
        venue__town="Oschatz",
        starts_at=timezone.now() + timedelta(days=40),
    )
    StandBookingFactory(company=offer.company, stand__hall__fair__event=later, status="approved")
    fair_services.create_job_offer(
        company=offer.company,
        data={"title": offer.title, "kind": "apprenticeship", "place_of_work": "Oschatz"},
        events=[later],
    )
    client.force_login(member.user)

    page = client.get(reverse("applications:company-offers")).content.decode()

    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("</tr>")[:2]
    assert all(offer.title in row for row in rows)
    by_event = sorted(rows, key=lambda row: "Ausbildungsmesse" in row)
    assert "Rückkehrertag" in by_event[0] and "Ausbildungsmesse" not in by_event[0]
    assert "Ausbildungsmesse" in by_event[1] and "Oschatz" in by_event[1]
    assert '<th scope="col">Veranstaltungen</th>' in page


def test_the_offers_are_listed_by_title(client):
    event, offer, member = wall(title="Zerspanungsmechaniker/in")
    fair_services.create_job_offer(
        company=offer.company,
        data={"title": "Anlagenmechaniker/in", "kind": "apprenticeship", "place_of_work": "Torgau"},
        events=[event],
    )
    client.force_login(member.user)

    page = client.get(reverse("applications:company-offers")).content.decode()

    assert page.index("Anlagenmechaniker/in") < page.index("Zerspanungsmechaniker/in")
