"""The check-in API: pairing, every answer code, revocation, offline list, upload, walk-ins."""

import logging
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from checkin import services
from checkin.models import Scan, WalkIn
from events_platform import services as core_services
from events_platform import ticket_codes
from events_platform.models import Event
from tests.factories import TimeSlotFactory, start_of_today
from ticketing.models import Registration, Ticket

from .factories import DoorEventFactory, make_minor_ticket, make_ticket, pair

pytestmark = pytest.mark.django_db


def scanner(event, name="Handy 1", entrance="Eingang Nord"):
    device, token = pair(event, name, entrance)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    return client, device


def scan(client, secret="", **extra):
    body = {"secret": secret, "nonce": uuid.uuid4().hex} | extra
    return client.post("/api/checkin/redeem/", body, format="json")


def test_pairing_token_gives_a_device_token_with_event_key_and_lists():
    event = DoorEventFactory(title_de="Rückkehrertag Torgau")
    token = services.pairing_token(event=event)

    response = APIClient().post("/api/checkin/pair/", {"token": token, "name": "Handy Anna"})

    assert response.status_code == 201
    body = response.json()
    assert body["device"] == "Handy Anna" and body["event"] == "Rückkehrertag Torgau"
    key = core_services.get_signing_key(event=event)
    assert body["public_key"] == ticket_codes.public_key_text(key.public_key)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {body['device_token']}")
    assert client.get("/api/checkin/device/").json()["current_list"] == body["current_list"]


def test_forged_or_expired_pairing_token_is_refused():
    response = APIClient().post("/api/checkin/pair/", {"token": "nonsense"})

    assert response.status_code == 400
    assert response.json()["code"] == "pairing_invalid"


def test_every_answer_code_over_the_api():
    event = DoorEventFactory()
    client, _device = scanner(event)
    good = make_ticket(event, 1, name="Anna Schmidt")
    cancelled = make_ticket(event, 2, status=Registration.Status.CANCELLED)
    other = make_ticket(DoorEventFactory(), 3)
    unknown = core_services.issue_ticket_secret(event=event, kind=1, serial=77)

    answers = {
        "ok": scan(client, good.secret),
        "already_checked_in": scan(client, good.secret),
        "cancelled": scan(client, cancelled.secret),
        "wrong_event": scan(client, other.secret),
        "invalid": scan(client, good.secret[:-4] + "AAAA"),
        "unknown": scan(client, unknown),
        "not_checked_in": scan(client, make_ticket(event, 4).secret, direction="exit"),
    }

    for code, response in answers.items():
        assert response.json()["code"] == code, (code, response.json())
        assert response.status_code == (200 if code == "ok" else 409)
        assert response.json()["message"]
    assert answers["ok"].json()["name"] == "Anna Schmidt"
    assert "Bereits eingelassen" in answers["already_checked_in"].json()["message"]


def test_not_valid_yet_and_no_longer_valid_over_the_api():
    soon = DoorEventFactory(starts_at=timezone.now() + timedelta(days=1))
    over = DoorEventFactory(starts_at=timezone.now() - timedelta(days=1))
    soon_client, _device = scanner(soon)
    over_client, _device = scanner(over)

    early = scan(soon_client, make_ticket(soon, 1).secret)
    late = scan(over_client, make_ticket(over, 2).secret)

    assert early.json()["code"] == "not_valid_yet"
    assert late.json()["code"] == "no_longer_valid"


def test_wrong_day_over_the_api():
    start = start_of_today()
    camp = DoorEventFactory(
        kind=Event.Kind.CAMP, starts_at=start, ends_at=start + timedelta(days=2)
    )
    later = TimeSlotFactory(
        event=camp,
        starts_at=start + timedelta(days=1, hours=10),
        ends_at=start + timedelta(days=1, hours=15),
    )
    client, _device = scanner(camp)

    response = scan(client, make_ticket(camp, time_slot=later).secret)

    assert response.json()["code"] == "wrong_day"
    assert "anderen Tag" in response.json()["message"]


