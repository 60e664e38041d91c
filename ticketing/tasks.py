"""Periodic jobs of the visitor side (scheduled in config/celery.py). Each takes
its locks per event and re-checks state inside them, so two runs at once do no harm."""

from celery import shared_task
from django.utils import timezone

from . import counters, services


@shared_task
def expire_waitlist_offers() -> int:
    """Release waiting-list offers that ran out and offer the places to the next in line."""
    return services.expire_offers(now=timezone.now())


@shared_task
def release_unconfirmed_minors() -> int:
    """Release camp places whose guardian did not confirm within 72 h; delete their data."""
    return services.release_unconfirmed_minors(now=timezone.now())


@shared_task
def promote_waiting_lists() -> int:
    """Offer places that became free without a cancellation (an organiser raised a capacity)."""
    return services.promote_waiting_lists(now=timezone.now())


@shared_task
def erase_expired_visitor_data() -> int:
    """Anonymise visitor data after the organisation's retention period."""
    return services.erase_expired_visitor_data(now=timezone.now())


@shared_task
def erase_expired_medical_notes() -> int:
    """Erase medical notes and emergency contacts a week after the camp's end."""
    return services.erase_expired_medical_notes(now=timezone.now())


@shared_task
def check_place_counters() -> int:
    """Compare every place counter with the registrations; log each that differs."""
    return counters.report_drift()
