"""Visitor use cases: register, cancel, waiting-list offers, guardians' consent, tickets.

Capacity is counted in persons and held by registrations that are confirmed, waiting for a
guardian, or holding an open waiting-list offer. What each event, time slot and workshop
holds is kept in a counter row (ticketing/counters.py): a registration takes its places with
one conditional UPDATE per counter after its other writes, so a counter row is locked only
from that UPDATE to the commit, and no registration waits for the event row. Every other
status change that takes or frees places goes through `_set_status`, with the event row
locked (`lock_event`), so changes to one event's waiting list queue up. A registration holds
a key-share lock of the event row from before its writes (`counters.hold_event`), so those
changes wait for registrations under way, and every transaction locks the event row before
any counter. SQLite takes its write lock when the transaction starts (IMMEDIATE
mode), so there every transaction is alone anyway.
"""

import contextlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, DateTimeField, F, Value, When
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from dataprotection import registry
from events_platform import audit, ticket_codes
from events_platform import services as core_services
from events_platform.models import AuditEntry, Event, Session, TimeSlot
from infra.errors import DomainError, InvalidInput
from infra.rows import RowWriter

from . import consent_texts, counters, exports, queries, rules, signals
from .errors import ErrorCode
from .models import (
    MAX_MEDICAL_NOTES_DAYS,
    ConsentRecord,
    Registration,
    Ticket,
    VisitorFeed,
    new_token,
)

GUARDIAN_HOURS = 72
Status = Registration.Status


@dataclass
class RegistrationInput:
    """What a visitor (or an organiser on their behalf) enters to register."""

    name: str
    email: str
    privacy_consent: bool
    phone: str = ""
    answers: dict = field(default_factory=dict)
    photo_consent: bool = False
    share_contact_consent: bool = False
    time_slot_id: int | None = None
    session_ids: list[int] = field(default_factory=list)
    school: str = ""
    grade: str = ""
    pupils: int | None = None
    adults: int | None = None
    birth_date: date | None = None
    guardian_name: str = ""
    guardian_email: str = ""
    guardian_phone: str = ""
    emergency_contact: str = ""
    medical_notes: str = ""
    postcode: str = ""


def lock_event(event_id: int) -> Event:
    """The event row, locked until the transaction ends: it guards every count of the event."""
    return Event.objects.select_for_update().get(pk=event_id)


@dataclass(frozen=True)
class Shortfall:
    """A limit that `requested` more persons would pass, and the places it has left."""

    part: str  # "event", "slot" or "session"
    left: int
    requested: int
    capacity: int
    name: str = ""  # the workshop's title, for a session


def _parts(event: Event, time_slot: TimeSlot | None, sessions) -> counters.Parts:
    # The event's counter read with the event (queries.event_for_registration), used once.
    counter = event.__dict__.pop("_place_counter", None)
    if counter is not None and time_slot is None and not sessions:
        return counters.Parts(event=counter)
    return counters.parts(event.pk, time_slot.pk if time_slot else None, [s.pk for s in sessions])


def _full_part(
    event: Event,
    *,
    headcount: int,
    time_slot: TimeSlot | None,
    sessions: list[Session],
    parts: counters.Parts | None = None,
) -> Shortfall | None:
    """The first limit (event, slot, workshop) `headcount` more persons would pass, or None,
    from the counters as read (`parts`, or read now)."""
    if parts is None:
        parts = _parts(event, time_slot, sessions)
    titles = {session.pk: session.title for session in sessions}
    checks = [("event", parts.event)]
    if parts.slot is not None:
        checks.append(("slot", parts.slot))
    checks += [("session", counter) for counter in parts.sessions]
    for part, counter in checks:
        if counter.capacity is None:
            continue
        if counter.taken + headcount > counter.capacity:
            return Shortfall(
                part=part,
                left=max(counter.capacity - counter.taken, 0),
                requested=headcount,
                capacity=counter.capacity,
                name=titles.get(counter.session_id, ""),
            )
    return None


class NoRoom(Exception):
    """A counter had no room for the places a status change takes."""


def _set_status(
    registration: Registration, status: str, *, parts: counters.Parts | None = None
) -> None:
    """The one way a registration's status changes after it was created: a change into a
    status that holds places takes them in its counters (raises NoRoom when one has no
    room), a change out of one gives them back. The caller saves the registration."""
    holds, will_hold = registration.status in Registration.HOLDING, status in Registration.HOLDING
    if holds != will_hold:
        if parts is None:
            parts = counters.parts_of(registration)
        if will_hold:
            if counters.take(parts, registration.headcount) is not None:
                raise NoRoom
        else:
            counters.give_back(parts, registration.headcount)
    registration.status = status


def _group_sentence(kind: str, requested: int, *, by_organiser: bool = False) -> str:
    if by_organiser:
        # The organiser enters someone else's registration: no "your".
        return ngettext(
            "The registration is for %(count)s person.",
            "The registration is for %(count)s people.",
            requested,
        ) % {"count": requested}
    if kind == Registration.Kind.SCHOOL_CLASS:
        return ngettext(
            "Your class has %(count)s person.", "Your class has %(count)s people.", requested
        ) % {"count": requested}
    return ngettext(
        "You asked for %(count)s place.", "You asked for %(count)s places.", requested
    ) % {"count": requested}


