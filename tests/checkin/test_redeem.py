"""The one redeem use case: every answer code, idempotency, conflicts, no write for forgeries."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from checkin import queries, services
from checkin.models import Attendance, Direction, Scan
from checkin.services import Code, keys
from events_platform import services as core_services
from events_platform import ticket_codes
from events_platform.models import Event
from infra.ttl_cache import TTLCache
from tests.factories import TimeSlotFactory, start_of_today
from ticketing.models import Registration, Ticket

from .factories import DoorEventFactory, make_minor_ticket, make_ticket, pair

pytestmark = pytest.mark.django_db


def redeem(device, secret="", **extra):
    extra.setdefault("nonce", uuid.uuid4().hex)
    extra.setdefault("now", timezone.now())
    return services.redeem_ticket(device=device, secret=secret, **extra)


def test_first_scan_admits_and_second_names_when_where_and_which_device():
    event = DoorEventFactory()
    ticket = make_ticket(event, name="Anna Schmidt")
    north, _token = pair(event, "Handy 1", "Eingang Nord")
    south, _token = pair(event, "Handy 2", "Eingang Süd")

    first = redeem(north, ticket.secret)
    second = redeem(south, ticket.secret)

    assert first.code == Code.OK and first.name == "Anna Schmidt" and first.headcount == 1
    assert second.code == Code.ALREADY_CHECKED_IN
    assert second.previous_entrance == "Eingang Nord" and second.previous_device == "Handy 1"
    assert "Eingang Nord" in second.message and "Bereits eingelassen um" in second.message
    assert queries.counters(queries.list_for_moment(event, timezone.now())).inside == 1


def test_group_ticket_admits_its_headcount():
    event = DoorEventFactory()
    ticket = make_ticket(event, headcount=24)
    device, _token = pair(event)

    answer = redeem(device, ticket.secret)

    assert answer.code == Code.OK and answer.headcount == 24
    assert "24" in answer.message
    figures = queries.counters(queries.list_for_moment(event, timezone.now()))
    assert (figures.inside, figures.checked_in, figures.registered) == (24, 24, 24)


def test_exit_then_entry_again():
    event = DoorEventFactory()
    ticket = make_ticket(event)
    device, _token = pair(event)

    assert redeem(device, ticket.secret, direction=Direction.EXIT).code == Code.NOT_CHECKED_IN
    assert redeem(device, ticket.secret).code == Code.OK
    assert redeem(device, ticket.secret, direction=Direction.EXIT).code == Code.OK
    checkin_list = queries.list_for_moment(event, timezone.now())
    assert queries.counters(checkin_list).inside == 0
    assert redeem(device, ticket.secret).code == Code.OK
    assert queries.counters(checkin_list).inside == 1
    assert queries.counters(checkin_list).checked_in == 1


def test_cancelled_registration_and_revoked_ticket_are_refused():
    event = DoorEventFactory()
    cancelled = make_ticket(event, 1, status=Registration.Status.CANCELLED)
    revoked = make_ticket(event, 2)
    Ticket.objects.filter(pk=revoked.pk).update(status=Ticket.Status.REVOKED)
    device, _token = pair(event)

    assert redeem(device, cancelled.secret).code == Code.CANCELLED
    assert redeem(device, revoked.secret).code == Code.CANCELLED


def test_cancelled_event_refuses_its_tickets():
    event = DoorEventFactory()
    ticket = make_ticket(event)
    device, _token = pair(event)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    device.event.refresh_from_db()

    assert redeem(device, ticket.secret).code == Code.CANCELLED


def test_ticket_of_another_event_is_wrong_event():
    event, other = DoorEventFactory(), DoorEventFactory()
    ticket = make_ticket(other)
    device, _token = pair(event)

    answer = redeem(device, ticket.secret)

    assert answer.code == Code.WRONG_EVENT
    assert not Scan.objects.exists()


def test_before_doors_open_and_after_they_close():
    event = DoorEventFactory()
    ticket = make_ticket(event)
    device, _token = pair(event)

    early = redeem(device, ticket.secret, now=event.starts_at - timedelta(hours=4))
    late = redeem(device, ticket.secret, now=event.ends_at + timedelta(hours=3))

    assert early.code == Code.NOT_VALID_YET
    assert late.code == Code.NO_LONGER_VALID


def test_camp_has_a_list_per_day_and_a_day_ticket_fits_only_its_day():
    # The day ticket's slot is on the camp's third day, 10:00 to 16:00.
    start = start_of_today()
    camp = DoorEventFactory(
        kind=Event.Kind.CAMP, starts_at=start, ends_at=start + timedelta(days=3)
    )
    other_day = TimeSlotFactory(
        event=camp,
        starts_at=start + timedelta(days=2, hours=10),
        ends_at=start + timedelta(days=2, hours=16),
    )
    every_day = make_ticket(camp, 1)
    day_three = make_ticket(camp, 2, time_slot=other_day)
    device, _token = pair(camp)

    lists = services.ensure_checkin_lists(event=camp)

    assert len(lists) >= 3 and all(item.day for item in lists)
    assert redeem(device, every_day.secret).code == Code.OK
    assert redeem(device, day_three.secret).code == Code.WRONG_DAY
    tomorrow = start + timedelta(days=1, hours=12)  # the camp's second day, whatever the hour
    assert redeem(device, every_day.secret, now=tomorrow).code == Code.OK


def test_forged_altered_and_garbage_codes_are_invalid():
    event = DoorEventFactory()
    ticket = make_ticket(event)
    device, _token = pair(event)
    private, _public = ticket_codes.generate_keypair()
    forged = ticket_codes.sign(
        private_key_encrypted=private, kind=1, event_id=event.pk, serial=ticket.serial
    )
    altered = ticket.secret[:-3] + ("AAA" if not ticket.secret.endswith("AAA") else "BBB")

    for code in (forged, altered, "HELLO", "", ticket.secret[:40]):
        assert redeem(device, code).code == Code.INVALID
    assert not Attendance.objects.exists()


def test_forged_code_costs_no_database_write():
    event = DoorEventFactory()
    ticket = make_ticket(event)
    device, _token = pair(event)
    core_services.verify_ticket_secret(ticket.secret)  # the public key is in the cache now
    private, _public = ticket_codes.generate_keypair()
    forged = ticket_codes.sign(
        private_key_encrypted=private, kind=1, event_id=event.pk, serial=ticket.serial
    )

    lock_before = _row_lock(ticket)

    with CaptureQueriesContext(connection) as captured:
        answer = redeem(device, forged)

    assert answer.code == Code.INVALID
    statements = [q["sql"].split()[0].upper() for q in captured.captured_queries]
    statements = [word for word in statements if word not in ("SAVEPOINT", "RELEASE")]
    if connection.vendor == "postgresql":
        # The door rush compares the code with the ticket's stored secret in its one
        # statement, whose row lock and inserts take a genuine code only; the signature
        # then tells a forged code from an unknown one (reading the event's key and lists
        # the first time in this process).
        assert [word for word in statements if word != "SELECT"] == ["WITH"]
    else:
        assert statements == []  # the signature is checked before anything is read
    assert _row_lock(ticket) == lock_before
    assert not Scan.objects.exists() and not Attendance.objects.exists()


def _row_lock(ticket) -> str | None:
    """The ticket row's xmax on PostgreSQL: a row lock (FOR UPDATE) would change it."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmax::text FROM ticketing_ticket WHERE id = %s", [ticket.pk])
        return cursor.fetchone()[0]


