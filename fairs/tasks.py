"""Periodic jobs of the exhibitor side (scheduled in config/celery.py)."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def expire_stale_offers() -> int:
    """Decline waiting-list stand offers left unanswered for a week; returns how many."""
    return services.expire_stale_offers(now=timezone.now())


@shared_task
def anonymise_expired_booking_contacts() -> int:
    """Anonymise the people in stand bookings kept past the business-records period."""
    return services.anonymise_expired_booking_contacts(now=timezone.now())
