"""A kept PostgreSQL connection is checked before a request uses it (CONN_HEALTH_CHECKS)
by looking at its socket (infra/postgresql): no statement while the connection is fine, and
a connection the server has ended is replaced before the request's first query."""

import time

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql.base import DatabaseWrapper as DjangoWrapper

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _check() -> None:
    """What Django does when a request starts on a kept connection."""
    connection.health_check_done = False
    connection.close_if_health_check_failed()


def _terminate(pid: int) -> None:
    """End the backend from another session, as a database restart would, and wait until
    it is gone."""
    settings = connection.get_connection_params()
    with psycopg.connect(**settings, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 30
        while admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            assert time.monotonic() < deadline, "the backend did not end"
            time.sleep(0.02)


def test_the_backend_is_ours():
    assert connection.settings_dict["ENGINE"] == "infra.postgresql"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_a_healthy_connection_is_kept_without_a_statement(monkeypatch):
    pid = _backend_pid()
    asked = []
    monkeypatch.setattr(DjangoWrapper, "is_usable", lambda self: asked.append(1) or True)

    _check()

    assert asked == []  # no SELECT 1
    assert connection.connection is not None
    assert _backend_pid() == pid


def test_a_connection_the_server_ended_is_replaced_before_the_first_query():
    pid = _backend_pid()
    _terminate(pid)

    _check()

    assert connection.connection is None  # closed by the check, not by a failed query
    assert _backend_pid() != pid


def test_a_connection_in_a_failed_transaction_is_asked_as_django_asks():
    _backend_pid()
    raw = connection.connection
    raw.autocommit = False
    try:
        with pytest.raises(psycopg.errors.DivisionByZero):
            raw.execute("SELECT 1 / 0")
        assert connection.is_usable() is False  # SELECT 1 fails in an aborted transaction
    finally:
        raw.rollback()
        raw.autocommit = True
    assert connection.is_usable() is True
