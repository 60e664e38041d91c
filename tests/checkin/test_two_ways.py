"""The door rush (one SQL statement) and the locked way (Python, row lock) admit by the same
rules: every answer code, through both ways, gives the same answer and the same rows.

Each case is set up once; then the same scan goes through `redeem_ticket` twice from the
same database state (a savepoint rolled back between): once as it comes (an online entry
of a ticket takes the door rush) and once with the door rush switched off, so that the
locked way answers it. The door rush's own part is recorded too: a case it should answer
itself must not pass only because it handed the scan to the locked way.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone, translation

from checkin.models import Attendance, Device, Direction, Entrance, Scan
from checkin.services import Code, StaleDevice, door_rush, redeem_ticket, revoke_device
from events_platform import services as core_services
from events_platform import ticket_codes
from events_platform.models import Event
from fairs.models import StandBooking
from fairs.services.passes import issue_staff_pass
from tests.factories import TimeSlotFactory, start_of_today
from tests.fairs.factories import FairFactory, HallFactory, StandBookingFactory, StandFactory
from ticketing.models import Registration, Ticket

from .factories import DoorEventFactory, make_minor_ticket, make_ticket, pair

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# What the door rush did with the scan: answered it, handed it to the locked way, raised
# (a forged code, a stale device), or was not asked (exits, staff passes, other events).
ANSWERED, HANDED_OVER, RAISED, NOT_ASKED = "answered", "handed over", "raised", "not asked"


@dataclass
class Case:
    code: str  # the answer code both ways must give (or the exception's name)
    door_rush: str  # what the door rush does with it on its own way
    device: Device  # the scanner (as the API reads it, or as a process kept it)
    scan: dict  # redeem_ticket's other arguments
    device_confirmed: bool = True


def door(event) -> Device:
    """A phone paired at the event's north entrance."""
    return pair(event, "Handy Nord", "Eingang Nord")[0]


def fresh(device: Device) -> Device:
    """The device as the API reads it for a request."""
    return Device.objects.select_related("event", "entrance").get(pk=device.pk)


def admitted_earlier(device: Device, ticket: Ticket, minutes: int = 5, **extra) -> None:
    redeem_ticket(
        device=fresh(device),
        secret=ticket.secret,
        nonce=uuid.uuid4().hex,
        now=timezone.now() - timedelta(minutes=minutes),
        **extra,
    )


def forged_for(ticket: Ticket) -> str:
    private, _public = ticket_codes.generate_keypair()
    return ticket_codes.sign(
        private_key_encrypted=private, kind=1, event_id=ticket.event_id, serial=ticket.serial
    )


def unused_serial() -> int:
    serial = ticket_codes.new_serial()
    assert not Ticket.objects.filter(serial=serial).exists()
    return serial


# --- The cases: each makes its own event, tickets and devices. A case's name starts with its
# answer code (or "stale" for a kept device the service refuses to use).


def case_ok():
    event = DoorEventFactory()
    ticket = make_ticket(event, name="Anna Schmidt")
    return Case(Code.OK, ANSWERED, door(event), {"secret": ticket.secret})


def case_ok_for_a_group():
    event = DoorEventFactory()
    ticket = make_ticket(event, headcount=24)
    return Case(Code.OK, ANSWERED, door(event), {"secret": ticket.secret})


def case_ok_for_a_minor_without_photo_consent():
    event = DoorEventFactory()
    ticket = make_minor_ticket(event, photo_consent=False)
    return Case(Code.OK, ANSWERED, door(event), {"secret": ticket.secret})


def case_ok_in_lower_case():
    event = DoorEventFactory()
    ticket = make_ticket(event)
    return Case(Code.OK, ANSWERED, door(event), {"secret": ticket.secret.lower()})


def case_ok_by_serial_from_the_search():
    event = DoorEventFactory()
    ticket = make_ticket(event)
    return Case(Code.OK, ANSWERED, door(event), {"serial": ticket.serial})


def case_ok_by_a_typed_ticket_number():
    event = DoorEventFactory()
    digits = str(make_ticket(event).serial)
    typed = " ".join(digits[n : n + 4] for n in range(0, len(digits), 4))
    return Case(Code.OK, ANSWERED, door(event), {"secret": typed})


def case_ok_again_after_going_out():
    event = DoorEventFactory()
    device = door(event)
    ticket = make_ticket(event)
    admitted_earlier(device, ticket, 10)
    admitted_earlier(device, ticket, 5, direction=Direction.EXIT)
    return Case(Code.OK, HANDED_OVER, device, {"secret": ticket.secret})


def case_ok_sent_twice():
    event = DoorEventFactory()
    device = door(event)
    ticket = make_ticket(event)
    redeem_ticket(device=fresh(device), secret=ticket.secret, nonce="twice", now=timezone.now())
    return Case(Code.OK, HANDED_OVER, device, {"secret": ticket.secret, "nonce": "twice"})


