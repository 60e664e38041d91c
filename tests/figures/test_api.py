"""The figures API and the open data against the hand count of the fixture."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events_platform.models import Event
from figures import api
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def edition_url(edition) -> str:
    return f"/api/figures/series/{edition.series.pk}/{edition.year}/"


def open_url(edition, year=None) -> str:
    return f"/api/open-data/series/{edition.series.slug}/{year or edition.year}/"


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_the_organisers_api_gives_every_figure_of_the_hand_count(hand_counted_edition):
    edition = hand_counted_edition
    user = MembershipFactory(organisation=edition.series.organisation).user
    body = token_client(user).get(edition_url(edition)).json()
    assert body["total"] == edition.hand_count["edition"]
    by_site = {site["site"]: site["figures"] for site in body["sites"]}
    assert by_site["Torgau"] == edition.hand_count["torgau"]
    assert by_site["Oschatz"] == edition.hand_count["oschatz"]
    assert set(body["tables"]) == {"key", "sites", "arrivals", "history", "areas", "contacts"}
    contacts = {row[0]: row[1:] for row in body["tables"]["contacts"]["rows"]}
    assert contacts == {"Agrarhof Mockrehna": [2, 1, 3], "Pflegedienst Torgau": [1, 0, 1]}


def test_another_organisation_gets_404_from_the_api(hand_counted_edition):
    user = MembershipFactory().user
    assert token_client(user).get(edition_url(hand_counted_edition)).status_code == 404
    assert APIClient().get(edition_url(hand_counted_edition)).status_code in (401, 403)


def test_open_data_needs_no_sign_in_and_suppresses_small_counts(hand_counted_edition):
    edition = hand_counted_edition
    Event.objects.filter(pk__in=[edition.torgau.pk, edition.oschatz.pk]).update(
        status=Event.Status.PUBLISHED
    )
    response = APIClient().get(open_url(edition))
    assert response.status_code == 200
    body = response.json()
    hand = edition.hand_count
    # The edition: 32 visitors, 27 registered, 26 checked in, 6 walk-ins, 1 no-show (null).
    assert body["total"]["visitors"] == hand["edition"]["visitors"] == 32
    assert body["total"]["walk_ins"] == 6
    assert body["total"]["no_shows"] is None
    assert "no_shows" in body["suppressed"]
    assert body["total"]["exhibitors"] == 2 and body["total"]["offers_total"] == 5
    oschatz = next(site for site in body["sites"] if site["site"] == "Oschatz")
    # Oschatz: 4 visitors, 2 registered, 2 walk-ins: all under five, none shown.
    for name in ("visitors", "registered", "checked_in", "walk_ins"):
        assert oschatz["figures"][name] is None
        assert name in oschatz["suppressed"]
    assert oschatz["figures"]["no_shows"] == 0  # nobody to single out in a zero
    # Aggregates only: nothing of a person, no postcode areas, no schools.
    text = response.content.decode()
    for private in ("Oberschule Torgau", "postcode", "@example", "04860"):
        assert private not in text
    assert set(body["total"]) == set(api.OPEN_PERSON_FIGURES) | set(api.OPEN_OTHER_FIGURES)


def test_open_data_of_an_unpublished_series_is_not_found(hand_counted_edition):
    Event.objects.filter(series=hand_counted_edition.series).update(status=Event.Status.DRAFT)
    assert APIClient().get(open_url(hand_counted_edition)).status_code == 404


def test_the_schema_documents_both_endpoints(client):
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/figures/series/{id}/{year}/" in schema["paths"]
    assert "/api/open-data/series/{slug}/{year}/" in schema["paths"]
