"""The demo data of BRIEF.md loads, and loading it twice duplicates nothing."""

from datetime import date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from events_platform.demo import BERLIN, demo_rueckkehrertag, next_rueckkehrertag
from events_platform.models import Event, EventSeries, Membership, Organisation, Venue
from fairs.models import JobOffer


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, Membership, Venue, EventSeries, Event, get_user_model())
    }


@pytest.mark.django_db
def test_demo_data_loads_once():
    call_command("load_demo_data")
    first = _counts()
    call_command("load_demo_data")
    assert _counts() == first
    assert first["Organisation"] == 3


@pytest.mark.django_db
def test_demo_has_five_rueckkehrertag_sites_on_one_weekday_between_the_holidays():
    call_command("load_demo_data")
    # The next one that has not begun (the figures demo adds last year's edition beside it).
    series = EventSeries.objects.get(
        slug=f"rueckkehrertag-{demo_rueckkehrertag(timezone.now()).year}"
    )
    assert series.events.filter(starts_at__gte=timezone.now()).count() == 5
    sites = list(series.events.select_related("venue"))
    assert sorted(e.venue.town for e in sites) == [
        "Delitzsch",
        "Eilenburg",
        "Oschatz",
        "Schkeuditz",
        "Torgau",
    ]
    days = {timezone.localtime(e.starts_at).date() for e in sites}
    assert len(days) == 1
    (day,) = days
    assert day.weekday() < 5
    assert date(day.year, 12, 27) <= day <= date(day.year, 12, 31)
    assert {timezone.localtime(e.starts_at).hour for e in sites} == {10}


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 22), date(2026, 12, 28)),  # 27 Dec 2026 is a Sunday
        (date(2027, 6, 1), date(2027, 12, 27)),  # a Monday
        (date(2027, 12, 28), date(2028, 12, 27)),  # this year's day is over
        (date(2026, 12, 28), date(2026, 12, 28)),  # the day itself, after a weekend
        (date(2026, 12, 29), date(2027, 12, 27)),
    ],
)
def test_next_rueckkehrertag_is_a_weekday_after_christmas(today, expected):
    assert next_rueckkehrertag(today) == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2027, 12, 27, 9, 59, tzinfo=BERLIN), date(2027, 12, 27)),
        (datetime(2027, 12, 27, 10, 0, tzinfo=BERLIN), date(2028, 12, 27)),
        (datetime(2026, 12, 28, 11, 0, tzinfo=BERLIN), date(2027, 12, 27)),
    ],
)
def test_the_demo_invites_to_a_rueckkehrertag_that_has_not_begun(now, expected):
    assert demo_rueckkehrertag(now) == expected


@pytest.mark.django_db
def test_demo_has_every_role():
    call_command("load_demo_data")
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {Membership.Role.ORGANISER_ADMIN, Membership.Role.CHECKIN_STAFF}
    assert get_user_model().objects.filter(is_superuser=True, username="admin").exists()


@pytest.mark.django_db
def test_no_company_presents_the_same_job_offer_twice_at_an_event():
    call_command("load_demo_data")
    offers = JobOffer.objects.count()
    call_command("load_demo_data")
    assert JobOffer.objects.count() == offers

    twice = (
        JobOffer.events.through.objects.values("joboffer__company", "joboffer__title", "event")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert list(twice) == []
    # Nor the same title twice in a company's list (what /bewerbungen/firma/ shows).
    same_title = JobOffer.objects.values("company", "title").annotate(n=Count("pk")).filter(n__gt=1)
    assert list(same_title) == []
