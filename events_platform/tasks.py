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


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=5)
def send_password_reset_mails(*, token: str, language: str) -> int:
    """Look up the accounts of a sealed address and mail each its reset link."""
    from .password_reset import send_reset_mails

    return send_reset_mails(token=token, language=language)


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=5)
def send_data_link(*, token: str, language: str) -> bool:
    """Record a data request and mail the link if anything is stored about the address.

    `token` is the sealed address (events_platform.subject_requests.queue_data_link).
    """
    from . import subject_requests
    from .errors import DomainError

    try:
        email = subject_requests.email_from_token(token)
    except DomainError:  # waited in the queue longer than a link lives: nothing to send
        return False
    data_request = subject_requests.request_data_link(
        email=email, language=language, now=timezone.now()
    )
    return bool(data_request.result.get("sent"))
