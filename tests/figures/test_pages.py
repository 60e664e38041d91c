"""The figures page and its CSV and XLSX files against the hand count of the fixture."""

import csv
import io
import re
from html import unescape

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from events_platform.models import Venue
from figures import tables
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def table_rows(html: str, name: str) -> dict[str, list[str]]:
    """The rows of one table of the page: first cell -> the other cells, as shown."""
    table = re.search(rf'<table[^>]*id="table-{name}".*?</table>', html, re.S).group(0)
    body = re.search(r"<tbody>.*?</tbody>", table, re.S).group(0)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [
            unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows[cells[0]] = cells[1:]
    return rows


@pytest.fixture
def organiser(client, hand_counted_edition):
    membership = MembershipFactory(organisation=hand_counted_edition.series.organisation)
    client.force_login(membership.user)
    return membership


def page_url(edition, name="figures:series"):
    return reverse(name, kwargs={"pk": edition.series.pk, "year": edition.year})


def test_the_page_shows_every_key_figure_of_the_hand_count(client, organiser, hand_counted_edition):
    edition = hand_counted_edition
    html = client.get(page_url(edition), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    key = table_rows(html, "key")
    for name, label in tables.KEY_FIGURES:
        with_language = str(label)
        assert key[with_language] == [str(edition.hand_count["edition"][name])], name
    sites = table_rows(html, "sites")
    for town in ("Torgau", "Oschatz"):
        expected = [str(edition.hand_count[town.lower()][c]) for c in tables.SITE_COLUMNS]
        assert sites[town] == expected
    contacts = table_rows(html, "contacts")
    assert contacts == {
        "Agrarhof Mockrehna": ["2", "1", "3"],
        "Pflegedienst Torgau": ["1", "0", "1"],
    }
    areas = table_rows(html, "areas")
    assert areas == {
        "01": ["0", "1", "1"],
        "04": ["4", "2", "6"],
        "nicht angegeben": ["24", "1", "25"],
    }
    assert (
        sum(int(cells[-1]) for cells in areas.values()) == edition.hand_count["edition"]["visitors"]
    )
    # Every chart has its table and a one-sentence summary the chart points to.
    assert html.count('<svg class="figures-chart"') == 4  # sites, two sites' arrivals, history
    for name in ("sites", "arrivals", "history"):
        assert f'aria-describedby="{name}-summary"' in html
        assert f'id="{name}-summary"' in html
    summary = re.search(r'id="key-summary">(.*?)</p>', html, re.S).group(1)
    assert summary.startswith("32 Personen kamen: 26 mit Anmeldung und 6 ohne.")
    # Arrivals per hour add up to everyone let in at each site.
    arrivals = table_rows(html, "arrivals")
    header = re.search(r'id="table-arrivals".*?<thead><tr>(.*?)</tr>', html, re.S).group(1)
    towns = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<th[^>]*>(.*?)</th>", header)][1:]
    for column, town in enumerate(towns):
        let_in = sum(int(cells[column]) for cells in arrivals.values())
        hand = edition.hand_count[town.lower()]
        assert let_in == hand["checked_in"] + hand["walk_ins"]


def test_numbers_are_grouped_the_german_way(client, organiser, hand_counted_edition):
    from django.utils import translation

    from figures.templatetags.figures_numbers import grouped

    with translation.override("de"):
        assert grouped(1234) == "1.234"
    with translation.override("en"):
        assert grouped(1234) == "1,234"


def test_the_page_reads_in_english(client, organiser, hand_counted_edition):
    url = "/en" + page_url(hand_counted_edition)
    html = client.get(url).content.decode()
    assert "Sites side by side" in html
    assert "Visitors (checked in and walk-ins)" in html


@pytest.mark.parametrize("name", tables.TABLE_NAMES)
def test_every_table_downloads_as_csv_and_xlsx_with_the_pages_numbers(
    client, organiser, hand_counted_edition, name
):
    edition = hand_counted_edition
    year = edition.year
    shown = tables.edition(edition.series, year).tables[name]
    kwargs = {"pk": edition.series.pk, "year": year, "table": name}
    response = client.get(reverse("figures:table-export", kwargs={**kwargs, "fmt": "csv"}))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == shown.header
    assert [row[1:] for row in rows[1:]] == [[str(v) for v in row[1:]] for row in shown.rows]
    response = client.get(reverse("figures:table-export", kwargs={**kwargs, "fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == shown.header
    assert [row[1:] for row in values[1:]] == [row[1:] for row in shown.rows]


def test_key_figures_csv_holds_the_hand_count(client, organiser, hand_counted_edition):
    edition = hand_counted_edition
    kwargs = {"pk": edition.series.pk, "year": edition.year, "table": "key"}
    response = client.get(
        reverse("figures:table-export", kwargs={**kwargs, "fmt": "csv"}),
        HTTP_ACCEPT_LANGUAGE="de",
    )
    rows = dict(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    for name, label in tables.KEY_FIGURES:
        assert rows[str(label)] == str(edition.hand_count["edition"][name])


def test_another_organisation_finds_nothing(client, hand_counted_edition):
    client.force_login(MembershipFactory().user)
    edition = hand_counted_edition
    assert client.get(page_url(edition)).status_code == 404
    kwargs = {"pk": edition.series.pk, "year": edition.year, "table": "key"}
    assert (
        client.get(reverse("figures:table-export", kwargs={**kwargs, "fmt": "csv"})).status_code
        == 404
    )
    index = client.get(reverse("figures:index")).content.decode()
    assert edition.series.title not in index


def test_the_organiser_menu_leads_to_the_figures(client, organiser, hand_counted_edition):
    html = client.get(reverse("figures:index"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert f'href="{reverse("figures:index")}"' in html
    assert ">Zahlen<" in html
    assert page_url(hand_counted_edition) in html


def test_a_hostile_town_is_written_as_text(client, organiser, hand_counted_edition):
    edition = hand_counted_edition
    Venue.objects.filter(pk=edition.torgau.venue_id).update(town="=HYPERLINK(1)")
    kwargs = {"pk": edition.series.pk, "year": edition.year, "table": "sites"}
    response = client.get(reverse("figures:table-export", kwargs={**kwargs, "fmt": "csv"}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["'=HYPERLINK(1)"] == [row[0] for row in rows if "HYPERLINK" in row[0]]
    response = client.get(reverse("figures:table-export", kwargs={**kwargs, "fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "'=HYPERLINK(1)" in [row[0] for row in sheet.iter_rows(values_only=True)]
