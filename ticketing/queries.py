"""Read-side selections of the visitor side: places left, settings, tickets, lists."""

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from events_platform import queries as core_queries
from events_platform import services as core_services
from events_platform import ticket_codes
from events_platform.models import Event, Session, TimeSlot
from infra.errors import DomainError
from infra.rows import RowReader, planned_cursor

from . import ages, counters
from .errors import ErrorCode
from .models import (
    PlaceCounter,
    Question,
    Registration,
    RegistrationSettings,
    Ticket,
    VisitorFeed,
)

ACTIVE = (
    Registration.Status.CONFIRMED,
    Registration.Status.PENDING_GUARDIAN,
    Registration.Status.WAITLISTED,
    Registration.Status.OFFERED,
)


State = core_queries.RegistrationState


def registration_state(event: Event, *, now: datetime | None = None) -> str:
    """The state of the event's registration window (a core RegistrationState value)."""
    return core_queries.registration_state(event, now=now)


def event_for_registration(slug: str) -> Event | None:
    """A public event to register for, with its registration settings, its place counter,
    and whether it has a fair, questions and time slots (kept on the event for
    `has_exhibitors`, `event_questions` and `slots_are_choices`, so registering asks each
    once). None when there is no such event.

    One statement, its text made once, its row read by `infra.rows.RowReader`: composing the
    ORM's query with its join cost three times as much as running it, on every attempt of a
    rush (tests/ticketing/test_event_for_registration.py compares the result with the ORM's)."""
    with planned_cursor() as cursor:
        cursor.execute(_EVENT_FOR_REGISTRATION_SQL(), [slug, *Event.PUBLIC_STATUSES])
        row = cursor.fetchone()
    if row is None:
        return None
    events, settings, counter_rows = _EVENT_ROWS, _SETTINGS_ROWS, counters.ROWS
    event = events.instance(row[: len(events)], connection.alias)
    at = len(events)
    settings_row, at = row[at : at + len(settings)], at + len(settings)
    found = None
    if settings_row[0] is not None:  # its primary key: the organiser saved settings
        found = settings.instance(settings_row, connection.alias)
        found._state.fields_cache["event"] = event
    Event.registration_settings.related.set_cached_value(event, found)
    counter_row = row[at : at + len(counter_rows)]
    # The event's place counter as read now (not locked; `take` decides): registering for
    # the event as a whole reads no other (services._parts, once).
    event._place_counter = (
        counter_rows.instance(counter_row, connection.alias) if counter_row[0] is not None else None
    )
    event._has_fair, event._has_questions, event._has_time_slots = map(bool, row[-3:])
    return event


_EVENT_ROWS = RowReader(Event)
_SETTINGS_ROWS = RowReader(RegistrationSettings)


@functools.cache
def _EVENT_FOR_REGISTRATION_SQL() -> str:  # a constant, made once the models are ready
    quote = connection.ops.quote_name
    columns = (
        _EVENT_ROWS.columns(quote, "e")
        + _SETTINGS_ROWS.columns(quote, "s")
        + counters.ROWS.columns(quote, "c")
    )
    flags = (
        Event._meta.get_field("fair").related_model._meta.db_table,
        Question._meta.db_table,
        TimeSlot._meta.db_table,
    )
    columns += [
        f"EXISTS (SELECT 1 FROM {quote(table)} WHERE event_id = e.id)"  # noqa: S608
        for table in flags
    ]
    statuses = ", ".join(["%s"] * len(Event.PUBLIC_STATUSES))
    # Names from the models; the slug and the statuses are parameters.
    return (
        f"SELECT {', '.join(columns)} FROM {quote(Event._meta.db_table)} e "  # noqa: S608
        f"LEFT JOIN {quote(RegistrationSettings._meta.db_table)} s ON s.event_id = e.id "
        f"LEFT JOIN {quote(PlaceCounter._meta.db_table)} c ON c.event_id = e.id "
        "AND c.time_slot_id IS NULL AND c.session_id IS NULL "
        f"WHERE e.slug = %s AND e.status IN ({statuses})"
    )


# What else a registration asks on every attempt of a rush, each in one prepared statement
# whose text is made once (infra.rows); tests/ticketing/test_registration_queries.py compares
# each with the ORM's answer on both databases.


