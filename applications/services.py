"""The use cases of applications: send, answer, withdraw, erase.

Each runs in one transaction with its outbox rows (mails.py), so a mail goes out exactly when
the change is stored.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from events_platform.models import Event
from fairs import queries as fair_queries
from fairs.models import JobOffer
from infra.errors import DomainError

from . import mails
from .errors import ErrorCode
from .models import Answer, Application, ApplicationFile, ApplicationTally
from .pdfcheck import CheckedPdf

# Applications are taken until this long after the event's end.
OPEN_AFTER_EVENT = timedelta(weeks=4)


def consent_text(months: int) -> str:
    """The wording of the consent the applicant gives, in the active language."""
    return ngettext(
        "I agree that my application with its documents is passed to this company, which "
        "keeps it to decide on it. It is deleted at the latest %(months)s month after the "
        "event; I can withdraw it at any time.",
        "I agree that my application with its documents is passed to this company, which "
        "keeps it to decide on it. It is deleted at the latest %(months)s months after the "
        "event; I can withdraw it at any time.",
        months,
    ) % {"months": months}


def offers_on_wall(event: Event):
    """The job offers on the event's job wall (a company with a confirmed stand there)."""
    return fair_queries.job_wall(event=event, filters=fair_queries.DirectoryFilter())


def open_offer(*, offer_pk: int, event_slug: str, now: datetime) -> tuple[JobOffer, Event]:
    """The job offer and the event whose wall shows it; DoesNotExist when not on that wall."""
    event = Event.objects.published().select_related("organisation", "venue").get(slug=event_slug)
    offer = offers_on_wall(event).get(pk=offer_pk)
    return offer, event


def is_open(event: Event, *, now: datetime) -> bool:
    """Whether applications through the event's job wall are still taken."""
    return event.status == Event.Status.PUBLISHED and now <= event.ends_at + OPEN_AFTER_EVENT


@dataclass
class NewApplication:
    name: str
    email: str
    phone: str
    message: str
    cv: CheckedPdf
    cv_name: str
    letter: CheckedPdf
    letter_name: str


@transaction.atomic
def submit(*, offer: JobOffer, event: Event, data: NewApplication, now: datetime) -> Application:
    """Store the application with its PDFs and consent, mail the receipt and the company."""
    if not is_open(event, now=now):
        raise DomainError(
            _("This event no longer takes applications."), ErrorCode.APPLICATION_CLOSED
        )
    language = (get_language() or "de")[:2]
    application = Application.objects.create(
        job_offer=offer,
        company=offer.company,
        event=event,
        name=data.name,
        email=data.email.strip(),
        phone=data.phone,
        message=data.message,
        language=language if language in ("de", "en") else "de",
        consent_text=consent_text(event.organisation.exhibitor_contacts_retention_months),
        consent_language=language,
        consent_at=now,
        created_at=now,
    )
    for kind, pdf, name in (
        (ApplicationFile.Kind.CV, data.cv, data.cv_name),
        (ApplicationFile.Kind.LETTER, data.letter, data.letter_name),
    ):
        ApplicationFile.objects.create(
            application=application,
            kind=kind,
            name=safe_file_name(name, kind),
            size=len(pdf.data),
            pages=pdf.pages,
            data=pdf.data,
        )
    tally, _created = ApplicationTally.objects.get_or_create(event=event, company=offer.company)
    ApplicationTally.objects.filter(pk=tally.pk).update(received=F("received") + 1)
    mails.application_sent(application=application)
    mails.application_received(application=application)
    return application


def safe_file_name(name: str, kind: str) -> str:
    """A plain download name: letters, digits, dot, dash and underscore, ending in .pdf."""
    stem = (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem[:-4] if stem.lower().endswith(".pdf") else stem
    cleaned = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem).strip("._")[:80]
    return f"{cleaned or kind}.pdf"


@transaction.atomic
def answer(*, application: Application, status: str, body: str, by, now: datetime) -> Answer:
    """The company's answer: the new status, a message to the applicant by mail."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    application.status = status
    application.save(update_fields=["status", "updated_at"])
    reply = Answer.objects.create(
        application=application, status=status, body=body, sent_by=by, sent_at=now
    )
    mails.application_answered(application=application, answer=reply)
    return reply


@transaction.atomic
def mark_in_review(*, application: Application) -> None:
    """The first time a company's user opens a received application, it is in review."""
    Application.objects.filter(pk=application.pk, status=Application.Status.RECEIVED).update(
        status=Application.Status.IN_REVIEW, updated_at=timezone.now()
    )


@transaction.atomic
def withdraw(*, application: Application) -> None:
    """The applicant withdraws: the company is told, then everything of it is deleted."""
    application = (
        Application.objects.select_for_update()
        .select_related("job_offer", "company", "event__organisation")
        .get(pk=application.pk)
    )
    mails.application_withdrawn(application=application)
    application.delete()


def erase(applications) -> int:
    """Delete applications with their files and answers (the tallies stay)."""
    deleted, per_model = applications.delete()
    return per_model.get(Application._meta.label, 0)
