"""When an event takes place, as people read it: one home for every page, mail, PDF and export.

Dates are those of Europe/Berlin, whatever the server's clock or the database's zone. The
shapes, German and English (British):

- one day with hours:        Sa., 27. Dezember 2026, 10–12 Uhr
                             Saturday 27 December 2026, 10:00–12:00
- one whole day:             Sa., 27. Dezember 2026 / Saturday 27 December 2026
- several whole days:        12.–16. Juli 2027 / 12–16 July 2027
- several days, daily hours: 12.–16. Juli 2027, täglich 9–16 Uhr
                             12–16 July 2027, daily 09:00–16:00
- several days, one stretch: 12. Juli 2027, 18 Uhr – 14. Juli 2027, 12 Uhr
                             12 July 2027, 18:00 – 14 July 2027, 12:00

An event stored from midnight to midnight (or to 23:59) is shown as whole days even when its
all-day flag was not set, so no page ever shows "00:00 – 23:59".
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import pgettext

_LAST_MINUTES = (time(23, 59), time(23, 59, 59), time(23, 59, 59, 999999))


def local(value: datetime) -> datetime:
    """An aware datetime in Europe/Berlin (the zone people read dates in)."""
    return value.astimezone(ZoneInfo(settings.TIME_ZONE))


def covers_whole_days(starts_at: datetime, ends_at: datetime, *, all_day: bool = False) -> bool:
    """True for an all-day event, and for one that runs from midnight to midnight (or 23:59)."""
    if all_day:
        return True
    start, end = local(starts_at), local(ends_at)
    return start.time() == time.min and (
        end.time() in _LAST_MINUTES or (end.time() == time.min and end.date() > start.date())
    )


def day_span(starts_at: datetime, ends_at: datetime, *, all_day: bool = False) -> tuple[date, date]:
    """The first and the last local day an event covers; an end at midnight is exclusive."""
    start, end = local(starts_at), local(ends_at)
    last = end.date()
    if end.time() == time.min and end > start:
        last -= timedelta(days=1)
    return start.date(), max(last, start.date())


def _with_weekday(day: date) -> str:
    return date_format(day, pgettext("event date with weekday", "l j F Y"))


def _full_date(day: date) -> str:
    return date_format(day, pgettext("event date", "j F Y"))


def date_range(first: date, last: date) -> str:
    """12.–16. Juli 2027, 30. Juni – 3. Juli 2027; one day with its weekday."""
    if first == last:
        return _with_weekday(first)
    if (first.year, first.month) == (last.year, last.month):
        start = date_format(first, pgettext("first day of a range in one month", "j"))
        return pgettext("date range in one month", "%(first)s–%(last)s") % {
            "first": start,
            "last": _full_date(last),
        }
    if first.year == last.year:
        start = date_format(first, pgettext("first day of a range in one year", "j F"))
    else:
        start = _full_date(first)
    return pgettext("date range", "%(first)s – %(last)s") % {
        "first": start,
        "last": _full_date(last),
    }


def _clock(value: datetime, *, on_the_hour: bool, end: bool = False) -> str:
    if on_the_hour:
        shown = date_format(value, pgettext("event time on the hour", "H:i"))
    else:
        shown = date_format(value, pgettext("event time", "H:i"))
    if end and value.time() == time.min:
        # An end at midnight closes the day before: 18–24 Uhr, 18:00–24:00 (never 0:00).
        return "24" + shown.removeprefix("00").removeprefix("0")
    return shown


def time_of_day(value: datetime, *, end: bool = False) -> str:
    """18 Uhr, 9:30 Uhr / 18:00, 09:30; an end at midnight is 24 Uhr / 24:00."""
    value = local(value)
    clock = _clock(value, on_the_hour=value.minute == 0, end=end)
    return pgettext("time of day", "%(time)s") % {"time": clock}


def hours(starts_at: datetime, ends_at: datetime) -> str:
    """10–12 Uhr, 9:30–12:00 Uhr / 10:00–12:00 (the times of day only)."""
    start, end = local(starts_at), local(ends_at)
    if start == end:
        return time_of_day(start)
    on_the_hour = start.minute == 0 and end.minute == 0
    return pgettext("hours", "%(start)s–%(end)s") % {
        "start": _clock(start, on_the_hour=on_the_hour),
        "end": _clock(end, on_the_hour=on_the_hour, end=True),
    }


def describe_span(
    starts_at: datetime, ends_at: datetime, *, all_day: bool = False, daily: bool = False
) -> str:
    """A span of time in the active language: dates, and hours unless it covers whole days."""
    first, last = day_span(starts_at, ends_at, all_day=all_day)
    if covers_whole_days(starts_at, ends_at, all_day=all_day):
        return date_range(first, last)
    if first == last:
        return pgettext("day and hours", "%(day)s, %(hours)s") % {
            "day": _with_weekday(first),
            "hours": hours(starts_at, ends_at),
        }
    if daily:
        return pgettext("days and daily hours", "%(days)s, daily %(hours)s") % {
            "days": date_range(first, last),
            "hours": hours(starts_at, ends_at),
        }
    return pgettext("start and end on different days", "%(start)s – %(end)s") % {
        "start": moment(starts_at, weekday=False),
        "end": pgettext("date and time", "%(day)s, %(time)s")
        % {"day": _full_date(last), "time": time_of_day(ends_at, end=True)},
    }


def describe_event_time(event, language: str | None = None) -> str:
    """When `event` takes place, in `language` (default: the active one); see the module doc."""
    if language:
        with translation.override(language):
            return describe_event_time(event)
    return describe_span(
        event.starts_at,
        event.ends_at,
        all_day=event.all_day,
        daily=event.has_daily_hours,
    )


def describe_event_start(event, language: str | None = None) -> str:
    """When `event` begins: its first day, with the time unless it covers whole days."""
    if language:
        with translation.override(language):
            return describe_event_start(event)
    if covers_whole_days(event.starts_at, event.ends_at, all_day=event.all_day):
        return _with_weekday(local(event.starts_at).date())
    return moment(event.starts_at)


def day(value: datetime | date) -> str:
    """A day with its weekday, e.g. when registration opens."""
    if isinstance(value, datetime):
        value = local(value).date()
    return _with_weekday(value)


def moment(value: datetime, *, weekday: bool = True) -> str:
    """A date and a time, e.g. when registration closes: Sa., 27. Dezember 2026, 18 Uhr."""
    value = local(value)
    on_day = _with_weekday(value.date()) if weekday else _full_date(value.date())
    return pgettext("date and time", "%(day)s, %(time)s") % {
        "day": on_day,
        "time": time_of_day(value),
    }