def chosen_time_slot(event: Event, time_slot_id: int) -> TimeSlot | None:
    """The event's time slot with this id, or None."""
    with planned_cursor() as cursor:
        cursor.execute(_statements().time_slot, [event.pk, time_slot_id])
        row = cursor.fetchone()
    return _SLOT_ROWS.instance(row, connection.alias) if row is not None else None


def chosen_sessions(event: Event, session_ids) -> list[Session]:
    """The event's workshops among these ids, in the workshops' order (Session.Meta)."""
    wanted = sorted(set(session_ids))
    if not wanted:
        return []
    statements = _statements()
    with planned_cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement text for any number of ids (not one prepared per count).
            cursor.execute(statements.sessions.format("= ANY(%s)"), [event.pk, wanted])
        else:
            marks = ", ".join(["%s"] * len(wanted))
            cursor.execute(statements.sessions.format(f"IN ({marks})"), [event.pk, *wanted])
        return [_SESSION_ROWS.instance(row, connection.alias) for row in cursor.fetchall()]


def has_active_registration(event: Event, *, email: str, name: str) -> bool:
    """Whether this person (address, and name in any case) holds an active registration for
    the event that is not a school class's: what the unique index
    registration_one_active_per_person refuses, asked through that index."""
    with planned_cursor() as cursor:
        cursor.execute(_statements().active, [event.pk, email, name])
        return cursor.fetchone() is not None


def someone_waits(event: Event) -> bool:
    """Whether anyone is on the event's waiting list."""
    with planned_cursor() as cursor:
        cursor.execute(_statements().waiting, [event.pk, Registration.Status.WAITLISTED])
        return cursor.fetchone() is not None


_SLOT_ROWS = RowReader(TimeSlot)
_SESSION_ROWS = RowReader(Session)


@dataclass(frozen=True)
class _Statements:
    time_slot: str
    sessions: str  # with {} for the condition on the ids
    active: str
    waiting: str


@functools.cache
def _statements() -> _Statements:  # constants, made once the models are ready
    quote = connection.ops.quote_name
    slots, sessions = quote(TimeSlot._meta.db_table), quote(Session._meta.db_table)
    registrations = quote(Registration._meta.db_table)
    order = ", ".join(
        f"s.{quote(Session._meta.get_field(name.lstrip('-')).column)}"
        + (" DESC" if name.startswith("-") else "")
        for name in Session._meta.ordering
    )
    select_sessions = (
        f"SELECT {', '.join(_SESSION_ROWS.columns(quote, 's'))} FROM {sessions} s "  # noqa: S608
        "WHERE s.event_id = %s AND s.id {} ORDER BY " + order
    )
    # The index's own condition, written out (constants of the code, not input): so the
    # planner may use that partial index also in the plan it keeps for any parameters.
    statuses = ", ".join(f"'{status}'" for status in ACTIVE)
    index_condition = (
        f"status IN ({statuses}) AND kind <> '{Registration.Kind.SCHOOL_CLASS}' AND email <> ''"
    )
    return _Statements(
        time_slot=(
            f"SELECT {', '.join(_SLOT_ROWS.columns(quote, 't'))} FROM {slots} t "  # noqa: S608
            "WHERE t.event_id = %s AND t.id = %s"
        ),
        sessions=select_sessions,
        # The unique index compares the name in lower case (LOWER is the same on both
        # databases for the ASCII letters, as iexact is on SQLite).
        active=(
            f"SELECT 1 FROM {registrations} WHERE event_id = %s AND email = %s "  # noqa: S608
            f"AND LOWER(name) = LOWER(%s) AND {index_condition} LIMIT 1"
        ),
        waiting=(
            f"SELECT 1 FROM {registrations} WHERE event_id = %s AND status = %s LIMIT 1"  # noqa: S608
        ),
    )


def settings_for(event: Event) -> RegistrationSettings:
    """The event's registration settings (defaults when the organiser set none)."""
    try:
        return event.registration_settings
    except RegistrationSettings.DoesNotExist:
        return RegistrationSettings(event=event)


def offer_hours(event: Event) -> int:
    """How long a waiting-list offer stays open for this event."""
    return settings_for(event).offer_hours


