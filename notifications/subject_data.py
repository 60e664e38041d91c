"""What the messages app stores about a person, for data-subject requests (discovered by
dataprotection/subject_requests.py).

Erasure anonymises every message to the address (recipient, subject, text, headers) and
stops those not yet sent; the rows stay, so an announcement's delivery counts stay right.
An unsubscribe is kept: it is what keeps the address out of future announcements
(GDPR Art. 17(3)(b) and Art. 21(3)); it is shown in the copy and can be read there.
"""

from datetime import datetime

from django.utils.translation import gettext as _

from dataprotection import subject_requests

from .models import Message, Suppression

MESSAGE_FIELDS = ["created_at", "purpose", "subject", "state", "sent_at", "event"]
SUPPRESSION_FIELDS = ["email", "reason", "created_at"]


def messages_to(email: str, organisations=None):
    found = Message.objects.filter(to_email__iexact=email)
    return subject_requests.in_scope(found, organisations, "organisation").select_related("event")


def export(email: str, *, organisations=None) -> list[subject_requests.Section]:
    messages = messages_to(email, organisations).order_by("created_at", "pk")
    sections = [
        subject_requests.Section(
            key="messages",
            title=_("E-mails sent to you"),
            labels=subject_requests.labels(Message, MESSAGE_FIELDS),
            records=[subject_requests.record(message, MESSAGE_FIELDS) for message in messages],
        )
    ]
    if organisations is None:
        suppressions = Suppression.objects.filter(email__iexact=email)
        sections.append(
            subject_requests.Section(
                key="unsubscribes",
                title=_("Unsubscribed from announcements"),
                labels=subject_requests.labels(Suppression, SUPPRESSION_FIELDS),
                records=[subject_requests.record(s, SUPPRESSION_FIELDS) for s in suppressions],
                kept_note=_("Kept after an erasure, so that you receive no more announcements."),
            )
        )
    return sections


def erase(email: str, *, now: datetime, organisations=None) -> dict[str, int]:
    """Stop unsent messages to `email` and blank the address and texts of all of them."""
    messages = messages_to(email, organisations)
    stopped = messages.filter(state__in=[Message.State.QUEUED, Message.State.SENDING]).update(
        state=Message.State.FAILED, failed_at=now, claimed_at=None
    )
    anonymised = messages.update(
        to_email="",
        subject="",
        body_text="",
        body_html="",
        headers={},
        attachments=[],
        last_error="",
    )
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
