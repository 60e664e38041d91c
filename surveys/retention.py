"""Retention: the invitations' addresses and drafts of a closed survey are emptied
RETENTION_DAYS after it closed (the flags stay, so the counts stay right)."""

from datetime import datetime, timedelta

from .models import Invitation, Survey
from .privacy import RETENTION_DAYS


def erase_expired_invitations(*, now: datetime) -> int:
    cutoff = now - timedelta(days=RETENTION_DAYS)
    expired = Invitation.objects.filter(
        survey__state=Survey.State.CLOSED, survey__closes_at__lt=cutoff
    ).exclude(email="", draft={})
    return expired.update(email="", draft={})
