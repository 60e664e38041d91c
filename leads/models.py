"""Contacts at the stand.

A `Contact` is one visitor met by one company at one stand booking (a booking belongs to
one fair, which is one site event): stand staff scanned the visitor's ticket. It holds the
visitor's name, e-mail and interests only when the visitor consented to share them with
exhibitors (`shared`); otherwise it is a nameless count.

Counting contacts per company and site (the funders' figures): count the rows, e.g.
``Contact.objects.filter(event=site_event).values("company").annotate(n=Count("id"))``.
Every row counts, whatever its state: retention and the visitor's withdrawal keep the row
and erase its personal parts (name, e-mail, interests, note, tags, the links to the
registration and ticket) and set `erased_at`; a row is never deleted for data protection.
A visitor's withdrawal keeps only the ticket link (so that a later scan at that stand counts
without a name); the retention and an erasure request remove it too.

A `StandDevice` is a phone paired from a staff pass to scan for its company's booking;
`Upload` is the log of what a device sent, unique per (device, client nonce), so that an
offline queue uploaded twice counts once.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events_platform.models import Event
from fairs.models import Company, StaffPass, StandBooking
from ticketing.models import Registration, Ticket


class StandDevice(models.Model):
    """A phone paired from a staff pass to scan visitors for its company's stand booking."""

    booking = models.ForeignKey(
        StandBooking,
        verbose_name=_("stand booking"),
        on_delete=models.CASCADE,
        related_name="stand_devices",
    )
    staff_pass = models.ForeignKey(
        StaffPass,
        verbose_name=_("staff pass"),
        on_delete=models.CASCADE,
        related_name="stand_devices",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    paired_at = models.DateTimeField(_("paired at"))
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["booking", "pk"]
        verbose_name = _("stand scanner")
        verbose_name_plural = _("stand scanners")

    def __str__(self) -> str:
        return f"{self.staff_pass} – {self.booking.company}"


class Contact(models.Model):
    """One visitor met by one company at one stand booking (see the module docstring)."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="stand_contacts"
    )
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="contacts"
    )
    booking = models.ForeignKey(
        StandBooking,
        verbose_name=_("stand booking"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stand_contacts",
    )
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("ticket"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stand_contacts",
    )
    # The visitor consented to share name, e-mail and interests with this company.
    shared = models.BooleanField(_("contact shared"), default=False)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    interests = models.TextField(_("interests"), blank=True)
    note = models.TextField(_("note"), blank=True)
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"), null=True, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    scanned_by = models.ForeignKey(
        StaffPass,
        verbose_name=_("scanned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("met at"))
    updated_at = models.DateTimeField(_("updated at"))
    withdrawn_at = models.DateTimeField(_("withdrawn by the visitor"), null=True, blank=True)
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("stand contact")
        verbose_name_plural = _("stand contacts")
        constraints = [
            # A ticket scanned twice at one stand is one contact.
            models.UniqueConstraint(
                fields=["booking", "ticket"],
                condition=Q(ticket__isnull=False),
                name="leads_contact_one_per_ticket",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="leads_contact_rating_1_5",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "company"], name="leads_contact_site_company"),
            models.Index(fields=["company", "-created_at"], name="leads_contact_company_time"),
        ]

    def __str__(self) -> str:
        return self.name or str(_("visitor without contact sharing"))


class Upload(models.Model):
    """One thing a stand device sent (a scan or a note), once per (device, client nonce)."""

    class Kind(models.TextChoices):
        SCAN = "scan", _("Scan")
        NOTE = "note", _("Note")

    device = models.ForeignKey(
        StandDevice,
        verbose_name=_("stand scanner"),
        on_delete=models.CASCADE,
        related_name="uploads",
        db_index=False,
    )
    nonce = models.CharField(_("client nonce"), max_length=64)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("stand contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uploads",
    )
    code = models.CharField(_("answer code"), max_length=32)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("stand scanner upload")
        verbose_name_plural = _("stand scanner uploads")
        constraints = [
            models.UniqueConstraint(fields=["device", "nonce"], name="leads_upload_nonce"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.nonce}"
