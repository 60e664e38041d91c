"""Periodic jobs of the stand contacts (on the one beat schedule in config/celery.py)."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def erase_expired_contacts() -> int:
    """Retention: erase stand contacts some months after their fair; the counts stay."""
    return services.erase_expired(now=timezone.now())
