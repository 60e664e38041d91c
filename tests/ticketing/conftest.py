import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _forget_cached_public_keys():
    """The core caches public keys by event id, and ids repeat between tests (each test's
    rows are rolled back): forget them so a test never verifies with a previous test's key."""
    keys = [f"ticket-public-key:{event_id}" for event_id in range(1, 3000)]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


@pytest.fixture(params=[pytest.param("default"), pytest.param("sqlite", marks=pytest.mark.sqlite)])
def on_each_database(request):
    """Runs a test in the PostgreSQL pass and again in the SQLite pass."""
    return request.param
