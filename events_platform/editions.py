"""Next year's edition: copy a series or a single event as a new draft on a chosen date.

The core copies its own rows (series, events, time slots, workshops, target groups; venues are
reused); the apps built on it copy theirs through `extensions.edition_copiers`, all in one
transaction. Times move by whole days in Europe/Berlin wall-clock terms, so 09:00 stays 09:00
across a change between summer and winter time. Nothing personal is copied, nor signing keys
(a new one is made on first use, events_platform/services.py `get_signing_key`).

This lives beside services.py rather than in it because it is one use case with its own
helpers (the shift, the row copier, slugs and titles) that the apps' copiers import.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from infra.errors import DomainError

from . import audit
from .errors import ErrorCode
from .extensions import edition_copiers
from .models import Event, EventSeries

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class Shift:
    """Moves datetimes and dates of one edition into the next by whole calendar days."""

    days: int

    def moved(self, value: datetime | None) -> datetime | None:
        """The same wall-clock time in Berlin, `days` later (None stays None)."""
        if value is None:
            return None
        local = timezone.localtime(value, BERLIN).replace(tzinfo=None)
        return (local + timedelta(days=self.days)).replace(tzinfo=BERLIN).astimezone(UTC)

    def moved_date(self, value: date | None) -> date | None:
        return None if value is None else value + timedelta(days=self.days)


def first_day(event: Event) -> date:
    """The event's first day in Berlin."""
    return timezone.localtime(event.starts_at, BERLIN).date()


def copy_row(obj: models.Model, shift: Shift, **overrides) -> models.Model:
    """Save a copy of `obj` with its dates moved by `shift` and `overrides` set.

    Fields that are not editable (the primary key, uids, created/updated stamps) get their
    defaults, so a copy never shares an identity with its source."""
    values = {}
    for f in obj._meta.concrete_fields:
        if f.primary_key or not f.editable or f.name in overrides:
            continue
        value = getattr(obj, f.attname)
        if isinstance(f, models.DateTimeField):
            value = shift.moved(value)
        elif isinstance(f, models.DateField):
            value = shift.moved_date(value)
        values[f.attname] = value
    values.update(overrides)
    return type(obj).objects.create(**values)


YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def next_title(title: str, *, year: int) -> str:
    """The title with its year replaced by `year` (the year appended when it names none)."""
    if not title:
        return title
    if YEAR.search(title):
        return YEAR.sub(str(year), title)
    return f"{title} {year}"


def unique_slug(model: type[models.Model], slug: str, *, year: int) -> str:
    """A slug for the copy: the year replaced (or appended), then a number until unused."""
    max_length = model._meta.get_field("slug").max_length
    base = YEAR.sub(str(year), slug) if YEAR.search(slug) else f"{slug}-{year}"
    base = base[: max_length - 4]
    candidate, number = base, 2
    while model.objects.filter(slug=candidate).exists():
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _check_day(starts_on: date | None) -> date:
    if starts_on is None:
        raise DomainError(
            _("Please choose the first day of the new edition."), ErrorCode.DATE_MISSING
        )
    return starts_on


def _copy_one(
    event: Event, shift: Shift, *, series: EventSeries | None, year: int, title_de: str = ""
) -> Event:
    copy = copy_row(
        event,
        shift,
        series=series,
        copied_from=event,
        status=Event.Status.DRAFT,
        slug=unique_slug(Event, event.slug, year=year),
        title_de=title_de or next_title(event.title_de, year=year),
        title_en=next_title(event.title_en, year=year),
    )
    copy.target_groups.set(event.target_groups.all())
    for slot in event.time_slots.all():
        copy_row(slot, shift, event=copy)
    for session in event.sessions.all():
        copy_row(session, shift, event=copy)
    edition_copiers.copy(event, copy, shift)
    return copy


@transaction.atomic
def copy_event(*, event: Event, starts_on: date, by, now: datetime, title_de: str = "") -> Event:
    """Copy one event as a new draft whose first day is `starts_on`, outside any series.

    Raises DomainError `date_missing`."""
    starts_on = _check_day(starts_on)
    shift = Shift(days=(starts_on - first_day(event)).days)
    copy = _copy_one(event, shift, series=None, year=starts_on.year, title_de=title_de)
    audit.record_action(
        actor=by,
        organisation=event.organisation,
        action="event_copied",
        target=copy,
        details={"from_event": event.pk, "days": shift.days},
    )
    return copy


@transaction.atomic
def copy_series(
    *, series: EventSeries, starts_on: date, by, now: datetime, title_de: str = ""
) -> EventSeries:
    """Copy a series and its site events (cancelled ones left out) as a new draft edition
    whose earliest site begins on `starts_on`; every site moves by the same number of days.

    Raises DomainError `date_missing` or `series_empty` (no site event to copy)."""
    starts_on = _check_day(starts_on)
    events = list(series.events.exclude(status=Event.Status.CANCELLED).order_by("starts_at", "pk"))
    if not events:
        raise DomainError(_("This series has no site event to copy."), ErrorCode.SERIES_EMPTY)
    year = starts_on.year
    shift = Shift(days=(starts_on - first_day(events[0])).days)
    copy = copy_row(
        series,
        shift,
        slug=unique_slug(EventSeries, series.slug, year=year),
        title_de=title_de or next_title(series.title_de, year=year),
        title_en=next_title(series.title_en, year=year),
    )
    for event in events:
        _copy_one(event, shift, series=copy, year=year)
    audit.record_action(
        actor=by,
        organisation=series.organisation,
        action="series_copied",
        target=copy,
        details={"from_series": series.pk, "days": shift.days, "events": len(events)},
    )
    return copy
