"""The mail of this app: the company is told that a visitor withdrew their contact (through
the outbox, in the company's language, in the same transaction as the erasure)."""

from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from notifications.models import Message, Purpose
from notifications.outbox import write_message
from notifications.rendering import (
    absolute_url,
    compose,
    event_facts,
    greeting,
    language_of,
    sender_name,
)

from .models import Contact


def contact_withdrawn(*, contact: Contact, now: datetime | None = None) -> Message:
    """Tell the company that a visitor withdrew their contact; names no one (the company's
    copy is erased in the same transaction)."""
    company = contact.company
    event = contact.event
    language = language_of(company)

    def build() -> dict:
        return {
            "greeting": greeting(company.contact_name),
            "paragraphs": [
                _(
                    "A visitor you met at your stand has withdrawn their consent to share "
                    "their contact details with your company."
                ),
                _(
                    "We have erased their name, e-mail address, interests and your notes on "
                    "them from your contacts. Please also delete any copy you downloaded "
                    "(CSV, Excel or vCard)."
                ),
            ],
            "facts": event_facts(event),
            "qr_secret": "",
            "qr_cid": "",
            "action_label": _("Your stand contacts"),
            "action_url": absolute_url("leads:company-contacts"),
            "sender_name": sender_name(event),
        }

    rendered = compose(
        language=language,
        subject=gettext_noop("Contact withdrawn: %(event)s"),
        subject_params={"event": event.title},
        build=build,
    )
    message, _created = write_message(
        purpose=Purpose.CONTACT_WITHDRAWN,
        to_email=company.contact_email,
        language=language,
        rendered=rendered,
        related=contact,
        event=event,
        now=now,
    )
    return message
