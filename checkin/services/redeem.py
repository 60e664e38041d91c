"""Redeem a ticket or staff pass at the door: the one use case behind the web scanner, the
API and offline uploads.

A code is genuine when it is the secret stored for its ticket or when its signature checks
out; nothing is written for any other (a forged or unreadable code costs no write). A scan
answer is not an error of the request: the service returns an `Answer` with a stable code
for every outcome, so that a batch upload gets one answer per scan.

Two ways through, with the same answers (both answer by `rules.py`):

* The door rush (`door_rush.py`): a ticket scanned online for entry, on PostgreSQL, in one
  statement that reads, checks, locks and writes.
* The locked way (here): exits, staff passes, offline uploads, replays, re-entries, SQLite,
  and whatever the door rush hands over: the signature first, then, in a transaction, lock
  the ticket (or staff pass) row, read the attendance, write.

The unique constraints of Attendance and Scan are the backstop of both.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Exists

from checkin import queries
from checkin.models import Attendance, CheckinList, Device, Direction, Scan
from events_platform import ticket_codes
from events_platform.models import Event
from fairs.models import StaffPass
from ticketing.models import Ticket

from . import door_rush, rules
from .devices import confirm_device
from .keys import claim_of
from .lists import ensure_checkin_lists
from .rules import Answer, Code, Holder, Presence


def redeem_ticket(
    *,
    device: Device,
    nonce: str,
    now: datetime,
    secret: str = "",
    serial: int | None = None,
    kind: int = ticket_codes.Kind.TICKET,
    checkin_list: CheckinList | None = None,
    direction: str = Direction.ENTRY,
    scanned_at: datetime | None = None,
    offline: bool = False,
    device_confirmed: bool = True,
) -> Answer:
    """Let a ticket or staff pass in (or out) on a list; answers every outcome with a code.

    `device_confirmed=False` is for a device the caller kept from an earlier request: the
    service then checks, in the same read as the ticket where it can, that the device is
    not revoked and still at its event and entrance, and raises StaleDevice when not.

    A ticket number typed into the hand-scanner field (`secret`) is looked up like a
    manual check-in by serial: the device is paired, and an unknown number counts as an
    invalid code against it as a forged one does.
    """
    if serial is None and secret:
        typed = queries.printed_serial(secret)
        if typed is not None:
            serial, kind, secret = typed, ticket_codes.Kind.TICKET, ""
    try:
        claim = claim_of(secret, serial, kind, device, verify=False)
        fast = door_rush.applies(claim=claim, device=device, direction=direction, offline=offline)
        if not fast:
            # Verified before anything is read; the door rush proves the code in its
            # statement (the stored secret), or by the signature where that fails.
            claim = claim_of(secret, serial, kind, device)
    except ticket_codes.InvalidSecret:
        if not device_confirmed:
            confirm_device(device, now)
        return rules.refusal(Code.INVALID, direction=direction)
    if claim.event_id != device.event_id:
        if not device_confirmed:
            confirm_device(device, now)
        return rules.refusal(Code.WRONG_EVENT, direction=direction)
    when = min(scanned_at, now) if (offline and scanned_at) else now
    event = device.event
    if checkin_list is None:
        checkin_list = queries.list_for_moment(event, when) or ensure_checkin_lists(event=event)[0]
    if fast:
        try:
            answer = door_rush.redeem_entry(
                claim=claim,
                secret=None if serial is not None else secret,
                device=device,
                checkin_list=checkin_list,
                nonce=nonce,
                when=when,
                now=now,
                device_confirmed=device_confirmed,
            )
        except ticket_codes.InvalidSecret:
            # The statement read the device (StaleDevice otherwise): nothing more to check.
            return rules.refusal(Code.INVALID, direction=direction)
        if answer is not None:
            return answer
    elif not device_confirmed:
        confirm_device(device, now)
    with transaction.atomic():
        return redeem_locked(
            claim=claim,
            device=device,
            event=event,
            checkin_list=checkin_list,
            direction=direction,
            nonce=nonce,
            when=when,
            now=now,
            offline=offline,
            manual=serial is not None,
        )


# What the door needs of a ticket and its registration: nothing medical, no guardian.
TICKET_FIELDS = (
    "event_id",
    "status",
    "serial",
    "headcount",
    "registration__name",
    "registration__kind",
    "registration__status",
    "registration__school",
    "registration__grade",
    "registration__birth_date",
    "registration__photo_consent",
    "registration__time_slot__starts_at",
)


def _lock_holder(kind: int, serial: int, replay_of: dict) -> Holder | None:
    """Lock the ticket (or staff pass) row; `replayed` says whether the nonce was seen.

    One round trip for both: get() rather than first() (no ORDER BY), and the nonce check
    as an EXISTS in the same statement, on the hottest query of the locked way.
    """
    replayed = Exists(Scan.objects.filter(**replay_of))
    try:
        if kind == ticket_codes.Kind.STAFF_PASS:
            staff_pass = (
                StaffPass.objects.select_for_update(of=("self",))
                .select_related("booking__company", "booking__fair")
                .annotate(replayed=replayed)
                .get(serial=serial)
            )
            return Holder(None, staff_pass, staff_pass.replayed)
        ticket = (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("registration__time_slot")
            .only(*TICKET_FIELDS)
            .annotate(replayed=replayed)
            .get(serial=serial)
        )
        return Holder(ticket, None, ticket.replayed)
    except (Ticket.DoesNotExist, StaffPass.DoesNotExist):
        return None


def _presence(attendance: Attendance | None) -> Presence | None:
    if attendance is None:
        return None
    if not attendance.inside:
        return Presence(False)  # the last entry is shown only while inside: not read
    return _last_entry(attendance)


def _last_entry(attendance: Attendance) -> Presence:
    return Presence(
        attendance.inside,
        attendance.last_entry_at,
        attendance.last_entrance.name if attendance.last_entrance else "",
        attendance.last_device.name if attendance.last_device else "",
    )


def _replay(scan: Scan, event: Event) -> Answer:
    """The answer of a scan sent again (same device and nonce): what it got the first time."""
    holder = Holder(scan.ticket, scan.staff_pass)
    described = rules.describe(holder, event)
    answer = rules.welcome(scan.direction, described)
    if scan.conflict:
        attendance = Attendance.objects.filter(
            checkin_list=scan.checkin_list, **holder.filter
        ).first()
        if attendance is not None:
            answer = rules.already_in(_last_entry(attendance), described, scan.direction)
    answer.replayed = True
    return answer


def redeem_locked(
    *, claim, device, event, checkin_list, direction, nonce, when, now, offline, manual
) -> Answer:
    """The locked way, inside the caller's transaction: lock the holder's row, answer by
    the rules, and write the attendance and the scan when they admit it."""
    holder = _lock_holder(claim.kind, claim.serial, {"device": device, "nonce": nonce})
    if holder is not None and holder.replayed:
        earlier = Scan.objects.select_related(
            "checkin_list", "ticket__registration", "staff_pass__booking__company"
        ).get(device=device, nonce=nonce)
        return _replay(earlier, event)
    if holder is None:
        return rules.refusal(Code.UNKNOWN, direction=direction)
    if rules.refusal_code(holder, checkin_list, event, when):
        # Refused whatever the attendance: no need to read it.
        return rules.answer(holder, checkin_list, event, when, direction, None)
    try:
        attendance = Attendance.objects.get(checkin_list=checkin_list, **holder.filter)
    except Attendance.DoesNotExist:
        attendance = None
    answer = rules.answer(holder, checkin_list, event, when, direction, _presence(attendance))
    if (
        answer.code == Code.ALREADY_CHECKED_IN
        and offline
        and attendance.last_device_id != device.pk
    ):
        # Both doors let this person in while offline: keep it for the organiser.
        _scan(holder, answer, checkin_list, device, nonce, when, now, offline, manual, True)
    if not answer.ok:
        return answer
    if direction == Direction.EXIT:
        attendance.inside = False
        attendance.last_exit_at = when
        attendance.save(update_fields=["inside", "last_exit_at"])
    else:
        if attendance is None:
            attendance = Attendance(checkin_list=checkin_list, first_entry_at=when, **holder.filter)
        attendance.persons = answer.headcount
        attendance.inside = True
        attendance.last_entry_at = when
        attendance.last_entrance_id = device.entrance_id
        attendance.last_device = device
        attendance.save()
    _scan(holder, answer, checkin_list, device, nonce, when, now, offline, manual, False)
    return answer


def _scan(holder, answer, checkin_list, device, nonce, when, now, offline, manual, conflict):
    """Log the scan: an admitted entry or exit, or an offline conflict."""
    Scan.objects.create(
        checkin_list=checkin_list,
        device=device,
        entrance_id=device.entrance_id,
        ticket=holder.ticket,
        staff_pass=holder.staff_pass,
        nonce=nonce,
        direction=answer.direction,
        persons=answer.headcount,
        manual=manual,
        offline=offline,
        conflict=conflict,
        scanned_at=when,
        received_at=now,
    )
