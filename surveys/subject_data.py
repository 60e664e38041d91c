"""What surveys store about a person, for data-subject requests (discovered by
dataprotection/subject_requests.py): the invitations to their address (and, before they
sent their answers, the draft of them). Sent answers of an anonymous survey cannot be found
by an address: nothing links them to it. Erasure empties the address and the draft; the
invitation stays as a count (invited, answered)."""

from datetime import datetime

from django.utils.translation import gettext as _

from dataprotection import registry, subject_requests

from .models import Invitation, Survey


def invitations_to(email: str, organisations=None):
    found = Invitation.objects.filter(email__iexact=email)
    return subject_requests.in_scope(found, organisations, "survey__organisation").select_related(
        "survey", "company"
    )


def export(email: str, *, organisations=None) -> list[subject_requests.Section]:
    fields = registry.copy_fields(Invitation)
    return [
        subject_requests.Section(
            key="survey_invitations",
            title=_("Invitations to surveys"),
            labels=subject_requests.labels(Invitation, fields),
            records=[
                subject_requests.record(invitation, fields)
                for invitation in invitations_to(email, organisations).order_by("pk")
            ],
        )
    ]


def erase(email: str, *, now: datetime, organisations=None) -> dict[str, int]:
    erased = invitations_to(email, organisations).update(email="", draft={})
    # The address typed into a survey's own list of addresses goes too.
    listed = subject_requests.in_scope(
        Survey.objects.filter(emails__icontains=email), organisations, "organisation"
    )
    removed = 0
    for survey in listed:
        lines = survey.emails.splitlines()
        kept = [line for line in lines if line.strip().lower() != email.strip().lower()]
        if len(kept) != len(lines):
            survey.emails = "\n".join(kept)
            survey.save(update_fields=["emails"])
            removed += 1
    return {"survey_invitations_anonymised": erased, "survey_lists_cleaned": removed}


def organisations(email: str) -> set[int]:
    invited = set(invitations_to(email).values_list("survey__organisation_id", flat=True))
    listed = Survey.objects.filter(emails__icontains=email)
    return invited | set(listed.values_list("organisation_id", flat=True))


subject_requests.register(
    "surveys", export=export, erase=erase, organisations=organisations, order=70
)
