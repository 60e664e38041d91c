"""The door rush: a ticket scanned online for entry on PostgreSQL, in one statement.

The statement reads the ticket, its registration, the event, the device as it is now, the
attendance on the list and whether the nonce was seen, and compares the code with the
ticket's stored secret; only when everything admits it does it lock the ticket row and
insert the attendance and the scan, `ON CONFLICT DO NOTHING` on the attendance's unique
constraint. Of two doors scanning the same ticket at the same moment exactly one inserts;
the other finds nothing inserted and answers through the locked way (`redeem.py`). A code
that is not the stored secret is then checked by its signature (invalid, or a genuine code
the locked way answers). The stored secret proves a code as well as its signature does (it
is what we issued), and the comparison costs nothing next to an Ed25519 verification.

The statement's checks repeat the refusals of `rules.py` in SQL, so that it can write in the
same round trip; Python then answers from the same row by those rules and refuses to carry
on should the two ever disagree (tests/checkin/test_two_ways.py runs every answer code
through both ways).
"""

from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models.base import ModelState
from django.utils import timezone

from checkin.models import CheckinList, Device, Direction
from events_platform import ticket_codes
from events_platform.models import Event, TimeSlot
from ticketing.models import Registration, Ticket

from . import rules
from .devices import StaleDevice, device_matches
from .keys import verify_secret
from .prepared import fetch_prepared
from .rules import Answer, Code, Holder, Presence

# Plain SQL: the ORM would spend more time building it than PostgreSQL spends running it.
# `now` reads the device as it is, the event, the ticket and its holder, the attendance on
# the list, whether the nonce was seen and whether the code is the ticket's stored secret
# (`genuine`; a manual check-in by serial has no code and is genuine); `held` locks the
# ticket row (as the locked way does, so the two ways never race) only when everything
# admits it; then the attendance is inserted unless one exists, and the scan only when it
# was. The checks in `held` are rules.admission_code's for an entry, in SQL.
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


def applies(*, claim: ticket_codes.Claim, device: Device, direction: str, offline: bool) -> bool:
    """Whether a scan goes the door-rush way: a ticket of the device's event, scanned online
    for entry, on PostgreSQL. Everything else (exits, staff passes, offline uploads, SQLite)
    goes the locked way."""
    return (
        claim.kind == ticket_codes.Kind.TICKET
        and claim.event_id == device.event_id
        and direction == Direction.ENTRY
        and not offline
        and connection.vendor == "postgresql"
    )


def redeem_entry(
    *,
    claim: ticket_codes.Claim,
    secret: str | None,
    device: Device,
    checkin_list: CheckinList,
    nonce: str,
    when: datetime,
    now: datetime,
    device_confirmed: bool,
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
                row = fetch_prepared(_ENTRY_SQL, params)
        else:
            row = fetch_prepared(_ENTRY_SQL, params)  # one statement: atomic on its own
    except IntegrityError:
        return None  # the nonce was used meanwhile: the locked way answers with a replay
    if not device_confirmed and (row is None or not device_matches(device, *row[:3])):
        raise StaleDevice(device.pk)  # and nothing was written: `held` checks the device
    if row is None:  # the device is gone: the locked way answers, for a genuine code
        if secret is not None:
            verify_secret(secret, device.event)
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
        verify_secret(secret, device.event)
        return rules.refusal(Code.UNKNOWN) if ticket_id is None else None
    if replayed:
        _check_not_admitted(admitted)
        return None
    if ticket_id is None:
        return rules.refusal(Code.UNKNOWN)
    # The same model instances the locked way reads, so both answer by the same rules;
    # loaded as from the database (no defaults computed, no uuid made for an Event).
    event = loaded(Event, id=device.event_id, status=event_status, starts_at=event_starts_at)
    ticket = loaded(
        Ticket,
        id=ticket_id,
        event_id=ticket_event_id,
        registration_id=registration_id,
        status=ticket_status,
        serial=claim.serial,
        headcount=headcount,
    )
    ticket.registration = loaded(
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
        loaded(TimeSlot, id=time_slot_id, starts_at=slot_starts_at)
        if time_slot_id is not None
        else None
    )
    presence = (
        None
        if inside is None
        else Presence(inside, last_entry_at, last_entrance or "", last_device or "")
    )
    answer = rules.answer(
        Holder(ticket, None), checkin_list, event, when, Direction.ENTRY, presence
    )
    if not answer.ok:
        _check_not_admitted(admitted)
        return answer
    if not admitted:
        # Out again after an earlier entry (the locked way updates that row), or another
        # door let this ticket in a moment ago (the locked way says when and where).
        return None
    return answer


def loaded(model, **values):
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
