"""The real parts the suite relies on work: the database, the broker and a worker, SMTP."""

import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection

from infra.heartbeat import record_heartbeat


@pytest.mark.postgres
@pytest.mark.django_db
def test_runs_on_postgresql():
    assert connection.vendor == "postgresql"


@pytest.mark.sqlite
@pytest.mark.django_db
def test_sqlite_takes_the_write_lock_up_front():
    assert connection.vendor == "sqlite"
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task(celery_worker):
    cache.delete("celery:heartbeat")
    result = record_heartbeat.apply_async()
    # The worker runs the task and writes the beat time into the shared cache.
    deadline = time.monotonic() + 30
    while cache.get("celery:heartbeat") is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert cache.get("celery:heartbeat") is not None
    assert result.id


def test_smtp_server_on_loopback_receives_mail(mailbox):
    mail.send_mail("Betreff äöü", "Grüße", "from@example.org", ["to@example.org"])
    received = mailbox.wait_for(1)
    assert received[0]["Subject"] == "Betreff äöü"
