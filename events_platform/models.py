"""The core domain: organisations and their members, venues, series, events, slots, sessions."""

import re
import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .when import covers_whole_days, describe_span, local


class TranslatedFieldsMixin:
    """Reads `<name>_de` / `<name>_en` pairs in the active language, falling back to German."""

    def translated(self, name: str) -> str:
        language = (get_language() or "de")[:2]
        value = getattr(self, f"{name}_{language}", "") or ""
        return value or getattr(self, f"{name}_de", "") or ""


def name_with_town(title: str, town: str) -> str:
    """The title followed by ", town", unless the title already names the town
    ("Rückkehrertag 2026 in Delitzsch", not "Rückkehrertag 2026 in Delitzsch, Delitzsch")."""
    if not town or re.search(rf"(?<!\w){re.escape(town)}(?!\w)", title, re.IGNORECASE):
        return title
    return f"{title}, {town}"


class Organisation(models.Model):
    """A tenant: an alliance, an agency or a district that runs events."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    district = models.CharField(_("district"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    visitor_data_retention_days = models.PositiveIntegerField(
        _("retention of visitor data (days after the event)"), default=30
    )
    # Stand contacts (leads) and applications to job offers (applications) are erased this
    # many months after the fair; their counts stay for the figures.
    exhibitor_contacts_retention_months = models.PositiveSmallIntegerField(
        _("retention of exhibitors' contacts and applications (months after the fair)"),
        default=6,
        # 0 would erase a fair's contacts while the companies still work on them.
        validators=[
            MinValueValidator(1, _("Please keep contacts and applications for at least one month."))
        ],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in one organisation."""

    class Role(models.TextChoices):
        ORGANISER_ADMIN = "organiser_admin", _("Organiser (administrator)")
        ORGANISER_STAFF = "organiser_staff", _("Organiser (staff)")
        CHECKIN_STAFF = "checkin_staff", _("Check-in staff")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_unique_user_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    @property
    def is_organiser(self) -> bool:
        return self.role in {self.Role.ORGANISER_ADMIN, self.Role.ORGANISER_STAFF}


class Venue(TranslatedFieldsMixin, models.Model):
    """A place where events happen: a town hall, a school, a company site."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="venues",
    )
    name = models.CharField(_("name"), max_length=200)
    town = models.CharField(_("town"), max_length=120, db_index=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    accessibility_notes_de = models.TextField(_("accessibility notes (German)"), blank=True)
    accessibility_notes_en = models.TextField(_("accessibility notes (English)"), blank=True)

    class Meta:
        ordering = ["town", "name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self) -> str:
        return name_with_town(self.name, self.town)

    @property
    def accessibility_notes(self) -> str:
        return self.translated("accessibility_notes")

    @property
    def address(self) -> str:
        return ", ".join(
            part for part in [self.street, f"{self.postcode} {self.town}".strip()] if part
        )

    @property
    def map_url(self) -> str:
        if self.latitude is None or self.longitude is None:
            return ""
        return (
            "https://www.openstreetmap.org/?mlat="
            f"{self.latitude}&mlon={self.longitude}#map=17/{self.latitude}/{self.longitude}"
        )


class TargetGroup(TranslatedFieldsMixin, models.Model):
    """Who an event is for: pupils, returnees, teachers, students, companies …"""

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name_de = models.CharField(_("name (German)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        ordering = ["name_de"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.translated("name")


class EventSeries(TranslatedFieldsMixin, models.Model):
    """A set of events run together, such as the five site events of one Rückkehrertag."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="series",
    )
    slug = models.SlugField(_("short name"), max_length=120, unique=True)
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    feed_uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)

    class Meta:
        ordering = ["title_de"]
        verbose_name = _("event series")
        verbose_name_plural = _("event series")

    def __str__(self) -> str:
        return self.title  # in the active language: forms and pages show it

    @property
    def title(self) -> str:
        return self.translated("title")

    @property
    def description(self) -> str:
        return self.translated("description")

    def get_absolute_url(self) -> str:
        return reverse("events_platform:series-detail", kwargs={"slug": self.slug})


class EventQuerySet(models.QuerySet):
    def published(self) -> "EventQuerySet":
        return self.filter(status__in=Event.PUBLIC_STATUSES)

    def upcoming(self, now=None) -> "EventQuerySet":
        return self.filter(ends_at__gte=now or timezone.now())