def test_english_answer_with_lang_parameter():
    event = DoorEventFactory()
    client, _device = scanner(event)

    response = client.post(
        "/api/checkin/redeem/?lang=en", {"secret": "XYZ", "nonce": "1"}, format="json"
    )

    assert response.json()["message"].startswith("This code is not a valid ticket")


def test_forged_code_over_the_api_writes_nothing():
    event = DoorEventFactory()
    client, _device = scanner(event)
    ticket = make_ticket(event)
    core_services.verify_ticket_secret(ticket.secret)
    private, _public = ticket_codes.generate_keypair()
    forged = ticket_codes.sign(
        private_key_encrypted=private, kind=1, event_id=event.pk, serial=ticket.serial
    )

    with CaptureQueriesContext(connection) as captured:
        response = scan(client, forged)

    assert response.json()["code"] == "invalid"
    statements = [q["sql"].split()[0].upper() for q in captured.captured_queries]
    assert not {"INSERT", "UPDATE", "DELETE"} & set(statements), statements


def test_revoked_device_is_refused_on_its_next_call():
    event = DoorEventFactory()
    client, device = scanner(event)
    ticket = make_ticket(event)
    services.revoke_device(device=device, now=timezone.now())

    response = scan(client, ticket.secret)

    assert response.status_code == 401
    assert not Scan.objects.exists()


def test_no_token_no_scan():
    assert APIClient().post("/api/checkin/redeem/", {}, format="json").status_code in (401, 403)


def test_offline_list_has_no_medical_or_guardian_data_and_marks_cancelled():
    event = DoorEventFactory()
    client, _device = scanner(event)
    minor = make_minor_ticket(event, 1, photo_consent=False)
    revoked = make_ticket(event, 2)
    Ticket.objects.filter(pk=revoked.pk).update(status=Ticket.Status.REVOKED)

    body = client.get("/api/checkin/tickets/").json()

    text = str(body)
    assert "Erdnuss" not in text and "Elternteil" not in text and "@" not in text
    rows = {row["serial"]: row for row in body["tickets"]}
    assert rows[str(minor.serial)]["status"] == "valid"
    assert rows[str(revoked.serial)]["status"] == "cancelled"
    assert body["event_id"] == event.pk and body["public_key"]


def test_upload_sent_twice_counts_once():
    event = DoorEventFactory()
    client, _device = scanner(event)
    first, second = make_ticket(event, 1), make_ticket(event, 2)
    batch = {
        "scans": [
            {
                "secret": t.secret,
                "nonce": f"offline-{n}",
                "offline": True,
                "scanned_at": timezone.now(),
            }
            for n, t in enumerate((first, second))
        ]
    }

    one = client.post("/api/checkin/upload/", batch, format="json").json()
    two = client.post("/api/checkin/upload/", batch, format="json").json()

    assert [r["code"] for r in one["results"]] == ["ok", "ok"]
    assert [r["code"] for r in two["results"]] == ["ok", "ok"]
    assert all(r["replayed"] for r in two["results"])
    assert client.get("/api/checkin/counters/").json()["checked_in"] == 2


def test_search_then_manual_check_in_by_serial():
    event = DoorEventFactory()
    client, _device = scanner(event)
    make_ticket(event, 1, name="Jonas Weber", email="jonas.weber@example.org")

    found = client.get("/api/checkin/search/", {"q": "weber"}).json()
    response = scan(client, serial=found[0]["serial"])

    assert found[0]["name"] == "Jonas Weber"
    assert response.json()["code"] == "ok"


def test_a_ticket_number_typed_into_the_hand_scanner_field_checks_in():
    event = DoorEventFactory()
    client, _device = scanner(event)
    ticket = make_ticket(event, 1, name="Jonas Weber")
    digits = str(ticket.serial)
    typed = " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))

    found = client.get("/api/checkin/search/", {"q": typed.replace(" ", "-")}).json()
    response = scan(client, typed)
    again = scan(client, serial=digits)
    unknown = scan(client, "1234 5678")

    assert [row["name"] for row in found] == ["Jonas Weber"]

    assert response.status_code == 200
    assert response.json()["code"] == "ok" and response.json()["name"] == "Jonas Weber"
    assert again.status_code == 409 and again.json()["code"] == "already_checked_in"
    assert unknown.status_code == 409 and unknown.json()["code"] == "unknown"


