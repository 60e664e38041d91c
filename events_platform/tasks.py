"""Core periodic tasks."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone


@shared_task
def record_heartbeat() -> str:
    """Write the time of the latest beat, so /healthz can tell whether beat and a worker run."""
    now = timezone.now().isoformat()
    cache.set("celery:heartbeat", now, timeout=None)
    return now