def privacy_text_version(event: Event) -> str:
    """The version of the privacy notice people agree to when registering for `event`."""
    return settings_for(event).privacy_text_version


def school_classes_allowed(event: Event) -> bool:
    """True when teachers may register whole classes (apprenticeship fairs by default)."""
    allowed = settings_for(event).allow_school_classes
    return event.kind == Event.Kind.APPRENTICESHIP_FAIR if allowed is None else allowed


def guardian_required(event: Event, birth_date: date | None) -> bool:
    """True when a participant born on `birth_date` needs a guardian's confirmation."""
    limit = settings_for(event).guardian_required_under
    if limit is None:
        limit = ages.AGE_OF_MAJORITY if event.kind == Event.Kind.CAMP else 0
    if not limit:
        return False
    if birth_date is None:
        return True
    return ages.age_at_event(birth_date, event) < limit


# Event kinds where companies present themselves; other kinds have exhibitors only when a
# fair (stand plan, bookings) is attached to the event.
EXHIBITOR_KINDS = (Event.Kind.RETURNEE_DAY, Event.Kind.APPRENTICESHIP_FAIR)


def has_exhibitors(event: Event) -> bool:
    """True when the event has exhibitors, so visitors may agree to share their contact
    details with them. The one rule for every form, page, mail and API field that asks."""
    if event.kind in EXHIBITOR_KINDS:
        return True
    known = getattr(event, "_has_fair", None)  # read with the event (event_for_registration)
    if known is not None:
        return known
    return Event.objects.filter(pk=event.pk, fair__isnull=False).exists()


# Kinds whose visitors are asked where they come from (the funders' postcode areas).
POSTCODE_KINDS = (Event.Kind.RETURNEE_DAY, Event.Kind.APPRENTICESHIP_FAIR)


def asks_postcode(event: Event, kind: str = Registration.Kind.INDIVIDUAL) -> bool:
    """True when a registration of this kind for `event` is asked for the visitor's postcode
    (optional): individual visitors of returnee days and fairs. Not camps' children, school
    classes, excursions or events a parent registers a child for. The one rule for the
    form, the edit page and the API."""
    return (
        event.kind in POSTCODE_KINDS
        and kind == Registration.Kind.INDIVIDUAL
        and not registered_by_parent(event)
    )


def registered_by_parent(event: Event) -> bool:
    """True when a parent or guardian fills in the registration for a child (camps, and
    events whose participants are all minors)."""
    return event.kind == Event.Kind.CAMP or (
        event.max_age is not None and event.max_age < ages.AGE_OF_MAJORITY
    )


def for_child(registration: Registration) -> bool:
    """True when a parent registered this participant, so texts address the parent."""
    return registration.kind == Registration.Kind.CAMP_PARTICIPANT and registered_by_parent(
        registration.event
    )


def photos_asked(event: Event, kind: str, birth_date: date | None) -> bool:
    """True when a registration of `kind` asks for photo consent on its form (and so on
    its change page): everywhere but for a minor who registers themselves and needs a
    guardian's confirmation; that photo consent is the guardian's, on the confirmation
    page. A parent who registers their child gives it for the child on the form."""
    if kind != Registration.Kind.CAMP_PARTICIPANT:
        return True
    return registered_by_parent(event) or not guardian_required(event, birth_date)


def guardian_holds_manage_link(registration: Registration) -> bool:
    """True when the parent or guardian who confirms also has the registration's own link
    (its ticket page): the mails with that link go to the registration's address, and that
    is the guardian's when a parent registered their child. A participant who registered
    with someone else as guardian keeps the link to themselves."""
    guardian = registration.guardian_email.strip().lower()
    return bool(guardian) and guardian == registration.email.strip().lower()


def slots_are_choices(event: Event) -> bool:
    """True when registrants pick one time slot; a camp's slots are its days, for everyone."""
    if event.slots_are_days:
        return False
    known = getattr(event, "_has_time_slots", None)  # read with the event
    return known if known is not None else event.time_slots.exists()


def event_questions(event: Event) -> QuerySet:
    """The organiser's questions for `event`, in order."""
    return Question.objects.filter(event=event).order_by("position", "pk")


def persons_held(event: Event) -> int:
    """Persons holding a place at `event` (confirmed, awaiting a guardian, or offered), as
    its place counter says."""
    return counters.held([event.pk]).get(event.pk, 0)


