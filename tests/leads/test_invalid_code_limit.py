"""The stand phone's limit on invalid codes is the door's (checkin invalid_codes): after the
limit of forged codes in the window the phone is answered 429 `rate_limited`, also for a
genuine ticket then; a wrong-event or valid ticket does not count, and a replayed item (the
offline queue sent again) is not counted twice."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from checkin.services import invalid_codes
from infra import ratelimit
from leads.models import Contact, Upload
from leads.views import INVALID_CODES_SCOPE

from .factories import DoorEventFactory, make_ticket, paired_stand

pytestmark = pytest.mark.django_db
LIMIT = 3


def upload(token, items):
    return Client().post(
        reverse("leads:device-upload"),
        data=json.dumps({"items": items}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Device {token}",
    )


@pytest.fixture
def stand_phone(settings):
    settings.CHECKIN_INVALID_SCAN_LIMIT = LIMIT
    booking, device, token = paired_stand()
    ratelimit.reset(INVALID_CODES_SCOPE, str(device.pk))
    yield booking, device, token
    ratelimit.reset(INVALID_CODES_SCOPE, str(device.pk))


def test_after_the_limit_of_forged_codes_the_phone_gets_429(stand_phone):
    booking, device, token = stand_phone
    ticket = make_ticket(booking.fair.event, 1, share_contact_consent=True)
    forged = [{"nonce": f"f{n}", "secret": f"GEFAELSCHT-{n}"} for n in range(LIMIT - 1)]

    first = upload(token, forged)
    assert first.status_code == 200
    assert [r["code"] for r in first.json()["results"]] == ["invalid"] * (LIMIT - 1)
    # The offline queue sent again: replays answer as before and count nothing more.
    again = upload(token, forged)
    assert again.status_code == 200 and all(r["replayed"] for r in again.json()["results"])
    last = upload(token, [{"nonce": "f-last", "secret": "GEFAELSCHT-L"}])
    assert last.status_code == 200 and last.json()["results"][0]["code"] == "invalid"

    over = upload(token, [{"nonce": "f-over", "secret": "GEFAELSCHT-X"}])
    assert over.status_code == 429
    assert over.json()["code"] == invalid_codes.refusal()["code"] == "rate_limited"
    assert "ungültige Codes" in over.json()["message"]
    # Now even a genuine ticket waits: the phone keeps it in its queue.
    genuine = upload(token, [{"nonce": "g1", "secret": ticket.secret}])
    assert genuine.status_code == 429
    assert not Contact.objects.filter(booking=booking).exists()

    ratelimit.reset(INVALID_CODES_SCOPE, str(device.pk))  # the window has passed
    assert upload(token, [{"nonce": "g1", "secret": ticket.secret}]).status_code == 200
    assert Contact.objects.filter(booking=booking).count() == 1


def test_a_batch_that_crosses_the_limit_stops_there(stand_phone):
    booking, device, token = stand_phone
    other_event_ticket = make_ticket(DoorEventFactory(), 2)
    items = [{"nonce": "w1", "secret": other_event_ticket.secret}] + [
        {"nonce": f"f{n}", "secret": f"GEFAELSCHT-{n}"} for n in range(LIMIT + 2)
    ]
    answer = upload(token, items)
    assert answer.status_code == 429 and answer.json()["code"] == "rate_limited"
    # The wrong-event ticket did not count: the forged code after the limit was the last
    # one looked at, the rest wait in the phone's queue.
    seen = set(Upload.objects.filter(device=device).values_list("nonce", flat=True))
    assert seen == {"w1"} | {f"f{n}" for n in range(LIMIT + 1)}
