"""/metrics: Celery queue lengths, task counters, the outbox and the beat heartbeat, in the
Prometheus text format, for a scraper that presents METRICS_TOKEN as a bearer token.

Without METRICS_TOKEN the endpoint does not exist (404). Infra reads no model: the apps
add their own lines through `register_collector` in their AppConfig.ready() (notifications:
the outbox), so dependencies point one way.
"""

import hmac
from collections.abc import Callable
from datetime import datetime

from celery import current_app as celery_app
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from infra import heartbeat
from infra.observability import metrics_redis, task_counter_key

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# kombu's Redis transport keeps a priority queue as extra lists named queue + SEP + step.
_KOMBU_PRIORITY_SEP = "\x06\x16"
_KOMBU_PRIORITY_STEPS = (3, 6, 9)


# Collectors the apps add: name -> `(out: Exposition, now: datetime) -> None`.
_collectors: dict[str, Callable[["Exposition", datetime], None]] = {}


def register_collector(name: str, collect: Callable[["Exposition", datetime], None]) -> None:
    """Add an app's metric families; one that fails shows as collector_up 0, not a 500."""
    _collectors[name] = collect


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


class Exposition:
    """Collects metric families and renders them in the Prometheus text format."""

    def __init__(self):
        self.lines: list[str] = []

    def family(self, name: str, kind: str, help_text: str, samples) -> None:
        self.lines.append(f"# HELP {name} {help_text}")
        self.lines.append(f"# TYPE {name} {kind}")
        for labels, value in samples:
            rendered = ",".join(f'{key}="{_label(str(val))}"' for key, val in labels.items())
            self.lines.append(f"{name}{{{rendered}}} {value}" if rendered else f"{name} {value}")

    def render(self) -> str:
        return "\n".join(self.lines) + "\n"


def _queue_names() -> list[str]:
    names = {settings.CELERY_TASK_DEFAULT_QUEUE}
    for queue in celery_app.conf.task_queues or ():
        names.add(queue.name)
    return sorted(names)


def _broker_metrics(out: Exposition) -> None:
    if not celery_app.conf.broker_url.startswith(("redis://", "rediss://")):
        return
    lengths = []
    with celery_app.connection_for_write() as connection:
        client = connection.default_channel.client
        for name in _queue_names():
            keys = [name] + [f"{name}{_KOMBU_PRIORITY_SEP}{s}" for s in _KOMBU_PRIORITY_STEPS]
            lengths.append(({"queue": name}, sum(client.llen(key) for key in keys)))
        unacked = client.hlen("unacked")
    out.family("celery_queue_length", "gauge", "Tasks waiting in the broker for a worker.", lengths)
    out.family(
        "celery_unacked_tasks",
        "gauge",
        "Tasks a worker has taken but not yet acknowledged.",
        [({}, unacked)],
    )


def _task_counters(out: Exposition) -> None:
    client = metrics_redis()
    if client is None:
        return
    samples = []
    for field, count in sorted(client.hgetall(task_counter_key()).items()):
        name, _, state = field.decode().rpartition("|")
        samples.append(({"task": name, "state": state}, int(count)))
    out.family(
        "celery_tasks_total", "counter", "Tasks finished, by task name and final state.", samples
    )


def _heartbeat_metrics(out: Exposition, now: datetime) -> None:
    beat = cache.get("celery:heartbeat")
    age = -1.0
    if beat:
        age = round((now - datetime.fromisoformat(beat)).total_seconds(), 1)
    out.family(
        "celery_heartbeat_age_seconds",
        "gauge",
        "Seconds since a worker last ran the heartbeat that beat schedules (-1: never).",
        [({}, age)],
    )
    for name, key, help_text in (
        (
            "celery_worker_heartbeat_age_seconds",
            heartbeat.WORKER_KEY,
            "Seconds since the youngest heartbeat of a running worker process (-1: never).",
        ),
        (
            "celery_beat_tick_age_seconds",
            heartbeat.BEAT_KEY,
            "Seconds since beat last handed a task to the broker (-1: never).",
        ),
    ):
        seen = heartbeat.age_seconds(key, now)
        out.family(name, "gauge", help_text, [({}, -1.0 if seen is None else round(seen, 1))])


def _authorised(request) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(given) and hmac.compare_digest(given.encode(), token.encode())


@never_cache
@require_GET
def metrics(request):
    """Prometheus text exposition; 404 when METRICS_TOKEN is unset, 401 without the token."""
    if not settings.METRICS_TOKEN:
        raise Http404
    if not _authorised(request):
        response = HttpResponse(
            "A bearer token is required.\n", status=401, content_type=CONTENT_TYPE
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    now = timezone.now()
    out = Exposition()
    failures = []
    collectors = [
        ("broker", lambda: _broker_metrics(out)),
        ("task_counters", lambda: _task_counters(out)),
        *((name, lambda c=collect: c(out, now)) for name, collect in _collectors.items()),
        ("heartbeat", lambda: _heartbeat_metrics(out, now)),
    ]
    for name, collect in collectors:
        try:
            collect()
        except Exception:  # noqa: BLE001 - one part down (Redis) must not hide the others
            failures.append(name)
    out.family(
        "events_platform_metrics_collector_up",
        "gauge",
        "1 when this part of the metrics could be read, 0 when it failed.",
        [({"collector": name}, 0 if name in failures else 1) for name, _collect in collectors],
    )
    return HttpResponse(out.render(), content_type=CONTENT_TYPE)
