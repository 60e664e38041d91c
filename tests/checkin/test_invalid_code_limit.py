"""The invalid-code limit of a scanner holds under concurrency: of forged codes sent at
once, exactly the limit are answered, the rest get 429 (the count is the check)."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.test import APIClient

from infra import ratelimit

from .factories import DoorEventFactory, pair

LIMIT = 5
AT_ONCE = 16


@pytest.mark.django_db(transaction=True)
def test_forged_codes_sent_at_once_get_exactly_the_limit_of_answers(settings):
    settings.CHECKIN_INVALID_SCAN_LIMIT = LIMIT
    event = DoorEventFactory()
    device, token = pair(event, "Handy Angriff", "Eingang Nord")
    ratelimit.reset("checkin-invalid", str(device.pk))
    start = threading.Barrier(AT_ONCE)

    def forged_scan(n: int) -> tuple[int, str]:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Device {token}")
        body = {"secret": f"FORGED-CODE-{n}", "nonce": uuid.uuid4().hex}
        try:
            start.wait(timeout=30)
            response = client.post("/api/checkin/redeem/", body, format="json")
            return response.status_code, response.json()["code"]
        finally:
            connection.close()

    try:
        with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
            answers = list(pool.map(forged_scan, range(AT_ONCE)))
    finally:
        ratelimit.reset("checkin-invalid", str(device.pk))

    assert sorted(answers).count((409, "invalid")) == LIMIT
    assert sorted(answers).count((429, "rate_limited")) == AT_ONCE - LIMIT
