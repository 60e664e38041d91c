"""The periodic jobs, run by a real Celery worker on the real broker."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import EventFactory
from ticketing import services, tasks
from ticketing.models import Registration

from .factories import CampFactory, camper, person


def _wait_for(condition, timeout=90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("the worker did not finish in time")


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_worker_expires_offers_and_releases_unconfirmed_minors(celery_worker):
    event = EventFactory(capacity=1)
    long_ago = timezone.now() - timedelta(days=5)
    first = services.register(event=event, data=person(1), now=long_ago)
    second = services.register(event=event, data=person(2), now=long_ago)
    third = services.register(event=event, data=person(3), now=long_ago)
    services.cancel_registration(registration=first, now=long_ago)  # offer to `second` ran out

    camp = CampFactory(capacity=1)
    minor = services.register(event=camp, data=camper(1, event=camp), now=long_ago)

    tasks.expire_waitlist_offers.delay()
    tasks.release_unconfirmed_minors.delay()
    _wait_for(
        lambda: (
            Registration.objects.get(pk=second.pk).status == "released"
            and Registration.objects.get(pk=minor.pk).status == "released"
        )
    )
    assert Registration.objects.get(pk=third.pk).status == "offered"
    assert Registration.objects.get(pk=minor.pk).email == ""
