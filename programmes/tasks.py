"""Periodic jobs of programmes (scheduled in config/celery.py)."""

from celery import shared_task
from django.utils import timezone

from . import retention


@shared_task
def erase_expired_participants() -> int:
    """Erase mentors, mentees and sign-up contacts of programmes past the retention period."""
    return retention.erase_expired(now=timezone.now())