def no_room_error(shortfall: Shortfall, *, kind: str, by_organiser: bool = False) -> DomainError:
    """The refusal of a registration or change that does not fit, with the real numbers
    (worded for the organiser when they enter the registration).

    Its code is slot_full, session_full, event_full or group_too_large; its data carries
    places_left and requested for programs.
    """
    left, requested = shortfall.left, shortfall.requested
    if shortfall.part == "slot":
        code, advice = ErrorCode.SLOT_FULL, _("Please choose another time slot.")
        if requested > shortfall.capacity:
            # Another slot of the same size would not do either.
            advice = _(
                "Please choose a time slot with enough places, or register the group in "
                "smaller parts."
            )
        where = (
            ngettext(
                "This time slot has %(capacity)s place in all.",
                "This time slot has %(capacity)s places in all.",
                shortfall.capacity,
            )
            % {"capacity": shortfall.capacity}
            if requested > shortfall.capacity
            else _("This time slot is full.")
            if left == 0
            else ngettext(
                "Only %(left)s place is left in this time slot.",
                "Only %(left)s places are left in this time slot.",
                left,
            )
            % {"left": left}
        )
    elif shortfall.part == "session":
        code, advice = ErrorCode.SESSION_FULL, _("Please choose another workshop.")
        where = (
            _("The workshop “%(name)s” is full.") % {"name": shortfall.name}
            if left == 0
            else ngettext(
                "Only %(left)s place is left in the workshop “%(name)s”.",
                "Only %(left)s places are left in the workshop “%(name)s”.",
                left,
            )
            % {"left": left, "name": shortfall.name}
        )
    elif requested > shortfall.capacity:
        code, advice = ErrorCode.GROUP_TOO_LARGE, ""
        where = ngettext(
            "This event has %(capacity)s place in all.",
            "This event has %(capacity)s places in all.",
            shortfall.capacity,
        ) % {"capacity": shortfall.capacity}
    else:
        code, advice = ErrorCode.EVENT_FULL, ""
        where = (
            _("The event is full.")
            if left == 0
            else ngettext(
                "Only %(left)s place is left at this event.",
                "Only %(left)s places are left at this event.",
                left,
            )
            % {"left": left}
        )
    sentences = [where]
    if requested > 1:
        sentences.append(_group_sentence(kind, requested, by_organiser=by_organiser))
    if advice:
        sentences.append(advice)
    return DomainError(
        " ".join(sentences), code, data={"places_left": left, "requested": requested}
    )


def _consent(
    registration: Registration,
    topic: str,
    granted: bool,
    now: datetime,
    *,
    by: str = "",
    by_organiser: bool = False,
) -> ConsentRecord:
    """A consent record of `registration`, worded for whoever filled it in: a parent gives
    it for the child (given_by the parent, given_for the child), others for themselves.
    An organiser who enters the registration confirms the consent on the person's behalf:
    the record keeps the organiser's third-person wording (`by_organiser`), still given by
    the person (the organiser only passes it on)."""
    audience = consent_texts.audience_of(registration)
    if audience == consent_texts.Audience.PARENT:
        given_by, given_for = by or registration.guardian_name, registration.name
    else:
        given_by, given_for = by or registration.name, ""
    return ConsentRecord(
        registration=registration,
        topic=topic,
        granted=granted,
        text_version=queries.privacy_text_version(registration.event),
        text=consent_texts.consent_text(topic, audience=audience, by_organiser=by_organiser),
        given_by=given_by,
        given_for=given_for,
        given_at=now,
    )


def _record_consent(
    registration: Registration, topic: str, granted: bool, now: datetime, *, by: str = ""
) -> None:
    _consent(registration, topic, granted, now, by=by).save()


def _issue_ticket(registration: Registration, now: datetime) -> Ticket:
    serial = ticket_codes.new_serial()
    secret = core_services.issue_ticket_secret(
        event=registration.event, kind=ticket_codes.Kind.TICKET, serial=serial
    )
    ticket = Ticket(
        event=registration.event,
        registration=registration,
        kind=Ticket.Kind.GROUP if registration.headcount > 1 else Ticket.Kind.SINGLE,
        serial=serial,
        secret=secret,
        headcount=registration.headcount,
        issued_at=now,
    )
    _TICKET_ROWS.insert([ticket], signals=True)  # as create() would
    return ticket


def _confirm(registration: Registration, now: datetime) -> None:
    _set_status(registration, Status.CONFIRMED)
    registration.confirmed_at = now
    registration.offer_expires_at = None
    registration.save()
    _issue_ticket(registration, now)
    signals.registration_confirmed.send(sender=Registration, registration=registration)


def _ask_guardian(registration: Registration, now: datetime) -> None:
    _set_status(registration, Status.PENDING_GUARDIAN)
    registration.guardian_token = new_token()
    registration.guardian_deadline = now + timedelta(hours=GUARDIAN_HOURS)
    registration.offer_expires_at = None
    registration.save()
    _send_guardian_request(registration)


def _send_guardian_request(registration: Registration) -> None:
    path = reverse("ticketing:guardian-confirm", kwargs={"token": registration.guardian_token})
    signals.guardian_confirmation_requested.send(
        sender=Registration, registration=registration, confirm_url=settings.SITE_URL + path
    )


def _admit(registration: Registration, now: datetime) -> None:
    """Give a place: straight to confirmed, or first to the guardian for a minor."""
    if registration.kind == Registration.Kind.CAMP_PARTICIPANT and queries.guardian_required(
        registration.event, registration.birth_date
    ):
        if registration.guardian_confirmed_at is None:
            _ask_guardian(registration, now)
            return
    _confirm(registration, now)


