"""Data-subject requests handled by a worker, so the answer time does not tell who is known."""

from celery import shared_task
from django.utils import timezone

from infra.errors import DomainError

from . import subject_requests


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=5)
def send_data_link(*, token: str, language: str) -> bool:
    """Record a data request and mail the link if anything is stored about the address.

    `token` is the sealed address (dataprotection.subject_requests.queue_data_link).
    """
    try:
        email = subject_requests.email_from_token(token)
    except DomainError:  # waited in the queue longer than a link lives: nothing to send
        return False
    data_request = subject_requests.request_data_link(
        email=email, language=language, now=timezone.now()
    )
    return bool(data_request.result.get("sent"))
