"""Next year's edition: an event of every kind, and a series of five sites, copied as a new
draft on a chosen date, field by field, times kept in Berlin wall-clock terms across the
clock change, and nothing personal copied; the organiser's copy page and who may use it."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from checkin.models import Assignment, CheckinList, Entrance
from events_platform.editions import copy_event, copy_series
from events_platform.models import (
    AuditEntry,
    Event,
    EventSeries,
    EventSigningKey,
    Session,
    TimeSlot,
)
from fairs.models import Fair, Hall, Stand, StandBooking, WaitlistEntry
from notifications.models import Message, ReminderPlan
from tests.checkin.factories import make_ticket
from tests.factories import (
    EventFactory,
    EventSeriesFactory,
    MembershipFactory,
    TargetGroupFactory,
    UserFactory,
    VenueFactory,
)
from tests.fairs.factories import (
    FairFactory,
    HallFactory,
    StandBookingFactory,
    StandFactory,
    WaitlistEntryFactory,
)
from ticketing.models import ExcursionStop, Question, Registration, RegistrationSettings, Ticket

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 1, 12, tzinfo=BERLIN)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


def local(value: datetime) -> datetime:
    return timezone.localtime(value, BERLIN).replace(tzinfo=None)


def assert_copied(source, copy, *, days: int, parent: str | None = None, changed=()) -> None:
    """Every editable field of `copy` equals `source`'s, dates `days` later in Berlin wall-clock
    terms; `parent` (the FK to the copied owner) and `changed` are left to the caller."""
    assert copy.pk != source.pk
    for f in source._meta.concrete_fields:
        if f.primary_key or not f.editable or f.name == parent or f.name in changed:
            continue
        before, after = getattr(source, f.attname), getattr(copy, f.attname)
        if before is None:
            assert after is None, f.name
        elif isinstance(f, models.DateTimeField):
            assert local(after) == local(before) + timedelta(days=days), f.name
        elif isinstance(f, models.DateField):
            assert after == before + timedelta(days=days), f.name
        else:
            assert after == before, f.name


def full_event(kind: str, *, first_day: date, all_day: bool = False, **fields) -> Event:
    """An event of `kind` with every row an edition carries, and people's rows beside them."""
    starts = at(first_day, 0) if all_day else at(first_day, 9)
    ends = at(first_day + timedelta(days=2), 23, 59) if all_day else at(first_day, 12, 30)
    event = EventFactory(
        kind=kind,
        slug=fields.pop("slug", f"{kind.replace('_', '-')}-2026"),
        title_de=f"Veranstaltung 2026 ({kind})",
        title_en=f"Event 2026 ({kind})",
        starts_at=starts,
        ends_at=ends,
        all_day=all_day,
        capacity=120,
        walk_ins_allowed=True,
        registration_opens_at=at(first_day - timedelta(days=60), 8),
        registration_closes_at=at(first_day - timedelta(days=1), 18),
        min_age=14,
        max_age=30,
        **fields,
    )
    event.target_groups.set([TargetGroupFactory(), TargetGroupFactory()])
    TimeSlot.objects.create(
        event=event,
        label="Klassen früh",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        capacity=60,
    )
    Session.objects.create(
        event=event,
        title_de="Werkstatt 2026",
        title_en="Workshop",
        speaker="Dr. Roth",
        room="A1",
        starts_at=starts + timedelta(hours=1),
        ends_at=starts + timedelta(hours=2),
        capacity=25,
    )
    RegistrationSettings.objects.create(
        event=event,
        offer_hours=24,
        guardian_required_under=16,
        medical_notes_retention_days=3,
        allow_school_classes=True,
        meeting_point="Bahnhof Torgau",
        departure_at=starts - timedelta(minutes=30),
    )
    ExcursionStop.objects.create(
        event=event,
        position=1,
        school="Grundschule Belgern",
        town="Belgern",
        arrives_at=starts + timedelta(hours=1),
    )
    Question.objects.create(
        event=event,
        position=1,
        kind=Question.Kind.CHOICE,
        label_de="Branche?",
        label_en="Sector?",
        choices_de="Pflege\nHandwerk",
        choices_en="Care\nCrafts",
        required=True,
    )
    ReminderPlan.objects.create(
        event=event,
        offsets={"visitors": ["1d", "2h"]},
        what_to_bring_de="Ausweis",
        what_to_bring_en="ID",
    )
    fair = FairFactory(
        event=event,
        booking_opens_at=at(first_day - timedelta(days=90), 8),
        booking_closes_at=at(first_day - timedelta(days=14), 18),
        max_exhibitors=74,
    )
    hall = HallFactory(fair=fair, name="Große Halle")
    StandFactory(hall=hall, label="A1", kind=Stand.Kind.CORNER, has_water=True)
    booked = StandFactory(hall=hall, label="A2", blocked=True, price=Decimal("99.50"))
    Entrance.objects.create(event=event, name="Eingang Nord")
    CheckinList.objects.create(
        event=event,
        day=first_day,
        name="Tag 1",
        opens_at=starts - timedelta(hours=3),
        closes_at=ends,
    )
    # People's rows: none of them may travel to the next edition.
    make_ticket(event)  # a registration, its ticket and the event's signing key
    StandBookingFactory(stand=booked, status=StandBooking.Status.APPROVED)
    WaitlistEntryFactory(fair=fair)
    Assignment.objects.create(event=event, user=UserFactory())
    return event