def offer_freed_places(*, event: Event, now: datetime) -> list[Registration]:
    """Offer free places to the waiting list in order (the caller holds the event lock)."""
    offered = []
    hours = queries.offer_hours(event)
    waiting = (
        Registration.objects.filter(event=event, status=Status.WAITLISTED)
        .select_related("time_slot")
        .prefetch_related("sessions")
        .order_by("waitlisted_at", "pk")
    )
    whole = counters.parts(event.pk).event
    for registration in waiting:
        if whole.capacity is not None and whole.taken >= whole.capacity:
            break
        parts = counters.parts_of(registration, [s.pk for s in registration.sessions.all()])
        try:
            _set_status(registration, Status.OFFERED, parts=parts)
        except NoRoom:
            whole = parts.event
            continue  # this one waits for its slot or workshop; the next may fit
        whole = parts.event
        registration.offer_expires_at = now + timedelta(hours=hours)
        registration.save(update_fields=["status", "offer_expires_at"])
        signals.waitlist_offer_made.send(
            sender=Registration, registration=registration, expires_at=registration.offer_expires_at
        )
        offered.append(registration)
    if offered:
        _announce_if_full(event, [registration.time_slot for registration in offered])
    return offered


def register(
    *,
    event: Event,
    data: RegistrationInput,
    now: datetime,
    by_organiser: bool = False,
    savepoint: bool = True,
) -> Registration:
    """Register for an event: confirmed, waiting for a guardian, or on the waiting list.

    Raises DomainError (event_cancelled, registration_closed, slot_full, session_full,
    already_registered) or InvalidInput (privacy_consent_required, answer_required, …).

    In a transaction of the caller, the registration has a savepoint of its own, so the
    caller may go on after an error; `savepoint=False` is for a caller whose transaction
    ends with the registration (the API: one statement fewer, and none between taking the
    places and the commit); an error then rolls back the caller's whole transaction.
    """
    with transaction.atomic(savepoint=savepoint):
        return _register(event=event, data=data, now=now, by_organiser=by_organiser)


def _register(
    *, event: Event, data: RegistrationInput, now: datetime, by_organiser: bool
) -> Registration:
    if not data.privacy_consent and not by_organiser:
        raise InvalidInput(
            _("Please agree to the privacy notice to register."), ErrorCode.PRIVACY_CONSENT_REQUIRED
        )
    if not by_organiser:
        rules.check_window(event, now)
    answers = rules.clean_answers(event, data.answers)
    time_slot, sessions = rules.resolve_parts(event, data)
    kind, headcount = rules.kind_and_headcount(event, data)
    email = data.email.strip().lower()

    # A minor's photo consent is the guardian's to give: on the form when a parent fills it
    # in, else on the confirmation page.
    needs_guardian = kind == Registration.Kind.CAMP_PARTICIPANT and queries.guardian_required(
        event, data.birth_date
    )
    asks_photos = queries.photos_asked(event, kind, data.birth_date)
    exhibitors = queries.has_exhibitors(event)  # read once, before the event is locked
    share_contact = data.share_contact_consent and exhibitors
    fields = {
        "event": event,
        "time_slot": time_slot,
        "kind": kind,
        "headcount": headcount,
        "name": data.name.strip(),
        "email": email,
        "phone": data.phone.strip(),
        "postcode": data.postcode.strip(),
        # Mails follow the language the person registered in.
        "language": (get_language() or "de")[:2],
        "answers": answers,
        "school": data.school.strip(),
        "grade": data.grade.strip(),
        "pupils": data.pupils if kind == Registration.Kind.SCHOOL_CLASS else None,
        "adults": (data.adults or 0) if kind == Registration.Kind.SCHOOL_CLASS else None,
        "birth_date": data.birth_date,
        "guardian_name": data.guardian_name.strip(),
        "guardian_email": data.guardian_email.strip().lower(),
        "guardian_phone": data.guardian_phone.strip(),
        "emergency_contact": data.emergency_contact.strip(),
        "medical_notes": data.medical_notes.strip(),
        "photo_consent": data.photo_consent and asks_photos,
        "share_contact_consent": share_contact,
        "created_at": now,
        "by_organiser": by_organiser,
    }
    consents = [(ConsentRecord.Topic.PRIVACY, True)]
    if asks_photos:
        consents.append((ConsentRecord.Topic.PHOTOS, data.photo_consent))
    if exhibitors:
        consents.append((ConsentRecord.Topic.SHARE_CONTACT, share_contact))

    # The places: read the counters (no lock). A full slot or workshop, or a group larger
    # than the whole event, is refused with the numbers; a full event takes newcomers on
    # its waiting list, and so does one whose waiting list still waits.
    parts = _parts(event, time_slot, sessions)
    while True:
        full = _full_part(
            event, headcount=headcount, time_slot=time_slot, sessions=sessions, parts=parts
        )
        if full and (full.part != "event" or headcount > full.capacity):
            _refuse_duplicate(event, fields)
            raise no_room_error(full, kind=kind, by_organiser=by_organiser)
        someone_waits = not full and queries.someone_waits(event)
        if full or someone_waits:
            break
        # Everything is written first, in a savepoint; the counters are taken last, so
        # their rows stay locked only until the commit right after. No room after all
        # (someone was faster): the savepoint goes, and the counters say what next.
        status = Status.PENDING_GUARDIAN if needs_guardian else Status.CONFIRMED
        try:
            with _attempt():
                counters.hold_event(event.pk)
                registration = _create_registration(fields, status, sessions, consents, now)
                # What was just written: the API's answer, built before the commit while the
                # counter is locked, asks the database nothing.
                _remember(registration, "tickets", [])
                if status == Status.CONFIRMED:
                    _remember(registration, "tickets", [_issue_ticket(registration, now)])
                    signals.registration_confirmed.send(
                        sender=Registration, registration=registration
                    )
                else:
                    _send_guardian_request(registration)
                if counters.take(parts, headcount) is not None:
                    raise NoRoom
        except NoRoom:
            continue  # take() read the counters again
        _announce_if_full(event, [time_slot], parts=parts)
        return registration

    if someone_waits:
        # Places are free while people wait: they are offered in the waiting list's order,
        # with the event locked, as on a cancellation (the key-share lock of an earlier
        # try went with its savepoint, so this is not asked for on top of it).
        event = lock_event(event.pk)
    registration = _create_registration(fields, Status.WAITLISTED, sessions, consents, now)
    _remember(registration, "tickets", [])  # a place on the waiting list has no ticket
    signals.waitlist_joined.send(sender=Registration, registration=registration)
    if someone_waits:
        offer_freed_places(event=event, now=now)  # announces the places it offers
        registration.refresh_from_db()
    return registration


