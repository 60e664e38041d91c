"""What the stand contacts hold about a person, for data-subject requests (discovered by
dataprotection/subject_requests.py): the companies that hold the visitor's contact. Erasure
empties the company's copy and keeps the count."""

from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from dataprotection import subject_requests
from ticketing.models import Registration

from . import services
from .models import Contact


def _contacts(email: str, organisations=None):
    registrations = Registration.objects.filter(email__iexact=email)
    found = Contact.objects.filter(
        Q(registration__in=registrations) | Q(email__iexact=email), erased_at__isnull=True
    )
    return subject_requests.in_scope(found, organisations, "event__organisation")


def export(email: str, *, organisations=None) -> list[subject_requests.Section]:
    contacts = _contacts(email, organisations).select_related("company", "event")
    return [
        subject_requests.Section(
            key="stand_contacts",
            title=_("Companies that hold your contact from their stand"),
            labels={
                "company": _("Company"),
                "event": _("Fair and site"),
                "shared": _("Contact shared"),
                "name": _("Name"),
                "email": _("E-mail address"),
                "interests": _("Interests"),
                "note": _("Note"),
                "rating": _("Rating"),
                "tags": _("Tags"),
            },
            records=[
                {
                    "company": contact.company.name,
                    "event": str(contact.event),
                    "shared": subject_requests.plain(contact.shared),
                    "name": contact.name,
                    "email": contact.email,
                    "interests": contact.interests,
                    "note": contact.note,
                    "rating": contact.rating or "",
                    "tags": ", ".join(contact.tags or []),
                }
                for contact in contacts
            ],
        )
    ]


def erase(email: str, *, now: datetime, organisations=None) -> dict[str, int]:
    ids = list(_contacts(email, organisations).values_list("pk", flat=True))
    registrations = subject_requests.in_scope(
        Registration.objects.filter(email__iexact=email), organisations, "event__organisation"
    )
    erased = services.erase_contacts(
        ids, now=now, registration_ids=registrations.values_list("pk", flat=True)
    )
    return {"stand_contacts": erased} if erased else {}


def organisations(email: str) -> set[int]:
    return set(_contacts(email).values_list("event__organisation_id", flat=True))


# Before ticketing (20), which anonymises the registrations this provider finds contacts by.
subject_requests.register(
    "leads", export=export, erase=erase, organisations=organisations, order=15
)
