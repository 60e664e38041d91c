"""Core use cases: the event's lifecycle (publish, cancel, change its capacity) and the
signing of ticket secrets.

The lifecycle services lock the event row, change it, write the audit entry and send the
lifecycle signal (events_platform/signals.py) inside one transaction; ticketing, fairs and
notifications do their part in their receivers, in that same transaction.
"""

import contextlib
import functools
from dataclasses import dataclass, fields
from datetime import datetime

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

from infra.errors import DomainError, InvalidInput
from infra.rows import planned_cursor

from . import audit, signals, ticket_codes
from .errors import ErrorCode
from .models import Event, EventSigningKey


@dataclass(frozen=True)
class CancelResult:
    """What cancelling an event did, counted by the apps that did it."""

    event: Event
    # True when the event was cancelled before: nothing was done, nobody was told again.
    already_cancelled: bool = False
    registrations_cancelled: int = 0
    tickets_revoked: int = 0
    waitlist_closed: int = 0
    guardian_requests_closed: int = 0
    bookings_cancelled: int = 0
    stand_waitlist_closed: int = 0
    people_told: int = 0
    exhibitors_told: int = 0


@dataclass(frozen=True)
class CapacityResult:
    """The event's capacity before and after, and the waiting-list places offered at once."""

    event: Event
    previous: int | None
    capacity: int | None
    places_offered: int = 0


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().select_related("organisation").get(pk=event.pk)


def merge_counts(responses) -> dict[str, int]:
    """Sum the counts the receivers of a lifecycle signal returned."""
    total: dict[str, int] = {}
    for _receiver, counts in responses:
        for key, value in (counts or {}).items():
            total[key] = total.get(key, 0) + value
    return total


@transaction.atomic
def publish_event(*, event: Event, by, now: datetime) -> Event:
    """Publish a draft event: it shows in the calendar and takes registrations.

    Raises DomainError `event_cancelled` (a cancelled event stays cancelled) or
    `already_published`."""
    event = _lock(event)
    if event.status == Event.Status.CANCELLED:
        raise DomainError(
            _("A cancelled event cannot be published again."), ErrorCode.EVENT_CANCELLED
        )
    if event.status == Event.Status.PUBLISHED:
        raise DomainError(_("This event is already published."), ErrorCode.ALREADY_PUBLISHED)
    event.status = Event.Status.PUBLISHED
    event.save(update_fields=["status", "updated_at"])
    audit.record_action(
        actor=by, organisation=event.organisation, action="event_published", target=event
    )
    signals.event_published.send(sender=Event, event=event, by=by, now=now)
    return event


@transaction.atomic
def cancel_event(*, event: Event, by, now: datetime, reason: str = "") -> CancelResult:
    """Cancel an event: its tickets are revoked, its waiting lists and stand bookings closed,
    and every registered person, guardian, waiting person and exhibitor is told once.

    Cancelling an event that is already cancelled does nothing and returns
    `already_cancelled=True`. Raises nothing of its own; a receiver may raise DomainError."""
    event = _lock(event)
    if event.status == Event.Status.CANCELLED:
        return CancelResult(event=event, already_cancelled=True)
    previous = event.status
    event.status = Event.Status.CANCELLED
    event.save(update_fields=["status", "updated_at"])
    responses = signals.event_cancelled.send(
        sender=Event, event=event, by=by, now=now, reason=reason.strip()
    )
    result = CancelResult(event=event, **merge_counts(responses))
    details = {"previous_status": previous}
    if reason.strip():
        details["reason"] = reason.strip()
    details.update({f.name: getattr(result, f.name) for f in fields(result) if f.type is int})
    audit.record_action(
        actor=by,
        organisation=event.organisation,
        action="event_cancelled",
        target=event,
        details=details,
    )
    return result


@transaction.atomic
def change_capacity(*, event: Event, capacity: int | None, by, now: datetime) -> CapacityResult:
    """Set the event's capacity in persons (None: no limit); places it frees are offered to
    the waiting list at once.

    Raises InvalidInput `capacity_invalid` (below one), DomainError `event_cancelled`, or a
    receiver's DomainError (ticketing: `capacity_below_held`)."""
    if capacity is not None and capacity < 1:
        raise InvalidInput(
            _("The capacity must be at least one person."), ErrorCode.CAPACITY_INVALID
        )
    event = _lock(event)
    if event.status == Event.Status.CANCELLED:
        raise DomainError(
            _("The capacity of a cancelled event cannot be changed."), ErrorCode.EVENT_CANCELLED
        )
    previous = event.capacity
    if previous == capacity:
        return CapacityResult(event=event, previous=previous, capacity=capacity)
    event.capacity = capacity
    event.save(update_fields=["capacity", "updated_at"])
    responses = signals.capacity_changed.send(
        sender=Event, event=event, previous=previous, by=by, now=now
    )
    audit.record_action(
        actor=by,
        organisation=event.organisation,
        action="event_capacity_changed",
        target=event,
        details={"previous": previous, "capacity": capacity},
    )
    return CapacityResult(
        event=event, previous=previous, capacity=capacity, **merge_counts(responses)
    )


