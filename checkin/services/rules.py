"""The admission rules of a scan: which answer a genuine ticket or staff pass gets on a list,
at a moment, in a direction, given whether its holder is inside.

Pure: nothing here reads the database. Both ways through a scan answer with these
functions, from what each loaded: the door-rush statement (`door_rush.py`) and the locked
way (`redeem.py`). The statement also repeats the refusals in SQL, to decide in the same
round trip whether it may write; it answers from these rules and stops should the two
ever disagree.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from checkin.models import CheckinList, Direction
from events_platform.models import Event
from fairs.models import StaffPass, StandBooking
from ticketing.models import Registration, Ticket


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


@dataclass
class Holder:
    """Who a code admits: a ticket (with its registration) or a stand staff pass."""

    ticket: Ticket | None
    staff_pass: StaffPass | None
    replayed: bool = False

    @property
    def filter(self) -> dict:
        if self.ticket is not None:
            return {"ticket": self.ticket}
        return {"staff_pass": self.staff_pass}


@dataclass
class Presence:
    """The holder's attendance on the list: inside or not, and their last entry."""

    inside: bool
    last_entry_at: datetime | None = None
    last_entrance: str = ""
    last_device: str = ""


def refusal(code: str, **extra) -> Answer:
    """The answer of a refused scan, in the language of the request."""
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


def refusal_code(
    holder: Holder, checkin_list: CheckinList, event: Event, when: datetime
) -> str | None:
    """The refusal code for a ticket or pass that exists, or None when it may pass."""
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


def admission_code(
    holder: Holder,
    checkin_list: CheckinList,
    event: Event,
    when: datetime,
    direction: str,
    presence: Presence | None,
) -> str:
    """The answer code of a scan of a genuine code: Code.OK when it lets the holder in (or
    out), else why not."""
    refused = refusal_code(holder, checkin_list, event, when)
    if refused:
        return refused
    inside = presence is not None and presence.inside
    if direction == Direction.EXIT:
        return Code.OK if inside else Code.NOT_CHECKED_IN
    return Code.ALREADY_CHECKED_IN if inside else Code.OK


def answer(
    holder: Holder,
    checkin_list: CheckinList,
    event: Event,
    when: datetime,
    direction: str,
    presence: Presence | None,
) -> Answer:
    """What the scanner shows for a scan of a genuine code (before anything is written)."""
    code = admission_code(holder, checkin_list, event, when, direction, presence)
    if code == Code.WRONG_EVENT:
        # A serial of another event's ticket or pass (typed in): nothing about its holder.
        return refusal(code, direction=direction)
    described = describe(holder, event)
    if code == Code.OK:
        return welcome(direction, described)
    if code == Code.ALREADY_CHECKED_IN:
        return already_in(presence, described, direction)
    return refusal(code, direction=direction, **described)


# What get_kind_display() gives, without its per-call lookup table.
_KIND_LABELS = dict(Registration.Kind.choices)


def describe(holder: Holder, event: Event) -> dict:
    """Who stands at the door, as the scanner shows them: nothing medical, no guardian."""
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


def already_in(presence: Presence, described: dict, direction: str) -> Answer:
    """The answer to a second entry: when, at which entrance and by which device."""
    last_entry_at = presence.last_entry_at
    entrance, device = presence.last_entrance, presence.last_device
    at = timezone.localtime(last_entry_at).strftime("%H:%M")
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


def welcome(direction: str, described: dict) -> Answer:
    """The answer of an admitted entry (how many persons) or exit."""
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
    return Answer(code=Code.OK, message=str(message), direction=direction, **described)