def persons_held_by_event(event_ids: list[int]) -> dict[int, int]:
    """Persons holding places per event id (the core's places-left counter)."""
    return counters.held(event_ids)


def persons_held_by_slot(slot_ids: list[int]) -> dict[int, int]:
    """Persons holding places per time slot id (the core's places left per slot)."""
    return counters.held_per(TimeSlot, None, slot_ids)


def persons_held_by_session(session_ids: list[int]) -> dict[int, int]:
    """Persons holding places per workshop id (the core's places left per workshop)."""
    return counters.held_per(Session, None, session_ids)


def places_left(event: Event) -> int | None:
    """Free places (None: no limit)."""
    if event.capacity is None:
        return None
    return max(event.capacity - persons_held(event), 0)


def waiting_count(event: Event) -> int:
    """People on the waiting list of `event`."""
    return event.registrations.filter(status=Registration.Status.WAITLISTED).count()


def slot_places(event: Event) -> list[tuple]:
    """(time slot, places left or None) for each slot of `event`."""
    slots = list(event.time_slots.all())
    held = counters.held_per(TimeSlot, event.pk, [slot.pk for slot in slots])
    return [
        (slot, None if slot.capacity is None else max(slot.capacity - held.get(slot.pk, 0), 0))
        for slot in slots
    ]


def session_places(event: Event) -> list[tuple]:
    """(session, places left or None) for each session of `event`."""
    sessions = list(event.sessions.all())
    held = counters.held_per(Session, event.pk, [session.pk for session in sessions])
    return [
        (
            session,
            None
            if session.capacity is None
            else max(session.capacity - held.get(session.pk, 0), 0),
        )
        for session in sessions
    ]


def changeable_parts(registration: Registration) -> set[str]:
    """What its holder may change of an active registration: "size" (a school class's pupils
    and adults), "slot" and "sessions" (workshops). Empty when nothing can be changed."""
    if not registration.is_active:
        return set()
    event = registration.event
    parts = set()
    if registration.kind == Registration.Kind.SCHOOL_CLASS:
        parts.add("size")
    if slots_are_choices(event):
        parts.add("slot")
    if event.sessions.exists():
        parts.add("sessions")
    return parts


def registration_by_token(token: str) -> Registration | None:
    """The registration behind a secret self-service link, or None."""
    if not token:
        return None
    return (
        Registration.objects.select_related("event__venue", "time_slot")
        .filter(manage_token=token)
        .first()
    )


def valid_ticket(registration: Registration) -> Ticket | None:
    """The registration's valid ticket, or None (from its prefetched tickets if it has)."""
    prefetched = getattr(registration, "_prefetched_objects_cache", {}).get("tickets")
    if prefetched is not None:
        return next((t for t in prefetched if t.status == Ticket.Status.VALID), None)
    return registration.tickets.filter(status=Ticket.Status.VALID).first()


def ticket_by_serial(serial: int) -> Ticket | None:
    """The ticket with this serial (any status), with its event and registration."""
    return (
        Ticket.objects.select_related("event__venue", "registration").filter(serial=serial).first()
    )


def ticket_for_secret(secret: str) -> Ticket:
    """The valid ticket a scanned secret stands for.

    Raises DomainError invalid_ticket (forged, altered, unreadable), unknown_ticket, or
    ticket_revoked (genuine signature, but cancelled).
    """
    try:
        claim = core_services.verify_ticket_secret(secret)
    except ticket_codes.InvalidSecret:
        raise DomainError(_("This is not a valid ticket."), ErrorCode.INVALID_TICKET) from None
    ticket = ticket_by_serial(claim.serial) if claim.kind == ticket_codes.Kind.TICKET else None
    if ticket is None or ticket.event_id != claim.event_id:
        raise DomainError(_("This ticket is not known."), ErrorCode.UNKNOWN_TICKET)
    # Base32 leaves one spare bit in the last character: two texts can carry the same
    # bytes. Only the exact text we issued counts.
    if "".join(secret.split()).upper() != ticket.secret:
        raise DomainError(_("This is not a valid ticket."), ErrorCode.INVALID_TICKET)
    if not ticket.is_valid or ticket.registration.status != Registration.Status.CONFIRMED:
        raise DomainError(_("This ticket has been cancelled."), ErrorCode.TICKET_REVOKED)
    return ticket


