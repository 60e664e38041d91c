"""The door rush's own way through the redeem API (PostgreSQL): a plain online entry scan is
answered from a device the process keeps and one prepared statement, with the same answers
as the DRF way, and a revoked or moved device is still refused or moved at its next scan."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from checkin import services
from checkin.models import Attendance, Entrance, Scan
from checkin.services import door_rush
from events_platform import services as core_services
from events_platform import ticket_codes
from events_platform.models import EventSigningKey, Membership
from tests.factories import MembershipFactory

from .factories import DoorEventFactory, make_minor_ticket, make_ticket, pair

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def scanner(event, name="Handy 1", entrance="Eingang Nord"):
    device, token = pair(event, name, entrance)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    return client, device


def scan(client, secret, **extra):
    body = {"secret": secret, "nonce": uuid.uuid4().hex} | extra
    return client.post("/api/checkin/redeem/", body, format="json")


def statements(captured) -> list[str]:
    """The statements run, without the savepoint the test's own transaction makes around a
    write (outside a transaction, as in production, there is none)."""
    words = [q["sql"].split()[0].upper() for q in captured.captured_queries]
    return [word for word in words if word not in ("SAVEPOINT", "RELEASE")]


def test_a_plain_scan_is_one_statement_and_a_second_scan_writes_nothing():
    event = DoorEventFactory()
    client, _device = scanner(event)
    ticket, other = make_ticket(event, 1, name="Anna Schmidt"), make_ticket(event, 2)
    scan(client, other.secret)  # the process now keeps the device and the event's key

    with CaptureQueriesContext(connection) as first:
        ok = scan(client, ticket.secret)
    with CaptureQueriesContext(connection) as second:
        again = scan(client, ticket.secret)

    assert ok.status_code == 200 and ok.json()["code"] == "ok"
    assert ok.json()["name"] == "Anna Schmidt"
    assert statements(first) == ["WITH"]  # read, checks, lock and both inserts at once
    assert again.status_code == 409 and again.json()["code"] == "already_checked_in"
    assert again.json()["previous_entrance"] == "Eingang Nord"
    assert statements(second) == ["WITH"]
    assert Scan.objects.filter(ticket=ticket).count() == 1
    assert Attendance.objects.get(ticket=ticket).inside


def test_plain_scan_answers_exactly_as_the_drf_way():
    event = DoorEventFactory()
    client, _device = scanner(event)
    plain, drf = (
        make_minor_ticket(event, 1, photo_consent=False),
        make_minor_ticket(event, 2, photo_consent=False),
    )

    # A list id in the body is not a plain scan: that one goes the DRF way.
    list_id = client.get("/api/checkin/device/").json()["current_list"]
    by_plain = scan(client, plain.secret, nonce="same-shape-1")
    by_drf = scan(client, drf.secret, nonce="same-shape-2", list=list_id)

    assert by_plain.status_code == by_drf.status_code == 200
    assert by_plain["Content-Type"] == by_drf["Content-Type"] == "application/json"
    one, two = by_plain.json(), by_drf.json()
    assert one.keys() == two.keys()
    assert one["minor"] is True and one["photo_consent"] is False
    different = {"serial", "nonce", "name"}
    assert {k: v for k, v in one.items() if k not in different} == {
        k: v for k, v in two.items() if k not in different
    }


def test_organiser_revoking_a_kept_device_refuses_its_very_next_scan(client):
    organiser = MembershipFactory(role=Membership.Role.ORGANISER_ADMIN)
    client.force_login(organiser.user)
    event = DoorEventFactory(organisation=organiser.organisation)
    north, north_device = scanner(event, "Handy Nord", "Eingang Nord")
    south, south_device = scanner(event, "Handy Süd", "Eingang Süd")
    first, second, third = make_ticket(event, 1), make_ticket(event, 2), make_ticket(event, 3)
    assert scan(north, first.secret).json()["code"] == "ok"  # both devices are kept now
    assert scan(south, second.secret).json()["code"] == "ok"

    for device in (north_device, south_device):
        client.post(f"/einlass/events/{event.pk}/devices/{device.pk}/revoke/")
    valid = scan(north, third.secret)  # refused by the statement's own read of the device
    forged = scan(south, first.secret[:-4] + "AAAA")  # refused by the device check

    assert valid.status_code == 401 and forged.status_code == 401
    assert not Scan.objects.filter(ticket=third).exists()
    assert not Attendance.objects.filter(ticket=third).exists()
    assert scan(north, third.secret).status_code == 401


def test_a_kept_device_moved_to_another_entrance_scans_there_at_once():
    event = DoorEventFactory()
    door, device = scanner(event, entrance="Eingang Nord")
    first, second = make_ticket(event, 1), make_ticket(event, 2)
    scan(door, first.secret)
    south = Entrance.objects.create(event=event, name="Eingang Süd")

    services.set_device_entrance(device=device, entrance=south)
    answer = scan(door, second.secret)

    assert answer.json()["code"] == "ok"
    assert Scan.objects.get(ticket=second).entrance == south
    assert Attendance.objects.get(ticket=second).last_entrance == south


def test_same_nonce_sent_twice_counts_once_on_the_plain_way():
    event = DoorEventFactory()
    door, _device = scanner(event)
    ticket = make_ticket(event)

    one = scan(door, ticket.secret, nonce="retry-1")
    two = scan(door, ticket.secret, nonce="retry-1")

    assert one.json()["code"] == two.json()["code"] == "ok"
    assert two.json()["replayed"] is True
    assert Scan.objects.count() == 1


def test_a_new_signing_key_of_the_event_still_admits_its_tickets():
    event = DoorEventFactory()
    door, _device = scanner(event)
    assert scan(door, make_ticket(event, 1).secret).json()["code"] == "ok"  # key kept now
    EventSigningKey.objects.filter(event=event).delete()
    core_services.get_signing_key(event=event)  # a new key, and the cached one forgotten

    answer = scan(door, make_ticket(event, 2).secret)

    assert answer.json()["code"] == "ok"


def test_a_code_forged_for_the_event_writes_nothing_on_the_plain_way():
    event = DoorEventFactory()
    door, _device = scanner(event)
    ticket = make_ticket(event)
    scan(door, make_ticket(event, 2).secret)
    private, _public = ticket_codes.generate_keypair()
    forged = ticket_codes.sign(
        private_key_encrypted=private, kind=1, event_id=event.pk, serial=ticket.serial
    )

    with CaptureQueriesContext(connection) as captured:
        answer = scan(door, forged)

    assert answer.status_code == 409 and answer.json()["code"] == "invalid"
    # The one statement compared the code with the stored secret and wrote nothing (then
    # the signature was checked, with the event's key read the first time).
    assert [word for word in statements(captured) if word != "SELECT"] == ["WITH"]
    assert not Attendance.objects.filter(ticket=ticket).exists()
    assert not Scan.objects.filter(ticket=ticket).exists()


def test_a_forged_code_of_an_admitted_ticket_tells_nothing_about_its_holder():
    """The statement also reads the holder and the attendance; a code that is not the stored
    secret must not get "already checked in … (name)" from that row."""
    event = DoorEventFactory()
    door, _device = scanner(event)
    ticket = make_ticket(event)
    assert scan(door, ticket.secret).json()["code"] == "ok"
    private, _public = ticket_codes.generate_keypair()
    forged = ticket_codes.sign(
        private_key_encrypted=private, kind=1, event_id=event.pk, serial=ticket.serial
    )
    altered = ticket.secret[:40] + ("B" if ticket.secret[40] == "A" else "A") + ticket.secret[41:]

    for code in (forged, altered, forged.lower()):
        answer = scan(door, code)
        assert answer.status_code == 409
        assert answer.json()["code"] == "invalid"
        assert ticket.registration.name not in answer.content.decode()
    assert Scan.objects.filter(ticket=ticket).count() == 1


def test_the_stored_secret_in_another_spelling_is_the_same_ticket():
    event = DoorEventFactory()
    door, _device = scanner(event)
    ticket = make_ticket(event)

    answer = scan(door, ticket.secret.lower())

    assert answer.json()["code"] == "ok"
    assert answer.json()["name"] == ticket.registration.name


def test_a_cancelled_event_refuses_on_the_plain_way_even_for_a_kept_device():
    event = DoorEventFactory()
    door, _device = scanner(event)
    scan(door, make_ticket(event, 1).secret)
    ticket = make_ticket(event, 2)
    event.status = event.Status.CANCELLED
    event.save(update_fields=["status"])

    answer = scan(door, ticket.secret)

    assert answer.status_code == 409 and answer.json()["code"] == "cancelled"
    assert not Scan.objects.filter(ticket=ticket).exists()


def test_unusual_bodies_go_the_drf_way_with_its_errors():
    event = DoorEventFactory()
    door, _device = scanner(event)
    ticket = make_ticket(event)

    blank_nonce = scan(door, ticket.secret, nonce="   ")
    bad_time = scan(door, ticket.secret, scanned_at="gestern")
    text_kind = scan(door, ticket.secret, kind="1")

    assert blank_nonce.status_code == 400 and "nonce" in blank_nonce.json()
    assert bad_time.status_code == 400 and "scanned_at" in bad_time.json()
    assert text_kind.status_code == 200 and text_kind.json()["code"] == "ok"


def test_the_scanner_pages_body_takes_the_plain_way_in_its_language():
    event = DoorEventFactory()
    door, _device = scanner(event)
    scan(door, make_ticket(event, 1).secret)
    ticket = make_ticket(event, 2, name="Jonas Weber")
    body = {
        "nonce": str(uuid.uuid4()),
        "scanned_at": "2026-11-22T09:15:00.000Z",
        "direction": "entry",
        "kind": 1,
        "secret": ticket.secret,
    }

    with CaptureQueriesContext(connection) as captured:
        answer = door.post("/api/checkin/redeem/?lang=en", body, format="json")

    assert answer.json()["code"] == "ok" and answer.json()["message"] == "Welcome!"
    assert statements(captured) == ["WITH"]


def test_the_door_rush_models_have_no_init_signal_receivers():
    """The statement's row becomes model instances without __init__ (door_rush.loaded)."""
    from django.db.models import signals

    from events_platform.models import Event, TimeSlot
    from ticketing.models import Registration, Ticket

    for model in (Event, TimeSlot, Ticket, Registration):
        assert not signals.pre_init.has_listeners(model)
        assert not signals.post_init.has_listeners(model)


