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


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=5)
def send_password_reset_mail(*, user_id: int, language: str) -> bool:
    """Mail a user the link to choose a new password (events_platform.password_reset)."""
    from .password_reset import send_reset_mail

    return send_reset_mail(user_id=user_id, language=language)
