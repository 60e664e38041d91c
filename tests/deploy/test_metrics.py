"""/metrics: off without a token, refused without the right one, and with it the figures an
operator watches: queue length, finished tasks, outbox by state, the heartbeat."""

import os
import re

import pytest
from django.apps import apps
from django.utils import timezone

from config.celery import app as celery_app
from infra.heartbeat import record_heartbeat

TOKEN = "metrics-test-token-0123456789"


def sample(body: str, name: str, **labels) -> float:
    rendered = ",".join(f'{key}="{value}"' for key, value in labels.items())
    pattern = "^" + re.escape(f"{name}{{{rendered}}}" if rendered else name) + r" (\S+)$"
    match = re.search(pattern, body, re.MULTILINE)
    assert match, f"{name} {labels} not in:\n{body}"
    return float(match.group(1))


@pytest.mark.django_db
def test_without_a_token_setting_there_is_no_endpoint(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404


@pytest.mark.django_db
def test_a_missing_or_wrong_token_is_refused(client, settings):
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token")
    assert wrong.status_code == 401
    assert wrong["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.celery
@pytest.mark.django_db
def test_queue_length_task_counters_outbox_and_heartbeat(client, settings):
    settings.METRICS_TOKEN = TOKEN
    # A queue no worker reads, so the tasks stay where the operator would see them.
    queue = f"metrics-test-{os.getpid()}"
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    message = apps.get_model("notifications", "Message")
    message.objects.create(
        purpose="reminder",
        dedup_key="metrics-test-failed",
        to_email="besucher@example.org",
        subject="Erinnerung",
        body_text="Text",
        body_html="<p>Text</p>",
        next_attempt_at=timezone.now(),
        state=message.State.FAILED,
        failed_at=timezone.now(),
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}
    before = client.get("/metrics", **auth).content.decode()
    done_before = (
        sample(before, "celery_tasks_total", task=record_heartbeat.name, state="SUCCESS")
        if record_heartbeat.name in before
        else 0.0
    )

    try:
        for _ in range(3):
            record_heartbeat.apply_async(queue=queue)
        record_heartbeat.apply()  # runs here and is counted like a worker's run
        response = client.get("/metrics", **auth)
    finally:
        with celery_app.connection_for_write() as connection:
            connection.default_channel.client.delete(queue)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    body = response.content.decode()
    assert sample(body, "celery_queue_length", queue=queue) == 3
    assert (
        sample(body, "celery_tasks_total", task=record_heartbeat.name, state="SUCCESS")
        == done_before + 1
    )
    assert sample(body, "outbox_messages", state="failed") == 1
    assert sample(body, "outbox_messages", state="queued") == 0
    assert 0 <= sample(body, "celery_heartbeat_age_seconds") < 60
    for collector in ("broker", "task_counters", "outbox", "heartbeat"):
        assert sample(body, "events_platform_metrics_collector_up", collector=collector) == 1
