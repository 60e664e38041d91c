"""Check-in use cases: redeem a ticket at the door, pair and revoke devices, count walk-ins.

`redeem_ticket` is the one redeem use case behind the web scanner, the API and offline
uploads. It verifies the signed secret before it touches the database (a forged or
unreadable code costs no write), then locks the ticket (or staff pass) row so that the same
ticket scanned at the same moment at two entrances is let in exactly once; the unique
constraints of Attendance and Scan are the backstop. A scan answer is not an error of the
request: the service returns an `Answer` with a stable code for every outcome, so that a
batch upload gets one answer per scan.
"""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.core import signing
from django.db import transaction
from django.db.models import Exists
from django.utils import timezone
from django.utils.translation import gettext as _

from events_platform import services as core_services
from events_platform import ticket_codes
from events_platform.errors import InvalidInput
from events_platform.models import Event
from fairs.models import StaffPass, StandBooking
from ticketing.models import Registration, Ticket

from . import queries
from .models import (
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

PAIRING_SALT = "checkin.pairing"
PAIRING_SECONDS = 15 * 60
DOORS_OPEN_EARLY = timedelta(hours=3)
DOORS_CLOSE_LATE = timedelta(hours=2)
ADULT_AGE = 18


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
        return asdict(self) | {"ok": self.ok}


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
    age = registration.age_on(timezone.localtime(event.starts_at).date())
    minor = age is not None and age < ADULT_AGE
    return {
        "name": name,
        "ticket_type": str(registration.get_kind_display()),
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
    entrance = attendance.last_entrance.name if attendance.last_entrance else ""
    device = attendance.last_device.name if attendance.last_device else ""
    at = _local_time(attendance.last_entry_at)
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
        previous_at=timezone.localtime(attendance.last_entry_at).isoformat(),
        previous_entrance=entrance,
        previous_device=device,
        **described,
    )


def _ok(direction: str, described: dict, **extra) -> Answer:
    persons = described.get("headcount", 1)
    if direction == Direction.EXIT:
        message = _("Goodbye: %(persons)s left.") % {"persons": persons}
    elif persons > 1:
        message = _("Welcome: admit %(persons)s persons.") % {"persons": persons}
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


def _claim(secret: str, serial: int | None, kind: int, device: Device):
    if serial is not None:
        # A manual check-in from the search: the device is authenticated, the serial its pick.
        return ticket_codes.Claim(kind=kind, event_id=device.event_id, serial=serial)
    return core_services.verify_ticket_secret(secret)


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
) -> Answer:
    """Let a ticket or staff pass in (or out) on a list; answers every outcome with a code."""
    try:
        claim = _claim(secret, serial, kind, device)
    except ticket_codes.InvalidSecret:
        return _refusal(Code.INVALID, direction=direction)
    if claim.event_id != device.event_id:
        return _refusal(Code.WRONG_EVENT, direction=direction)
    when = min(scanned_at, now) if (offline and scanned_at) else now
    event = device.event
    if checkin_list is None:
        checkin_list = queries.list_for_moment(event, when) or ensure_checkin_lists(event=event)[0]
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
