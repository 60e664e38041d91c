"""Retention of sent messages: the copy of a mail to a visitor leaves with the visitor's data.

A message about an event holds the recipient's address, name and links; once the event's
organisation no longer keeps visitor data (Organisation.visitor_data_retention_days after the
event, as ticketing's erase_expired_visitor_data), the message is anonymised the same way an
erasure does it. The row stays (purpose, state, times), so delivery counts stay right.
Stand-booking mails are commercial letters and follow the bookings' retention
(fairs/services/retention.py); links to a person's data are anonymised after the visitor
retention default of 30 days.
"""

from datetime import datetime, timedelta

from django.db import transaction

from dataprotection import registry

from .models import Message, Purpose

# Commercial letters about stand bookings: kept with the booking records.
BUSINESS_PURPOSES = (
    Purpose.BOOKING_REQUESTED,
    Purpose.BOOKING_APPROVED,
    Purpose.BOOKING_REJECTED,
    Purpose.BOOKING_CANCELLED,
    Purpose.STAND_OFFER,
)
DATA_LINK_DAYS = 30
DONE = (Message.State.SENT, Message.State.FAILED)


@transaction.atomic
def anonymise_expired_messages(*, now: datetime) -> int:
    """Anonymise sent or failed messages past their retention; returns how many."""
    expired_ids = []
    candidates = (
        Message.objects.filter(state__in=DONE, event__ends_at__lt=now)
        .exclude(to_email="")
        .exclude(purpose__in=BUSINESS_PURPOSES)
        .values_list("pk", "event__ends_at", "event__organisation__visitor_data_retention_days")
    )
    for pk, ends_at, days in candidates.iterator():
        if ends_at + timedelta(days=days) <= now:
            expired_ids.append(pk)
    changed = (
        Message.objects.filter(pk__in=expired_ids).update(**registry.blank_values(Message))
        if expired_ids
        else 0
    )
    changed += (
        Message.objects.filter(
            purpose=Purpose.DATA_ACCESS_LINK,
            state__in=DONE,
            created_at__lte=now - timedelta(days=DATA_LINK_DAYS),
        )
        .exclude(to_email="")
        .update(**registry.blank_values(Message))
    )
    return changed
