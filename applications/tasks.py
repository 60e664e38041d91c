"""Periodic work of applications (on the one beat schedule, config/celery.py)."""

from celery import shared_task
from django.utils import timezone

from . import retention


@shared_task
def erase_expired_applications() -> int:
    """Erase applications (with their PDFs) past their organisation's retention period."""
    return retention.erase_expired(now=timezone.now())
