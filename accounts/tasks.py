"""Password-reset mails, sent by a worker so the request takes the same time for every address."""

from celery import shared_task

from .password_reset import send_reset_mails


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=5)
def send_password_reset_mails(*, token: str, language: str) -> int:
    """Look up the accounts of a sealed address and mail each its reset link."""
    return send_reset_mails(token=token, language=language)
