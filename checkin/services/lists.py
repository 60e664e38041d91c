"""Check-in lists: what a scanner admits against, made on first use (one per day of a
multi-day camp)."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from checkin.models import DOORS_OPEN_EARLY, CheckinList
from events_platform.models import Event

DOORS_CLOSE_LATE = timedelta(hours=2)


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
