"""Visitors: registrations, their places and waiting lists, consents, and signed tickets."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events_platform.models import Event, Session, TimeSlot, TranslatedFieldsMixin

from . import ages

# The most a school class may bring, whatever the event's capacity (a whole year group at
# most): the one bound of the model, the forms and the API (a typed 2147483648 is a 400).
MAX_PUPILS = 500
MAX_ADULTS = 50
# A camp keeps children's medical notes at most this many days after it ends.
MAX_MEDICAL_NOTES_DAYS = 30


# The statuses of a registration that is still active (queries.ACTIVE says the same).
ACTIVE_STATUSES = ["pending_guardian", "confirmed", "waitlisted", "offered"]


def new_token() -> str:
    """An unguessable token for a secret link (192 bits)."""
    return secrets.token_urlsafe(24)


class RegistrationSettings(models.Model):
    """Per-event registration settings that the core event does not carry."""

    event = models.OneToOneField(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="registration_settings",
    )
    offer_hours = models.PositiveIntegerField(_("waiting-list offer valid for (hours)"), default=48)
    guardian_required_under = models.PositiveSmallIntegerField(
        _("guardian must confirm for participants younger than"),
        null=True,
        blank=True,
        help_text=format_lazy(
            _("Age in years. Empty: {age} for camps, never for other events."),
            age=ages.AGE_OF_MAJORITY,
        ),
    )
    medical_notes_retention_days = models.PositiveSmallIntegerField(
        _("days after the camp until medical notes are erased"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_MEDICAL_NOTES_DAYS)],
        help_text=_("Empty: the platform's setting."),
    )
    allow_school_classes = models.BooleanField(
        _("school classes may register"),
        null=True,
        blank=True,
        help_text=_("Empty: yes for apprenticeship fairs."),
    )
    meeting_point = models.CharField(_("meeting point"), max_length=200, blank=True)
    departure_at = models.DateTimeField(_("departure"), null=True, blank=True)
    privacy_text_version = models.CharField(
        _("version of the privacy notice"), max_length=40, default="2026-01"
    )

    class Meta:
        verbose_name = _("registration settings")
        verbose_name_plural = _("registration settings")

    def __str__(self) -> str:
        return str(self.event)


class ExcursionStop(models.Model):
    """A school an excursion visits, in order."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="excursion_stops"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    school = models.CharField(_("school"), max_length=200)
    town = models.CharField(_("town"), max_length=120, blank=True)
    arrives_at = models.DateTimeField(_("arrival"), null=True, blank=True)

    class Meta:
        ordering = ["event", "position"]
        verbose_name = _("excursion stop")
        verbose_name_plural = _("excursion stops")

    def __str__(self) -> str:
        return f"{self.position}. {self.school}"


