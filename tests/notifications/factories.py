"""Factories and helpers for the notifications tests."""

from django.db import transaction

from notifications import outbox
from notifications.models import Purpose
from notifications.rendering import Rendered
from tests.factories import EventFactory


def write_test_message(
    *, to_email: str, event=None, purpose: str = Purpose.ANNOUNCEMENT_TEST, detail: str = ""
):
    """One outbox row about `event`, written in its own transaction like a service would."""
    event = event or EventFactory()
    with transaction.atomic():
        message, _created = outbox.write_message(
            purpose=purpose,
            to_email=to_email,
            language="de",
            rendered=Rendered(
                subject=f"Hallo {to_email}",
                text=f"Eine Nachricht für {to_email}.\n",
                html=f"<p>Eine Nachricht für {to_email}.</p>",
            ),
            related=event,
            event=event,
            detail=detail,
        )
    return message
