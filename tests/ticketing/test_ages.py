"""Age has one home (ticketing/ages.py): the guardian rule and the door's minor flag agree on
the day a participant comes of age."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from infra.dates import years_after
from ticketing import ages, services
from ticketing.models import Registration

from .factories import CampFactory, camper

pytestmark = pytest.mark.django_db


def test_age_counts_whole_years_up_to_the_birthday():
    assert ages.age_on(date(2008, 12, 27), date(2026, 12, 26)) == 17
    assert ages.age_on(date(2008, 12, 27), date(2026, 12, 27)) == 18
    assert ages.age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert ages.age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_the_guardian_rule_and_the_door_agree_on_coming_of_age():
    camp = CampFactory(capacity=5, min_age=None, max_age=None)
    first_day = timezone.localdate(camp.starts_at)
    of_age = years_after(first_day, -ages.AGE_OF_MAJORITY)
    adult = services.register(
        event=camp, data=camper(1, event=camp, birth_date=of_age), now=timezone.now()
    )
    minor = services.register(
        event=camp,
        data=camper(2, event=camp, birth_date=of_age + timedelta(days=1)),
        now=timezone.now(),
    )
    assert (adult.status, adult.is_minor_at(camp)) == (Registration.Status.CONFIRMED, False)
    assert (minor.status, minor.is_minor_at(camp)) == (Registration.Status.PENDING_GUARDIAN, True)