def assert_nothing_personal(copy: Event) -> None:
    assert not Registration.objects.filter(event=copy).exists()
    assert not Ticket.objects.filter(event=copy).exists()
    assert not EventSigningKey.objects.filter(event=copy).exists()
    assert not StandBooking.objects.filter(fair__event=copy).exists()
    assert not WaitlistEntry.objects.filter(fair__event=copy).exists()
    assert not Assignment.objects.filter(event=copy).exists()
    assert not Message.objects.filter(event=copy).exists()


def assert_event_copied(source: Event, copy: Event, *, days: int) -> None:
    """The copy carries every row of the source, field by field."""
    assert_copied(
        source, copy, days=days, changed={"slug", "status", "title_de", "title_en", "series"}
    )
    assert copy.status == Event.Status.DRAFT
    assert copy.venue_id == source.venue_id
    assert copy.uid != source.uid
    assert set(copy.target_groups.all()) == set(source.target_groups.all())
    pairs = [
        (TimeSlot, "event"),
        (Session, "event"),
        (RegistrationSettings, "event"),
        (ExcursionStop, "event"),
        (Question, "event"),
        (ReminderPlan, "event"),
        (Entrance, "event"),
        (CheckinList, "event"),
    ]
    for model, parent in pairs:
        before = list(model.objects.filter(event=source).order_by("pk"))
        after = list(model.objects.filter(event=copy).order_by("pk"))
        assert len(after) == len(before) == 1, model
        assert_copied(before[0], after[0], days=days, parent=parent)
    old_fair, new_fair = Fair.objects.get(event=source), Fair.objects.get(event=copy)
    assert_copied(old_fair, new_fair, days=days, parent="event")
    old_hall, new_hall = Hall.objects.get(fair=old_fair), Hall.objects.get(fair=new_fair)
    assert_copied(old_hall, new_hall, days=days, parent="fair")
    old_stands = list(Stand.objects.filter(hall=old_hall).order_by("label"))
    new_stands = list(Stand.objects.filter(hall=new_hall).order_by("label"))
    assert [s.label for s in new_stands] == ["A1", "A2"]
    for before, after in zip(old_stands, new_stands, strict=True):
        assert_copied(before, after, days=days, parent="hall")
    assert_nothing_personal(copy)


@pytest.mark.parametrize("kind", Event.Kind.values)
def test_an_event_of_every_kind_is_copied_across_the_clock_change(kind):
    organiser = MembershipFactory()
    source = full_event(kind, first_day=date(2026, 3, 20), organisation=organiser.organisation)

    copy = copy_event(event=source, starts_on=date(2027, 4, 2), by=organiser.user, now=NOW)

    days = (date(2027, 4, 2) - date(2026, 3, 20)).days
    assert_event_copied(source, copy, days=days)
    # Winter time (UTC+1) to summer time (UTC+2): 09:00 stays 09:00 on the wall.
    assert local(copy.starts_at) == datetime(2027, 4, 2, 9, 0)
    assert copy.starts_at.utcoffset() is not None
    assert timezone.localtime(copy.starts_at, BERLIN).utcoffset() == timedelta(hours=2)
    assert copy.slug == f"{kind.replace('_', '-')}-2027"
    assert copy.title_de == f"Veranstaltung 2027 ({kind})"
    assert copy.series is None
    assert source.status == Event.Status.PUBLISHED
    assert AuditEntry.objects.filter(action="event_copied", target_id=str(copy.pk)).exists()


