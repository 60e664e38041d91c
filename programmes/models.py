"""Programmes such as "Mentoring für internationale Fachkräfte": a page in German, English
and plain language, the platform events that belong to it, the companies that signed up,
their mentors and mentees (with the consent each gave), the pairs and the messages sent to
the programme's participants."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from events_platform.models import Event, Organisation
from fairs.models import Company
from surveys.models import Survey

# The variant of a programme's texts: German, English, or plain German (Leichte Sprache).
PLAIN = "plain"


class Programme(models.Model):
    """A programme of an organisation, with its page and its events."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    slug = models.SlugField(_("short name"), max_length=120, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_plain = models.CharField(_("title (plain language)"), max_length=200, blank=True)
    offer_de = models.TextField(_("what it offers (German)"))
    offer_en = models.TextField(_("what it offers (English)"), blank=True)
    offer_plain = models.TextField(_("what it offers (plain language)"), blank=True)
    audience_de = models.TextField(_("for whom (German)"))
    audience_en = models.TextField(_("for whom (English)"), blank=True)
    audience_plain = models.TextField(_("for whom (plain language)"), blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    # One partner a line (names of companies, chambers, agencies: the same in every language).
    partners = models.TextField(_("partners"), blank=True, help_text=_("One partner a line."))
    events = models.ManyToManyField(
        Event,
        through="ProgrammeEvent",
        verbose_name=_("events"),
        related_name="programmes",
        blank=True,
    )
    # The company survey whose results the programme was built from (its results link here).
    survey = models.ForeignKey(
        Survey,
        verbose_name=_("built from the survey"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programmes",
    )
    signup_open = models.BooleanField(_("companies may sign up"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-starts_on", "title_de"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.title_de

    def text(self, name: str, variant: str | None = None) -> str:
        """The text `name` in `variant` (de, en, plain; default: the active language),
        falling back to German."""
        variant = variant or (get_language() or "de")[:2]
        return getattr(self, f"{name}_{variant}", "") or getattr(self, f"{name}_de", "")

    @property
    def title(self) -> str:
        return self.text("title")

    @property
    def partner_list(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]

    @property
    def has_plain(self) -> bool:
        return bool(self.title_plain and self.offer_plain)


class ProgrammeEvent(models.Model):
    """An ordinary platform event that belongs to a programme, with its role there."""

    class Role(models.TextChoices):
        KICKOFF = "kickoff", _("Kick-off workshop")
        SESSION = "session", _("Session")
        CLOSING = "closing", _("Closing event")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="programme_events"
    )
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.SESSION)

    class Meta:
        ordering = ["event__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "event"], name="programme_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.event}"


class Need(models.TextChoices):
    """What a company needs help with when onboarding international employees."""

    LANGUAGE = "language", _("German language courses")
    RECOGNITION = "recognition", _("Recognition of foreign qualifications")
    AUTHORITIES = "authorities", _("Dealing with the authorities (residence, work permit)")
    HOUSING = "housing", _("Finding a home")
    FAMILY = "family", _("Family, school and childcare")
    TEAM = "team", _("Welcoming them in the team")


class Signup(models.Model):
    """A company's sign-up to a programme, by one of its people."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Signed up")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="signups"
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="programme_signups",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    international_employees = models.PositiveSmallIntegerField(
        _("international employees to onboard")
    )
    needs = models.JSONField(_("needs"), default=list, blank=True)
    needs_text = models.TextField(_("other needs"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="de"
    )
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed up by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_up_at = models.DateTimeField(_("signed up at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["company__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "company"], name="programme_signup_once")
        ]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")

    def __str__(self) -> str:
        return f"{self.company} → {self.programme}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def need_labels(self) -> list[str]:
        labels = dict(Need.choices)
        return [str(labels[need]) for need in self.needs if need in labels]


class Participant(models.Model):
    """A mentor or mentee, an employee of a signed-up company, entered by the company with
    the consent the person gave (the wording, its language and the time are kept)."""

    class Role(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")

    signup = models.ForeignKey(
        Signup, verbose_name=_("sign-up"), on_delete=models.CASCADE, related_name="participants"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), blank=True)
    job = models.CharField(_("job"), max_length=200, blank=True)
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)
    consent_text = models.TextField(_("text agreed to"))
    consent_language = models.CharField(_("language of the consent"), max_length=8)
    consent_version = models.CharField(_("text version"), max_length=40)
    consent_given_at = models.DateTimeField(_("consent given at"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["role", "name"]
        verbose_name = _("mentor or mentee")
        verbose_name_plural = _("mentors and mentees")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class Pair(models.Model):
    """A mentor and a mentee the organiser paired; a mentee has one mentor at a time."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="pairs")
    mentor = models.ForeignKey(
        Participant,
        verbose_name=_("mentor"),
        on_delete=models.CASCADE,
        related_name="mentees_paired",
    )
    mentee = models.OneToOneField(
        Participant,
        verbose_name=_("mentee"),
        on_delete=models.CASCADE,
        related_name="pair",
    )
    paired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    paired_at = models.DateTimeField(_("paired at"))

    class Meta:
        ordering = ["mentor__name", "mentee__name"]
        verbose_name = _("pair")
        verbose_name_plural = _("pairs")

    def __str__(self) -> str:
        return f"{self.mentor.name} – {self.mentee.name}"


class ProgrammeMessage(models.Model):
    """A message of the organiser to the programme's participants; sent once."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="messages")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("message to the participants")
        verbose_name_plural = _("messages to the participants")

    def __str__(self) -> str:
        return self.subject
