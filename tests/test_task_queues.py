"""Tasks a test queues reach a worker only when the test started one (see tests/conftest.py):
the session's worker stays up on the test database, and a task of another test reaching it
during that test's teardown deadlocked with the TRUNCATE."""

import pytest
from django.conf import settings

from config.celery import app
from infra.heartbeat import record_heartbeat
from tests.conftest import parked_queue


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