def test_a_whole_day_camp_stays_whole_day_with_its_days():
    organiser = MembershipFactory()
    camp = full_event(
        Event.Kind.CAMP,
        first_day=date(2026, 7, 20),
        all_day=True,
        organisation=organiser.organisation,
        same_hours_daily=True,
    )

    copy = copy_event(event=camp, starts_on=date(2027, 7, 19), by=organiser.user, now=NOW)

    assert copy.all_day and copy.same_hours_daily
    assert local(copy.starts_at) == datetime(2027, 7, 19, 0, 0)
    assert local(copy.ends_at) == datetime(2027, 7, 21, 23, 59)
    assert CheckinList.objects.get(event=copy).day == date(2027, 7, 19)
    assert RegistrationSettings.objects.get(event=copy).medical_notes_retention_days == 3
    assert_event_copied(camp, copy, days=(date(2027, 7, 19) - date(2026, 7, 20)).days)


def test_a_series_of_five_sites_becomes_next_years_draft_edition():
    organiser = MembershipFactory()
    org = organiser.organisation
    series = EventSeriesFactory(
        organisation=org,
        slug="rueckkehrertag-2026",
        title_de="Rückkehrertag 2026",
        title_en="Returnee Day 2026",
    )
    towns = ["Delitzsch", "Torgau", "Oschatz", "Eilenburg", "Schkeuditz"]
    sites = []
    for town in towns:
        site = full_event(
            Event.Kind.RETURNEE_DAY,
            first_day=date(2026, 12, 27),
            organisation=org,
            series=series,
            venue=VenueFactory(organisation=org, town=town),
        )
        site.slug = f"rueckkehrertag-2026-{town.lower()}"
        site.title_de = f"Rückkehrertag 2026 {town}"
        site.save()
        sites.append(site)
    cancelled = EventFactory(
        organisation=org,
        series=series,
        status=Event.Status.CANCELLED,
        starts_at=at(date(2026, 12, 20), 10),
        ends_at=at(date(2026, 12, 20), 12),
    )

    new_series = copy_series(
        series=series, starts_on=date(2027, 12, 27), by=organiser.user, now=NOW
    )

    assert new_series.pk != series.pk
    assert new_series.slug == "rueckkehrertag-2027"
    assert (new_series.title_de, new_series.title_en) == ("Rückkehrertag 2027", "Returnee Day 2027")
    assert new_series.feed_uid != series.feed_uid
    copies = list(new_series.events.order_by("venue__town"))
    assert [c.venue.town for c in copies] == sorted(towns)
    assert cancelled.title_de not in [c.title_de for c in copies]
    by_town = {s.venue.town: s for s in sites}
    for copy in copies:
        source = by_town[copy.venue.town]
        assert copy.venue_id == source.venue_id  # venues are reused, not copied
        assert copy.slug == f"rueckkehrertag-2027-{copy.venue.town.lower()}"
        assert copy.title_de == f"Rückkehrertag 2027 {copy.venue.town}"
        assert local(copy.starts_at) == datetime(2027, 12, 27, 9, 0)
        assert_event_copied(source, copy, days=365)
    assert series.events.count() == 6  # the earlier edition is untouched
    assert AuditEntry.objects.filter(action="series_copied").count() == 1


def test_copying_twice_gives_new_unique_slugs():
    organiser = MembershipFactory()
    source = EventFactory(
        organisation=organiser.organisation,
        slug="fachtag-2026",
        starts_at=at(date(2026, 9, 10), 9),
        ends_at=at(date(2026, 9, 10), 16),
    )
    first = copy_event(event=source, starts_on=date(2027, 9, 9), by=organiser.user, now=NOW)
    second = copy_event(event=source, starts_on=date(2027, 9, 9), by=organiser.user, now=NOW)

    assert (first.slug, second.slug) == ("fachtag-2027", "fachtag-2027-2")
    assert EventSeries.objects.count() == 0


# --- the page --------------------------------------------------------------------------