class Question(TranslatedFieldsMixin, models.Model):
    """A question the organiser asks everyone who registers for one event."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        CHOICE = "choice", _("Choice")
        MULTIPLE = "multiple", _("Multiple choice")
        YES_NO = "yes_no", _("Yes or no")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.TEXT)
    label_de = models.CharField(_("question (German)"), max_length=200)
    label_en = models.CharField(_("question (English)"), max_length=200, blank=True)
    choices_de = models.TextField(_("choices (German, one per line)"), blank=True)
    choices_en = models.TextField(_("choices (English, one per line)"), blank=True)
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        ordering = ["event", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.label_de

    @property
    def label(self) -> str:
        return self.translated("label")

    @property
    def choice_pairs(self) -> list[tuple[str, str]]:
        """(stored value, shown label): the German text is the value, so answers stay stable."""
        values = [line.strip() for line in self.choices_de.splitlines() if line.strip()]
        shown = [line.strip() for line in self.translated("choices").splitlines() if line.strip()]
        if len(shown) != len(values):
            shown = values
        return list(zip(values, shown, strict=True))


class Registration(models.Model):
    """One person's, or one school class's, registration for one event."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Person")
        SCHOOL_CLASS = "school_class", _("School class")
        CAMP_PARTICIPANT = "camp_participant", _("Camp participant")

    class Status(models.TextChoices):
        PENDING_GUARDIAN = "pending_guardian", _("Waiting for guardian")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        OFFERED = "offered", _("Place offered")
        CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")
        RELEASED = "released", _("Released")

    # Statuses that hold places: a pending camp place and an open offer are kept free.
    HOLDING = (Status.CONFIRMED, Status.PENDING_GUARDIAN, Status.OFFERED)

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="registrations"
    )
    time_slot = models.ForeignKey(
        TimeSlot,
        verbose_name=_("time slot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
    )
    sessions = models.ManyToManyField(
        Session, verbose_name=_("workshops"), blank=True, related_name="registrations"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.INDIVIDUAL)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices)
    headcount = models.PositiveIntegerField(_("persons"), default=1)

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), db_index=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # Optional: where visitors come from, for the funders' figures (by postcode area).
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    language = models.CharField(
        _("language for messages"), max_length=5, choices=settings.LANGUAGES, default="de"
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)

    school = models.CharField(_("school"), max_length=200, blank=True)
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    pupils = models.PositiveIntegerField(
        _("pupils"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PUPILS)],
    )
    adults = models.PositiveIntegerField(
        _("accompanying adults"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_ADULTS)],
    )

    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    guardian_name = models.CharField(_("parent or guardian"), max_length=200, blank=True)
    guardian_email = models.EmailField(_("guardian's e-mail address"), blank=True)
    guardian_phone = models.CharField(_("guardian's phone"), max_length=40, blank=True)
    emergency_contact = models.CharField(_("emergency contact"), max_length=200, blank=True)
    # Seen only by the organiser of this event, never in general exports.
    medical_notes = models.TextField(_("allergies and medical notes"), blank=True)
    guardian_token = models.CharField(max_length=64, blank=True, db_index=True)
    guardian_deadline = models.DateTimeField(_("guardian must confirm by"), null=True, blank=True)
    guardian_confirmed_at = models.DateTimeField(_("guardian confirmed"), null=True, blank=True)

    photo_consent = models.BooleanField(_("photos allowed"), default=False)
    share_contact_consent = models.BooleanField(
        _("contact may be shared with exhibitors"), default=False
    )

    manage_token = models.CharField(max_length=64, unique=True, default=new_token)
    waitlisted_at = models.DateTimeField(_("joined the waiting list"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled or released"), null=True, blank=True)
    by_organiser = models.BooleanField(_("added by the organiser"), default=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [
            models.Index(fields=["event", "status"], name="registration_event_status"),
            models.Index(fields=["event", "waitlisted_at"], name="registration_waitlist"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(headcount__gte=1), name="registration_headcount"),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="registration_offer_has_expiry",
            ),
            # One active registration per person and event (a school class may come twice):
            # registrations no longer wait for the event's lock, so the index decides.
            models.UniqueConstraint(
                F("event"),
                F("email"),
                Lower("name"),
                condition=Q(status__in=ACTIVE_STATUSES) & ~Q(kind="school_class") & ~Q(email=""),
                name="registration_one_active_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.event}"

    @property
    def is_active(self) -> bool:
        return self.status in (
            self.Status.CONFIRMED,
            self.Status.PENDING_GUARDIAN,
            self.Status.WAITLISTED,
            self.Status.OFFERED,
        )

    def is_minor_at(self, event: Event) -> bool:
        """True when the participant is under age on the event's day (unknown: not a minor)."""
        if not self.birth_date:
            return False
        return ages.age_at_event(self.birth_date, event) < ages.AGE_OF_MAJORITY


class ConsentRecord(models.Model):
    """What someone agreed to (or declined), in which text version, and when."""

    class Topic(models.TextChoices):
        PRIVACY = "privacy", _("Privacy notice")
        PHOTOS = "photos", _("Photos")
        SHARE_CONTACT = "share_contact", _("Sharing contact details with exhibitors")
        GUARDIAN = "guardian", _("Consent of the parent or guardian")

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    topic = models.CharField(_("topic"), max_length=24, choices=Topic.choices)
    granted = models.BooleanField(_("granted"))
    text_version = models.CharField(_("text version"), max_length=40)
    # The wording shown, in the language it was shown in (ticketing/consent_texts.py).
    text = models.TextField(_("text agreed to"), blank=True)
    given_by = models.CharField(_("given by"), max_length=200)
    # A parent consents for their child: given_by is the parent, given_for the child.
    given_for = models.CharField(
        _("given for"),
        max_length=200,
        blank=True,
        help_text=_("The child a parent or guardian consented for; empty: for themselves."),
    )
    given_at = models.DateTimeField(_("given at"))

    class Meta:
        ordering = ["given_at", "pk"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self) -> str:
        return f"{self.get_topic_display()}: {self.granted}"


class Ticket(models.Model):
    """The admission of a confirmed registration; its signed secret is what the QR code holds."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single ticket")
        GROUP = "group", _("Group ticket")

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="tickets"
    )
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="tickets",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SINGLE)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.VALID
    )
    serial = models.BigIntegerField(pgettext_lazy("ticket", "serial number"), unique=True)
    secret = models.CharField(_("signed secret"), max_length=160, unique=True)
    headcount = models.PositiveIntegerField(_("admits persons"), default=1)
    issued_at = models.DateTimeField(_("issued"))
    revoked_at = models.DateTimeField(pgettext_lazy("ticket", "revoked"), null=True, blank=True)

    class Meta:
        ordering = ["issued_at", "pk"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(status="valid"),
                name="ticket_one_valid_per_registration",
            ),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="ticket_headcount"),
        ]

    def __str__(self) -> str:
        return f"{self.serial} ({self.get_status_display()})"

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID

    @property
    def revoked(self) -> bool:
        return self.status == self.Status.REVOKED


class VisitorFeed(models.Model):
    """The secret address of one e-mail address's personal calendar of registered events."""

    email = models.EmailField(_("e-mail address"), unique=True)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(
        pgettext_lazy("calendar feed", "created at"), auto_now_add=True
    )

    class Meta:
        verbose_name = _("personal calendar feed")
        verbose_name_plural = _("personal calendar feeds")

    def __str__(self) -> str:
        return self.email


class PlaceCounter(models.Model):
    """The persons holding places in one event, one of its time slots or one of its workshops
    (confirmed, waiting for a guardian, or holding an open offer), beside that part's
    capacity. A place is taken by one conditional UPDATE of this row (ticketing/counters.py);
    the row is locked only from that UPDATE to the commit. A periodic check compares every
    counter with the registrations (counters.drift)."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="place_counters"
    )
    time_slot = models.ForeignKey(
        TimeSlot, verbose_name=_("time slot"), on_delete=models.CASCADE, null=True, blank=True
    )
    session = models.ForeignKey(
        Session, verbose_name=_("workshop"), on_delete=models.CASCADE, null=True, blank=True
    )
    # A copy of the part's capacity (None: no limit), kept in step by counters.py.
    capacity = models.PositiveIntegerField(_("capacity (persons)"), null=True, blank=True)
    taken = models.IntegerField(_("places taken"), default=0)

    class Meta:
        verbose_name = _("place counter")
        verbose_name_plural = _("place counters")
        constraints = [
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(time_slot__isnull=True, session__isnull=True),
                name="placecounter_one_per_event",
            ),
            models.UniqueConstraint(fields=["time_slot"], name="placecounter_one_per_slot"),
            models.UniqueConstraint(fields=["session"], name="placecounter_one_per_session"),
            models.CheckConstraint(condition=Q(taken__gte=0), name="placecounter_taken_positive"),
            models.CheckConstraint(
                condition=Q(time_slot__isnull=True) | Q(session__isnull=True),
                name="placecounter_one_part",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.taken}/{self.capacity}"

    @property
    def part(self) -> str:
        if self.time_slot_id:
            return "slot"
        return "session" if self.session_id else "event"
