"""`/healthz?deep=1` is the readiness check for operators and compose: besides the database
and the broker it needs a living Celery worker and a beat that ticks, and says which part is
missing. /metrics shows how old both signs of life are. Plain /healthz (for the load
balancer) stays about the web process's own dependencies."""

from datetime import UTC, datetime, timedelta

import pytest
from celery import signals
from django.core.cache import cache

from infra import heartbeat
from tests.deploy.test_metrics import TOKEN, sample


@pytest.fixture
def no_signs_of_life():
    cache.delete_many([heartbeat.WORKER_KEY, heartbeat.BEAT_KEY])
    yield
    cache.delete_many([heartbeat.WORKER_KEY, heartbeat.BEAT_KEY])


@pytest.mark.celery
@pytest.mark.django_db
def test_no_worker_and_no_beat_is_not_ready(client, no_signs_of_life):
    response = client.get("/healthz?deep=1")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "broker": "ok",
        "worker": "missing",
        "beat": "missing",
    }
    # The load balancer's check does not take the web processes out of service for it.
    assert client.get("/healthz").status_code == 200


@pytest.mark.celery
@pytest.mark.django_db
def test_a_recent_heartbeat_and_tick_are_ready(client, no_signs_of_life):
    heartbeat.record_worker_heartbeat()
    heartbeat.record_beat_tick()
    response = client.get("/healthz?deep=1")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "worker": "ok",
        "beat": "ok",
    }


@pytest.mark.celery
@pytest.mark.django_db
def test_a_dead_worker_is_named_with_the_age_of_its_last_heartbeat(
    client, no_signs_of_life, settings
):
    settings.READINESS_WORKER_MAX_AGE = 60
    old = datetime.now(UTC) - timedelta(seconds=300)
    cache.set(heartbeat.WORKER_KEY, old.isoformat(), timeout=None)
    heartbeat.record_beat_tick()
    response = client.get("/healthz?deep=1")
    assert response.status_code == 503
    body = response.json()
    assert body["worker"] == "stale"
    assert 299 <= body["worker_age_seconds"] <= 330
    assert body["beat"] == "ok"


@pytest.mark.celery
@pytest.mark.django_db
def test_a_beat_that_stopped_ticking_is_named(client, no_signs_of_life, settings):
    settings.READINESS_BEAT_MAX_AGE = 120
    heartbeat.record_worker_heartbeat()
    cache.set(
        heartbeat.BEAT_KEY,
        (datetime.now(UTC) - timedelta(seconds=200)).isoformat(),
        timeout=None,
    )
    body = client.get("/healthz?deep=1").json()
    assert (body["status"], body["worker"], body["beat"]) == ("error", "ok", "stale")


@pytest.mark.celery
@pytest.mark.django_db
def test_metrics_show_both_ages(client, settings, no_signs_of_life):
    settings.METRICS_TOKEN = TOKEN
    auth = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}
    body = client.get("/metrics", **auth).content.decode()
    assert sample(body, "celery_worker_heartbeat_age_seconds") == -1
    assert sample(body, "celery_beat_tick_age_seconds") == -1

    cache.set(
        heartbeat.BEAT_KEY,
        (datetime.now(UTC) - timedelta(seconds=90)).isoformat(),
        timeout=None,
    )
    heartbeat.record_worker_heartbeat()
    body = client.get("/metrics", **auth).content.decode()
    assert 0 <= sample(body, "celery_worker_heartbeat_age_seconds") < 30
    assert 90 <= sample(body, "celery_beat_tick_age_seconds") < 120


@pytest.mark.celery
@pytest.mark.django_db
def test_beat_records_its_tick_when_it_hands_over_a_task(no_signs_of_life, monkeypatch):
    # Only in the beat process: a web process publishing a task is no sign of beat's life.
    monkeypatch.setattr(heartbeat, "_in_beat", False)
    monkeypatch.setattr(heartbeat, "_last_beat_write", 0.0)
    signals.after_task_publish.send(sender="infra.heartbeat.record_heartbeat")
    assert heartbeat.age_seconds(heartbeat.BEAT_KEY) is None

    signals.beat_init.send(sender=None)
    assert heartbeat.age_seconds(heartbeat.BEAT_KEY) < 5
    cache.delete(heartbeat.BEAT_KEY)
    monkeypatch.setattr(heartbeat, "_last_beat_write", 0.0)
    signals.after_task_publish.send(sender="infra.heartbeat.record_heartbeat")
    assert heartbeat.age_seconds(heartbeat.BEAT_KEY) < 5