class Event(TranslatedFieldsMixin, models.Model):
    """One event on one day or several days at one venue."""

    class Kind(models.TextChoices):
        RETURNEE_DAY = "returnee_day", _("Returnee day")
        APPRENTICESHIP_FAIR = "apprenticeship_fair", _("Apprenticeship fair")
        CAMP = "camp", _("Camp")
        EXCURSION = "excursion", _("Excursion")
        CONFERENCE = "conference", _("Conference")
        COMPANY_VISIT = "company_visit", _("Company visit")
        WORKSHOP = "workshop", _("Workshop")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    # Shown to the public (a cancelled event keeps its page, saying so): `published()`.
    PUBLIC_STATUSES = (Status.PUBLISHED, Status.CANCELLED)

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    series = models.ForeignKey(
        EventSeries,
        verbose_name=_("series"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    # The earlier edition this one was copied from (events_platform/editions.py), so its
    # exhibitors can be invited to book again.
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="copies",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    slug = models.SlugField(_("short name"), max_length=160, unique=True)
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="events"
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"), db_index=True)
    all_day = models.BooleanField(
        _("all-day"), default=False, help_text=_("Shown and exported as whole days without times.")
    )
    # A camp runs 9 to 16 o'clock on each of its days: the start's time and the end's time
    # are then the daily hours, the start's date and the end's date the first and last day.
    same_hours_daily = models.BooleanField(
        _("same hours every day"),
        default=False,
        help_text=_(
            "For events over several days: the start time and end time apply to every day."
        ),
    )
    capacity = models.PositiveIntegerField(
        _("capacity (persons)"), null=True, blank=True, help_text=_("Empty means no limit.")
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="events"
    )
    registration_required = models.BooleanField(_("registration required"), default=True)
    walk_ins_allowed = models.BooleanField(_("walk-ins welcome"), default=False)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    # Stable identity for calendar clients: a UID must never change when a title does.
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "venue__town"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__isnull=True)
                | Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__gte=models.F("registration_opens_at")),
                name="event_registration_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(max_age__gte=models.F("min_age")),
                name="event_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title_with_town  # in the active language: forms and pages show it

    @property
    def title(self) -> str:
        return self.translated("title")

    @property
    def title_with_town(self) -> str:
        """The title in the active language with the venue's town, named once: the name to
        show wherever sites of a series or fairs in several towns stand side by side."""
        return name_with_town(self.title, self.venue.town if self.venue_id else "")

    @property
    def description(self) -> str:
        return self.translated("description")

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def has_daily_hours(self) -> bool:
        """True when the event runs several days, each with the same hours."""
        if not self.same_hours_daily or self.all_day or not self.is_multi_day:
            return False
        start, end = local(self.starts_at), local(self.ends_at)
        return end.time() > start.time() and not covers_whole_days(self.starts_at, self.ends_at)

    @property
    def slots_are_days(self) -> bool:
        """A camp's time slots are its days, the same for every participant: shown as days
        and times, not as slots to choose with places of their own."""
        return self.kind == self.Kind.CAMP

    @property
    def is_multi_day(self) -> bool:
        start = timezone.localtime(self.starts_at).date()
        end = timezone.localtime(self.ends_at).date()
        return end > start

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.status != self.Status.PUBLISHED or not self.registration_required:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        closes = self.registration_closes_at or self.starts_at
        return now < closes

    def get_absolute_url(self) -> str:
        return reverse("events_platform:event-detail", kwargs={"slug": self.slug})


class TimeSlot(models.Model):
    """A window inside an event: a school-class arrival time, or one day of a camp."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="time_slots"
    )
    label = models.CharField(_("label"), max_length=120, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity (persons)"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="timeslot_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.label or describe_span(self.starts_at, self.ends_at)


class Session(TranslatedFieldsMixin, models.Model):
    """A part of an event with its own capacity, such as a conference workshop."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="sessions"
    )
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)
    room = models.CharField(_("room"), max_length=120, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity (persons)"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "title_de"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title  # in the active language: forms and pages show it

    @property
    def title(self) -> str:
        return self.translated("title")

    @property
    def description(self) -> str:
        return self.translated("description")

    def overlaps(self, other: "Session") -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


class EventSigningKey(models.Model):
    """The Ed25519 key pair that signs an event's ticket secrets (see ticket_codes.py)."""

    event = models.OneToOneField(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="signing_key"
    )
    public_key = models.BinaryField(_("public key"))
    private_key_encrypted = models.BinaryField(_("private key (encrypted)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")

    def __str__(self) -> str:
        return f"{self.event}"


class AuditEntry(models.Model):
    """One organiser action: who changed, approved, exported or sent what, and when."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="audit_entries",
        null=True,
        blank=True,
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target_repr}"


class DataRequest(models.Model):
    """A data-subject request (GDPR Art. 15 and 17): a link asked for, an export or an erasure.

    The person is identified by a keyed hash of their e-mail address, never the address
    itself, so the record can be kept as proof without keeping whom it was about in clear.
    """

    class Kind(models.TextChoices):
        LINK = "link", _("Link to the data requested")
        EXPORT = "export", _("Copy of the data")
        ERASURE = "erasure", _("Erasure")

    class Channel(models.TextChoices):
        SELF = "self", _("By the person")
        ORGANISER = "organiser", _("By an organiser")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("requested"), max_length=16, choices=Channel.choices)
    email_hash = models.CharField(_("e-mail address (keyed hash)"), max_length=64, db_index=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="data_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.email_hash[:10]})"
