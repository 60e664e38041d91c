"""Dates and times of events as people read them, in the active language and Europe/Berlin.

`{% load event_dates %}` then `{% event_when event %}` or `{% time_range start end %}`.
"""

from datetime import date, datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

register = template.Library()


def _day(value: date | datetime, *, weekday: bool = True) -> str:
    if weekday:
        return date_format(value, pgettext("date format with weekday", "l, j F Y"))
    return date_format(value, pgettext("date format", "j F Y"))


def _time(value: datetime) -> str:
    return date_format(value, pgettext("time format", "H:i"))


def last_day(starts_at: datetime, ends_at: datetime, *, all_day: bool) -> date:
    """The last local day an event covers; an all-day end at midnight is exclusive."""
    end = timezone.localtime(ends_at)
    if all_day and end.hour == end.minute == end.second == 0 and ends_at > starts_at:
        return (end - timedelta(days=1)).date()
    return end.date()


@register.simple_tag
def event_when(event) -> str:
    """The date, and the time unless all-day, of an event; multi-day as a range."""
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    final_day = last_day(event.starts_at, event.ends_at, all_day=event.all_day)
    if event.all_day:
        if final_day <= start.date():
            return _("%(day)s (all day)") % {"day": _day(start)}
        return _("%(first)s to %(last)s") % {
            "first": _day(start, weekday=False),
            "last": _day(final_day, weekday=False),
        }
    if end.date() == start.date():
        return _("%(day)s, %(start)s–%(end)s") % {
            "day": _day(start),
            "start": _time(start),
            "end": _time(end),
        }
    return _("%(start_day)s, %(start)s to %(end_day)s, %(end)s") % {
        "start_day": _day(start, weekday=False),
        "start": _time(start),
        "end_day": _day(end, weekday=False),
        "end": _time(end),
    }


@register.simple_tag
def time_range(starts_at: datetime, ends_at: datetime) -> str:
    """A time slot or session: the times, with the day when it is not one day only."""
    start = timezone.localtime(starts_at)
    end = timezone.localtime(ends_at)
    if start.date() == end.date():
        return _("%(day)s, %(start)s–%(end)s") % {
            "day": _day(start),
            "start": _time(start),
            "end": _time(end),
        }
    return _("%(start_day)s, %(start)s to %(end_day)s, %(end)s") % {
        "start_day": _day(start, weekday=False),
        "start": _time(start),
        "end_day": _day(end, weekday=False),
        "end": _time(end),
    }


@register.simple_tag
def day_of(value: datetime) -> str:
    """A date with its weekday, e.g. for when registration opens."""
    return _day(timezone.localtime(value))


@register.simple_tag
def moment(value: datetime) -> str:
    """A date and time, e.g. for when registration closes."""
    local = timezone.localtime(value)
    return _("%(day)s, %(time)s") % {"day": _day(local), "time": _time(local)}
