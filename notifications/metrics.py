"""The outbox's lines on /metrics (infra/metrics.py), registered in NotificationsConfig.ready()."""

from datetime import datetime

from django.db.models import Count, Min

from .models import Message


def outbox_metrics(out, now: datetime) -> None:
    """Messages in the outbox by state, and the age of the oldest one still waiting."""
    by_state = dict(
        Message.objects.order_by()
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    states = [choice for choice, _label_text in Message.State.choices]
    out.family(
        "outbox_messages",
        "gauge",
        "Messages in the outbox, by state.",
        [({"state": state}, by_state.get(state, 0)) for state in states],
    )
    oldest = Message.objects.filter(state=Message.State.QUEUED).aggregate(oldest=Min("created_at"))[
        "oldest"
    ]
    out.family(
        "outbox_oldest_queued_age_seconds",
        "gauge",
        "Age of the oldest message still waiting to be sent (0 when none waits).",
        [({}, round((now - oldest).total_seconds(), 1) if oldest else 0)],
    )
