"""The door's live figures (the organiser's live view, its JSON and the scanners' API) and
the figures for funders count the same persons: one source, checkin/queries.py."""

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from checkin import queries as checkin_queries
from checkin.models import Device
from events_platform.models import Event
from figures import definitions, tables
from tests.checkin.factories import pair
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_live_view_the_scanner_api_and_the_figures_agree(client, hand_counted_edition):
    edition = hand_counted_edition
    membership = MembershipFactory(organisation=edition.torgau.organisation)
    client.force_login(membership.user)
    for event in (edition.torgau, edition.oschatz):
        figures = definitions.event_figures(event)
        live = client.get(reverse("checkin:event-figures", args=[event.pk])).json()
        assert live["counters"]["inside"] == figures.present_now
        assert live["counters"]["walk_ins"] == figures.walk_ins
        assert live["counters"]["checked_in"] == figures.checked_in
        assert live["exits"] == figures.exits
        # The arrivals chart adds up to everyone let in: present now plus those who left.
        assert sum(live["arrivals"]["values"]) == figures.present_now + figures.exits
        _device, token = pair(event, name="Handy API", entrance=None)
        api = client.get("/api/checkin/counters/", HTTP_AUTHORIZATION=f"Device {token}").json()
        assert api["inside"] == figures.present_now
        assert api["walk_ins"] == figures.walk_ins
    assert Device.objects.count() == 4
    page = client.get(reverse("checkin:event", args=[edition.torgau.pk])).content.decode()
    assert "27" in page  # present now at Torgau: 24 + 4 in, one out


def _overview_rows(html: str) -> dict[str, list[int]]:
    """The series overview's rows: town → the numbers of its cells."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        town = re.search(r">([^<]+)</a>", row).group(1)
        rows[town] = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row)]
    return rows


def test_the_series_overview_and_the_figures_page_count_each_site_alike(
    client, hand_counted_edition
):
    edition = hand_counted_edition
    client.force_login(MembershipFactory(organisation=edition.torgau.organisation).user)
    year = timezone.localtime(edition.torgau.starts_at).year
    with CaptureQueriesContext(connection) as queries:
        overview = client.get(reverse("checkin:series", args=[edition.series.pk]))
    assert overview.status_code == 200
    few = len(queries)
    rows = _overview_rows(overview.content.decode())
    page_sites = tables.edition(edition.series, year).tables["sites"]
    page_rows = {row[0]: row[1:] for row in page_sites.rows}
    column = {name: n for n, name in enumerate(tables.SITE_COLUMNS)}
    for town in ("Torgau", "Oschatz"):
        hand = edition.hand_count[town.lower()]
        inside, checked_in, registered, walk_ins, exits = rows[town]
        assert (inside, checked_in, registered, walk_ins, exits) == (
            hand["present_now"],
            hand["checked_in"],
            hand["registered"],
            hand["walk_ins"],
            hand["exits"],
        )
        for name, value in (
            ("registered", registered),
            ("checked_in", checked_in),
            ("walk_ins", walk_ins),
        ):
            assert page_rows[town][column[name]] == value, (town, name)
    # One set of queries for all sites: a third site adds none.
    third = Event.objects.get(pk=edition.oschatz.pk)
    third.pk, third.slug, third.uid = None, "rueckkehrertag-figures-eilenburg", uuid.uuid4()
    third.save()
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("checkin:series", args=[edition.series.pk]))
    assert len(more) == few


def test_the_figures_arrivals_are_the_live_views_entries(hand_counted_edition):
    edition = hand_counted_edition
    events = [edition.torgau, edition.oschatz]
    entries = checkin_queries.entries_per_quarter([event.pk for event in events])
    for event in events:
        (checkin_list,) = event.checkin_lists.all()
        assert entries[event.pk] == checkin_queries.movements(checkin_list).entries
        assert sum(entries[event.pk].values()) > 0


def _edition_queries(series, year) -> int:
    with CaptureQueriesContext(connection) as captured:
        tables.edition(series, year)
    return len(captured)


def test_the_pages_tables_count_the_edition_once_in_a_fixed_number_of_queries(
    hand_counted_edition, monkeypatch
):
    edition = hand_counted_edition
    year = timezone.localtime(edition.torgau.starts_at).year
    calls = []
    real = definitions.per_event
    monkeypatch.setattr(definitions, "per_event", lambda events: calls.append(1) or real(events))
    few = _edition_queries(edition.series, year)
    assert len(calls) == 1  # the sites and the total from one count (edition_figures)
    third = Event.objects.get(pk=edition.oschatz.pk)
    third.pk, third.slug, third.uid = None, "rueckkehrertag-figures-delitzsch", uuid.uuid4()
    third.save()
    pair(third)
    assert _edition_queries(edition.series, year) == few
