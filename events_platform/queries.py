"""Read-side selections of the public calendar."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from .extensions import places_taken, session_places_taken, slot_places_taken
from .models import Event, EventSeries, TargetGroup, Venue


@dataclass(frozen=True)
class EventFilter:
    """The filters of the public calendar; every field is optional."""

    town: str = ""
    kind: str = ""
    target_group: str = ""
    date_from: date | None = None
    date_to: date | None = None
    series: str = ""
    query: str = ""


def public_events() -> QuerySet:
    """Events visitors may see: published or cancelled (so a cancellation is visible)."""
    return (
        Event.objects.published()
        .select_related("venue", "series", "organisation")
        .prefetch_related("target_groups")
    )


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filter_public_events(filters: EventFilter, *, now: datetime | None = None) -> QuerySet:
    """Public events matching the filters; without dates, those not yet over."""
    events = public_events()
    if filters.town:
        events = events.filter(venue__town__iexact=filters.town)
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.target_group:
        events = events.filter(target_groups__slug=filters.target_group)
    if filters.series:
        events = events.filter(series__slug=filters.series)
    if filters.query:
        events = events.filter(
            Q(title_de__icontains=filters.query)
            | Q(title_en__icontains=filters.query)
            | Q(description_de__icontains=filters.query)
            | Q(description_en__icontains=filters.query)
            | Q(venue__town__icontains=filters.query)
            | Q(venue__name__icontains=filters.query)
        )
    if filters.date_from:
        events = events.filter(ends_at__gte=_local_midnight(filters.date_from))
    elif not filters.date_to:
        events = events.upcoming(now)
    if filters.date_to:
        events = events.filter(starts_at__lt=_local_midnight(filters.date_to + timedelta(days=1)))
    return events.distinct().order_by("starts_at", "venue__town")


def next_events(*, limit: int = 6, now: datetime | None = None) -> list[Event]:
    """The next published events for the home page, cancelled ones left out."""
    return list(
        public_events()
        .filter(status=Event.Status.PUBLISHED)
        .upcoming(now)
        .order_by("starts_at", "venue__town")[:limit]
    )


def public_towns() -> list[str]:
    """Towns that have at least one public event."""
    return list(
        Venue.objects.filter(events__status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])
        .values_list("town", flat=True)
        .distinct()
        .order_by("town")
    )


def public_target_groups() -> QuerySet:
    """Target groups used by at least one public event."""
    return TargetGroup.objects.filter(
        events__status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED]
    ).distinct()


def public_series() -> QuerySet:
    """Series with at least one public event."""
    return EventSeries.objects.filter(
        events__status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED]
    ).distinct()


def series_events(series: EventSeries) -> QuerySet:
    """The public events of a series, side by side by town."""
    return public_events().filter(series=series).order_by("starts_at", "venue__town")


def next_series(*, kind: str = Event.Kind.RETURNEE_DAY, now: datetime | None = None):
    """The series of the given kind whose next published event comes first, or None."""
    event = (
        public_events()
        .filter(status=Event.Status.PUBLISHED, kind=kind, series__isnull=False)
        .upcoming(now)
        .order_by("starts_at")
        .first()
    )
    return event.series if event else None


class RegistrationState:
    """Where an event's registration window stands, as the public pages show it."""

    NOT_REQUIRED = "not_required"
    NOT_YET_OPEN = "not_yet_open"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


def registration_state(event: Event, *, now: datetime | None = None) -> str:
    """The state of the event's registration window (a RegistrationState value)."""
    now = now or timezone.now()
    if event.is_cancelled:
        return RegistrationState.CANCELLED
    if not event.registration_required:
        return RegistrationState.NOT_REQUIRED
    if event.registration_opens_at and now < event.registration_opens_at:
        return RegistrationState.NOT_YET_OPEN
    if event.registration_is_open(now):
        return RegistrationState.OPEN
    return RegistrationState.CLOSED


def places_left(events: Iterable[Event]) -> dict[int, int | None]:
    """Free places per event id: None without a capacity, else capacity minus places taken."""
    events = list(events)
    taken = places_taken.count([e.pk for e in events])
    return {
        e.pk: None if e.capacity is None else max(e.capacity - taken.get(e.pk, 0), 0)
        for e in events
    }


def mark_part_places_left(event: Event) -> None:
    """Set `places_left` (None without a capacity) on each time slot and workshop of
    `event`, as its page lists them (prefetched)."""
    for parts, registry in (
        (list(event.time_slots.all()), slot_places_taken),
        (list(event.sessions.all()), session_places_taken),
    ):
        taken = registry.count([part.pk for part in parts]) if parts else {}
        for part in parts:
            part.places_left = (
                None if part.capacity is None else max(part.capacity - taken.get(part.pk, 0), 0)
            )


# --- What needs the organiser now (the workspace's start page) ----------------------------


def registration_windows_soon(
    organisation, *, now: datetime, within: timedelta = timedelta(days=7)
) -> list[tuple[Event, str, datetime]]:
    """(event, "opens" or "closes", when) for the organisation's events (drafts too: they
    still need publishing) whose registration opens or closes within `within`, soonest
    first. Cancelled events and events without registration are left out."""
    events = (
        Event.objects.filter(organisation=organisation, registration_required=True)
        .exclude(status=Event.Status.CANCELLED)
        .filter(
            Q(registration_opens_at__gt=now, registration_opens_at__lte=now + within)
            | Q(registration_closes_at__gt=now, registration_closes_at__lte=now + within)
        )
        .select_related("venue")
    )
    rows = []
    for event in events:
        opens, closes = event.registration_opens_at, event.registration_closes_at
        if opens and now < opens <= now + within:
            rows.append((event, "opens", opens))
        elif closes and now < closes <= now + within:
            rows.append((event, "closes", closes))
    return sorted(rows, key=lambda row: (row[2], row[0].pk))


def events_today(organisation, *, now: datetime) -> QuerySet:
    """The organisation's published events that run on today's local date (a camp on each
    of its days), by start and town: today's doors."""
    today = timezone.localtime(now).date()
    return (
        Event.objects.filter(
            organisation=organisation,
            status=Event.Status.PUBLISHED,
            starts_at__lt=_local_midnight(today + timedelta(days=1)),
            ends_at__gt=_local_midnight(today),
        )
        .select_related("venue")
        .order_by("starts_at", "venue__town")
    )


def start_of_day(moment: datetime) -> datetime:
    """Midnight (Berlin) of the moment's day."""
    return timezone.make_aware(datetime.combine(timezone.localdate(moment), time.min))


def coming_first(events: QuerySet, *, now: datetime) -> QuerySet:
    """Events on today and to come first, the next first; then those that ended before today,
    the latest first (an organiser's lists: what is next, not what was five years ago)."""
    from django.db.models import Case, F, IntegerField, Value, When

    today = start_of_day(now)
    over = When(ends_at__lt=today, then=Value(1))
    return events.annotate(
        is_over=Case(over, default=Value(0), output_field=IntegerField())
    ).order_by(
        "is_over",
        Case(When(is_over=0, then=F("starts_at"))).asc(),
        Case(When(is_over=1, then=F("starts_at"))).desc(),
        "pk",
    )