def case_ok_signed_but_not_the_stored_secret():
    event = DoorEventFactory()
    ticket = make_ticket(event)
    Ticket.objects.filter(pk=ticket.pk).update(secret="REISSUED")
    return Case(Code.OK, HANDED_OVER, door(event), {"secret": ticket.secret})


def case_ok_on_the_way_out():
    event = DoorEventFactory()
    device = door(event)
    ticket = make_ticket(event, headcount=2)
    admitted_earlier(device, ticket)
    return Case(Code.OK, NOT_ASKED, device, {"secret": ticket.secret, "direction": Direction.EXIT})


def case_ok_for_stand_staff():
    event = DoorEventFactory()
    fair = FairFactory(event=event)
    booking = StandBookingFactory(
        stand=StandFactory(hall=HallFactory(fair=fair)),
        fair=fair,
        status=StandBooking.Status.APPROVED,
        company__name="Agrar GmbH",
    )
    staff = issue_staff_pass(booking=booking, name="Tom Bauer", now=timezone.now())
    scan = {"secret": staff.secret, "kind": ticket_codes.Kind.STAFF_PASS}
    return Case(Code.OK, NOT_ASKED, door(event), scan)


def case_already_checked_in_at_another_door():
    event = DoorEventFactory()
    north = door(event)
    south, _token = pair(event, "Handy Süd", "Eingang Süd")
    ticket = make_ticket(event, headcount=3)
    admitted_earlier(north, ticket)
    return Case(Code.ALREADY_CHECKED_IN, ANSWERED, south, {"secret": ticket.secret})


def case_not_checked_in_on_the_way_out():
    event = DoorEventFactory()
    scan = {"secret": make_ticket(event).secret, "direction": Direction.EXIT}
    return Case(Code.NOT_CHECKED_IN, NOT_ASKED, door(event), scan)


def case_wrong_event_by_its_code():
    event, other = DoorEventFactory(), DoorEventFactory()
    return Case(Code.WRONG_EVENT, NOT_ASKED, door(event), {"secret": make_ticket(other).secret})


def case_wrong_event_by_a_typed_number():
    event, other = DoorEventFactory(), DoorEventFactory()
    return Case(Code.WRONG_EVENT, ANSWERED, door(event), {"serial": make_ticket(other).serial})


def case_wrong_day_of_a_camp():
    start = start_of_today()
    camp = DoorEventFactory(
        kind=Event.Kind.CAMP, starts_at=start, ends_at=start + timedelta(days=3)
    )
    day_three = TimeSlotFactory(
        event=camp,
        starts_at=start + timedelta(days=2, hours=10),
        ends_at=start + timedelta(days=2, hours=16),
    )
    ticket = make_ticket(camp, time_slot=day_three)
    return Case(Code.WRONG_DAY, ANSWERED, door(camp), {"secret": ticket.secret})


def case_cancelled_registration():
    event = DoorEventFactory()
    ticket = make_ticket(event, status=Registration.Status.CANCELLED)
    return Case(Code.CANCELLED, ANSWERED, door(event), {"secret": ticket.secret})


def case_cancelled_by_a_revoked_ticket():
    event = DoorEventFactory()
    ticket = make_ticket(event)
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.REVOKED)
    return Case(Code.CANCELLED, ANSWERED, door(event), {"secret": ticket.secret})


def case_cancelled_event():
    event = DoorEventFactory()
    device = door(event)
    ticket = make_ticket(event)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    return Case(Code.CANCELLED, ANSWERED, device, {"secret": ticket.secret})


def case_not_valid_yet():
    event = DoorEventFactory()
    scan = {"secret": make_ticket(event).secret, "now": event.starts_at - timedelta(hours=4)}
    return Case(Code.NOT_VALID_YET, ANSWERED, door(event), scan)


def case_no_longer_valid():
    event = DoorEventFactory()
    scan = {"secret": make_ticket(event).secret, "now": event.ends_at + timedelta(hours=3)}
    return Case(Code.NO_LONGER_VALID, ANSWERED, door(event), scan)


def case_invalid_forged_for_a_real_ticket():
    event = DoorEventFactory()
    scan = {"secret": forged_for(make_ticket(event))}
    return Case(Code.INVALID, RAISED, door(event), scan)


def case_invalid_altered():
    event = DoorEventFactory()
    secret = make_ticket(event).secret
    altered = secret[:40] + ("B" if secret[40] == "A" else "A") + secret[41:]
    return Case(Code.INVALID, RAISED, door(event), {"secret": altered})


def case_invalid_unreadable():
    event = DoorEventFactory()
    return Case(Code.INVALID, NOT_ASKED, door(event), {"secret": "HELLO"})


