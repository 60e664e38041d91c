"""Every figure of figures/definitions.py against the hand count of the fixture."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from figures import definitions

pytestmark = pytest.mark.django_db


def _plain(figures) -> dict:
    return {name: value for name, value in figures.__dict__.items()}


def test_every_figure_of_each_site_matches_the_hand_count(hand_counted_edition):
    edition = hand_counted_edition
    sites = dict(
        (event.venue.town.lower(), figures)
        for event, figures in definitions.site_figures(edition.series)
    )
    assert set(sites) == {"torgau", "oschatz"}
    for town in ("torgau", "oschatz"):
        assert _plain(sites[town]) == edition.hand_count[town], town


def test_every_figure_of_the_edition_matches_the_hand_count(hand_counted_edition):
    edition = hand_counted_edition
    figures = definitions.series_figures(edition.series)
    assert _plain(figures) == edition.hand_count["edition"]
    # The edition of this year is the same edition.
    year = edition.torgau.starts_at.year
    assert definitions.series_figures(edition.series, year) == figures
