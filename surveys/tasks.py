"""The survey's jobs on the one beat schedule (config/celery.py)."""

from celery import shared_task
from django.utils import timezone

from . import retention, services


@shared_task
def remind_and_close() -> dict:
    """Open scheduled surveys whose start has come, send the automatic reminders that are
    due, close surveys whose time has passed."""
    now = timezone.now()
    return {
        "opened": services.open_due(now=now),
        "reminded": services.remind_due(now=now),
        "closed": services.close_due(now=now),
    }


@shared_task
def erase_expired_invitations() -> int:
    return retention.erase_expired_invitations(now=timezone.now())
