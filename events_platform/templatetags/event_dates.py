"""Dates and times of events as people read them, in the active language and Europe/Berlin.

`{% load event_dates %}` then `{% event_when event %}` or `{% time_range start end %}`. The
formatting itself lives in `events_platform.when`, shared with mails, PDFs and exports.
"""

from datetime import datetime

from django import template

from events_platform import when

register = template.Library()


@register.simple_tag
def event_when(event) -> str:
    """The dates, and the (daily) hours unless it covers whole days, of an event."""
    return when.describe_event_time(event)


@register.simple_tag
def time_range(starts_at: datetime, ends_at: datetime) -> str:
    """A time slot or session: the day and the hours, or the two moments across days."""
    return when.describe_span(starts_at, ends_at)


@register.simple_tag
def day_of(value: datetime) -> str:
    """A date with its weekday, e.g. for when registration opens."""
    return when.day(value)


@register.simple_tag
def moment(value: datetime) -> str:
    """A date and time, e.g. for when registration closes; nothing for a missing one."""
    return when.moment(value) if value else ""


@register.simple_tag
def clock(value: datetime) -> str:
    """A time of day, e.g. an excursion's departure: 7:45 Uhr / 07:45; nothing for a missing one."""
    return when.time_of_day(value) if value else ""