@contextlib.contextmanager
def _attempt():
    """One try at taking places in register(): in a savepoint that is rolled back when the
    try finds no room (NoRoom), taking the try's after-commit callbacks with it, as atomic()
    does; otherwise the savepoint is not released but left to the commit that follows at
    once, so the counter's row is locked for one statement less. Any other error leaves
    register(), whose atomic block rolls the whole try back.

    Django's after-commit callbacks remember the savepoints open when they were registered
    (`connection.savepoint_ids`, kept by atomic()); this savepoint is added there while the
    try runs so that a rollback to it drops the try's callbacks (the outbox's hand-over of
    the mail it wrote)."""
    connection = transaction.get_connection()
    sid = connection.savepoint()
    connection.savepoint_ids.append(sid)
    try:
        yield
    except NoRoom:
        connection.savepoint_ids.remove(sid)
        connection.savepoint_rollback(sid)
        raise
    except BaseException:
        connection.savepoint_ids.remove(sid)
        raise
    connection.savepoint_ids.remove(sid)


DUPLICATE = "registration_one_active_per_person"


def _already_registered(*, by_organiser: bool = False) -> DomainError:
    if by_organiser:
        return DomainError(
            _(
                "This person is already registered for this event. Search the list of "
                "registrations for their name."
            ),
            ErrorCode.ALREADY_REGISTERED,
        )
    return DomainError(
        _(
            "You are already registered for this event. The link to your registration is "
            "in your e-mail."
        ),
        ErrorCode.ALREADY_REGISTERED,
    )


def _refuse_duplicate(event: Event, fields: dict) -> None:
    """Raise already_registered when the person already has an active registration (asked
    before a refusal for lack of room, so they hear the reason that matters)."""
    if fields["kind"] != Registration.Kind.SCHOOL_CLASS and queries.has_active_registration(
        event, email=fields["email"], name=fields["name"]
    ):
        raise _already_registered(by_organiser=fields["by_organiser"])


def _create_registration(
    fields: dict, status: str, sessions: list[Session], consents, now: datetime
) -> Registration:
    """The registration's row with its workshops and consents. A second active one of the
    same person and event is refused by the unique index: already_registered."""
    # The address's calendar feed, in one statement: made once, then left as it is (written
    # here, not before a refusal for lack of room).
    _FEED_ROWS.insert([VisitorFeed(email=fields["email"])], ignore_conflicts=True)
    try:
        # No savepoint of its own: an error here ends the caller's savepoint or transaction.
        with transaction.atomic(savepoint=False):
            registration = Registration(
                **fields,
                status=status,
                waitlisted_at=now if status == Status.WAITLISTED else None,
                confirmed_at=now if status == Status.CONFIRMED else None,
                guardian_token=new_token() if status == Status.PENDING_GUARDIAN else "",
                guardian_deadline=(
                    now + timedelta(hours=GUARDIAN_HOURS)
                    if status == Status.PENDING_GUARDIAN
                    else None
                ),
            )
            _REGISTRATION_ROWS.insert([registration], signals=True)  # as create() would
    except IntegrityError as error:
        if DUPLICATE in str(error):
            raise _already_registered(by_organiser=fields["by_organiser"]) from error
        raise
    if sessions:
        # A new registration has no workshops yet: their rows in one statement (what
        # sessions.set() does after reading the rows that are there; nothing listens to
        # m2m_changed).
        _SESSION_LINKS.insert(
            [_SessionLink(registration=registration, session=session) for session in sessions]
        )
    # Entered by the organiser: the records keep the wording the organiser confirmed.
    by_organiser = fields["by_organiser"]
    records = _CONSENT_ROWS.insert(
        [
            _consent(registration, topic, granted, now, by_organiser=by_organiser)
            for topic, granted in consents
        ]
    )
    _remember(registration, "sessions", sessions)
    _remember(registration, "consents", records)
    return registration


# The rows every registration writes, each in one statement made once (infra.rows: what
# create() and bulk_create do, without composing the statement on every attempt).
_REGISTRATION_ROWS = RowWriter(Registration)
_FEED_ROWS = RowWriter(VisitorFeed)
_CONSENT_ROWS = RowWriter(ConsentRecord)
_TICKET_ROWS = RowWriter(Ticket)
_SessionLink = Registration.sessions.through
_SESSION_LINKS = RowWriter(_SessionLink)


