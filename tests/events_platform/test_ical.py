"""Calendar files and feeds, each read back by an independent parser (vobject)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from django.urls import reverse
from django.utils import timezone

from events_platform.models import Event
from tests.factories import EventFactory, EventSeriesFactory, VenueFactory

BERLIN = ZoneInfo("Europe/Berlin")

pytestmark = pytest.mark.django_db


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def fetch(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response


def parse(response):
    """The calendar read by vobject, which shares no code with icalendar.

    vobject keeps the first VTIMEZONE it meets per TZID for the rest of the process; a file
    read earlier (another test's winter-only zone) would then stand in for this file's own.
    Forgetting them makes each file be read with the zone it carries.
    """
    registry = vobject.icalendar.__dict__["__tzidMap"]
    for tzid in [key for key in registry if key != "UTC"]:
        del registry[tzid]
    return vobject.readOne(response.content.decode("utf-8"))


def vevents(cal) -> list:
    return list(getattr(cal, "vevent_list", []))


def by_uid(cal) -> dict:
    return {vevent.uid.value: vevent for vevent in vevents(cal)}


def event_file(client, event, **kwargs):
    url = reverse("ical-event", kwargs={"slug": event.slug})
    return parse(fetch(client, url, **kwargs))


def test_single_event_file_has_times_in_berlin_and_stable_uid(client, settings):
    settings.SITE_URL = "https://veranstaltungen.example.org"
    event = EventFactory(
        title_de="Rückkehrertag Torgau",
        starts_at=berlin(2026, 7, 4, 10, 0),
        ends_at=berlin(2026, 7, 4, 15, 30),
        venue__name="Kulturbastion",
        venue__street="Kirchstraße 2",
        venue__postcode="04860",
        venue__town="Torgau",
        venue__latitude=Decimal("51.560000"),
        venue__longitude=Decimal("13.005000"),
    )
    response = fetch(client, reverse("ical-event", kwargs={"slug": event.slug}))
    assert response["Content-Disposition"].startswith("attachment")
    assert f"{event.slug}.ics" in response["Content-Disposition"]
    assert "max-age" in response["Cache-Control"]
    raw = response.content.decode()
    assert "DTSTART;TZID=Europe/Berlin:20260704T100000" in raw
    assert "BEGIN:VTIMEZONE" in raw and "TZID:Europe/Berlin" in raw

    cal = parse(response)
    assert cal.contents["x-wr-calname"][0].value == "Rückkehrertag Torgau"
    assert cal.contents["x-wr-timezone"][0].value == "Europe/Berlin"
    [vevent] = vevents(cal)
    assert vevent.uid.value == f"{event.uid}@veranstaltungen.example.org"
    assert vevent.summary.value == "Rückkehrertag Torgau"
    start, end = vevent.dtstart.value, vevent.dtend.value
    assert start == berlin(2026, 7, 4, 10, 0) and end == berlin(2026, 7, 4, 15, 30)
    assert start.astimezone(BERLIN).strftime("%H:%M %Z") == "10:00 CEST"
    assert vevent.dtstamp.value.tzinfo is not None
    assert vevent.status.value == "CONFIRMED"
    assert vevent.location.value == "Kulturbastion, Kirchstraße 2, 04860 Torgau"
    assert vevent.geo.value == "51.56;13.005"
    assert vevent.url.value == f"https://veranstaltungen.example.org/veranstaltungen/{event.slug}/"
    assert int(vevent.sequence.value) >= 0
    alarms = vevent.valarm_list
    assert {a.trigger.value for a in alarms} == {timedelta(days=-1), timedelta(hours=-2)}
    assert all(a.action.value == "DISPLAY" for a in alarms)
    assert alarms[0].description.value == "Erinnerung: Rückkehrertag Torgau"


def test_uid_stays_when_the_title_changes(client):
    event = EventFactory(title_de="Alter Titel")
    before = event_file(client, event).vevent
    event.title_de = "Neuer Titel"
    event.save()
    after = event_file(client, event).vevent
    assert after.summary.value == "Neuer Titel"
    assert after.uid.value == before.uid.value
    assert int(after.sequence.value) >= int(before.sequence.value)


def test_all_day_camp_is_three_whole_days_with_exclusive_end(client):
    camp = EventFactory(
        kind=Event.Kind.CAMP,
        all_day=True,
        starts_at=berlin(2026, 7, 7, 9, 0),
        ends_at=berlin(2026, 7, 9, 16, 0),
    )
    vevent = event_file(client, camp).vevent
    assert vevent.dtstart.value == date(2026, 7, 7)
    assert not isinstance(vevent.dtstart.value, datetime)
    assert vevent.dtend.value == date(2026, 7, 10)
    assert vevent.dtstart.params.get("VALUE") == ["DATE"]
    assert vevent.valarm.action.value == "DISPLAY"

    # Stored as midnight to midnight, the end already is the day after the last day.
    camp.starts_at, camp.ends_at = berlin(2026, 7, 7), berlin(2026, 7, 10)
    camp.save()
    vevent = event_file(client, camp).vevent
    assert (vevent.dtstart.value, vevent.dtend.value) == (date(2026, 7, 7), date(2026, 7, 10))


def test_single_all_day_event_ends_the_next_day(client):
    event = EventFactory(
        all_day=True, starts_at=berlin(2026, 5, 12, 8, 0), ends_at=berlin(2026, 5, 12, 14, 0)
    )
    vevent = event_file(client, event).vevent
    assert (vevent.dtstart.value, vevent.dtend.value) == (date(2026, 5, 12), date(2026, 5, 13))


def test_multi_day_timed_event_keeps_both_ends(client):
    conference = EventFactory(
        kind=Event.Kind.CONFERENCE,
        starts_at=berlin(2026, 9, 17, 9, 0),
        ends_at=berlin(2026, 9, 18, 17, 0),
    )
    vevent = event_file(client, conference).vevent
    assert vevent.dtstart.value == berlin(2026, 9, 17, 9, 0)
    assert vevent.dtend.value == berlin(2026, 9, 18, 17, 0)
    assert vevent.dtend.value - vevent.dtstart.value == timedelta(days=1, hours=8)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        # Summer time ends on 25 October 2026: the night has one hour more.
        (berlin(2026, 10, 24, 18, 0), berlin(2026, 10, 25, 10, 0), 17),
        # Summer time starts on 29 March 2026: the night has one hour less.
        (berlin(2026, 3, 28, 18, 0), berlin(2026, 3, 29, 10, 0), 15),
    ],
)
def test_event_across_the_clock_change_keeps_its_wall_clock_times(client, start, end, hours):
    event = EventFactory(kind=Event.Kind.EXCURSION, starts_at=start, ends_at=end)
    response = fetch(client, reverse("ical-event", kwargs={"slug": event.slug}))
    raw = response.content.decode()
    assert f"DTSTART;TZID=Europe/Berlin:{start:%Y%m%dT%H%M%S}" in raw
    assert f"DTEND;TZID=Europe/Berlin:{end:%Y%m%dT%H%M%S}" in raw
    vevent = parse(response).vevent
    # vobject builds the zone from the file's own VTIMEZONE: its transitions must be right.
    local_start = vevent.dtstart.value.astimezone(BERLIN)
    local_end = vevent.dtend.value.astimezone(BERLIN)
    assert (local_start.hour, local_end.hour) == (18, 10)
    # The real duration in UTC has the clock change in it.
    utc = ZoneInfo("UTC")
    duration = vevent.dtend.value.astimezone(utc) - vevent.dtstart.value.astimezone(utc)
    assert duration == timedelta(hours=hours)


def test_cancelled_event_is_marked_cancelled(client):
    event = EventFactory(status=Event.Status.CANCELLED, title_de="Werksbesuch")
    vevent = event_file(client, event).vevent
    assert vevent.status.value == "CANCELLED"
    assert vevent.summary.value == "Abgesagt: Werksbesuch"


def test_draft_has_no_file_and_is_in_no_feed(client):
    draft = EventFactory(status=Event.Status.DRAFT)
    published = EventFactory()
    assert client.get(reverse("ical-event", kwargs={"slug": draft.slug})).status_code == 404
    uids = {v.uid.value.split("@")[0] for v in vevents(parse(fetch(client, reverse("ical-all"))))}
    assert str(published.uid) in uids
    assert str(draft.uid) not in uids


def test_english_with_lang_parameter_and_accept_language(client):
    event = EventFactory(
        title_de="Ausbildungsmesse", title_en="Apprenticeship fair", description_en="Meet firms."
    )
    url = reverse("ical-event", kwargs={"slug": event.slug})
    vevent = parse(fetch(client, url + "?lang=en")).vevent
    assert vevent.summary.value == "Apprenticeship fair"
    assert vevent.description.value.startswith("Meet firms.")
    assert f"/en/veranstaltungen/{event.slug}/" in vevent.url.value
    assert vevent.valarm.description.value == "Reminder: Apprenticeship fair"

    header = parse(fetch(client, url, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9"))
    assert header.vevent.summary.value == "Apprenticeship fair"
    german = parse(fetch(client, url))
    assert german.vevent.summary.value == "Ausbildungsmesse"

    feed = parse(fetch(client, reverse("ical-all") + "?lang=en"))
    assert feed.contents["x-wr-calname"][0].value == "All events"


def test_all_events_feed_keeps_the_last_30_days(client):
    now = timezone.now()
    recent = EventFactory(starts_at=now - timedelta(days=20), ends_at=now - timedelta(days=20))
    old = EventFactory(starts_at=now - timedelta(days=45), ends_at=now - timedelta(days=44))
    coming = EventFactory()
    response = fetch(client, reverse("ical-all"))
    assert response["Content-Disposition"].startswith("inline")
    cal = parse(response)
    assert cal.contents["x-wr-calname"][0].value == "Alle Veranstaltungen"
    assert cal.contents["refresh-interval"][0].value  # clients poll the feed
    uids = {v.uid.value.split("@")[0] for v in vevents(cal)}
    assert uids == {str(recent.uid), str(coming.uid)}
    assert str(old.uid) not in uids


def test_town_feed_lists_only_that_town(client):
    torgau = EventFactory(venue__town="Torgau")
    dueben = EventFactory(venue__town="Bad Düben", title_de="Rückkehrertag Bad Düben")
    cal = parse(fetch(client, reverse("ical-town", kwargs={"town": "Bad Düben"})))
    assert cal.contents["x-wr-calname"][0].value == "Veranstaltungen in Bad Düben"
    assert [v.summary.value for v in vevents(cal)] == ["Rückkehrertag Bad Düben"]
    assert str(torgau.uid) not in cal.serialize()
    assert str(dueben.uid) in cal.serialize()
    # Case does not matter, a town without public events is not found.
    assert client.get(reverse("ical-town", kwargs={"town": "bad düben"})).status_code == 200
    assert client.get(reverse("ical-town", kwargs={"town": "Atlantis"})).status_code == 404


def test_kind_feed_filters_by_kind_and_unknown_kind_is_404(client):
    camp = EventFactory(kind=Event.Kind.CAMP)
    EventFactory(kind=Event.Kind.WORKSHOP)
    cal = parse(fetch(client, reverse("ical-kind", kwargs={"kind": "camp"})))
    assert cal.contents["x-wr-calname"][0].value == "Veranstaltungen: Camp"
    assert [v.uid.value.split("@")[0] for v in vevents(cal)] == [str(camp.uid)]
    assert client.get(reverse("ical-kind", kwargs={"kind": "rave"})).status_code == 404


def test_series_feed_has_the_series_name_and_its_events(client):
    series = EventSeriesFactory(title_de="Rückkehrertag 2026", title_en="Returnee Day 2026")
    sites = [EventFactory(series=series, venue__town=town) for town in ["Torgau", "Eilenburg"]]
    EventFactory(series=series, status=Event.Status.DRAFT)
    EventFactory()  # not in the series
    url = reverse("ical-series", kwargs={"slug": series.slug})
    cal = parse(fetch(client, url))
    assert cal.contents["x-wr-calname"][0].value == "Rückkehrertag 2026"
    assert {v.uid.value.split("@")[0] for v in vevents(cal)} == {str(e.uid) for e in sites}
    english = parse(fetch(client, url + "?lang=en"))
    assert english.contents["x-wr-calname"][0].value == "Returnee Day 2026"
    assert client.get(reverse("ical-series", kwargs={"slug": "nope"})).status_code == 404


def test_feed_answers_304_until_something_changes(client):
    event = EventFactory()
    url = reverse("ical-all")
    first = fetch(client, url)
    etag = first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    event.title_de = "Geändert"
    event.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_empty_feed_is_still_a_valid_calendar_with_its_zone(client):
    cal = parse(fetch(client, reverse("ical-kind", kwargs={"kind": "excursion"})))
    assert vevents(cal) == []
    assert cal.vtimezone.tzid.value == "Europe/Berlin"


def test_every_feed_round_trips_through_icalendar(client):
    venue = VenueFactory(town="Eilenburg")
    series = EventSeriesFactory()
    EventFactory(series=series, venue=venue, organisation=venue.organisation, all_day=True)
    EventFactory(series=series, venue=venue, organisation=venue.organisation)
    urls = [
        reverse("ical-all"),
        reverse("ical-series", kwargs={"slug": series.slug}),
        reverse("ical-town", kwargs={"town": "Eilenburg"}),
        reverse("ical-kind", kwargs={"kind": "workshop"}),
    ]
    for url in urls:
        body = fetch(client, url).content
        cal = icalendar.Calendar.from_ical(body)
        assert len(cal.events) == 2, url
        assert cal.to_ical() == body
        assert len(vevents(vobject.readOne(body.decode()))) == 2
