"""Applications from visitors to job offers on the job wall.

An application belongs to one job offer and so to one company: only that company's people
and the applicant (by the secret link in their receipt) ever see it. The PDFs are kept in the
database (ApplicationFile), never under the public media path, and are served by a view that
asks who is asking. The event is the one on whose job wall the visitor applied: the
application is erased a number of months after it ends (retention.py); the count per event
and company stays (ApplicationTally) for the figures.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from events_platform.models import Event
from fairs.models import Company, JobOffer


def new_token() -> str:
    """An unguessable token for the applicant's secret link (192 bits)."""
    return secrets.token_urlsafe(24)


class Application(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_REVIEW = "in_review", _("In review")
        INVITED = "invited", _("Invited to an interview")
        DECLINED = "declined", _("Declined")

    job_offer = models.ForeignKey(
        JobOffer,
        verbose_name=_("job offer"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    # The offer's company, kept on the row so every query is scoped by it in one place.
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="applications"
    )
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), db_index=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    message = models.TextField(_("message"))
    language = models.CharField(_("language"), max_length=8, default="de")
    consent_text = models.TextField(_("consent wording"))
    consent_language = models.CharField(_("language of the consent"), max_length=8)
    consent_at = models.DateTimeField(_("consent given"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("sent"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [models.Index(fields=["company", "job_offer", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.name} → {self.job_offer}"


class ApplicationFile(models.Model):
    """A CV or cover letter (PDF, checked by pdfcheck.py), stored in the database."""

    class Kind(models.TextChoices):
        CV = "cv", _("CV")
        LETTER = "letter", _("Cover letter")

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("file name"), max_length=120)
    size = models.PositiveIntegerField(_("size in bytes"))
    pages = models.PositiveSmallIntegerField(_("pages"))
    data = models.BinaryField(_("content"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="one_file_per_kind")
        ]
        verbose_name = _("application file")
        verbose_name_plural = _("application files")

    def __str__(self) -> str:
        return self.name


class Answer(models.Model):
    """A company's message to the applicant (sent by mail, shown on the applicant's page)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="answers"
    )
    status = models.CharField(_("status"), max_length=16, choices=Application.Status.choices)
    body = models.TextField(_("message"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.application_id} {self.sent_at:%Y-%m-%d}"


class ApplicationTally(models.Model):
    """How many applications a company received at an event: kept after the erasure."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    received = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "company"], name="one_tally_per_company")
        ]

    def __str__(self) -> str:
        return f"{self.event_id}/{self.company_id}: {self.received}"
