"""Check-in at the door: lists, entrances, paired devices, scans and who is inside.

A `CheckinList` is what a scanner admits against: one per site event, or one per day of a
multi-day camp. `Attendance` is the state of one ticket (or staff pass) on one list, one
row at most (the unique constraints are the backstop behind the row lock in the service);
`Scan` is the log of accepted entries and exits and of offline conflicts, unique per
(device, client nonce) so that an upload sent twice counts once.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events_platform.models import Event
from fairs.models import StaffPass
from ticketing.models import Ticket


def hash_token(token: str) -> str:
    """The stored form of a device token: a lost database leaks no usable token."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_device_token() -> str:
    return secrets.token_urlsafe(32)


class Entrance(models.Model):
    """A named door of a site event ("Eingang Nord")."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="entrances"
    )
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["event", "name"]
        verbose_name = _("entrance")
        verbose_name_plural = _("entrances")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="checkin_entrance_unique")
        ]

    def __str__(self) -> str:
        return self.name


# Check-in opens this long before the event (or camp day) begins.
DOORS_OPEN_EARLY = timedelta(hours=3)


class CheckinList(models.Model):
    """What a scanner admits against: a site event, or one day of a multi-day camp."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="checkin_lists"
    )
    day = models.DateField(_("day"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=120)
    opens_at = models.DateTimeField(_("check-in opens"))
    closes_at = models.DateTimeField(_("check-in closes"))

    class Meta:
        ordering = ["event", "day", "pk"]
        verbose_name = _("check-in list")
        verbose_name_plural = _("check-in lists")
        constraints = [
            models.UniqueConstraint(
                fields=["event"], condition=Q(day__isnull=True), name="checkin_list_one_per_event"
            ),
            models.UniqueConstraint(fields=["event", "day"], name="checkin_list_one_per_day"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="checkin_list_window"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def begins_at(self) -> datetime:
        """When the event (or camp day) itself begins; before then nobody is a no-show."""
        return self.opens_at + DOORS_OPEN_EARLY


class Assignment(models.Model):
    """A check-in staff member may scan for this event (and sees only such events)."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="checkin_staff"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="checkin_assignments",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("check-in assignment")
        verbose_name_plural = _("check-in assignments")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="checkin_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.event}"


class Device(models.Model):
    """A phone or tablet paired to scan for one event; it authenticates with a token."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="checkin_devices"
    )
    entrance = models.ForeignKey(
        Entrance,
        verbose_name=_("entrance"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="devices",
    )
    name = models.CharField(_("name"), max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)
    paired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paired by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    paired_at = models.DateTimeField(_("paired at"))
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Set when the device has sent too many invalid codes (the limit counts in the cache):
    # until then its scans skip the door-rush statement and meet the limit's 429.
    refused_until = models.DateTimeField(
        _("refused until (too many invalid codes)"), null=True, blank=True
    )

    class Meta:
        ordering = ["event", "name", "pk"]
        verbose_name = _("check-in device")
        verbose_name_plural = _("check-in devices")

    def __str__(self) -> str:
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class Direction(models.TextChoices):
    ENTRY = "entry", _("Entry")
    EXIT = "exit", _("Exit")


def _one_holder() -> Q:
    return Q(ticket__isnull=False, staff_pass__isnull=True) | Q(
        ticket__isnull=True, staff_pass__isnull=False
    )


class Attendance(models.Model):
    """Whether one ticket or staff pass is inside, on one list, and since when."""

    # Indexed by the unique constraints below, which start with it.
    checkin_list = models.ForeignKey(
        CheckinList,
        verbose_name=_("check-in list"),
        on_delete=models.CASCADE,
        related_name="attendances",
        db_index=False,
    )
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, null=True, blank=True, related_name="attendances"
    )
    staff_pass = models.ForeignKey(
        StaffPass,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendances",
        db_index=False,  # a partial index below: ticket rows leave it alone
    )
    persons = models.PositiveIntegerField(_("persons"), default=1)
    inside = models.BooleanField(_("inside"), default=False)
    first_entry_at = models.DateTimeField(_("first entry"))
    last_entry_at = models.DateTimeField(_("last entry"))
    last_exit_at = models.DateTimeField(_("last exit"), null=True, blank=True)
    # Not indexed: every door scan would write the index, which serves only the rare
    # deletion of an entrance or a device (that then reads the table once).
    last_entrance = models.ForeignKey(
        Entrance,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    last_device = models.ForeignKey(
        Device, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.CheckConstraint(condition=_one_holder(), name="checkin_attendance_holder"),
            models.UniqueConstraint(
                fields=["checkin_list", "ticket"], name="checkin_attendance_ticket"
            ),
            models.UniqueConstraint(
                fields=["checkin_list", "staff_pass"],
                condition=Q(staff_pass__isnull=False),
                name="checkin_attendance_staff_pass",
            ),
        ]
        # No index on (checkin_list, inside): the figures read all of a list's rows through
        # the unique constraint above anyway, and without it every door scan writes one
        # index less and an exit can update its row in place (HOT).
        indexes = [
            models.Index(
                fields=["staff_pass"],
                condition=Q(staff_pass__isnull=False),
                name="checkin_att_staff_pass_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket or self.staff_pass} – {self.checkin_list}"


class Scan(models.Model):
    """One accepted entry or exit, or an offline admission that clashed with another device."""

    # Both indexed by the index and the unique constraint below that start with them: a
    # column index of their own would only slow the door rush's inserts, and would tempt
    # the planner to look a nonce up through all of a device's scans.
    checkin_list = models.ForeignKey(
        CheckinList,
        verbose_name=_("check-in list"),
        on_delete=models.CASCADE,
        related_name="scans",
        db_index=False,
    )
    device = models.ForeignKey(
        Device,
        verbose_name=_("device"),
        on_delete=models.CASCADE,
        related_name="scans",
        db_index=False,
    )
    # Not indexed: only the rare deletion of an entrance looks scans up by it.
    entrance = models.ForeignKey(
        Entrance,
        verbose_name=_("entrance"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="scans",
        db_index=False,
    )
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, null=True, blank=True, related_name="scans"
    )
    staff_pass = models.ForeignKey(
        StaffPass,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scans",
        db_index=False,  # a partial index below: ticket scans leave it alone
    )
    nonce = models.CharField(_("client nonce"), max_length=64)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.ENTRY
    )
    persons = models.PositiveIntegerField(_("persons"), default=1)
    manual = models.BooleanField(_("checked in by hand"), default=False)
    offline = models.BooleanField(_("scanned offline"), default=False)
    # An offline admission of a ticket that another device had already let in.
    conflict = models.BooleanField(_("conflict"), default=False)
    scanned_at = models.DateTimeField(_("scanned at"))
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        ordering = ["scanned_at", "pk"]
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        constraints = [
            models.UniqueConstraint(fields=["device", "nonce"], name="checkin_scan_nonce"),
            models.CheckConstraint(condition=_one_holder(), name="checkin_scan_holder"),
        ]
        indexes = [
            models.Index(fields=["checkin_list", "scanned_at"], name="checkin_scan_time"),
            models.Index(
                fields=["staff_pass"],
                condition=Q(staff_pass__isnull=False),
                name="checkin_scan_staff_pass_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.ticket or self.staff_pass}"


class WalkIn(models.Model):
    """A visitor who came without registering, counted at the door with one tap."""

    checkin_list = models.ForeignKey(
        CheckinList,
        verbose_name=_("check-in list"),
        on_delete=models.CASCADE,
        related_name="walk_ins",
    )
    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.SET_NULL, null=True, blank=True
    )
    entrance = models.ForeignKey(
        Entrance, verbose_name=_("entrance"), on_delete=models.SET_NULL, null=True, blank=True
    )
    nonce = models.CharField(_("client nonce"), max_length=64)
    persons = models.PositiveIntegerField(_("persons"), default=1)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    interest = models.CharField(_("interest"), max_length=120, blank=True)
    counted_at = models.DateTimeField(_("counted at"))

    class Meta:
        ordering = ["counted_at", "pk"]
        verbose_name = _("walk-in")
        verbose_name_plural = _("walk-ins")
        constraints = [
            models.UniqueConstraint(fields=["device", "nonce"], name="checkin_walkin_nonce"),
            models.CheckConstraint(condition=Q(persons__gte=1), name="checkin_walkin_persons"),
        ]

    def __str__(self) -> str:
        return f"{self.persons} – {self.checkin_list}"
