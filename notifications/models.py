"""The outbox: every message that leaves the platform, announcements and suppressed addresses."""

import contextvars
from collections.abc import Callable

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events_platform.models import Event, EventSeries, Organisation


class Purpose(models.TextChoices):
    """Why a message is sent; part of its dedup key."""

    REGISTRATION_CONFIRMED = "registration_confirmed", _("Registration confirmed")
    WAITLIST_JOINED = "waitlist_joined", _("Waiting list joined")
    WAITLIST_OFFER = "waitlist_offer", _("Place offered from the waiting list")
    GUARDIAN_CONFIRMATION = "guardian_confirmation", _("Guardian confirmation request")
    PLACE_RELEASED = "place_released", _("Place released")
    REGISTRATION_CANCELLED = "registration_cancelled", _("Registration cancelled")
    MANAGE_LINK_RENEWED = "manage_link_renewed", _("New link to the registration")
    REGISTRATION_CHANGED = "registration_changed", _("Registration changed")
    BOOKING_REQUESTED = "booking_requested", _("Stand booking requested")
    BOOKING_APPROVED = "booking_approved", _("Stand booking approved")
    BOOKING_REJECTED = "booking_rejected", _("Stand booking rejected")
    BOOKING_CANCELLED = "booking_cancelled", _("Stand booking cancelled")
    STAND_OFFER = "stand_offer", _("Stand offered from the waiting list")
    EVENT_CANCELLED = "event_cancelled", _("Event cancelled")
    EVENT_CANCELLED_EXHIBITOR = "event_cancelled_exhibitor", _("Event cancelled (exhibitor)")
    COMPANY_EMAIL_CONFIRMATION = "company_email_confirmation", _("Company e-mail confirmation")
    COMPANY_MEMBER_INVITED = "company_member_invited", _("Company member invited")
    REMINDER = "reminder", _("Reminder")
    ANNOUNCEMENT = "announcement", _("Announcement")
    ANNOUNCEMENT_TEST = "announcement_test", _("Announcement (test)")
    DATA_ACCESS_LINK = "data_access_link", _("Link to a person's stored data")
    ORGANISER_ALERT = "organiser_alert", _("Alert to an organiser")
    ORGANISER_DIGEST = "organiser_digest", _("Daily summary to an organiser")
    EXHIBITORS_INVITED = "exhibitors_invited", _("Invitation to last edition's exhibitors")
    SURVEY_INVITATION = "survey_invitation", _("Invitation to a survey")
    SURVEY_REMINDER = "survey_reminder", _("Reminder of a survey")
    PROGRAMME_SIGNUP = "programme_signup", _("Programme sign-up received")
    PROGRAMME_MESSAGE = "programme_message", _("Message to a programme's participants")
    CONTACT_WITHDRAWN = "contact_withdrawn", _("Stand contact withdrawn")
    APPLICATION_RECEIVED = "application_received", _("Application received (company)")
    APPLICATION_SENT = "application_sent", _("Application sent (applicant)")
    APPLICATION_ANSWERED = "application_answered", _("Application answered")
    APPLICATION_WITHDRAWN = "application_withdrawn", _("Application withdrawn")


# Set by notifications.outbox: composes, in memory, a row read before its worker composed it,
# so every page, the admin and a person's data copy show the text it will have. The worker
# reads its batch with `reading_uncomposed` and composes the whole batch at once.
_compose_on_read: list[Callable] = []
_uncomposed = contextvars.ContextVar("notifications_read_uncomposed", default=False)


class reading_uncomposed:
    """Read message rows as stored, without composing those not yet composed."""

    def __enter__(self):
        self.token = _uncomposed.set(True)

    def __exit__(self, *exc):
        _uncomposed.reset(self.token)


