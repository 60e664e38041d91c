"""Stand contacts (reads): a company's own contacts, counts per company for organisers, and
the contacts a visitor shared."""

from django.db.models import Count, Q, QuerySet

from events_platform.models import Event
from fairs.models import Company, Fair

from .models import Contact


def company_contacts(company: Company) -> QuerySet:
    """The company's own contacts, newest first (erased ones are counts, not shown)."""
    return Contact.objects.filter(company=company, erased_at__isnull=True).select_related(
        "event__venue", "booking__stand__hall"
    )


def search(contacts: QuerySet, text: str) -> QuerySet:
    text = (text or "").strip()
    if not text:
        return contacts
    return contacts.filter(
        Q(name__icontains=text)
        | Q(email__icontains=text)
        | Q(note__icontains=text)
        | Q(interests__icontains=text)
        | Q(tags__icontains=text)
    )


def company_events(company: Company):
    """The fairs and sites at which the company has contacts."""
    return Event.objects.filter(stand_contacts__company=company).distinct().order_by("starts_at")


def counts_per_company(fair: Fair) -> list[dict]:
    """Contacts per company at a fair (counts only: shared and without sharing)."""
    return list(
        Contact.objects.filter(event=fair.event)
        .values("company__name")
        .annotate(
            total=Count("id"),
            shared=Count("id", filter=Q(shared=True)),
        )
        .order_by("company__name")
    )


def counts_per_company_and_site(events) -> list[dict]:
    """Contacts made per company and site (the funders' figures): counts only, erased rows
    included (retention keeps them as counts)."""
    return list(
        Contact.objects.filter(event__in=events)
        .values("event_id", "company_id", "company__name")
        .annotate(contacts=Count("id"))
        .order_by("event_id", "company__name")
    )
