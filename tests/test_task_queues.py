"""Tasks a test queues reach a worker only when the test started one (see tests/conftest.py):
the session's worker stays up on the test database, and a task of another test reaching it
during that test's teardown deadlocked with the TRUNCATE."""

import pytest
from django.conf import settings

from config.celery import app
from infra.heartbeat import record_heartbeat
from tests.conftest import forget_parked_drains, parked_queue


def _waiting(queue: str) -> int:
    with app.connection_for_write() as connection:
        return connection.default_channel.client.llen(queue)


@pytest.mark.celery
def test_a_test_without_a_worker_queues_its_tasks_where_no_worker_reads():
    default = settings.CELERY_TASK_DEFAULT_QUEUE
    parked_before, default_before = _waiting(parked_queue(default)), _waiting(default)

    record_heartbeat.delay()

    assert _waiting(parked_queue(default)) == parked_before + 1
    assert _waiting(default) == default_before


@pytest.mark.celery
def test_a_test_with_the_worker_queues_its_tasks_for_it(celery_worker):
    assert app.conf.task_default_queue == settings.CELERY_TASK_DEFAULT_QUEUE


@pytest.mark.celery
@pytest.mark.django_db
def test_the_wake_up_key_of_a_parked_drain_is_cleared_after_the_test():
    """wake() sets the outbox's key and queues a drain, which is parked and never clears the
    key; the fixture's end clears it, or the next test's first mail would wait for nobody."""
    from django.core.cache import cache

    from notifications import outbox

    cache.delete(outbox.WAKE_KEY)
    parked_before = _waiting(parked_queue(settings.CELERY_TASK_DEFAULT_QUEUE))

    assert outbox.wake([1]) is True

    assert cache.get(outbox.WAKE_KEY) is not None
    assert _waiting(parked_queue(settings.CELERY_TASK_DEFAULT_QUEUE)) == parked_before + 1
    forget_parked_drains()
    assert cache.get(outbox.WAKE_KEY) is None