def feed_for_email(email: str) -> VisitorFeed | None:
    """The personal calendar feed of an e-mail address, or None."""
    return VisitorFeed.objects.filter(email=email.strip().lower()).first()


def feed_registrations(feed: VisitorFeed) -> QuerySet:
    """Confirmed registrations of the feed's e-mail address, with their events."""
    return (
        Registration.objects.filter(email=feed.email, status=Registration.Status.CONFIRMED)
        .select_related("event__venue")
        .order_by("event__starts_at")
    )


@dataclass
class RegistrationFilter:
    """What an organiser narrows a list of registrations by."""

    query: str = ""
    status: str = ""
    time_slot: int | None = None
    session: int | None = None


def event_registrations(event: Event, filters: RegistrationFilter | None = None) -> QuerySet:
    """The registrations of `event` (for its organiser), filtered."""
    filters = filters or RegistrationFilter()
    registrations = (
        Registration.objects.filter(event=event)
        .select_related("time_slot")
        .prefetch_related("sessions")
        .order_by("created_at", "pk")
    )
    if filters.query:
        registrations = registrations.filter(
            Q(name__icontains=filters.query)
            | Q(email__icontains=filters.query)
            | Q(school__icontains=filters.query)
        )
    if filters.status:
        registrations = registrations.filter(status=filters.status)
    if filters.time_slot:
        registrations = registrations.filter(time_slot_id=filters.time_slot)
    if filters.session:
        registrations = registrations.filter(sessions__pk=filters.session)
    return registrations


def counts_per_site(events: QuerySet) -> list[dict]:
    """Per event (site): persons confirmed, reserved, waiting, and capacity, by date and town."""
    rows = events.select_related("venue").annotate(
        confirmed=Sum(
            "registrations__headcount",
            filter=Q(registrations__status=Registration.Status.CONFIRMED),
        ),
        pending=Sum(
            "registrations__headcount",
            filter=Q(
                registrations__status__in=[
                    Registration.Status.PENDING_GUARDIAN,
                    Registration.Status.OFFERED,
                ]
            ),
        ),
        waiting=Sum(
            "registrations__headcount",
            filter=Q(registrations__status=Registration.Status.WAITLISTED),
        ),
    )
    return [
        {
            "event": event,
            "town": event.venue.town,
            "confirmed": event.confirmed or 0,
            "pending": event.pending or 0,
            "waiting": event.waiting or 0,
            "capacity": event.capacity,
        }
        for event in rows.order_by("starts_at", "venue__town")
    ]


# --- What needs the organiser now (the workspace's start page) ----------------------------


def waiting_lists_with_free_places(organisation, *, now: datetime) -> list[tuple]:
    """(event, persons waiting, free places or None for no limit) for the organisation's
    events not yet over whose waiting list is not empty while places are free."""
    events = (
        Event.objects.filter(organisation=organisation, ends_at__gte=now)
        .annotate(
            waiting=Sum(
                "registrations__headcount",
                filter=Q(registrations__status=Registration.Status.WAITLISTED),
            )
        )
        .filter(waiting__gt=0)
        .select_related("venue")
        .order_by("starts_at", "pk")
    )
    rows = []
    for event in events:
        free = places_left(event)
        if free is None or free > 0:
            rows.append((event, event.waiting, free))
    return rows


def guardian_confirmations_running_out(
    organisation, *, now: datetime, within: timedelta = timedelta(hours=24)
) -> list[tuple]:
    """(event, children, earliest deadline) for the organisation's events where a parent or
    guardian has not yet confirmed a child's place and the deadline ends within `within`
    (then the place is released)."""
    rows = (
        Registration.objects.filter(
            event__organisation=organisation,
            status=Registration.Status.PENDING_GUARDIAN,
            guardian_deadline__gt=now,
            guardian_deadline__lte=now + within,
        )
        .values("event")
        .annotate(children=Count("pk"), first_deadline=Min("guardian_deadline"))
        .order_by("first_deadline")
    )
    events = Event.objects.select_related("venue").in_bulk([row["event"] for row in rows])
    return [(events[row["event"]], row["children"], row["first_deadline"]) for row in rows]