def _remember(registration: Registration, relation: str, objects: list) -> None:
    """Keep `objects`, what register() has just written, as `registration.written[relation]`
    in the form prefetch_related gives. Only the API's answer, built before the commit
    while the counter is locked, uses them (`use_written`), and the confirmation mail
    written in the same transaction takes its ticket from them (`written_ticket`);
    everyone else reads rows."""
    rows = getattr(registration, relation).all()
    rows._result_cache, rows._prefetch_done = list(objects), True
    if not hasattr(registration, "written"):
        registration.written = {}
    registration.written[relation] = rows


def written_ticket(registration: Registration) -> tuple[bool, Ticket | None]:
    """(True, its ticket or None) for a registration register() has just written, whose
    tickets are all known without a query; (False, None) for any other."""
    tickets = getattr(registration, "written", {}).get("tickets")
    if tickets is None:
        return False, None
    valid = [ticket for ticket in tickets if ticket.status == Ticket.Status.VALID]
    return True, max(valid, key=lambda ticket: ticket.issued_at, default=None)


def use_written(registration: Registration) -> Registration:
    """Let `registration` (fresh from register(), about to be shown and dropped) answer
    from what register() wrote instead of asking the database again."""
    registration._prefetched_objects_cache = dict(getattr(registration, "written", {}))
    return registration


def _announce_if_full(event: Event, time_slots=(), *, parts: counters.Parts | None = None) -> None:
    """Send `capacity_reached` when the places just taken filled the event, or else each of
    the given time slots: called wherever places are taken (a registration, the organiser's
    addition, a waiting-list offer, its acceptance, a class grown or moved), inside the
    transaction that took them (`parts`: the counters as that transaction left them). Once
    per event or slot here; the alert's unique key keeps a repeat on the same day from
    mailing twice."""
    whole = parts.event if parts is not None else counters.parts(event.pk).event
    if whole.capacity is not None and whole.taken >= whole.capacity:
        signals.capacity_reached.send(sender=Event, event=event, time_slot=None)
        return
    seen = set()
    for slot in time_slots:
        if slot is None or slot.pk in seen or slot.capacity is None:
            continue
        seen.add(slot.pk)
        if parts is not None and parts.slot is not None and parts.slot.time_slot_id == slot.pk:
            counter = parts.slot
        else:
            counter = counters.parts(event.pk, slot.pk).slot
        if counter.capacity is not None and counter.taken >= counter.capacity:
            signals.capacity_reached.send(sender=Event, event=event, time_slot=slot)


def _lock_registration(registration: Registration) -> tuple[Event, Registration]:
    event = lock_event(registration.event_id)
    return event, Registration.objects.select_for_update().get(pk=registration.pk)


def _revoke_tickets(registration: Registration, now: datetime) -> None:
    registration.tickets.filter(status=Ticket.Status.VALID).update(
        status=Ticket.Status.REVOKED, revoked_at=now
    )


@transaction.atomic
def cancel_registration(
    *, registration: Registration, now: datetime, by_organiser: bool = False
) -> Registration:
    """Cancel a registration, revoke its ticket and offer the place to the waiting list.

    Raises DomainError already_cancelled.
    """
    event, registration = _lock_registration(registration)
    if not registration.is_active:
        raise DomainError(
            _("This registration has already been cancelled."), ErrorCode.ALREADY_CANCELLED
        )
    held_place = registration.status in Registration.HOLDING
    _set_status(registration, Status.CANCELLED)
    registration.cancelled_at = now
    registration.offer_expires_at = None
    registration.save()
    _revoke_tickets(registration, now)
    signals.registration_cancelled.send(
        sender=Registration, registration=registration, by_organiser=by_organiser
    )
    if held_place:
        offer_freed_places(event=event, now=now)
    return registration


@transaction.atomic
def accept_offer(*, registration: Registration, now: datetime) -> Registration:
    """Take up a waiting-list offer: the place is confirmed (or goes to the guardian).

    Raises DomainError no_offer or offer_expired.
    """
    event, registration = _lock_registration(registration)
    if registration.status != Status.OFFERED:
        raise DomainError(_("There is no open offer for this registration."), ErrorCode.NO_OFFER)
    if registration.offer_expires_at <= now:
        raise DomainError(_("This offer has expired."), ErrorCode.OFFER_EXPIRED)
    _admit(registration, now)
    _announce_if_full(event, [registration.time_slot])
    return registration


def _release(registration: Registration, reason: str, now: datetime) -> None:
    _set_status(registration, Status.RELEASED)
    registration.cancelled_at = now
    registration.offer_expires_at = None
    registration.save()
    _revoke_tickets(registration, now)
    signals.place_released.send(sender=Registration, registration=registration, reason=reason)


def expire_offers(*, now: datetime) -> int:
    """Release waiting-list offers that ran out and offer those places to the next in line."""
    released = 0
    event_ids = set(
        Registration.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now).values_list(
            "event_id", flat=True
        )
    )
    for event_id in event_ids:
        with transaction.atomic():
            event = lock_event(event_id)
            expired = Registration.objects.select_for_update().filter(
                event=event, status=Status.OFFERED, offer_expires_at__lte=now
            )
            for registration in expired.order_by("waitlisted_at", "pk"):
                _release(registration, "offer_expired", now)
                released += 1
            offer_freed_places(event=event, now=now)
    return released


