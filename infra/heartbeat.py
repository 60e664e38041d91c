"""Signs of life of the Celery workers and of beat, for the readiness check and /metrics.

- Each worker's main process writes the time into the cache every
  WORKER_HEARTBEAT_INTERVAL seconds (a daemon thread started when the worker is ready), so
  a worker that died (or never started) stops the clock.
- Beat writes the time whenever it has handed a task to the broker (it hands over the
  heartbeat task every minute), so a beat that died or cannot reach the broker stops its
  clock too.

`/healthz?deep=1` (events_platform.views) answers 503 when the youngest worker heartbeat is
older than READINESS_WORKER_MAX_AGE or beat's last tick older than READINESS_BEAT_MAX_AGE;
/metrics shows both ages. The thresholds are settings (see .env.example).
"""

import logging
import threading
import time
from datetime import UTC, datetime

from celery import shared_task, signals

logger = logging.getLogger(__name__)

WORKER_KEY = "celery:worker-heartbeat"
BEAT_KEY = "celery:beat-tick"


def worker_interval() -> float:
    from django.conf import settings

    return settings.WORKER_HEARTBEAT_INTERVAL


def worker_max_age() -> float:
    from django.conf import settings

    return settings.READINESS_WORKER_MAX_AGE


def beat_max_age() -> float:
    from django.conf import settings

    return settings.READINESS_BEAT_MAX_AGE


def _write(key: str) -> None:
    from django.core.cache import cache

    try:
        cache.set(key, datetime.now(UTC).isoformat(), timeout=None)
    except Exception as error:  # noqa: BLE001 - Redis away: the clock simply stops
        logger.warning("Could not record %s: %s", key, error)


def record_worker_heartbeat() -> None:
    _write(WORKER_KEY)


def record_beat_tick() -> None:
    _write(BEAT_KEY)


def age_seconds(key: str, now: datetime | None = None) -> float | None:
    """Seconds since the time stored under key, or None when there is none."""
    from django.core.cache import cache

    value = cache.get(key)
    if not value:
        return None
    now = now or datetime.now(UTC)
    return max(0.0, (now - datetime.fromisoformat(value)).total_seconds())


_worker_thread: threading.Thread | None = None


@signals.worker_ready.connect
def _start_worker_heartbeat(**_kwargs) -> None:
    global _worker_thread
    if _worker_thread is not None:
        return

    def beat_forever() -> None:
        while True:
            record_worker_heartbeat()
            time.sleep(worker_interval())

    _worker_thread = threading.Thread(target=beat_forever, name="worker-heartbeat", daemon=True)
    _worker_thread.start()


_in_beat = False
_last_beat_write = 0.0


@signals.beat_init.connect
def _mark_beat(**_kwargs) -> None:
    global _in_beat
    _in_beat = True
    record_beat_tick()


@signals.after_task_publish.connect
def _beat_published(**_kwargs) -> None:
    global _last_beat_write
    if not _in_beat:
        return
    now = time.monotonic()
    if now - _last_beat_write >= 5:
        _last_beat_write = now
        record_beat_tick()


@shared_task
def record_heartbeat() -> str:
    """Write the time of the latest beat, so /healthz can tell whether beat and a worker run."""
    from django.core.cache import cache
    from django.utils import timezone

    now = timezone.now().isoformat()
    cache.set("celery:heartbeat", now, timeout=None)
    return now
