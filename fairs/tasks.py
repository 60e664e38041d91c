"""Periodic jobs of the exhibitor side (scheduled in events_platform/celery.py)."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def expire_stale_offers() -> int:
    """Decline waiting-list stand offers left unanswered for a week; returns how many."""
    return services.expire_stale_offers(now=timezone.now())