def test_genuine_signature_without_a_ticket_is_unknown():
    event = DoorEventFactory()
    device, _token = pair(event)
    secret = core_services.issue_ticket_secret(event=event, kind=1, serial=4242)

    assert redeem(device, secret).code == Code.UNKNOWN


def test_same_nonce_counts_once_and_answers_the_same():
    event = DoorEventFactory()
    ticket = make_ticket(event)
    device, _token = pair(event)

    first = redeem(device, ticket.secret, nonce="n-1", offline=True)
    again = redeem(device, ticket.secret, nonce="n-1", offline=True)

    assert first.code == again.code == Code.OK
    assert again.replayed
    assert Scan.objects.count() == 1
    assert queries.counters(queries.list_for_moment(event, timezone.now())).checked_in == 1


def test_offline_admission_by_two_devices_is_flagged_as_conflict():
    event = DoorEventFactory()
    ticket = make_ticket(event)
    north, _token = pair(event, "Handy 1", "Eingang Nord")
    south, _token = pair(event, "Handy 2", "Eingang Süd")

    assert redeem(north, ticket.secret, offline=True).code == Code.OK
    clash = redeem(south, ticket.secret, offline=True, nonce="s-1")
    again = redeem(south, ticket.secret, offline=True, nonce="s-1")

    assert clash.code == again.code == Code.ALREADY_CHECKED_IN
    checkin_list = queries.list_for_moment(event, timezone.now())
    assert [scan.device.name for scan in queries.conflicts(checkin_list)] == ["Handy 2"]
    assert queries.counters(checkin_list).checked_in == 1


