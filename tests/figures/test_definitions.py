"""Every figure of figures/definitions.py against the hand count of the fixture."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events_platform.models import Event
from figures import definitions
from notifications import retention as notification_retention
from tests.checkin.factories import five_days_at_the_door, make_ticket, pair
from ticketing import services as ticketing_services
from ticketing.models import Registration

pytestmark = pytest.mark.django_db


def plain(figures) -> dict:
    return dict(figures.__dict__)


def check_hand_count(edition) -> None:
    sites = {
        event.venue.town.lower(): figures
        for event, figures in definitions.site_figures(edition.series)
    }
    assert set(sites) == {"torgau", "oschatz"}
    for town in ("torgau", "oschatz"):
        assert plain(sites[town]) == edition.hand_count[town], town
        assert plain(definitions.event_figures(getattr(edition, town))) == edition.hand_count[town]
    figures = definitions.series_figures(edition.series)
    assert plain(figures) == edition.hand_count["edition"]
    year = timezone.localtime(edition.torgau.starts_at).year
    assert definitions.series_figures(edition.series, year) == figures
    assert definitions.years_of_series(edition.series) == [year]
    total, both = definitions.edition_figures(edition.series, year)
    assert total == figures
    assert [(event.pk, plain(f)) for event, f in both] == [
        (event.pk, plain(f)) for event, f in definitions.site_figures(edition.series)
    ]


def test_every_figure_of_each_site_and_of_the_edition_matches_the_hand_count(
    hand_counted_edition,
):
    check_hand_count(hand_counted_edition)


def run_retention(later) -> None:
    """The retention jobs of ticketing, fairs and notifications, as their beat tasks run
    them, on a day long after the event."""
    from fairs import services as fair_services

    ticketing_services.erase_expired_visitor_data(now=later)
    ticketing_services.erase_expired_medical_notes(now=later)
    fair_services.anonymise_expired_booking_contacts(now=later)
    notification_retention.anonymise_expired_messages(now=later)


def test_the_figures_stay_the_same_after_retention_erases_the_people(hand_counted_edition):
    edition = hand_counted_edition
    before_sites = {e.pk: plain(f) for e, f in definitions.site_figures(edition.series)}
    before = plain(definitions.series_figures(edition.series))

    run_retention(timezone.now() + timedelta(days=3650))

    people = Registration.objects.filter(event__series=edition.series)
    assert people.exists()
    assert not people.exclude(name="").exists()  # the names, birth dates, schools are gone
    assert not people.filter(birth_date__isnull=False).exists()
    assert not people.exclude(school="").exists()
    assert not people.exclude(postcode="").exists()
    assert {e.pk: plain(f) for e, f in definitions.site_figures(edition.series)} == before_sites
    assert plain(definitions.series_figures(edition.series)) == before
    check_hand_count(edition)


def test_the_number_of_queries_does_not_grow_with_sites_or_people(hand_counted_edition):
    edition = hand_counted_edition
    with CaptureQueriesContext(connection) as small:
        definitions.series_figures(edition.series)
    third = Event.objects.get(pk=edition.oschatz.pk)
    third.pk, third.slug, third.uid = None, "rueckkehrertag-figures-delitzsch", uuid.uuid4()
    third.save()
    pair(third)
    for n in range(20, 30):
        make_ticket(third, n, birth_date=timezone.localdate() - timedelta(days=365 * 16 + n))
    with CaptureQueriesContext(connection) as large:
        figures = definitions.series_figures(edition.series)
    assert figures.registered == edition.hand_count["edition"]["registered"] + 10
    assert len(large) == len(small)


def test_a_camp_counts_each_child_once_and_its_days_apart():
    event, _seen = five_days_at_the_door(kind=Event.Kind.CAMP)
    figures = definitions.event_figures(event)
    days = sorted(
        {timezone.localtime(event.starts_at).date() + timedelta(days=n) for n in range(5)}
    )
    # Five children, one a day; the first also came back on the second day.
    assert figures.camp_days == dict(zip(days, [1, 2, 1, 1, 1], strict=True))
    assert figures.checked_in == 5
    assert figures.walk_ins == 5
    assert figures.visitors == 10
    assert figures.exits == 1
