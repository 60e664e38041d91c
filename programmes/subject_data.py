"""What programmes store about a person, for data-subject requests (discovered by
dataprotection/subject_requests.py): a mentor's or mentee's record (erased on request, with
the pair) and a company's sign-up contact (a business contact of the company: shown, kept
until the retention period ends, changed by the company itself)."""

from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dataprotection import registry, subject_requests

from .models import Participant, Signup

KEPT_NOTE = gettext_noop(
    "Contact of a company in a programme: kept until some months after the programme ends, "
    "then erased."
)


def participants_of(email: str, organisations=None):
    found = Participant.objects.filter(email__iexact=email).select_related("signup__programme")
    return subject_requests.in_scope(found, organisations, "signup__programme__organisation")


def signups_of(email: str, organisations=None):
    found = Signup.objects.filter(contact_email__iexact=email).select_related("programme")
    return subject_requests.in_scope(found, organisations, "programme__organisation")


def export(email: str, *, organisations=None) -> list[subject_requests.Section]:
    person_fields = registry.copy_fields(Participant)
    signup_fields = registry.copy_fields(Signup)
    return [
        subject_requests.Section(
            key="programme_participants",
            title=_("Mentor or mentee in a programme"),
            labels=subject_requests.labels(Participant, person_fields),
            records=[
                subject_requests.record(p, person_fields)
                for p in participants_of(email, organisations)
            ],
        ),
        subject_requests.Section(
            key="programme_signups",
            title=_("Contact of a company in a programme"),
            labels=subject_requests.labels(Signup, signup_fields),
            records=[
                subject_requests.record(s, signup_fields) for s in signups_of(email, organisations)
            ],
            kept_note=_(KEPT_NOTE),
        ),
    ]


def erase(email: str, *, now: datetime, organisations=None) -> dict[str, int]:
    """Mentors and mentees are erased (with their pairs); sign-up contacts are kept."""
    people = participants_of(email, organisations)
    erased = people.count()
    people.delete()
    result = {"programme_participants": erased} if erased else {}
    kept = signups_of(email, organisations).count()
    if kept:
        result["business_records_kept"] = kept
    return result


def organisations(email: str) -> set[int]:
    return set(
        participants_of(email).values_list("signup__programme__organisation_id", flat=True)
    ) | set(signups_of(email).values_list("programme__organisation_id", flat=True))


subject_requests.register(
    "programmes", export=export, erase=erase, organisations=organisations, order=60
)
