"""Check-in use cases: redeem a ticket at the door, pair and revoke devices, count walk-ins.

`redeem_ticket` is the one redeem use case behind the web scanner, the API and offline
uploads. A code is genuine when it is the secret stored for its ticket or when its
signature checks out; nothing is written for any other (a forged or unreadable code costs
no write). A scan answer is not an error of the request: the service returns an `Answer`
with a stable code for every outcome, so that a batch upload gets one answer per scan.

Two ways through, with the same answers:

* The door rush (PostgreSQL, a ticket scanned online for entry): one statement reads the
  ticket, its registration, the event, the device as it is now, the attendance on the list
  and whether the nonce was seen, and compares the code with the ticket's stored secret;
  only when everything admits it does it lock the ticket row and insert the attendance and
  the scan, `ON CONFLICT DO NOTHING` on the attendance's unique constraint. Of two doors
  scanning the same ticket at the same moment exactly one inserts; the other finds nothing
  inserted and answers through the locked way below. A code that is not the stored secret
  is then checked by its signature (invalid, or a genuine code the locked way answers).
  The stored secret proves a code as well as its signature does (it is what we issued),
  and the comparison costs nothing next to an Ed25519 verification.
* Everything else (exits, staff passes, offline uploads, replays, re-entries, SQLite): the
  signature first, then, in a transaction, lock the ticket (or staff pass) row, read the
  attendance, write.

The unique constraints of Attendance and Scan are the backstop of both.
"""

import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core import signing
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.models import Exists
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from checkin.models import (
    DOORS_OPEN_EARLY,
    Assignment,
    Attendance,
    CheckinList,
    Device,
    Direction,
    Entrance,
    Scan,
    WalkIn,
    hash_token,
    new_device_token,
)
from events_platform import services as core_services
from events_platform import ticket_codes
from events_platform.models import Event, TimeSlot
from fairs.models import StaffPass, StandBooking
from infra.errors import InvalidInput
from ticketing.models import Registration, Ticket

from . import queries

PAIRING_SALT = "checkin.pairing"
PAIRING_SECONDS = 15 * 60
DOORS_CLOSE_LATE = timedelta(hours=2)


class Code:
    """The stable answer codes of a scan."""

    OK = "ok"
    ALREADY_CHECKED_IN = "already_checked_in"
    NOT_CHECKED_IN = "not_checked_in"
    WRONG_EVENT = "wrong_event"
    WRONG_DAY = "wrong_day"
    CANCELLED = "cancelled"
    NOT_VALID_YET = "not_valid_yet"
    NO_LONGER_VALID = "no_longer_valid"
    INVALID = "invalid"
    UNKNOWN = "unknown"


@dataclass
class Answer:
    """What the scanner shows: a code, a sentence, and who stands at the door."""

    code: str
    message: str
    direction: str = Direction.ENTRY
    name: str = ""
    ticket_type: str = ""
    headcount: int = 0
    serial: str = ""
    minor: bool = False
    photo_consent: bool | None = None
    previous_at: str | None = None
    previous_entrance: str = ""
    previous_device: str = ""
    replayed: bool = False

    @property
    def ok(self) -> bool:
        return self.code == Code.OK

    def as_dict(self) -> dict:
        # Every field is a plain value: no need for asdict()'s deep copies.
        return {**self.__dict__, "ok": self.ok}