class Message(models.Model):
    """One e-mail to one recipient, written in the same transaction as its cause.

    The row is written with what the message is about (`context`: the ids and values its
    text is made from); the worker that sends it composes subject and bodies in the
    recipient's language and stores them (`composed_at`), so a retry sends the same text.
    Rows written before that change, and a few kinds of message, arrive composed. Attachments
    are references that render the same bytes whenever they are needed (ticket PDF, .ics).
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    purpose = models.CharField(_("purpose"), max_length=40, choices=Purpose.choices)
    # sha256 of (purpose, recipient, object[, detail]): a second write is a no-op.
    dedup_key = models.CharField(_("dedup key"), max_length=64, unique=True)
    to_email = models.EmailField(_("recipient"), max_length=254)
    language = models.CharField(_("language"), max_length=5, default="de")
    subject = models.CharField(_("subject"), max_length=300, blank=True, default="")
    body_text = models.TextField(_("text"), blank=True, default="")
    body_html = models.TextField(_("HTML"), blank=True, default="")
    # What the text is made from, composed at send time: {"kind": "call" | "reminder" | …,
    # …}; empty for a row written composed.
    context = models.JSONField(_("what it is about"), default=dict, blank=True)
    composed_at = models.DateTimeField(_("composed at"), null=True, blank=True)
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)
    # [{"kind": "ticket_pdf" | "event_ics" | …, "id": …, "filename": …}]
    attachments = models.JSONField(_("attachments"), default=list, blank=True)

    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    related_object = GenericForeignKey("content_type", "object_id")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )
    announcement = models.ForeignKey(
        "Announcement",
        verbose_name=_("announcement"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )

    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    # When a send task was last handed to the broker; the sweep re-queues rows whose
    # task was lost (broker down at commit time, worker killed before it claimed them).
    published_at = models.DateTimeField(_("handed to the broker"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="message_due"),
            models.Index(fields=["event", "-created_at"], name="message_event"),
            models.Index(fields=["announcement", "state"], name="message_announcement"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["queued", "sending", "sent", "failed"]),
                name="message_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="message_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_email}"

    @classmethod
    def from_db(cls, db, field_names, values):
        message = super().from_db(db, field_names, values)
        if (
            _compose_on_read
            and not _uncomposed.get()
            and "context" in message.__dict__
            and "composed_at" in message.__dict__
            and message.context
            and message.composed_at is None
        ):
            _compose_on_read[0](message)
        return message


class Suppression(models.Model):
    """An address that gets no announcements: it bounced permanently or unsubscribed."""

    class Reason(models.TextChoices):
        BOUNCED = "bounced", _("Permanent delivery failure")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    detail = models.TextField(_("detail"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self) -> str:
        return f"{self.email} ({self.get_reason_display()})"


class ReminderPlan(models.Model):
    """An event's own reminder offsets; without one, the defaults of its kind apply."""

    event = models.OneToOneField(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="reminder_plan"
    )
    # Per audience (visitors, exhibitors, guardians): "<n>d" calendar days or "<n>h" hours
    # before the start, e.g. {"visitors": ["1d", "2h"]}. Empty: the defaults of the kind.
    offsets = models.JSONField(
        _("reminders before the start"),
        default=dict,
        blank=True,
        help_text=_(
            'Per audience, days ("1d") or hours ("2h") before the start, for example '
            '{"visitors": ["1d", "2h"], "exhibitors": ["7d", "1d"], "guardians": ["3d"]}. '
            "Empty: the defaults for the kind of event."
        ),
    )
    what_to_bring_de = models.TextField(_("what to bring (German)"), blank=True)
    what_to_bring_en = models.TextField(_("what to bring (English)"), blank=True)

    class Meta:
        verbose_name = _("reminder plan")
        verbose_name_plural = _("reminder plans")

    def __str__(self) -> str:
        return str(self.event)


class Announcement(models.Model):
    """An organiser's message to an audience of one or several events."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    class Audience(models.TextChoices):
        VISITORS = "visitors", _("Visitors")
        WAITING_LIST = "waiting_list", _("Waiting list")
        EXHIBITORS = "exhibitors", _("Exhibitors")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="announcements",
    )
    series = models.ForeignKey(
        EventSeries,
        verbose_name=_("series"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="announcements",
    )
    events = models.ManyToManyField(
        Event, verbose_name=_("events"), blank=True, related_name="announcements"
    )
    audiences = models.JSONField(_("audiences"), default=list)
    # Empty: every language; otherwise only recipients of this language.
    language = models.CharField(_("language"), max_length=5, blank=True)
    # Extra audience conditions other apps may add later, e.g. {"checked_in": true}.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body_markdown = models.TextField(_("text (Markdown)"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    # Writing the messages, one chunk per transaction: the last address written (the chunks
    # go in address order) and when the last chunk was written (null while writing).
    written_through = models.CharField(_("written up to"), max_length=254, blank=True)
    written_at = models.DateTimeField(_("all messages written at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.subject


def content_type_of(obj: models.Model) -> ContentType:
    """The content type of a model instance (cached by Django)."""
    return ContentType.objects.get_for_model(obj, for_concrete_model=True)


class OrganiserAlertSetting(models.Model):
    """How one organiser (one membership) hears of new stand requests, withdrawals and full
    events. Without a row: the daily summary."""

    class Mode(models.TextChoices):
        AT_ONCE = "at_once", _("An e-mail at once for each")
        DAILY = "daily", _("One summary a day")
        NONE = "none", _("No e-mails")

    membership = models.OneToOneField(
        "events_platform.Membership",
        verbose_name=_("membership"),
        on_delete=models.CASCADE,
        related_name="alert_setting",
    )
    mode = models.CharField(_("e-mails"), max_length=10, choices=Mode.choices, default=Mode.DAILY)
    # The language of the page where the organiser chose: their mails are written in it.
    language = models.CharField(_("language"), max_length=5, default="de")
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("organiser alert setting")
        verbose_name_plural = _("organiser alert settings")

    def __str__(self) -> str:
        return f"{self.membership}: {self.get_mode_display()}"


class OrganiserAlert(models.Model):
    """Something an organisation's organisers should learn of: a new stand request, a
    withdrawal, an event or time slot that became full. Sent at once or in the daily summary."""

    class Kind(models.TextChoices):
        STAND_REQUESTED = "stand_requested", _("New stand request")
        BOOKING_WITHDRAWN = "booking_withdrawn", _("Stand booking withdrawn")
        EVENT_FULL = "event_full", _("Event full")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="organiser_alerts",
    )
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="organiser_alerts"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # What it is about, as it read then (a company and its stand; a time slot).
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    # The booking or slot the alert is about ("" for a whole event): one alert per thing.
    object_key = models.CharField(_("about"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("organiser alert")
        verbose_name_plural = _("organiser alerts")
        indexes = [
            models.Index(fields=["organisation", "created_at"], name="organiseralert_org_time")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "object_key"], name="organiseralert_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.event}"
