"""iCalendar files of public events: pure functions that take events and return bytes.

Texts come out in the active language, times in Europe/Berlin with a VTIMEZONE. There is
no METHOD property, so RFC 5545 lets DTSTAMP be the time the event was last revised: the
output then depends only on the data, and a feed's ETag can be the hash of its bytes.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Timezone
from icalendar import Event as VEvent

from . import when
from .models import Event

PRODUCT_ID = "-//events_platform//Veranstaltungskalender//DE"
# Calendar apps poll a subscribed feed about this often.
REFRESH_INTERVAL = timedelta(hours=6)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _site_url(site_url: str | None) -> str:
    return (site_url or settings.SITE_URL).rstrip("/")


def event_uid(event: Event, *, site_url: str | None = None) -> str:
    """The event's calendar UID: its stored uuid at the site's host, never its title."""
    host = urlsplit(_site_url(site_url)).hostname or "localhost"
    return f"{event.uid}@{host}"


WHOLE_DAYS, DAILY, STRETCH = "whole_days", "daily", "stretch"


def add_times(
    vevent: VEvent, *, starts_at: datetime, ends_at: datetime, all_day: bool, daily: bool
) -> str:
    """Set DTSTART, DTEND (and RRULE) of `vevent`; return its shape (WHOLE_DAYS, DAILY, ...).

    Whole days are DATE values with the exclusive end iCalendar wants (never midnight times,
    which calendar apps shift when the viewer is in another zone). Daily hours are one event
    repeated daily, not one event per day: calendar apps (Google, Apple, Outlook,
    Thunderbird) show each day's block with its hours, keep the days together as one entry
    with one UID, and replace or cancel every day at once when the file is imported again.
    """
    zone = _zone()
    transp = "OPAQUE"
    if when.covers_whole_days(starts_at, ends_at, all_day=all_day):
        first, last = when.day_span(starts_at, ends_at, all_day=True)
        vevent.add("dtstart", first)
        vevent.add("dtend", last + timedelta(days=1))
        shape, transp = WHOLE_DAYS, "TRANSPARENT"
    elif daily:
        first, last = starts_at.astimezone(zone), ends_at.astimezone(zone)
        vevent.add("dtstart", first)
        vevent.add("dtend", datetime.combine(first.date(), last.time(), tzinfo=zone))
        vevent.add("rrule", {"freq": "daily", "count": (last.date() - first.date()).days + 1})
        shape = DAILY
    else:
        vevent.add("dtstart", starts_at.astimezone(zone))
        vevent.add("dtend", ends_at.astimezone(zone))
        shape = STRETCH
    vevent.add("transp", transp)
    return shape


def _location(event: Event) -> str:
    venue = event.venue
    return ", ".join(part for part in [venue.name, venue.address] if part)


def _alarm(*, trigger: timedelta, description: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", trigger)
    alarm.add("description", description)
    return alarm


def _vevent(event: Event, *, site_url: str) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", event_uid(event, site_url=site_url))
    vevent.add("dtstamp", event.updated_at.astimezone(ZoneInfo("UTC")))
    vevent.add("created", event.created_at.astimezone(ZoneInfo("UTC")))
    vevent.add("last-modified", event.updated_at.astimezone(ZoneInfo("UTC")))
    # Calendar apps replace an imported event only by a higher SEQUENCE. The event has no
    # revision counter; seconds between creation and the last save only ever grow.
    vevent.add("sequence", max(int((event.updated_at - event.created_at).total_seconds()), 0))
    title = event.title
    if event.is_cancelled:
        title = _("Cancelled: %(title)s") % {"title": title}
    vevent.add("summary", title)
    url = _site_url(site_url) + event.get_absolute_url()
    description = "\n\n".join(part for part in [event.description, url] if part)
    vevent.add("description", description)
    vevent.add("url", url)
    vevent.add("location", _location(event))
    if event.venue.latitude is not None and event.venue.longitude is not None:
        vevent.add("geo", (float(event.venue.latitude), float(event.venue.longitude)))
    vevent.add("categories", [str(event.get_kind_display())])
    vevent.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    reminder = _("Reminder: %(title)s") % {"title": event.title}
    shape = add_times(
        vevent,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        all_day=event.all_day,
        daily=event.has_daily_hours,
    )
    if shape == WHOLE_DAYS:
        # The start of an all-day event is midnight: remind at 09:00 the day before.
        vevent.add_component(_alarm(trigger=timedelta(hours=-15), description=reminder))
    elif shape == DAILY:
        # Only the two-hours alarm: a day-before alarm would ring on every day of the camp.
        vevent.add_component(_alarm(trigger=timedelta(hours=-2), description=reminder))
    else:
        vevent.add_component(_alarm(trigger=timedelta(days=-1), description=reminder))
        vevent.add_component(_alarm(trigger=timedelta(hours=-2), description=reminder))
    return vevent


@lru_cache(maxsize=16)
def _vtimezone(zone_name: str, first_date: date, last_date: date) -> Timezone:
    # Building the transitions takes a while; the component is never changed once made.
    return Timezone.from_tzid(zone_name, first_date=first_date, last_date=last_date)


def _years(events: list[Event]) -> tuple[date, date]:
    return _span_years([e.starts_at for e in events] + [e.ends_at for e in events])


def _span_years(moments: list[datetime]) -> tuple[date, date]:
    zone = _zone()
    years = [moment.astimezone(zone).year for moment in moments]
    this_year = timezone.localdate().year
    return date(min(years, default=this_year) - 1, 1, 1), date(
        max(years, default=this_year) + 2, 1, 1
    )


def site_vtimezone(moments: list[datetime]) -> Timezone:
    """The VTIMEZONE every calendar of the platform carries, for the years of `moments`.

    Only the years needed: icalendar's default (1970 to 2038 as dates) is read an hour off
    in summer by some parsers (vobject among them).
    """
    first_date, last_date = _span_years(moments)
    return _vtimezone(settings.TIME_ZONE, first_date, last_date)


def calendar_bytes(
    events: Iterable[Event],
    *,
    name: str,
    description: str = "",
    site_url: str | None = None,
    feed: bool = True,
) -> bytes:
    """A calendar of the given events named `name`, in the active language, as .ics bytes."""
    events = list(events)
    site_url = _site_url(site_url)
    zone_name = settings.TIME_ZONE
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", zone_name)
    if description:
        cal.add("description", description)
        cal.add("x-wr-caldesc", description)
    if feed:
        cal.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", REFRESH_INTERVAL)
    first_date, last_date = _years(events)
    # Always one VTIMEZONE, even for a feed of all-day events only, so a client that
    # honours X-WR-TIMEZONE has its definition at hand.
    cal.add_component(_vtimezone(zone_name, first_date, last_date))
    for event in events:
        cal.add_component(_vevent(event, site_url=site_url))
    cal.add_missing_timezones(first_date=first_date, last_date=last_date)
    return cal.to_ical()


def event_bytes(event: Event, *, site_url: str | None = None) -> bytes:
    """One event as an .ics file to import, in the active language."""
    return calendar_bytes([event], name=event.title, site_url=site_url, feed=False)