def promote_waiting_lists(*, now: datetime) -> int:
    """Offer free places to waiting lists of events that have both (a capacity was raised)."""
    offered = 0
    event_ids = set(
        Registration.objects.filter(status=Status.WAITLISTED, event__ends_at__gt=now).values_list(
            "event_id", flat=True
        )
    )
    for event_id in event_ids:
        with transaction.atomic():
            offered += len(offer_freed_places(event=lock_event(event_id), now=now))
    return offered


@transaction.atomic
def confirm_guardian_consent(
    *, token: str, photo_consent: bool, guardian_name: str, now: datetime
) -> Registration:
    """A parent or guardian confirms a minor's camp place; the ticket is issued.

    Raises DomainError guardian_link_invalid or guardian_link_expired.
    """
    found = Registration.objects.filter(guardian_token=token).first() if token else None
    if found is None:
        raise DomainError(
            _("This confirmation link is not valid."), ErrorCode.GUARDIAN_LINK_INVALID
        )
    _event, registration = _lock_registration(found)
    if registration.status == Status.CONFIRMED and registration.guardian_confirmed_at:
        return registration
    if registration.status != Status.PENDING_GUARDIAN or registration.guardian_deadline <= now:
        raise DomainError(
            _("This confirmation link has expired. The place has been released."),
            ErrorCode.GUARDIAN_LINK_EXPIRED,
        )
    by = guardian_name.strip() or registration.guardian_name
    registration.guardian_confirmed_at = now
    registration.photo_consent = photo_consent
    ConsentRecord.objects.bulk_create(
        _guardian_consent(registration, topic, granted, now, by=by)
        for topic, granted in [
            (ConsentRecord.Topic.GUARDIAN, True),
            (ConsentRecord.Topic.PHOTOS, photo_consent),
        ]
    )
    _confirm(registration, now)
    return registration


def _guardian_consent(
    registration: Registration, topic: str, granted: bool, now: datetime, *, by: str
) -> ConsentRecord:
    """A consent the parent or guardian gives on the confirmation page, for the child."""
    record = _consent(registration, topic, granted, now, by=by)
    record.given_for = registration.name
    record.text = consent_texts.consent_text(topic, audience=consent_texts.Audience.PARENT)
    return record


@transaction.atomic
def decline_guardian_consent(*, token: str, now: datetime) -> Registration:
    """A parent or guardian declines a minor's camp place: it is released and the child's
    details deleted, and the place goes to the waiting list.

    Raises DomainError guardian_link_invalid or guardian_link_expired.
    """
    found = Registration.objects.filter(guardian_token=token).first() if token else None
    if found is None:
        raise DomainError(
            _("This confirmation link is not valid."), ErrorCode.GUARDIAN_LINK_INVALID
        )
    event, registration = _lock_registration(found)
    if registration.status != Status.PENDING_GUARDIAN or registration.guardian_deadline <= now:
        raise DomainError(
            _("This confirmation link has expired. The place has been released."),
            ErrorCode.GUARDIAN_LINK_EXPIRED,
        )
    _release(registration, "guardian_declined", now)
    _erase_personal_data(registration)
    offer_freed_places(event=event, now=now)
    return registration


@transaction.atomic
def decline_offer(*, registration: Registration, now: datetime) -> Registration:
    """Turn down a waiting-list offer: the place goes to the next person waiting.

    Raises DomainError no_offer.
    """
    event, registration = _lock_registration(registration)
    if registration.status != Status.OFFERED:
        raise DomainError(_("There is no open offer for this registration."), ErrorCode.NO_OFFER)
    _release(registration, "offer_declined", now)
    offer_freed_places(event=event, now=now)
    return registration


def _erase_personal_data(registration: Registration, *, keep_sessions: bool = False) -> None:
    registration.consents.all().delete()
    if not keep_sessions:
        registration.sessions.clear()
    # Every personal and sensitive field, as ticketing/privacy.py declares them; and the
    # guardian's link stops working.
    registry.blank(registration)
    registration.guardian_token = ""
    registration.save()
    # The audit log keeps what organisers did with the registration, not the person's name.
    AuditEntry.objects.filter(
        target_type=Registration._meta.label, target_id=str(registration.pk)
    ).update(target_repr=_("(erased)"))


def release_unconfirmed_minors(*, now: datetime) -> int:
    """Release camp places whose guardian did not confirm in time, and delete their data."""
    released = 0
    event_ids = set(
        Registration.objects.filter(
            status=Status.PENDING_GUARDIAN, guardian_deadline__lte=now
        ).values_list("event_id", flat=True)
    )
    for event_id in event_ids:
        with transaction.atomic():
            event = lock_event(event_id)
            overdue = Registration.objects.select_for_update().filter(
                event=event, status=Status.PENDING_GUARDIAN, guardian_deadline__lte=now
            )
            for registration in overdue:
                _release(registration, "guardian_timeout", now)
                _erase_personal_data(registration)
                released += 1
            offer_freed_places(event=event, now=now)
    return released


def erase_expired_visitor_data(*, now: datetime) -> int:
    """Anonymise registrations whose event ended longer ago than its organisation keeps
    visitor data (Organisation.visitor_data_retention_days); counts and statuses remain."""
    erased = 0
    candidates = (
        Registration.objects.filter(event__ends_at__lt=now)
        .exclude(name="", email="")
        .select_related("event__organisation")
    )
    for registration in candidates.iterator():
        keep = timedelta(days=registration.event.organisation.visitor_data_retention_days)
        if registration.event.ends_at + keep <= now:
            with transaction.atomic():
                _erase_personal_data(registration, keep_sessions=True)
            erased += 1
    if erased:
        # A personal calendar feed is keyed by the address: it goes with the last
        # registration that still names it.
        VisitorFeed.objects.exclude(
            email__in=Registration.objects.exclude(email="").values("email")
        ).delete()
    return erased


