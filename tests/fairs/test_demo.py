"""The exhibitor demo data: stand plans for eight sites, companies, bookings, offers."""

import pytest
from django.contrib.auth import authenticate
from django.utils import timezone

from events_platform.demo import load_core_demo
from fairs.demo import load_fairs_demo
from fairs.models import Company, Fair, JobOffer, Stand, StandBooking, WaitlistEntry

pytestmark = pytest.mark.django_db


def test_demo_has_plans_companies_bookings_and_offers_and_is_idempotent():
    now = timezone.now()
    events = load_core_demo(now=now)
    load_fairs_demo(events_by_slug=events, now=now)
    counts = [
        Model.objects.count()
        for Model in (Fair, Stand, Company, StandBooking, JobOffer, WaitlistEntry)
    ]
    load_fairs_demo(events_by_slug=events, now=now)
    assert [
        Model.objects.count()
        for Model in (Fair, Stand, Company, StandBooking, JobOffer, WaitlistEntry)
    ] == counts
    towns = sorted(Fair.objects.values_list("event__venue__town", flat=True))
    assert len(towns) == 8
    assert (
        Fair.objects.get(
            event__slug__startswith="ausbildungsmesse-", event__venue__town="Oschatz"
        ).max_exhibitors
        == 74
    )
    assert Company.objects.count() >= 15
    assert JobOffer.objects.count() >= 40
    assert set(StandBooking.objects.values_list("status", flat=True)) >= {
        "approved",
        "requested",
        "rejected",
        "withdrawn",
    }
    user = authenticate(username="firma", password="demo-firma-2026")
    assert user.company_memberships.get().company.name == "Agrargenossenschaft Elbaue Torgau eG"
