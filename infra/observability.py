"""What operators see: a request id on every log line, carried from the web request into the
Celery tasks it queued, JSON log fields, task counters, and optional Sentry.

- `RequestIdMiddleware` honours a sane incoming `X-Request-ID` (a proxy or a load balancer
  may set it) or makes one, and returns it in the response.
- `before_task_publish` copies the current id into the task's message headers;
  `task_prerun` puts it back into the context variable in the worker, so the log lines of
  the task (and of any task it queues) carry the id of the request that started it all.
- `RequestIdFilter` (on the log handler in settings.LOGGING) adds `request_id`, `task_id`
  and `task_name` to every record, for both the plain and the JSON format.
- `setup_logging` makes Celery's worker and beat log through settings.LOGGING instead of
  replacing the root handlers with their own format.
- `task_postrun` counts finished tasks per name and state in Redis (shown by /metrics).
- The workers' heartbeats and beat's ticks (infra.heartbeat) and the workaround
  for kombu's restore race (infra.broker) are installed with these hooks, since
  every Celery process imports this module through config.celery.
"""

import contextvars
import logging
import logging.config
import re
import uuid

from celery import signals

from infra import (
    broker,
    heartbeat,  # noqa: F401 - heartbeat: signal hooks on import
)

broker.install()

REQUEST_ID_HEADER = "X-Request-ID"
# The header travels into log lines: accept only a short token, never arbitrary text.
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
# Redis hash holding `task|state -> count`; read by infra.metrics.
TASK_COUNTER_KEY = "events_platform:metrics:tasks"

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
task_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("task_id", default="")
task_name_var: contextvars.ContextVar[str] = contextvars.ContextVar("task_name", default="")

logger = logging.getLogger(__name__)


def current_request_id() -> str:
    """The request id of the request or task this code runs in, or an empty string."""
    return request_id_var.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Give every request an id (the caller's X-Request-ID if it is sane) and return it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _ACCEPTABLE_ID.match(incoming) else new_request_id()
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds request_id, task_id and task_name to every record ("-" when there is none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = request_id_var.get()
        if not request_id and record.name == "gunicorn.access" and isinstance(record.args, dict):
            # gunicorn logs after the response: the id is the one the middleware returned.
            request_id = record.args.get("{x-request-id}o") or ""
        record.request_id = request_id or "-"
        record.task_id = task_id_var.get() or "-"
        record.task_name = task_name_var.get() or "-"
        return True


# --- Celery -------------------------------------------------------------------------------


@signals.setup_logging.connect
def configure_celery_logging(**kwargs) -> None:
    """Worker and beat log through settings.LOGGING (format from LOG_FORMAT, level LOG_LEVEL)."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@signals.before_task_publish.connect
def add_request_id_to_task_headers(headers=None, **kwargs) -> None:
    """Carry the current request id in the message headers of every task published."""
    request_id = request_id_var.get()
    if request_id and headers is not None and "request_id" not in headers:
        headers["request_id"] = request_id


def _request_id_of(task) -> str:
    request = getattr(task, "request", None)
    if request is None:
        return ""
    # Protocol 2 puts custom message headers on the request itself; apply(headers=…)
    # (eager runs) nests them under `headers`.
    found = getattr(request, "request_id", None)
    if not found:
        nested = getattr(request, "headers", None) or {}
        found = nested.get("request_id") if isinstance(nested, dict) else None
    return found if isinstance(found, str) and _ACCEPTABLE_ID.match(found) else ""


_task_tokens: dict[str, tuple] = {}


@signals.task_prerun.connect
def enter_task_context(task_id=None, task=None, **kwargs) -> None:
    """In the worker: the request id, task id and name of the task that starts now."""
    # An eager task run inside a request keeps that request's id.
    request_id = _request_id_of(task) or request_id_var.get()
    _task_tokens[task_id] = (
        request_id_var.set(request_id),
        task_id_var.set(task_id or ""),
        task_name_var.set(getattr(task, "name", "") or ""),
    )


@signals.task_postrun.connect
def leave_task_context(task_id=None, task=None, state=None, **kwargs) -> None:
    """Restore the context of before the task, and count it (name and final state)."""
    tokens = _task_tokens.pop(task_id, None)
    if tokens:
        for var, token in zip((request_id_var, task_id_var, task_name_var), tokens, strict=True):
            try:
                var.reset(token)
            except ValueError:  # set in another context (a thread that was swapped)
                var.set("")
    count_task(getattr(task, "name", "unknown"), state or "UNKNOWN")


_redis_client = None


def metrics_redis():
    """A Redis client for the counters (REDIS_URL), or None without Redis."""
    global _redis_client
    from django.conf import settings

    if not settings.REDIS_URL:
        return None
    if _redis_client is None:
        import redis

        _redis_client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
    return _redis_client


def task_counter_key() -> str:
    """The counters' Redis key, with the cache prefix (test runs and prod-like runs apart)."""
    from django.conf import settings

    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    return f"{prefix}:{TASK_COUNTER_KEY}" if prefix else TASK_COUNTER_KEY


def count_task(name: str, state: str) -> None:
    """Add one to the counter of tasks of this name that ended in this state."""
    client = metrics_redis()
    if client is None:
        return
    try:
        client.hincrby(task_counter_key(), f"{name}|{state}", 1)
    except Exception:  # a counter must never fail the task it counts
        logger.warning("Could not count task %s in Redis", name, exc_info=True)


# --- Sentry -------------------------------------------------------------------------------


def _tag_request_id(event, hint):
    from infra.logmask import mask_sentry_event

    request_id = request_id_var.get()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    # Secret links (ticket pages, feeds…) never leave for Sentry in a URL or message.
    return mask_sentry_event(event)


def init_sentry(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> None:
    """Send errors of web, worker and beat to Sentry, without personal data."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        # Visitors include minors: no IP addresses, cookies, user names or request bodies.
        send_default_pii=False,
        max_request_body_size="never",
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=_tag_request_id,
    )
