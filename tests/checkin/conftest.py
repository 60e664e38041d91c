"""Check-in fixtures: a clean cache per test, and Chromium with a fake camera."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Public keys are cached by event id; SQLite reuses ids after a rolled-back test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