def _local_time(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _refusal(code: str, **extra) -> Answer:
    texts = {
        Code.WRONG_EVENT: _("This ticket is for another event."),
        Code.WRONG_DAY: _("This ticket is for another day."),
        Code.CANCELLED: _("This ticket has been cancelled."),
        Code.NOT_VALID_YET: _("This ticket is not valid yet."),
        Code.NO_LONGER_VALID: _("This ticket is no longer valid."),
        Code.INVALID: _("This code is not a valid ticket (forged or unreadable)."),
        Code.UNKNOWN: _("This ticket is unknown."),
        Code.NOT_CHECKED_IN: _("This person has not been checked in."),
    }
    return Answer(code=code, message=str(texts[code]), **extra)


# --- Lists ----------------------------------------------------------------------------------


def _day_bounds(event: Event, day) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    midnight = timezone.make_aware(datetime.combine(day, datetime.min.time()), tz)
    slots = [
        slot for slot in event.time_slots.all() if timezone.localtime(slot.starts_at).date() == day
    ]
    if slots:
        return min(s.starts_at for s in slots), max(s.ends_at for s in slots)
    return max(event.starts_at, midnight), min(event.ends_at, midnight + timedelta(days=1))


@transaction.atomic
def ensure_checkin_lists(*, event: Event) -> list[CheckinList]:
    """The event's check-in lists, made on first use: one per day for a multi-day camp."""
    existing = list(CheckinList.objects.filter(event=event))
    if existing:
        return existing
    Event.objects.select_for_update().filter(pk=event.pk).first()
    if CheckinList.objects.filter(event=event).exists():
        return list(CheckinList.objects.filter(event=event))
    if event.kind == Event.Kind.CAMP and event.is_multi_day:
        day = timezone.localtime(event.starts_at).date()
        last = timezone.localtime(event.ends_at).date()
        while day <= last:
            starts, ends = _day_bounds(event, day)
            if ends > starts:
                CheckinList.objects.create(
                    event=event,
                    day=day,
                    name=_("Day %(date)s") % {"date": day.strftime("%d.%m.%Y")},
                    opens_at=starts - DOORS_OPEN_EARLY,
                    closes_at=ends + DOORS_CLOSE_LATE,
                )
            day += timedelta(days=1)
    else:
        CheckinList.objects.create(
            event=event,
            name=str(event),
            opens_at=event.starts_at - DOORS_OPEN_EARLY,
            closes_at=event.ends_at + DOORS_CLOSE_LATE,
        )
    return list(CheckinList.objects.filter(event=event))


# --- Redeem ---------------------------------------------------------------------------------


@dataclass
class _Holder:
    ticket: Ticket | None
    staff_pass: StaffPass | None
    replayed: bool = False

    @property
    def filter(self) -> dict:
        if self.ticket is not None:
            return {"ticket": self.ticket}
        return {"staff_pass": self.staff_pass}


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


def _lock_holder(kind: int, serial: int, replay_of: dict) -> _Holder | None:
    """Lock the ticket (or staff pass) row; `replayed` says whether the nonce was seen.

    One round trip for both: get() rather than first() (no ORDER BY), and the nonce check
    as an EXISTS in the same statement, on the hottest query of the door rush.
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
            return _Holder(None, staff_pass, staff_pass.replayed)
        ticket = (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("registration__time_slot")
            .only(*TICKET_FIELDS)
            .annotate(replayed=replayed)
            .get(serial=serial)
        )
        return _Holder(ticket, None, ticket.replayed)
    except (Ticket.DoesNotExist, StaffPass.DoesNotExist):
        return None


# What get_kind_display() gives, without its per-call lookup table.
_KIND_LABELS = dict(Registration.Kind.choices)


def _describe(holder: _Holder, event: Event) -> dict:
    if holder.staff_pass is not None:
        return {
            "name": holder.staff_pass.name,
            "ticket_type": _("Stand staff – %(company)s")
            % {"company": holder.staff_pass.booking.company},
            "headcount": 1,
            "serial": str(holder.staff_pass.serial),
        }
    registration = holder.ticket.registration
    name = registration.name
    if registration.kind == Registration.Kind.SCHOOL_CLASS and registration.school:
        name = f"{registration.name} ({registration.school} {registration.grade})".strip()
    minor = registration.is_minor_at(event)
    return {
        "name": name,
        "ticket_type": str(_KIND_LABELS.get(registration.kind, registration.kind)),
        "headcount": holder.ticket.headcount,
        "serial": str(holder.ticket.serial),
        "minor": minor,
        "photo_consent": registration.photo_consent if minor else None,
    }


def _refused_holder(holder: _Holder, checkin_list: CheckinList, event: Event, when: datetime):
    """The refusal code for a ticket that exists, or None when it may pass."""
    if holder.staff_pass is not None:
        staff_pass = holder.staff_pass
        fair = staff_pass.booking.fair
        if fair.event_id != checkin_list.event_id:
            return Code.WRONG_EVENT
        if staff_pass.revoked_at or staff_pass.booking.status != StandBooking.Status.APPROVED:
            return Code.CANCELLED
        if fair.setup_starts_at and when < fair.setup_starts_at:
            return Code.NOT_VALID_YET
        if fair.teardown_ends_at and when > fair.teardown_ends_at:
            return Code.NO_LONGER_VALID
        return None
    ticket = holder.ticket
    registration = ticket.registration
    if ticket.event_id != checkin_list.event_id:
        return Code.WRONG_EVENT
    if (
        event.is_cancelled
        or not ticket.is_valid
        or registration.status != Registration.Status.CONFIRMED
    ):
        return Code.CANCELLED
    slot = registration.time_slot
    if (
        checkin_list.day is not None
        and slot is not None
        and timezone.localtime(slot.starts_at).date() != checkin_list.day
    ):
        return Code.WRONG_DAY
    if when < checkin_list.opens_at:
        return Code.NOT_VALID_YET
    if when > checkin_list.closes_at:
        return Code.NO_LONGER_VALID
    return None


def _already(attendance: Attendance, described: dict, direction: str) -> Answer:
    return _already_in(
        attendance.last_entry_at,
        attendance.last_entrance.name if attendance.last_entrance else "",
        attendance.last_device.name if attendance.last_device else "",
        described,
        direction,
    )


def _already_in(
    last_entry_at: datetime, entrance: str, device: str, described: dict, direction: str
) -> Answer:
    at = _local_time(last_entry_at)
    if entrance:
        message = _("Already checked in at %(time)s at %(entrance)s (%(device)s).") % {
            "time": at,
            "entrance": entrance,
            "device": device,
        }
    else:
        message = _("Already checked in at %(time)s (%(device)s).") % {"time": at, "device": device}
    return Answer(
        code=Code.ALREADY_CHECKED_IN,
        message=message,
        direction=direction,
        previous_at=timezone.localtime(last_entry_at).isoformat(),
        previous_entrance=entrance,
        previous_device=device,
        **described,
    )


def _ok(direction: str, described: dict, **extra) -> Answer:
    persons = described.get("headcount", 1)
    if direction == Direction.EXIT:
        message = ngettext(
            "Goodbye: %(persons)s person left.", "Goodbye: %(persons)s persons left.", persons
        ) % {"persons": persons}
    elif persons > 1:
        message = ngettext(
            "Welcome: admit %(persons)s person.", "Welcome: admit %(persons)s persons.", persons
        ) % {"persons": persons}
    else:
        message = _("Welcome!")
    return Answer(code=Code.OK, message=str(message), direction=direction, **described, **extra)


def _replay(scan: Scan, event: Event) -> Answer:
    holder = _Holder(scan.ticket, scan.staff_pass)
    described = _describe(holder, event)
    answer = _ok(scan.direction, described)
    if scan.conflict:
        attendance = Attendance.objects.filter(
            checkin_list=scan.checkin_list, **holder.filter
        ).first()
        if attendance is not None:
            answer = _already(attendance, described, scan.direction)
    answer.replayed = True
    return answer


# Public keys of events, kept in this process as key objects for a minute (a replaced key
# is picked up within that): the locked way verifies every code, and the door rush every code
# that is not a ticket's stored secret. Keyed by database and the event's id and creation
# time, so that a rebuilt database with reused ids never meets an old key.
_PUBLIC_KEYS: dict[tuple, tuple[float, Ed25519PublicKey]] = {}
KEYS_SECONDS = 60


def _kept_key_id(event: Event) -> tuple:
    return (connection.settings_dict["NAME"], event.pk, event.created_at)


def _kept_public_key(event: Event) -> Ed25519PublicKey | None:
    """The event's public key (None when it has none yet)."""
    key_id = _kept_key_id(event)
    kept = _PUBLIC_KEYS.get(key_id)
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    stored = core_services.event_public_key(event.pk)
    if stored is None:
        return None
    if len(_PUBLIC_KEYS) > 1000:
        _PUBLIC_KEYS.clear()
    public = Ed25519PublicKey.from_public_bytes(bytes(stored))
    _PUBLIC_KEYS[key_id] = (time.monotonic() + KEYS_SECONDS, public)
    return public


def _verify_secret(secret: str, event: Event) -> ticket_codes.Claim:
    """The claim of a genuine secret (raises ticket_codes.InvalidSecret); reads no database
    and no cache when the code is for `event` and its key is kept in this process."""
    claim, raw = ticket_codes.parse(secret)
    if claim.event_id != event.pk:
        return core_services.verify_ticket_secret(secret)  # another event's, or forged
    public = _kept_public_key(event)
    if public is None:
        raise ticket_codes.InvalidSecret("unknown_event")
    ticket_codes.check_signature(raw, public)
    return claim


def _claim(secret: str, serial: int | None, kind: int, device: Device, *, verify: bool = True):
    """The claim of the code (verified unless `verify` is False: then only read)."""
    if serial is not None:
        # A manual check-in from the search: the device is authenticated, the serial its pick.
        return ticket_codes.Claim(kind=kind, event_id=device.event_id, serial=serial)
    if not verify:
        return ticket_codes.read_claim(secret)
    return _verify_secret(secret, device.event)


class StaleDevice(Exception):
    """The device passed in (kept by the caller) is revoked, gone, or was moved since."""


def _confirm_device(device: Device, now: datetime) -> None:
    """Raise StaleDevice unless the device is, in the database, as the caller kept it (and
    not refused for too many invalid codes)."""
    row = _fetch_prepared(_DEVICE_SQL, [now, device.pk])
    if row is None or not _device_matches(device, *row):
        raise StaleDevice(device.pk)


def _device_matches(device: Device, current: bool, event_id: int, entrance_id) -> bool:
    return current and event_id == device.event_id and entrance_id == device.entrance_id


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
        claim = _claim(secret, serial, kind, device, verify=False)
        door_rush = (
            claim.kind == ticket_codes.Kind.TICKET
            and claim.event_id == device.event_id
            and direction == Direction.ENTRY
            and not offline
            and connection.vendor == "postgresql"
        )
        if not door_rush:
            # Verified before anything is read; the door rush proves the code in its
            # statement (the stored secret), or by the signature where that fails.
            claim = _claim(secret, serial, kind, device)
    except ticket_codes.InvalidSecret:
        if not device_confirmed:
            _confirm_device(device, now)
        return _refusal(Code.INVALID, direction=direction)
    if claim.event_id != device.event_id:
        if not device_confirmed:
            _confirm_device(device, now)
        return _refusal(Code.WRONG_EVENT, direction=direction)
    when = min(scanned_at, now) if (offline and scanned_at) else now
    event = device.event
    if checkin_list is None:
        checkin_list = queries.list_for_moment(event, when) or ensure_checkin_lists(event=event)[0]
    if door_rush:
        try:
            answer = _redeem_entry(
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
            return _refusal(Code.INVALID, direction=direction)  # the statement read the device
        if answer is not None:
            return answer
    elif not device_confirmed:
        _confirm_device(device, now)
    with transaction.atomic():
        return _redeem_locked(
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


# The door rush, in two statements (see the module docstring). Plain SQL: the ORM would
# spend more time building these than PostgreSQL spends running them.
_DEVICE_SQL = """
SELECT revoked_at IS NULL AND (refused_until IS NULL OR refused_until <= %s::timestamptz),
       event_id, entrance_id
FROM checkin_device WHERE id = %s::bigint
"""

# One statement: `now` reads the device as it is, the event, the ticket and its holder, the
# attendance on the list, whether the nonce was seen and whether the code is the ticket's
# stored secret (`genuine`; a manual check-in by serial has no code and is genuine);
# `held` locks the ticket row (as the locked way does, so the two ways never race) only
# when everything admits it; then
# the attendance is inserted unless one exists, and the scan only when it was. The checks
# in `held` repeat `_refused_holder` in SQL; Python then answers from the same row and
# refuses to carry on should the two ever disagree.
_ENTRY_SQL = """
WITH now AS (
    SELECT d.revoked_at IS NULL
               AND (d.refused_until IS NULL OR d.refused_until <= %(now)s::timestamptz)
               AS current,
           d.event_id, d.entrance_id,
           e.status AS event_status, e.starts_at AS event_starts_at,
           t.id AS ticket_id, t.event_id AS ticket_event_id, t.status AS ticket_status,
           t.headcount,
           r.name, r.kind, r.status AS registration_status, r.school, r.grade, r.birth_date,
           r.photo_consent,
           s.starts_at AS slot_starts_at,
           a.inside, a.last_entry_at, le.name AS last_entrance, ld.name AS last_device,
           EXISTS (
               SELECT 1 FROM checkin_scan n
               WHERE n.device_id = d.id AND n.nonce = %(nonce)s::varchar
           ) AS replayed,
           t.registration_id, r.time_slot_id,
           COALESCE(t.secret = %(secret)s::varchar, %(secret)s::varchar IS NULL) AS genuine
    FROM checkin_device d
    JOIN events_platform_event e ON e.id = d.event_id
    LEFT JOIN ticketing_ticket t ON t.serial = %(serial)s::bigint
    LEFT JOIN ticketing_registration r ON r.id = t.registration_id
    LEFT JOIN events_platform_timeslot s ON s.id = r.time_slot_id
    LEFT JOIN checkin_attendance a ON a.checkin_list_id = %(list)s::bigint AND a.ticket_id = t.id
    LEFT JOIN checkin_entrance le ON le.id = a.last_entrance_id
    LEFT JOIN checkin_device ld ON ld.id = a.last_device_id
    WHERE d.id = %(device)s::bigint
), held AS (
    SELECT t.id FROM ticketing_ticket t, now
    WHERE t.id = now.ticket_id
      AND now.genuine
      AND %(in_window)s::boolean
      AND now.current
      AND now.event_id = %(event)s::bigint
      AND now.entrance_id IS NOT DISTINCT FROM %(entrance)s::bigint
      AND NOT now.replayed
      AND now.inside IS NULL
      AND now.ticket_event_id = %(list_event)s::bigint
      AND now.event_status <> %(cancelled)s::varchar
      AND now.ticket_status = %(valid)s::varchar
      AND now.registration_status = %(confirmed)s::varchar
      AND (
          %(day)s::date IS NULL
          OR now.slot_starts_at IS NULL
          OR (now.slot_starts_at AT TIME ZONE %(zone)s::text)::date = %(day)s::date
      )
    FOR UPDATE OF t
), attendance AS (
    INSERT INTO checkin_attendance (
        checkin_list_id, ticket_id, staff_pass_id, persons, inside, first_entry_at,
        last_entry_at, last_exit_at, last_entrance_id, last_device_id
    )
    SELECT %(list)s::bigint, held.id, NULL, now.headcount, TRUE, %(when)s::timestamptz,
           %(when)s::timestamptz, NULL, %(entrance)s::bigint, %(device)s::bigint
    FROM held, now
    ON CONFLICT DO NOTHING
    RETURNING id
), scan AS (
    INSERT INTO checkin_scan (
        checkin_list_id, device_id, entrance_id, ticket_id, staff_pass_id, nonce, direction,
        persons, manual, offline, conflict, scanned_at, received_at
    )
    SELECT %(list)s::bigint, %(device)s::bigint, %(entrance)s::bigint, now.ticket_id, NULL,
           %(nonce)s::varchar, %(direction)s::varchar, now.headcount, %(manual)s::boolean,
           FALSE, FALSE, %(when)s::timestamptz, %(now)s::timestamptz
    FROM attendance, now
    RETURNING id
)
SELECT now.*, EXISTS (SELECT 1 FROM scan) FROM now
"""


PREPARE_ONLY_WHEN_ASKED = 2**31


class _PreparingCursor(psycopg.Cursor):
    """A cursor that binds parameters on the server and prepares what it runs."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


def _redeem_entry(
    *, claim, secret, device, checkin_list, nonce, when, now, device_confirmed
) -> Answer | None:
    """A ticket's online entry in one statement; None: take the locked way (the code is
    genuine then). Raises InvalidSecret for a code that is neither the ticket's stored
    secret nor signed (nothing was written)."""
    params = {
        "nonce": nonce,
        "serial": claim.serial,
        "secret": None if secret is None else ticket_codes.canonical(secret),
        "list": checkin_list.pk,
        "list_event": checkin_list.event_id,
        "day": checkin_list.day,
        "zone": timezone.get_current_timezone_name(),
        "in_window": checkin_list.opens_at <= when <= checkin_list.closes_at,
        "device": device.pk,
        "event": device.event_id,
        "entrance": device.entrance_id,
        "cancelled": Event.Status.CANCELLED,
        "valid": Ticket.Status.VALID,
        "confirmed": Registration.Status.CONFIRMED,
        "direction": Direction.ENTRY,
        "when": when,
        "now": now,
        "manual": secret is None,
    }
    try:
        if connection.in_atomic_block:
            with transaction.atomic():
                row = _fetch_prepared(_ENTRY_SQL, params)
        else:
            row = _fetch_prepared(_ENTRY_SQL, params)  # one statement: atomic on its own
    except IntegrityError:
        return None  # the nonce was used meanwhile: the locked way answers with a replay
    if not device_confirmed and (row is None or not _device_matches(device, *row[:3])):
        raise StaleDevice(device.pk)  # and nothing was written: `held` checks the device
    if row is None:  # the device is gone: the locked way answers, for a genuine code
        if secret is not None:
            _verify_secret(secret, device.event)
        return None
    event_status, event_starts_at, ticket_id, ticket_event_id, ticket_status, headcount = row[3:9]
    name, kind, status, school, grade, birth_date, photo_consent, slot_starts_at = row[9:17]
    inside, last_entry_at, last_entrance, last_device, replayed = row[17:22]
    registration_id, time_slot_id, genuine, admitted = row[22:]
    if not genuine:
        # Not the ticket's stored secret (nothing was written, `held` requires it): forged
        # (InvalidSecret), or signed for a serial without a ticket, or some other genuine
        # code, which the locked way answers. Nothing of the row is told before this.
        _check_not_admitted(admitted)
        _verify_secret(secret, device.event)
        return _refusal(Code.UNKNOWN) if ticket_id is None else None
    if replayed:
        _check_not_admitted(admitted)
        return None
    if ticket_id is None:
        return _refusal(Code.UNKNOWN)
    # The same model instances the locked way reads, so both describe and refuse alike;
    # loaded as from the database (no defaults computed, no uuid made for an Event).
    event = _loaded(Event, id=device.event_id, status=event_status, starts_at=event_starts_at)
    ticket = _loaded(
        Ticket,
        id=ticket_id,
        event_id=ticket_event_id,
        registration_id=registration_id,
        status=ticket_status,
        serial=claim.serial,
        headcount=headcount,
    )
    ticket.registration = _loaded(
        Registration,
        id=registration_id,
        time_slot_id=time_slot_id,
        name=name,
        kind=kind,
        status=status,
        school=school,
        grade=grade,
        birth_date=birth_date,
        photo_consent=photo_consent,
    )
    ticket.registration.time_slot = (
        _loaded(TimeSlot, id=time_slot_id, starts_at=slot_starts_at)
        if time_slot_id is not None
        else None
    )
    holder = _Holder(ticket, None)
    refused = _refused_holder(holder, checkin_list, event, when)
    if refused:
        _check_not_admitted(admitted)
    if refused == Code.WRONG_EVENT:
        # A serial of another event's ticket (typed in): nothing about its holder.
        return _refusal(refused)
    described = _describe(holder, event)
    if refused:
        return _refusal(refused, **described)
    if inside:
        _check_not_admitted(admitted)
        return _already_in(
            last_entry_at, last_entrance or "", last_device or "", described, Direction.ENTRY
        )
    if not admitted:
        # Out again after an earlier entry (the locked way updates that row), or another
        # door let this ticket in a moment ago (the locked way says when and where).
        return None
    return _ok(Direction.ENTRY, described)


def _loaded(model, **values):
    """An instance of these column values as loaded from the database, the other fields
    deferred (read on access, as with .only()). Made the way Django unpickles a model,
    without running __init__ over every field: no model here has init signal receivers
    (a test checks), and from_db() would cost more than the rest of the answer."""
    instance = model.__new__(model)
    instance.__dict__.update(values)
    instance._state = ModelState()
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance


def _check_not_admitted(admitted: bool) -> None:
    if admitted:
        raise RuntimeError("The door-rush statement admitted a ticket that the rules refuse.")


# The preparing cursor of this thread's connection, kept between requests: its adapters
# keep the dumpers they looked up, and a new cursor would look them up again per scan.
_kept = threading.local()


def _fetch_prepared(sql: str, params) -> tuple | None:
    """The first row of a statement PostgreSQL keeps prepared on this connection.

    Planning the door-rush read costs PostgreSQL several times what running it does.
    Django binds parameters on the client and prepares nothing (for connection poolers in
    transaction mode; this deployment has none), so these few statements go through a
    server-binding cursor that prepares them, with Django's error mapping and its check
    for a broken transaction, as in every Django cursor. While queries are logged (DEBUG,
    tests capturing them) or wrapped (connection.execute_wrapper), they run the plain way,
    so that the log and the wrappers see them with their parameters.
    """
    db = connections[DEFAULT_DB_ALIAS]  # looked up once, not at every attribute
    if db.vendor != "postgresql" or db.queries_logged or db.execute_wrappers:
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    db.ensure_connection()
    db.validate_no_broken_transaction()
    cursor = getattr(_kept, "cursor", None)
    if cursor is None or cursor.connection is not db.connection or cursor.closed:
        pg = db.connection
        if pg.prepare_threshold is None:
            # Django switches psycopg's preparing off (its own client-binding cursors never
            # prepare anyway): on this connection only a _PreparingCursor's statements are.
            pg.prepare_threshold = PREPARE_ONLY_WHEN_ASKED
        cursor = _kept.cursor = _PreparingCursor(pg)
    with db.wrap_database_errors:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _redeem_locked(*, claim, device, event, checkin_list, direction, nonce, when, now, **flags):
    holder = _lock_holder(claim.kind, claim.serial, {"device": device, "nonce": nonce})
    if holder is not None and holder.replayed:
        earlier = Scan.objects.select_related(
            "checkin_list", "ticket__registration", "staff_pass__booking__company"
        ).get(device=device, nonce=nonce)
        return _replay(earlier, event)
    if holder is None:
        return _refusal(Code.UNKNOWN, direction=direction)
    refused = _refused_holder(holder, checkin_list, event, when)
    if refused == Code.WRONG_EVENT:
        # A serial of another event's ticket or pass (typed in): nothing about its holder.
        return _refusal(refused, direction=direction)
    described = _describe(holder, event)
    if refused:
        return _refusal(refused, direction=direction, **described)
    try:
        attendance = Attendance.objects.get(checkin_list=checkin_list, **holder.filter)
    except Attendance.DoesNotExist:
        attendance = None
    scan = Scan(
        checkin_list=checkin_list,
        device=device,
        entrance_id=device.entrance_id,
        ticket=holder.ticket,
        staff_pass=holder.staff_pass,
        nonce=nonce,
        direction=direction,
        persons=described["headcount"],
        manual=flags["manual"],
        offline=flags["offline"],
        scanned_at=when,
        received_at=now,
    )
    if direction == Direction.EXIT:
        if attendance is None or not attendance.inside:
            return _refusal(Code.NOT_CHECKED_IN, direction=direction, **described)
        attendance.inside = False
        attendance.last_exit_at = when
        attendance.save(update_fields=["inside", "last_exit_at"])
        scan.save()
        return _ok(direction, described)
    if attendance is not None and attendance.inside:
        if flags["offline"] and attendance.last_device_id != device.pk:
            # Both doors let this person in while offline: keep it for the organiser.
            scan.conflict = True
            scan.save()
        return _already(attendance, described, direction)
    if attendance is None:
        attendance = Attendance(checkin_list=checkin_list, first_entry_at=when, **holder.filter)
    attendance.persons = described["headcount"]
    attendance.inside = True
    attendance.last_entry_at = when
    attendance.last_entrance_id = device.entrance_id
    attendance.last_device = device
    attendance.save()
    scan.save()
    return _ok(direction, described)


# --- Devices, entrances, staff --------------------------------------------------------------


def pairing_token(*, event: Event, entrance: Entrance | None = None) -> str:
    """A short-lived signed token that pairs a phone to scan for `event` (shown as a QR)."""
    return signing.dumps(
        {"e": event.pk, "n": entrance.pk if entrance else None}, salt=PAIRING_SALT, compress=True
    )


@transaction.atomic
def pair_device(*, token: str, name: str, now: datetime, by=None) -> tuple[Device, str]:
    """Pair a device with a pairing token; returns it and its secret token (shown once).

    Raises InvalidInput (pairing_invalid) when the token is forged or expired.
    """
    try:
        data = signing.loads(token, salt=PAIRING_SALT, max_age=PAIRING_SECONDS)
        event = Event.objects.get(pk=data["e"])
    except (signing.BadSignature, KeyError, TypeError, Event.DoesNotExist) as error:
        raise InvalidInput(
            _("This pairing code is invalid or has expired. Please ask for a new one."),
            "pairing_invalid",
        ) from error
    entrance = Entrance.objects.filter(event=event, pk=data.get("n")).first()
    secret = new_device_token()
    count = Device.objects.filter(event=event).count() + 1
    device = Device.objects.create(
        event=event,
        entrance=entrance,
        name=(name or "").strip()[:80] or _("Scanner %(number)s") % {"number": count},
        token_hash=hash_token(secret),
        paired_by=by if getattr(by, "is_authenticated", False) else None,
        paired_at=now,
        last_seen_at=now,
    )
    ensure_checkin_lists(event=event)
    return device, secret


@transaction.atomic
def revoke_device(*, device: Device, now: datetime) -> Device:
    """Revoke a device: its next call is refused."""
    device = Device.objects.select_for_update().get(pk=device.pk)
    if device.revoked_at is None:
        device.revoked_at = now
        device.save(update_fields=["revoked_at"])
    return device


def refuse_device(*, device: Device, until: datetime) -> None:
    """Refuse the device's scans until `until`: it sent too many invalid codes. Its scans
    then leave the door-rush statement for the way that asks the limit (and answers 429)."""
    Device.objects.filter(pk=device.pk).update(refused_until=until)


def touch_device(*, device: Device, now: datetime) -> None:
    """Note that the device was seen (at most once a minute, so scans stay cheap)."""
    if device.last_seen_at is None or now - device.last_seen_at > timedelta(minutes=1):
        Device.objects.filter(pk=device.pk).update(last_seen_at=now)


@transaction.atomic
def set_device_entrance(*, device: Device, entrance: Entrance | None) -> Device:
    """Move a device to another entrance of its event."""
    if entrance is not None and entrance.event_id != device.event_id:
        raise InvalidInput(_("This entrance belongs to another event."), "entrance_invalid")
    device.entrance = entrance
    device.save(update_fields=["entrance"])
    return device


@transaction.atomic
def add_entrance(*, event: Event, name: str) -> Entrance:
    """Add a named entrance to an event (or return the one of that name)."""
    name = name.strip()
    if not name:
        raise InvalidInput(_("Please enter a name for the entrance."), "entrance_name_required")
    entrance, _created = Entrance.objects.get_or_create(event=event, name=name[:80])
    return entrance


@transaction.atomic
def assign_staff(*, event: Event, user) -> Assignment:
    """Let a check-in staff member scan for an event."""
    assignment, _created = Assignment.objects.get_or_create(event=event, user=user)
    return assignment


@transaction.atomic
def count_walk_in(
    *,
    device: Device,
    nonce: str,
    now: datetime,
    postcode: str = "",
    interest: str = "",
    persons: int = 1,
    counted_at: datetime | None = None,
) -> WalkIn:
    """Count a walk-in at the door (once per device nonce). Raises walk_ins_not_allowed."""
    event = device.event
    if not event.walk_ins_allowed:
        raise InvalidInput(_("This event does not admit walk-ins."), "walk_ins_not_allowed")
    if persons < 1 or persons > 200:
        raise InvalidInput(_("Please enter a number of persons."), "persons_invalid")
    when = min(counted_at or now, now)
    checkin_list = queries.list_for_moment(event, when) or ensure_checkin_lists(event=event)[0]
    walk_in, _created = WalkIn.objects.get_or_create(
        device=device,
        nonce=nonce,
        defaults={
            "checkin_list": checkin_list,
            "entrance_id": device.entrance_id,
            "persons": persons,
            "postcode": postcode.strip()[:10],
            "interest": interest.strip()[:120],
            "counted_at": when,
        },
    )
    return walk_in
