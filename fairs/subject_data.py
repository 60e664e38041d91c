"""What the exhibitor side stores about a person, for data-subject requests (discovered by
dataprotection/subject_requests.py).

A company's contact person and the people who booked stands for it act for the company:
bookings, their contacts and the company profile are business records of the company, which
the organiser must keep for the statutory period (HGB § 257, AO § 147: commercial letters six
years after the end of the year; see FAIRS_BOOKING_RETENTION_YEARS and fairs/retention.py).
They are therefore shown in a copy but not erased on request (GDPR Art. 17(3)(b)); the
retention task anonymises the contacts when the period ends, and the company changes its
contact person itself in its profile.
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dataprotection import registry, subject_requests

from .models import Company, CompanyMember, StandBooking

KEPT_NOTE = gettext_noop(
    "Business record of the company: kept for the period the law on business records asks "
    "for, then anonymised."
)


def _users(email: str):
    return get_user_model().objects.filter(email__iexact=email)


def bookings_of(email: str, organisations=None):
    found = StandBooking.objects.filter(
        Q(requested_by__in=_users(email)) | Q(company__contact_email__iexact=email)
    )
    return subject_requests.in_scope(found, organisations, "fair__event__organisation")


def companies_of(email: str, organisations=None):
    found = Company.objects.filter(contact_email__iexact=email)
    if organisations is not None:
        found = found.filter(bookings__fair__event__organisation__in=organisations).distinct()
    return found


def export(email: str, *, organisations=None) -> list[subject_requests.Section]:
    # Which fields: derived from privacy.py (personal fields and their context).
    company_fields = registry.copy_fields(Company)
    booking_fields = registry.copy_fields(StandBooking)
    sections = [
        subject_requests.Section(
            key="company_contacts",
            title=_("Contact person of a company"),
            labels=subject_requests.labels(Company, company_fields),
            records=[
                subject_requests.record(c, company_fields)
                for c in companies_of(email, organisations)
            ],
            kept_note=_(KEPT_NOTE),
        ),
        subject_requests.Section(
            key="stand_bookings",
            title=_("Stand bookings"),
            labels=subject_requests.labels(StandBooking, booking_fields),
            records=[
                subject_requests.record(booking, booking_fields)
                for booking in bookings_of(email, organisations).select_related(
                    "company", "stand__hall", "fair__event"
                )
            ],
            kept_note=_(KEPT_NOTE),
        ),
    ]
    if organisations is None:
        members = CompanyMember.objects.filter(user__in=_users(email)).select_related("company")
        member_fields = registry.copy_fields(CompanyMember)
        sections.append(
            subject_requests.Section(
                key="company_accounts",
                title=_("Exhibitor accounts"),
                labels=subject_requests.labels(CompanyMember, member_fields),
                records=[subject_requests.record(m, member_fields) for m in members],
                kept_note=_(KEPT_NOTE),
            )
        )
    return sections


def erase(email: str, *, now: datetime, organisations=None) -> dict[str, int]:
    """Nothing is erased here: these are business records (see the module's docstring)."""
    kept = bookings_of(email, organisations).count() + companies_of(email, organisations).count()
    return {"business_records_kept": kept} if kept else {}


def organisations(email: str) -> set[int]:
    return set(bookings_of(email).values_list("fair__event__organisation_id", flat=True))


subject_requests.register(
    "fairs", export=export, erase=erase, organisations=organisations, order=30
)
