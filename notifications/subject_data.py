"""What the messages app stores about a person, for data-subject requests (discovered by
dataprotection/subject_requests.py).

Erasure anonymises every message to the address (recipient, subject, text, headers) and
stops those not yet sent; the rows stay, so an announcement's delivery counts stay right.
An unsubscribe is kept: it is what keeps the address out of future announcements
(GDPR Art. 17(3)(b) and Art. 21(3)); it is shown in the copy and can be read there.
"""

from datetime import datetime

from django.utils.translation import gettext as _

from dataprotection import registry, subject_requests

from .models import Message, Suppression


def messages_to(email: str, organisations=None):
    found = Message.objects.filter(to_email__iexact=email)
    return subject_requests.in_scope(found, organisations, "organisation").select_related("event")


def export(email: str, *, organisations=None) -> list[subject_requests.Section]:
    # Which fields: derived from privacy.py (personal fields and their context).
    message_fields = registry.copy_fields(Message)
    messages = messages_to(email, organisations).order_by("created_at", "pk")
    sections = [
        subject_requests.Section(
            key="messages",
            title=_("E-mails sent to you"),
            labels=subject_requests.labels(Message, message_fields),
            records=[subject_requests.record(message, message_fields) for message in messages],
        )
    ]
    if organisations is None:
        suppressions = Suppression.objects.filter(email__iexact=email)
        suppression_fields = registry.copy_fields(Suppression)
        sections.append(
            subject_requests.Section(
                key="unsubscribes",
                title=_("Unsubscribed from announcements"),
                labels=subject_requests.labels(Suppression, suppression_fields),
                records=[subject_requests.record(s, suppression_fields) for s in suppressions],
                kept_note=_("Kept after an erasure, so that you receive no more announcements."),
            )
        )
    return sections


def erase(email: str, *, now: datetime, organisations=None) -> dict[str, int]:
    """Stop unsent messages to `email` and empty the personal fields of all of them."""
    messages = messages_to(email, organisations)
    stopped = messages.filter(state__in=[Message.State.QUEUED, Message.State.SENDING]).update(
        state=Message.State.FAILED, failed_at=now, claimed_at=None
    )
    anonymised = messages.update(**registry.blank_values(Message))
    counts = {"messages_anonymised": anonymised, "messages_stopped": stopped}
    if organisations is None:
        counts["unsubscribes_kept"] = Suppression.objects.filter(email__iexact=email).count()
    return counts


def organisations(email: str) -> set[int]:
    return set(
        messages_to(email)
        .exclude(organisation__isnull=True)
        .values_list("organisation_id", flat=True)
    )


subject_requests.register(
    "notifications", export=export, erase=erase, organisations=organisations, order=90
)