def get_signing_key(*, event: Event) -> EventSigningKey:
    """The event's signing key, made on first use (safe when two requests race)."""
    try:
        return EventSigningKey.objects.get(event=event)
    except EventSigningKey.DoesNotExist:
        private, public = ticket_codes.generate_keypair()
        try:
            with transaction.atomic():
                key = EventSigningKey.objects.create(
                    event=event, public_key=public, private_key_encrypted=private
                )
        except IntegrityError:
            return EventSigningKey.objects.get(event=event)
        # A rebuilt database reuses event ids: forget a key cached for an earlier event.
        with contextlib.suppress(RedisError, OSError):
            cache.delete(_public_key_cache_key(event.pk))
        return key


def issue_ticket_secret(*, event: Event, kind: int, serial: int) -> str:
    """A signed secret for a ticket or staff pass of `event` with the given serial."""
    encrypted = _stored_private_key(event.pk)
    if encrypted is None:
        encrypted = get_signing_key(event=event).private_key_encrypted
    return ticket_codes.sign(
        private_key_encrypted=encrypted,
        kind=kind,
        event_id=event.pk,
        serial=serial,
    )


def _stored_private_key(event_id: int) -> bytes | None:
    """The event's encrypted private key, or None before its first ticket: one prepared
    statement (infra.rows), as every confirmed registration of a rush asks it."""
    with planned_cursor() as cursor:
        cursor.execute(_PRIVATE_KEY_SQL(), [event_id])
        row = cursor.fetchone()
    return bytes(row[0]) if row is not None else None


@functools.cache
def _PRIVATE_KEY_SQL() -> str:  # a constant, made once the models are ready
    quote = connection.ops.quote_name
    column = quote(EventSigningKey._meta.get_field("private_key_encrypted").column)
    return f"SELECT {column} FROM {quote(EventSigningKey._meta.db_table)} WHERE event_id = %s"  # noqa: S608


def _public_key_cache_key(event_id: int) -> str:
    return f"ticket-public-key:{event_id}"


def _stored_public_key(event_id: int) -> bytes | None:
    public = (
        EventSigningKey.objects.filter(event_id=event_id)
        .values_list("public_key", flat=True)
        .first()
    )
    return bytes(public) if public is not None else None


def event_public_key(event_id: int) -> bytes | None:
    """The event's public key (cached; read from the database while the cache is down), or
    None when the event has no key."""
    cache_key = _public_key_cache_key(event_id)
    try:
        public = cache.get(cache_key)
    except (RedisError, OSError):
        return _stored_public_key(event_id)
    if public is None:
        public = _stored_public_key(event_id)
        if public is None:
            return None
        with contextlib.suppress(RedisError, OSError):
            cache.set(cache_key, public, timeout=3600)
    return public


def verify_ticket_secret(secret: str) -> ticket_codes.Claim:
    """The claim of a genuine secret; raises ticket_codes.InvalidSecret. Never writes, and
    reads the database only for an event whose key is not cached yet."""
    claim = ticket_codes.read_claim(secret)
    public = event_public_key(claim.event_id)
    if public is None:
        raise ticket_codes.InvalidSecret("unknown_event")
    return ticket_codes.verify(secret, public_key=public)


ORGANISATION_SETTINGS = (
    "name",
    "district",
    "website",
    "contact_email",
    "visitor_data_retention_days",
    "exhibitor_contacts_retention_months",
)


@transaction.atomic
def update_organisation(*, organisation, by, now: datetime, **fields):
    """Change an organisation's own settings (name, district, website, contact e-mail and
    how long visitor data is kept); the changed fields go to its audit log, old and new."""
    unknown = set(fields) - set(ORGANISATION_SETTINGS)
    if unknown:
        raise TypeError(f"not an organisation setting: {sorted(unknown)}")
    organisation = type(organisation).objects.select_for_update().get(pk=organisation.pk)
    changes = {
        name: [getattr(organisation, name), value]
        for name, value in fields.items()
        if getattr(organisation, name) != value
    }
    if not changes:
        return organisation
    for name, (_old, new) in changes.items():
        setattr(organisation, name, new)
    organisation.save(update_fields=list(changes))
    audit.record_action(
        actor=by,
        organisation=organisation,
        action="organisation_changed",
        target=organisation,
        details={"changed": changes, "at": now.isoformat()},
    )
    return organisation
