"""Celery tasks of the outbox: thin, they take ids and call one service."""

from celery import shared_task
from django.utils import timezone

from . import outbox


@shared_task(acks_late=True)
def deliver_messages(message_ids: list[int], drain: bool = False) -> dict[str, int]:
    """Send these outbox messages (each is claimed first, so a re-delivery sends nothing);
    with `drain`, then every due message handed over meanwhile (outbox.wake)."""
    counts = outbox.deliver_messages(message_ids=list(message_ids))
    if drain:
        counts["sent"] += outbox.drain()
    return counts


@shared_task
def sweep_outbox() -> int:
    """Re-queue due messages whose task was lost and rows a dead worker left sending."""
    return outbox.sweep_outbox(now=timezone.now())


@shared_task
def send_due_reminders() -> int:
    """Write and queue every reminder that is due now."""
    from . import reminders

    return reminders.send_due_reminders(now=timezone.now())


@shared_task(acks_late=True)
def start_announcement_task(announcement_id: int) -> int:
    """Write and queue an announcement's messages (once; a second run finds nothing)."""
    from . import announcements

    return announcements.start_announcement(announcement_id=announcement_id, now=timezone.now())


@shared_task
def start_due_announcements() -> int:
    """Start announcements whose send time has come."""
    from . import announcements

    return announcements.start_due_announcements(now=timezone.now())


@shared_task
def send_daily_digests() -> int:
    """Write yesterday's summary for each organiser who chose one (once per day)."""
    from . import organiser_alerts

    return organiser_alerts.send_daily_digests(now=timezone.now())


@shared_task
def anonymise_expired_messages() -> int:
    """Anonymise copies of mails to visitors once their event's retention period is over."""
    from . import retention

    return retention.anonymise_expired_messages(now=timezone.now())