def test_minor_shows_photo_consent_flag_and_adult_does_not():
    event = DoorEventFactory()
    yes = make_minor_ticket(event, 1, photo_consent=True)
    no = make_minor_ticket(event, 2, photo_consent=False)
    adult = make_ticket(event, 3)
    device, _token = pair(event)

    first, second, third = (redeem(device, t.secret) for t in (yes, no, adult))

    assert (first.minor, first.photo_consent) == (True, True)
    assert (second.minor, second.photo_consent) == (True, False)
    assert (third.minor, third.photo_consent) == (False, None)
    assert "Erdnuss" not in str(first.as_dict())


def test_manual_check_in_by_serial_from_the_search():
    event = DoorEventFactory()
    make_ticket(event, name="Jonas Weber", email="jonas@example.org")
    device, _token = pair(event)
    checkin_list = services.ensure_checkin_lists(event=event)[0]

    found = queries.search(checkin_list, "jonas@")
    answer = services.redeem_ticket(
        device=device, serial=int(found[0]["serial"]), nonce="m-1", now=timezone.now()
    )

    assert found[0]["name"] == "Jonas Weber"
    assert answer.code == Code.OK
    assert Scan.objects.get().manual


def grouped(number: int, separator: str = " ") -> str:
    """A ticket number as someone reads it off a ticket: in groups of four digits."""
    digits = str(number)
    return separator.join(digits[i : i + 4] for i in range(0, len(digits), 4))


def test_a_typed_ticket_number_is_looked_up_not_called_forged():
    event, other = DoorEventFactory(), DoorEventFactory()
    ticket = make_ticket(event, name="Jonas Weber")
    elsewhere = make_ticket(other)
    device, _token = pair(event)

    first = redeem(device, f" {grouped(ticket.serial)} ")
    again = redeem(device, grouped(ticket.serial, "-"))
    unknown = redeem(device, str(ticket.serial + 1 if ticket.serial < 2**62 else 7))
    foreign = redeem(device, grouped(elsewhere.serial, "."))

    assert first.code == Code.OK and first.name == "Jonas Weber"
    assert again.code == Code.ALREADY_CHECKED_IN
    assert unknown.code == Code.UNKNOWN and foreign.code == Code.WRONG_EVENT
    assert foreign.name == ""  # nothing about another event's ticket holder
    scan = Scan.objects.get()
    assert scan.ticket == ticket and scan.manual


def test_printed_serial_reads_only_ticket_numbers():
    assert queries.printed_serial("4611 6860-1842.7387 904") == 4611686018427387904
    assert queries.printed_serial("12") == 12
    for text in ("", " - ", "ABC123", "١٢٣", "9" * 20, str(2**63), "12A"):
        assert queries.printed_serial(text) is None, text


def test_a_replaced_signing_key_is_picked_up_when_the_kept_one_expires(monkeypatch):
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    from django.core.cache import cache

    from events_platform.models import EventSigningKey

    clock = [0.0]
    monkeypatch.setattr(keys, "public_keys", TTLCache(seconds=60, clock=lambda: clock[0]))
    event = DoorEventFactory()
    first = core_services.get_signing_key(event=event)

    def raw(key) -> bytes:
        return key.public_bytes(Encoding.Raw, PublicFormat.Raw)

    assert raw(keys.kept_public_key(event)) == bytes(first.public_key)
    _private, public = ticket_codes.generate_keypair()
    EventSigningKey.objects.filter(pk=first.pk).update(public_key=public)
    cache.delete(f"ticket-public-key:{event.pk}")

    kept = keys.kept_public_key(event)
    assert raw(kept) == bytes(first.public_key)  # still the kept one
    clock[0] = 59.0
    assert raw(keys.kept_public_key(event)) == bytes(first.public_key)  # within its minute
    clock[0] = 60.0
    assert raw(keys.kept_public_key(event)) == public  # its minute is over
