"""Offline uploads of the check-in scanner are limited like live scans: invalid codes in a
batch count into the device's invalid-scan limit (429 with a clear message once over it),
and a batch has a size cap."""

import uuid

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from checkin.models import Scan
from infra import ratelimit
from tests.checkin.factories import DoorEventFactory, make_ticket, pair

pytestmark = pytest.mark.django_db

LIMIT = 5


@pytest.fixture
def door(settings):
    """A scanner at an event on now, with a low invalid-scan limit; its counter cleared."""
    settings.CHECKIN_INVALID_SCAN_LIMIT = LIMIT
    event = DoorEventFactory()
    device, token = pair(event, "Handy Upload", "Eingang Süd")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    yield event, device, client
    ratelimit.reset("checkin-invalid", str(device.pk))


def _offline(secret: str) -> dict:
    return {
        "secret": secret,
        "nonce": uuid.uuid4().hex,
        "offline": True,
        "scanned_at": timezone.now().isoformat(),
    }


def _upload(client, scans, lang="de"):
    return client.post(f"/api/checkin/upload/?lang={lang}", {"scans": scans}, format="json")


def test_invalid_codes_in_a_batch_count_and_the_rest_is_refused_with_429(door):
    event, device, client = door
    valid = make_ticket(event, 1)
    forged = [_offline(f"FORGED-{n}") for n in range(LIMIT)]

    response = _upload(client, [*forged, _offline(valid.secret)])

    assert response.status_code == 429
    assert response.json() == {
        "code": "rate_limited",
        "detail": "Zu viele ungültige Codes von diesem Gerät. Bitte warten Sie eine Minute.",
    }
    # The valid scan after the forged ones was not redeemed; the scanner keeps it queued.
    assert not Scan.objects.filter(device=device, ticket=valid).exists()

    # Live scans from the device are refused too: the counter is the same.
    live = client.post(
        "/api/checkin/redeem/", {"secret": valid.secret, "nonce": uuid.uuid4().hex}, format="json"
    )
    assert live.status_code == 429

    response = _upload(client, [_offline(valid.secret)], lang="en")
    assert response.status_code == 429
    assert response.json()["detail"] == (
        "Too many invalid codes from this device. Please wait a minute."
    )


def test_a_batch_under_the_limit_is_answered_scan_by_scan(door):
    event, _device, client = door
    valid = make_ticket(event, 2)

    response = _upload(client, [_offline("FORGED-A"), _offline(valid.secret)])

    assert response.status_code == 200
    assert [r["code"] for r in response.json()["results"]] == ["invalid", "ok"]


def test_live_invalid_scans_count_against_a_later_upload(door):
    event, _device, client = door
    for n in range(LIMIT):
        client.post(
            "/api/checkin/redeem/", {"secret": f"LIVE-{n}", "nonce": f"live-{n}"}, format="json"
        )
    response = _upload(client, [_offline(make_ticket(event, 3).secret)])
    assert response.status_code == 429


def test_other_devices_are_not_affected(door):
    event, _device, client = door
    _upload(client, [_offline(f"FORGED-{n}") for n in range(LIMIT)])
    other_device, token = pair(event, "Handy Nord", "Eingang Nord")
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    try:
        response = _upload(other, [_offline(make_ticket(event, 4).secret)])
        assert response.status_code == 200
        assert response.json()["results"][0]["code"] == "ok"
    finally:
        ratelimit.reset("checkin-invalid", str(other_device.pk))


def test_a_batch_has_a_size_cap(door):
    _event, _device, client = door
    response = _upload(client, [_offline(f"X-{n}") for n in range(501)])
    assert response.status_code == 400
    assert "nicht mehr als 500" in str(response.json()["scans"])
