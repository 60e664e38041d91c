"""What applications store about a person, for data-subject requests (discovered by
dataprotection/subject_requests.py): the applications sent from an e-mail address. Erasing
them is withdrawing them: each company is told, and its copy is deleted."""

from datetime import datetime

from django.utils.translation import gettext as _

from dataprotection import registry, subject_requests

from . import services
from .mails import applicant_url
from .models import Application


def applications_of(email: str, organisations=None):
    found = Application.objects.filter(email__iexact=email.strip())
    return subject_requests.in_scope(found, organisations, "event__organisation")


def export(email: str, *, organisations=None) -> list[subject_requests.Section]:
    fields = registry.copy_fields(Application)
    labels = subject_requests.labels(Application, fields) | {"page": _("Page to withdraw it")}
    records = []
    for application in applications_of(email, organisations).select_related(
        "job_offer", "company", "event__venue"
    ):
        record = subject_requests.record(application, fields)
        if organisations is None:  # the person's own copy, never an organiser's
            record["page"] = subject_requests.Link(
                url=applicant_url(application), text=_("See or withdraw the application")
            )
        records.append(record)
    return [
        subject_requests.Section(
            key="applications",
            title=_("Applications to job offers"),
            labels=labels,
            records=records,
            kept_note=_(
                "Erasing your data withdraws these applications: each company is told, and "
                "its copy with your documents is deleted. To withdraw only one, open its page."
            )
            if records
            else "",
        )
    ]


def erase(email: str, *, now: datetime, organisations=None) -> dict[str, int]:
    """Withdraw every application (the companies are told), which deletes them."""
    withdrawn = 0
    for application in applications_of(email, organisations):
        services.withdraw(application=application)
        withdrawn += 1
    return {"applications_withdrawn": withdrawn} if withdrawn else {}


def organisations(email: str) -> set[int]:
    return set(applications_of(email).values_list("event__organisation_id", flat=True))


subject_requests.register(
    "applications", export=export, erase=erase, organisations=organisations, order=45
)
