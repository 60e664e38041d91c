"""/healthz tells a load balancer whether the database and the broker answer."""

import pytest
from django.db import OperationalError, connection

from config.celery import app as celery_app
from tests.conftest import free_port


@pytest.mark.celery
@pytest.mark.django_db
def test_healthy_with_the_real_database_and_redis(client, settings):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.timeout(15)  # a broker that never answers must not hang the check
def test_unreachable_broker_gives_503(client, monkeypatch):
    # Nothing listens on a port that was just free: the connection is refused.
    closed = f"redis://127.0.0.1:{free_port()}/0"
    # The write URL first: it falls back to broker_url, and monkeypatch restores what it read.
    monkeypatch.setattr(celery_app.conf, "broker_write_url", closed)
    monkeypatch.setattr(celery_app.conf, "broker_url", closed)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "error"}


def test_broker_settings_are_restored_after_the_unreachable_broker_test(settings):
    # Guards the test above: a leaked broker URL would break every later publish.
    assert celery_app.conf.broker_write_url == settings.CELERY_BROKER_URL


@pytest.mark.django_db
def test_failing_database_gives_503(client):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    # A database cannot be stopped inside a test; a cursor that fails is what the view sees.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connection, "cursor", broken_cursor)
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "error"
    assert set(body) == {"status", "database", "broker"}