def test_the_copy_page_suggests_next_year_and_summarises_then_redirects_to_the_draft(client):
    organiser = MembershipFactory()
    client.force_login(organiser.user)
    org = organiser.organisation
    series = EventSeriesFactory(organisation=org, title_de="Rückkehrertag 2026")
    for town in ["Delitzsch", "Torgau"]:
        full_event(
            Event.Kind.RETURNEE_DAY,
            first_day=date(2026, 12, 27),
            organisation=org,
            series=series,
            venue=VenueFactory(organisation=org, town=town),
            slug=f"rkt-2026-{town.lower()}",
        )
    url = reverse("workspace:series-copy", args=[series.pk])

    page = client.get(url)

    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="2027-12-27"' in html
    assert 'value="Rückkehrertag 2027"' in html
    summary = html.split("data-copied", 1)[1].split("</ul>", 1)[0]
    assert "Veranstaltungen (Standorte): 2<" in summary
    assert "Standplätze: 4<" in summary
    assert "Fragen: 2<" in summary
    assert "Einlass-Listen: 2<" in summary

    answer = client.post(url, {"starts_on": "2027-12-28", "title_de": "Rückkehrertag 2027"})

    new_series = EventSeries.objects.exclude(pk=series.pk).get()
    assert answer.status_code == 302
    assert answer.url == reverse("workspace:series-edit", args=[new_series.pk])
    assert new_series.title_de == "Rückkehrertag 2027"
    assert [local(e.starts_at) for e in new_series.events.all()] == [datetime(2027, 12, 28, 9)] * 2
    assert set(new_series.events.values_list("status", flat=True)) == {Event.Status.DRAFT}


def test_a_single_event_copy_redirects_to_the_new_draft_event(client):
    organiser = MembershipFactory()
    client.force_login(organiser.user)
    source = full_event(
        Event.Kind.CONFERENCE, first_day=date(2026, 9, 10), organisation=organiser.organisation
    )

    answer = client.post(
        reverse("workspace:event-copy", args=[source.pk]),
        {"starts_on": "2027-09-09", "title_de": "Fachtag 2027"},
    )

    copy = Event.objects.get(title_de="Fachtag 2027")
    assert answer.url == reverse("workspace:event-edit", args=[copy.pk])
    assert copy.sessions.count() == 1 and copy.status == Event.Status.DRAFT


@pytest.mark.parametrize(
    "data",
    [
        {"starts_on": "", "title_de": "Fachtag 2027"},
        {"starts_on": "31.02.2027", "title_de": "Fachtag 2027"},
        {"starts_on": "2027-09-09", "title_de": ""},
        {"starts_on": "2027-09-09", "title_de": "x" * 201},
    ],
)
def test_bad_input_is_shown_again_with_a_message_and_nothing_is_copied(client, data):
    organiser = MembershipFactory()
    client.force_login(organiser.user)
    source = EventFactory(organisation=organiser.organisation)

    answer = client.post(reverse("workspace:event-copy", args=[source.pk]), data)

    assert answer.status_code == 400
    assert "error-summary" in answer.content.decode()
    assert data["title_de"][:50] in answer.content.decode()
    assert Event.objects.count() == 1


def test_a_second_organisation_finds_neither_page(client):
    organiser = MembershipFactory()
    series = EventSeriesFactory(organisation=organiser.organisation)
    event = EventFactory(organisation=organiser.organisation, series=series)
    client.force_login(MembershipFactory().user)

    for url in [
        reverse("workspace:event-copy", args=[event.pk]),
        reverse("workspace:series-copy", args=[series.pk]),
    ]:
        assert client.get(url).status_code == 404
        assert client.post(url, {"starts_on": "2027-01-01", "title_de": "X"}).status_code == 404
    assert Event.objects.count() == 1 and EventSeries.objects.count() == 1


# --- booking again: the stand of the earlier edition pre-selected --------------------------


def test_a_link_to_book_again_preselects_the_stand_only_while_it_is_free(client):
    from tests.fairs.factories import CompanyMemberFactory

    fair = FairFactory(booking_closes_at=timezone.now() + timedelta(days=30))
    free, taken = StandFactory(hall__fair=fair, label="B7"), StandFactory(hall__fair=fair)
    StandBookingFactory(stand=taken, status=StandBooking.Status.APPROVED)
    client.force_login(CompanyMemberFactory().user)
    url = reverse("fairs:stand-book", args=[fair.event.slug])

    page = client.get(url, {"stand": [free.pk, taken.pk]}).content.decode()
    plain = client.get(url).content.decode()

    assert f'value="{free.pk}" id="stand-{free.pk}" checked' in page
    assert f'id="stand-{taken.pk}"' not in page or f'id="stand-{taken.pk}" checked' not in page
    assert f'id="stand-{free.pk}" checked' not in plain