def case_invalid_from_a_kept_device():
    event = DoorEventFactory()
    kept = fresh(door(event))
    scan = {"secret": forged_for(make_ticket(event))}
    return Case(Code.INVALID, RAISED, kept, scan, device_confirmed=False)


def case_unknown_signed_without_a_ticket():
    event = DoorEventFactory()
    secret = core_services.issue_ticket_secret(event=event, kind=1, serial=unused_serial())
    return Case(Code.UNKNOWN, ANSWERED, door(event), {"secret": secret})


def case_unknown_typed_number():
    event = DoorEventFactory()
    return Case(Code.UNKNOWN, ANSWERED, door(event), {"serial": unused_serial()})


def kept_then(change) -> Case:
    """A device a process kept, then `change(device)` in the database, then a valid code."""
    event = DoorEventFactory()
    device = door(event)
    kept = fresh(device)
    change(device)
    scan = {"secret": make_ticket(event).secret}
    return Case("StaleDevice", RAISED, kept, scan, device_confirmed=False)


def case_stale_kept_device_revoked_since():
    return kept_then(lambda device: revoke_device(device=device, now=timezone.now()))


def case_stale_kept_device_moved_since():
    def move(device):
        south = Entrance.objects.create(event=device.event, name="Eingang Süd")
        Device.objects.filter(pk=device.pk).update(entrance=south)

    return kept_then(move)


def case_stale_kept_device_refused_for_invalid_codes():
    until = timezone.now() + timedelta(minutes=1)
    return kept_then(lambda device: Device.objects.filter(pk=device.pk).update(refused_until=until))


CASES = {name[5:]: case for name, case in globals().items() if name.startswith("case_")}


def rows() -> tuple[list, list]:
    """What a scan wrote: attendances and scans, as the organiser's live view reads them."""
    attendances = Attendance.objects.values_list(
        "checkin_list_id",
        "ticket_id",
        "staff_pass_id",
        "persons",
        "inside",
        "first_entry_at",
        "last_entry_at",
        "last_exit_at",
        "last_entrance_id",
        "last_device_id",
    )
    scans = Scan.objects.values_list(
        "checkin_list_id",
        "device_id",
        "entrance_id",
        "ticket_id",
        "staff_pass_id",
        "nonce",
        "direction",
        "persons",
        "manual",
        "offline",
        "conflict",
        "scanned_at",
        "received_at",
    )
    return sorted(attendances, key=repr), sorted(scans, key=repr)


def through(case: Case, device: Device, scan: dict, *, door_rush_on: bool, monkeypatch):
    """The answer (or the exception's name), the rows afterwards, and what the door rush did;
    the database is as before afterwards."""
    did = []
    real_entry = door_rush.redeem_entry

    def entry(**arguments):
        try:
            answer = real_entry(**arguments)
        except Exception:
            did.append(RAISED)
            raise
        did.append(ANSWERED if answer is not None else HANDED_OVER)
        return answer

    savepoint = transaction.savepoint()
    with monkeypatch.context() as patch:
        patch.setattr(door_rush, "redeem_entry", entry)
        if not door_rush_on:
            patch.setattr(door_rush, "applies", lambda **_scan: False)
        try:
            answer = redeem_ticket(device=device, device_confirmed=case.device_confirmed, **scan)
            outcome = answer.as_dict()
        except StaleDevice as error:
            outcome = type(error).__name__
        written = rows()
    transaction.savepoint_rollback(savepoint)
    return outcome, written, did[0] if did else NOT_ASKED


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("name", CASES)
def test_both_ways_give_the_same_answer_and_write_the_same(name, language, monkeypatch):
    case = CASES[name]()
    # As the API reads the device for each request (a kept one stays as the process kept it).
    device = fresh(case.device) if case.device_confirmed else case.device
    scan = {"nonce": uuid.uuid4().hex, "now": timezone.now()} | case.scan
    before = rows()

    with translation.override(language):
        fast, fast_rows, fast_did = through(
            case, device, scan, door_rush_on=True, monkeypatch=monkeypatch
        )
        locked, locked_rows, locked_did = through(
            case, device, scan, door_rush_on=False, monkeypatch=monkeypatch
        )

    assert name.startswith(case.code if case.code != "StaleDevice" else "stale")
    assert (fast if isinstance(fast, str) else fast["code"]) == case.code
    assert fast_did == case.door_rush
    assert locked_did == NOT_ASKED  # the locked way answered on its own
    assert fast == locked  # the code, the sentence and everything the scanner shows
    assert fast_rows == locked_rows
    let_through = isinstance(fast, dict) and fast["ok"] and not fast["replayed"]
    assert (fast_rows != before) == let_through  # only a scan that lets someone pass writes


def test_every_answer_code_has_its_cases():
    codes = {value for name, value in vars(Code).items() if name.isupper()}

    assert {code for code in codes if not any(name.startswith(code) for name in CASES)} == set()
