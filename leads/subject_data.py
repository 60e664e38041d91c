"""What the stand contacts hold about a person, for data-subject requests (discovered by
dataprotection/subject_requests.py): the companies that hold the visitor's contact. Erasure
empties the company's copy and keeps the count."""

from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
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


def contact_of(email: str, pk: int) -> Contact | None:
    """The person's contact `pk` (shared, not erased), or None: the withdraw link's check."""
    return _contacts(email).select_related("company", "event").filter(pk=pk).first()


def withdraw_url(email: str, contact: Contact) -> str:
    """The person's link to withdraw this one contact, authorised like "Ihre Daten"."""
    token = subject_requests.link_token(email, now=timezone.now())
    path = reverse("leads:data-withdraw", kwargs={"token": token, "pk": contact.pk})
    return settings.SITE_URL + path


def export(email: str, *, organisations=None) -> list[subject_requests.Section]:
    contacts = list(_contacts(email, organisations).select_related("company", "event__venue"))
    records = []
    for contact in contacts:
        record = {
            "company": contact.company.name,
            "event": subject_requests.name_of(contact.event),
            "shared": contact.shared,
            "name": contact.name,
            "email": contact.email,
            "interests": contact.interests,
        }
        if organisations is None:  # the person's own copy, never an organiser's
            # The company's note, rating and tags are data about the person (Art. 15 GDPR):
            # in their own copy; an organiser handling a request sees no company's notes.
            record["note"] = contact.note
            record["rating"] = contact.rating or ""
            record["tags"] = ", ".join(contact.tags or [])
            withdraw = _("Withdraw your contact from %(company)s")
            record["withdraw"] = subject_requests.Link(
                url=withdraw_url(email, contact), text=withdraw % {"company": contact.company.name}
            )
        records.append(record)
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
                "withdraw": _("Page to withdraw it"),
            },
            records=records,
            kept_note=_(
                "To withdraw your contact from one company, open its link: the company's "
                "copy is erased and the company is told."
            )
            if records and organisations is None
            else "",
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
