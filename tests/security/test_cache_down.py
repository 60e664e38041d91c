"""With the cache (Redis) unreachable the limits let requests through and log an error:
the check-in door, sign-in and registration keep working instead of answering 500.
The cache here is a Redis address where nothing listens."""

import logging
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from checkin.models import Scan
from tests.checkin.factories import DoorEventFactory, make_ticket, pair
from tests.conftest import free_port
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_down(settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    caplog.set_level(logging.ERROR, logger="infra.ratelimit")
    return caplog


def _not_applied(caplog, scope: str) -> bool:
    return any(
        f"Rate limit {scope} not applied" in record.getMessage() for record in caplog.records
    )


def test_the_door_keeps_working(cache_down, settings):
    settings.CHECKIN_INVALID_SCAN_LIMIT = 1
    event = DoorEventFactory()
    device, token = pair(event)
    scanner = APIClient()
    scanner.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    first, second, third = (make_ticket(event, n) for n in range(3))

    def scan(secret, **extra):
        body = {"secret": secret, "nonce": uuid.uuid4().hex} | extra
        return scanner.post("/api/checkin/redeem/", body, format="json")

    assert scan(first.secret).json()["code"] == "ok"
    # Over a limit of 1, were it counted: still answered, one by one.
    for _ in range(3):
        forged = scan("FORGED")
        assert forged.status_code == 409 and forged.json()["code"] == "invalid"
    assert scan(first.secret, direction="exit").json()["code"] == "ok"
    upload = scanner.post(
        "/api/checkin/upload/",
        {
            "scans": [
                {
                    "secret": secret,
                    "nonce": uuid.uuid4().hex,
                    "offline": True,
                    "scanned_at": timezone.now().isoformat(),
                }
                for secret in (second.secret, third.secret)
            ]
        },
        format="json",
    )
    assert upload.status_code == 200
    assert [answer["code"] for answer in upload.json()["results"]] == ["ok", "ok"]
    assert Scan.objects.filter(device=device).count() == 4
    assert _not_applied(cache_down, "checkin-invalid")


def test_sign_in_keeps_working(cache_down, client):
    user = UserFactory(username="erika")
    user.set_password("richtig und lang genug")
    user.save()

    wrong = client.post(reverse("login"), {"username": "erika", "password": "falsch"})
    right = client.post(
        reverse("login"), {"username": "erika", "password": "richtig und lang genug"}
    )

    assert wrong.status_code == 200  # the form again, with its message
    assert right.status_code == 302
    assert _not_applied(cache_down, "login-account")


def test_registration_keeps_working(cache_down, client, settings):
    from tests.factories import EventFactory
    from ticketing.models import Registration

    settings.TICKETING_RATE_LIMITS = {"ip": (1, 600), "email": (1, 3600)}
    event = EventFactory()
    codes = [
        client.post(
            f"/tickets/anmelden/{event.slug}/",
            {"name": f"Anna {n}", "email": f"anna{n}@example.org", "privacy_consent": "on"},
        ).status_code
        for n in range(2)
    ]

    assert codes == [302, 302]  # over a limit of 1, were it counted
    assert Registration.objects.filter(event=event).count() == 2
    assert _not_applied(cache_down, "ticketing-register-ip")