def test_a_loaded_instance_reads_its_other_fields_on_access():
    from ticketing.models import Registration

    ticket = make_ticket(DoorEventFactory())
    registration = door_rush.loaded(Registration, id=ticket.registration_id, name="Kurz")

    assert registration.name == "Kurz"
    assert registration.email == ticket.registration.email  # deferred: read on access
    assert "phone" in registration.get_deferred_fields()


def prepared_runs() -> list[int]:
    """How often this connection ran the door-rush statement as a prepared statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans + custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ["%INSERT INTO checkin_scan%"],
        )
        return [runs for (runs,) in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_the_kept_prepared_statement_follows_a_new_database_connection():
    """The process keeps its preparing cursor between scans, and makes a new one when Django
    opened a new connection (CONN_MAX_AGE ran out, or the old one broke)."""
    event = DoorEventFactory()
    client, _device = scanner(event)
    tickets = [make_ticket(event, n) for n in range(1, 4)]

    assert [scan(client, t.secret).json()["code"] for t in tickets[:2]] == ["ok", "ok"]
    assert prepared_runs() == [2]  # prepared once, run twice
    connection.close()
    assert scan(client, tickets[2].secret).json()["code"] == "ok"
    assert prepared_runs() == [1]  # prepared again on the new connection
    assert Scan.objects.count() == 3