def test_walk_in_counts_once_per_nonce_and_only_where_allowed():
    event = DoorEventFactory(walk_ins_allowed=True)
    client, _device = scanner(event)
    body = {"nonce": "w-1", "postcode": "04860", "interest": "Pflege"}

    client.post("/api/checkin/walk-ins/", body, format="json")
    response = client.post("/api/checkin/walk-ins/", body, format="json")

    assert response.status_code == 201 and response.json()["walk_ins"] == 1
    assert WalkIn.objects.get().postcode == "04860"
    closed = DoorEventFactory(walk_ins_allowed=False)
    closed_client, _device = scanner(closed)
    refused = closed_client.post("/api/checkin/walk-ins/", {"nonce": "x"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "walk_ins_not_allowed"


def test_unknown_list_is_404_not_an_error():
    event = DoorEventFactory()
    client, _device = scanner(event)

    assert client.get("/api/checkin/counters/", {"list": "abc"}).status_code == 404
    assert client.get("/api/checkin/tickets/", {"list": "999999"}).status_code == 404


def test_a_device_sending_many_invalid_codes_gets_429_and_valid_devices_go_on():
    from checkin.api import INVALID_SCAN_WINDOW, invalid_scan_limit

    event = DoorEventFactory()
    client, device = scanner(event)
    other_client, _other = scanner(event, name="Handy 2")
    ticket = make_ticket(event)
    try:
        for index in range(invalid_scan_limit()):
            response = scan(client, "FORGED" + str(index), nonce=f"n{index}")
            assert response.status_code == 409
            assert response.json()["code"] == "invalid"
        # The code that used up the limit marked the device refused for the window (the
        # door-rush statement reads that flag instead of asking the cache at every scan).
        device.refresh_from_db()
        window = timedelta(seconds=INVALID_SCAN_WINDOW)
        assert timezone.now() < device.refused_until <= timezone.now() + window
        response = scan(client, ticket.secret, nonce="after")
        assert response.status_code == 429
        assert response.json()["code"] == "rate_limited"
        assert not Scan.objects.filter(ticket=ticket).exists()
        # The limit is per device: another phone at the same door lets the ticket in.
        assert scan(other_client, ticket.secret, nonce="other").json()["code"] == "ok"
    finally:
        from infra import ratelimit

        ratelimit.reset("checkin-invalid", str(device.pk))


def test_the_limit_decides_and_the_refusal_flag_only_routes():
    """Once the cache's window is over, a device still marked refused scans again (it
    takes the way that asks the limit); a device marked in the past takes the fast way."""
    event = DoorEventFactory()
    client, device = scanner(event)
    first, second = make_ticket(event, 1), make_ticket(event, 2)
    Device = type(device)
    Device.objects.filter(pk=device.pk).update(refused_until=timezone.now() + timedelta(minutes=1))
    assert scan(client, first.secret).json()["code"] == "ok"
    Device.objects.filter(pk=device.pk).update(refused_until=timezone.now() - timedelta(minutes=1))
    assert scan(client, second.secret).json()["code"] == "ok"


def test_a_refused_scan_is_an_answer_not_a_logged_warning(caplog):
    event = DoorEventFactory()
    client, _device = scanner(event)
    ticket = make_ticket(event)
    scan(client, ticket.secret)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        again = scan(client, ticket.secret)
        forged = scan(client, "FORGED")
        unreadable = client.post("/api/checkin/redeem/", {"nonce": ""}, format="json")
    assert (again.status_code, forged.status_code, unreadable.status_code) == (409, 409, 400)
    logged = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert logged == ["Bad Request: /api/checkin/redeem/"]
