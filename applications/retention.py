"""Retention: an application, its PDFs and answers are erased a number of months after the
event on whose job wall it was sent (the organisation's setting
`exhibitor_contacts_retention_months`, default 6, shared with the stand contacts). The count
per event and company (ApplicationTally) stays for the figures."""

from datetime import datetime

from django.db import transaction

from infra.dates import months_after

from . import services
from .models import Application


@transaction.atomic
def erase_expired(*, now: datetime) -> int:
    """Erase every application whose event ended longer ago than its retention period."""
    erased = 0
    events = (
        Application.objects.values_list(
            "event_id", "event__ends_at", "event__organisation__exhibitor_contacts_retention_months"
        )
        .order_by()
        .distinct()
    )
    for event_id, ends_at, months in events:
        if months_after(ends_at, months) <= now:
            erased += services.erase(Application.objects.filter(event_id=event_id))
    return erased
