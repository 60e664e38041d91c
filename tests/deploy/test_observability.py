"""Request ids: returned to the caller, on every log line (plain and JSON), and carried from
the request into the Celery tasks it queued, down to the worker's log."""

import io
import json
import logging
import os
import re
import time
from pathlib import Path

import pytest
from celery import signals
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from pythonjsonlogger.json import JsonFormatter

from infra.heartbeat import record_heartbeat
from infra.observability import (
    RequestIdFilter,
    RequestIdMiddleware,
    current_request_id,
)

ROOT = Path(__file__).resolve().parents[2]


def json_handler(buffer: io.StringIO) -> logging.Handler:
    """A handler built exactly like settings.LOGGING's "json" console handler."""
    config = dict(settings.LOGGING["formatters"]["json"])
    config.pop("()")
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter(**config))
    handler.addFilter(RequestIdFilter())
    return handler


@pytest.mark.django_db
def test_every_response_has_a_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


@pytest.mark.django_db
def test_a_sane_incoming_request_id_is_kept_and_junk_is_replaced(client):
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a9c21-0001")
    assert kept["X-Request-ID"] == "lb-7f3a9c21-0001"
    junk = client.get("/healthz", HTTP_X_REQUEST_ID='"}{ injected\nline')
    assert re.fullmatch(r"[0-9a-f]{32}", junk["X-Request-ID"])


def test_json_log_line_of_a_request_carries_its_id():
    buffer = io.StringIO()
    log = logging.getLogger("tests.deploy.request")
    log.addHandler(json_handler(buffer))
    log.setLevel(logging.INFO)

    def view(request):
        log.info("registration received")
        return HttpResponse("ok")

    try:
        response = RequestIdMiddleware(view)(
            RequestFactory().get("/", HTTP_X_REQUEST_ID="req-1234567890")
        )
        log.info("after the request")
    finally:
        log.handlers.clear()
    during, after = (json.loads(line) for line in buffer.getvalue().splitlines())
    assert response["X-Request-ID"] == "req-1234567890"
    assert during["message"] == "registration received"
    assert during["request_id"] == "req-1234567890"
    assert during["level"] == "INFO" and during["logger"] == "tests.deploy.request"
    assert during["time"].endswith("+00:00")  # ISO 8601 in UTC
    assert after["request_id"] == "-"


def test_a_task_run_in_process_takes_the_request_id_from_its_headers():
    seen = {}

    def record(task=None, **kwargs):
        seen[task.name] = current_request_id()

    signals.task_prerun.connect(record, weak=False)
    try:
        record_heartbeat.apply(headers={"request_id": "req-from-headers-1"})
    finally:
        signals.task_prerun.disconnect(record)
    assert seen == {"infra.heartbeat.record_heartbeat": "req-from-headers-1"}
    assert current_request_id() == ""  # nothing leaks out of the task


def wait_for_line(path: Path, *needles: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in path.read_text().splitlines():
            if all(needle in line for needle in needles):
                return line
        time.sleep(0.2)
    raise AssertionError(f"no line with {needles} in {path}:\n{path.read_text()[-3000:]}")


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_the_worker_logs_a_task_with_the_id_of_the_request_that_queued_it(celery_worker):
    def view(request):
        record_heartbeat.delay()
        return HttpResponse("queued")

    response = RequestIdMiddleware(view)(
        RequestFactory().post("/", HTTP_X_REQUEST_ID="req-queued-9f8e7d6c")
    )
    assert response["X-Request-ID"] == "req-queued-9f8e7d6c"

    worker_log = ROOT / "var" / f"celery-worker-{os.getpid()}.log"
    line = wait_for_line(worker_log, "record_heartbeat", "succeeded", "req-queued-9f8e7d6c")
    if line.startswith("{"):  # LOG_FORMAT=json
        assert json.loads(line)["request_id"] == "req-queued-9f8e7d6c"
    else:  # the plain format: `time LEVEL logger [request id] message`
        assert "[req-queued-9f8e7d6c]" in line