def export_registrations(
    *, event: Event, filters: queries.RegistrationFilter, file_format: str, by
) -> exports.ExportFile:
    """Build the general export of an event's filtered registrations (no medical notes) and
    write it to the organisation's audit log; the organiser's page and the API call this."""
    export = exports.registration_export(event, filters, file_format)
    audit.record_action(
        actor=by,
        organisation=event.organisation,
        action="registrations_exported",
        target=event,
        details={"format": file_format, "rows": export.rows},
    )
    return export


def medical_notes_days() -> int:
    """Days after a camp's end until its medical notes are erased (setting, default 7)."""
    return settings.TICKETING_MEDICAL_NOTES_RETENTION_DAYS


def erase_expired_medical_notes(*, now: datetime) -> int:
    """Erase allergies, medical notes and emergency contacts a few days after the event ends:
    the camp's own number of days, or the platform's setting where the camp sets none.

    They are needed only while the camp runs; the rest of the registration follows the
    organisation's visitor-data retention. Returns the number of registrations changed.
    """
    # One query on every database: each possible number of days (at most 30) has its own
    # cutoff; a camp without its own number gets the platform's (SQLite cannot multiply
    # an interval, so the cutoffs are computed here rather than in SQL).
    own_days = "event__registration_settings__medical_notes_retention_days"
    cutoff = Case(
        *(
            When(**{own_days: days}, then=Value(now - timedelta(days=days)))
            for days in range(MAX_MEDICAL_NOTES_DAYS + 1)
        ),
        default=Value(now - timedelta(days=medical_notes_days())),
        output_field=DateTimeField(),
    )
    return (
        # alias(): a left join, so a camp without settings of its own is not left out.
        Registration.objects.alias(cutoff=cutoff)
        .filter(event__ends_at__lte=F("cutoff"))
        .exclude(medical_notes="", emergency_contact="")
        .update(medical_notes="", emergency_contact="")
    )


@transaction.atomic
def update_answers(
    *,
    registration: Registration,
    answers: dict,
    phone: str,
    share_contact_consent: bool,
    now: datetime,
    postcode: str | None = None,
    emergency_contact: str | None = None,
    medical_notes: str | None = None,
    photo_consent: bool | None = None,
) -> Registration:
    """Change the answers, phone, postcode (None: unchanged; asked only where
    queries.asks_postcode says so) and contact-sharing consent of an active registration,
    a camp participant's emergency contact and medical notes (None: unchanged), and the
    photo consent (None: unchanged; only where the form asked for it, queries.photos_asked).
    A consent given or withdrawn here is a new record, in the wording of the form.

    Raises DomainError already_cancelled or InvalidInput answer_required / answer_invalid.
    """
    _event, registration = _lock_registration(registration)
    if not registration.is_active:
        raise DomainError(
            _("This registration has already been cancelled."), ErrorCode.ALREADY_CANCELLED
        )
    registration.answers = rules.clean_answers(registration.event, answers)
    registration.phone = phone.strip()
    if postcode is not None and queries.asks_postcode(registration.event, registration.kind):
        registration.postcode = postcode.strip()
    if registration.kind == Registration.Kind.CAMP_PARTICIPANT:
        if emergency_contact is not None:
            registration.emergency_contact = emergency_contact.strip()
        if medical_notes is not None:
            registration.medical_notes = medical_notes.strip()
    # Contact sharing is asked for only where there are exhibitors to share with.
    share_contact_consent = share_contact_consent and queries.has_exhibitors(registration.event)
    if share_contact_consent != registration.share_contact_consent:
        registration.share_contact_consent = share_contact_consent
        _record_consent(registration, ConsentRecord.Topic.SHARE_CONTACT, share_contact_consent, now)
    # A minor who registered themselves has no say here: their guardian decided on photos.
    if (
        photo_consent is not None
        and photo_consent != registration.photo_consent
        and queries.photos_asked(registration.event, registration.kind, registration.birth_date)
    ):
        registration.photo_consent = photo_consent
        _record_consent(registration, ConsentRecord.Topic.PHOTOS, photo_consent, now)
    registration.save()
    return registration


@dataclass(frozen=True)
class PreviousParts:
    """What a registration held before a change: the mail names old and new side by side."""

    time_slot: TimeSlot | None
    sessions: list[Session]
    pupils: int | None
    adults: int | None
    headcount: int


def _reissue_ticket(registration: Registration, now: datetime) -> bool:
    """Replace the valid ticket by one that admits the new headcount."""
    ticket = (
        Ticket.objects.select_for_update()
        .filter(registration=registration, status=Ticket.Status.VALID)
        .first()
    )
    if ticket is None:
        return False
    ticket.status = Ticket.Status.REVOKED
    ticket.revoked_at = now
    ticket.save(update_fields=["status", "revoked_at"])
    _issue_ticket(registration, now)
    return True


