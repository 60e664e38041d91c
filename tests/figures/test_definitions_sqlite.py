"""The SQLite pass of the figures module: the same hand count and retention run."""

from datetime import timedelta

import pytest
from django.utils import timezone

from figures import definitions
from tests.figures.test_definitions import check_hand_count, plain, run_retention

pytestmark = [pytest.mark.sqlite, pytest.mark.django_db]


def test_the_hand_count_and_the_retention_run_on_sqlite(hand_counted_edition):
    edition = hand_counted_edition
    check_hand_count(edition)
    before = plain(definitions.series_figures(edition.series))
    run_retention(timezone.now() + timedelta(days=3650))
    assert plain(definitions.series_figures(edition.series)) == before
    check_hand_count(edition)