def _move_places(
    registration: Registration,
    before: PreviousParts,
    *,
    headcount: int,
    time_slot: TimeSlot | None,
    sessions: list[Session],
) -> counters.Parts:
    """Move a changed registration's places in the counters: the old ones are given back and
    the new ones taken, all or none; raises no_room_error with the numbers beside its own.

    Its own places are left out of the count: a class of 30 that moves to a slot with 30
    places left fits, and so does one that grows by 5 where 5 are left. Someone on the
    waiting list holds none and waits for the whole event; they may pick any slot that is
    not full itself, as when registering.
    """
    if registration.status not in Registration.HOLDING:
        parts = _parts(registration.event, time_slot, sessions)
        full = _full_part(
            registration.event,
            headcount=headcount,
            time_slot=time_slot,
            sessions=sessions,
            parts=parts,
        )
        if full and (full.part != "event" or headcount > full.capacity):
            raise no_room_error(full, kind=registration.kind)
        return parts
    old = counters.parts(
        registration.event_id,
        before.time_slot.pk if before.time_slot else None,
        [s.pk for s in before.sessions],
    )
    try:
        with transaction.atomic():
            counters.give_back(old, before.headcount)
            parts = _parts(registration.event, time_slot, sessions)
            failed = counters.take(parts, headcount)
            if failed is not None:
                full = _full_part(
                    registration.event,
                    headcount=headcount,
                    time_slot=time_slot,
                    sessions=sessions,
                    parts=parts,
                ) or Shortfall(
                    part=failed.part,
                    left=max((failed.capacity or 0) - failed.taken, 0),
                    requested=headcount,
                    capacity=failed.capacity or 0,
                )
                raise NoRoom(full)
    except NoRoom as no_room:
        raise no_room_error(no_room.args[0], kind=registration.kind) from None
    return parts


@transaction.atomic
def change_registration(
    *,
    registration: Registration,
    now: datetime,
    time_slot_id: int | None = None,
    session_ids: list[int] | None = None,
    pupils: int | None = None,
    adults: int | None = None,
) -> Registration:
    """Change the time slot, the workshops or a school class's pupils and adults (None keeps
    a part as it is) within the places left beside the registration's own; places it frees
    go to the waiting list. A confirmed group gets a new ticket for its new size.

    Raises DomainError already_cancelled, registration_closed (and the other window codes),
    slot_full, session_full, event_full, group_too_large, already_checked_in; or InvalidInput
    slot_invalid, session_invalid, sessions_overlap, not_a_school_class, pupils_required.
    """
    # The same locks in the same order as cancel_registration (event, then registration),
    # and register() takes the event lock first too: changes and registrations queue up.
    event, registration = _lock_registration(registration)
    if not registration.is_active:
        raise DomainError(
            _("This registration has already been cancelled."), ErrorCode.ALREADY_CANCELLED
        )
    rules.check_window(event, now)

    before = PreviousParts(
        time_slot=registration.time_slot,
        sessions=list(registration.sessions.order_by("starts_at", "pk")),
        pupils=registration.pupils,
        adults=registration.adults,
        headcount=registration.headcount,
    )
    wanted = RegistrationInput(
        name=registration.name,
        email=registration.email,
        privacy_consent=True,
        time_slot_id=registration.time_slot_id if time_slot_id is None else time_slot_id,
        session_ids=[s.pk for s in before.sessions] if session_ids is None else session_ids,
    )
    if queries.slots_are_choices(event):
        time_slot, sessions = rules.resolve_parts(event, wanted)
    else:  # a camp's days are not chosen: only the workshops can change
        wanted.time_slot_id = None
        time_slot, sessions = before.time_slot, rules.resolve_parts(event, wanted)[1]

    headcount = registration.headcount
    if pupils is not None or adults is not None:
        if registration.kind != Registration.Kind.SCHOOL_CLASS:
            raise InvalidInput(
                _("Only a school class registration has pupils and adults."),
                ErrorCode.NOT_A_SCHOOL_CLASS,
            )
        pupils = registration.pupils if pupils is None else pupils
        adults = (registration.adults or 0) if adults is None else adults
        if not pupils or pupils < 1 or adults < 0:
            raise InvalidInput(_("Please enter the number of pupils."), ErrorCode.PUPILS_REQUIRED)
        headcount = pupils + adults
    else:
        pupils, adults = registration.pupils, registration.adults

    slot_changed = (time_slot.pk if time_slot else None) != registration.time_slot_id
    sessions_changed = {s.pk for s in sessions} != {s.pk for s in before.sessions}
    size_changed = (pupils, adults) != (registration.pupils, registration.adults)
    if not (slot_changed or sessions_changed or size_changed):
        return registration

    ticket = queries.valid_ticket(registration)
    if headcount != before.headcount and ticket is not None and ticket.attendances.exists():
        raise DomainError(
            _("Your group has already been admitted: its size can no longer be changed."),
            ErrorCode.ALREADY_CHECKED_IN,
        )
    holds_places = registration.status in Registration.HOLDING
    parts = _move_places(
        registration, before, headcount=headcount, time_slot=time_slot, sessions=sessions
    )

    registration.time_slot = time_slot
    registration.pupils, registration.adults = pupils, adults
    registration.headcount = headcount
    registration.save(update_fields=["time_slot", "pupils", "adults", "headcount"])
    if sessions_changed:
        registration.sessions.set(sessions)
    reissued = (
        headcount != before.headcount
        and registration.status == Status.CONFIRMED
        and _reissue_ticket(registration, now)
    )
    signals.registration_changed.send(
        sender=Registration, registration=registration, previous=before, ticket_reissued=reissued
    )
    if holds_places and (slot_changed or headcount > before.headcount):
        _announce_if_full(event, [time_slot], parts=parts)
    # Fewer persons, or a slot or workshop given up: as on a cancellation, the waiting list
    # gets the places in its order.
    offer_freed_places(event=event, now=now)
    return registration
