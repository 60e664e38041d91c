"""Exhibitors: companies and their members, halls and stands, stand bookings, the waiting
list, staff passes and job offers.

Companies are not tenants. A company is platform-wide; an organiser sees a company only
once it has dealings with one of their organisation's events (a stand booking, a place on a
waiting list, a job offer shown there) or their organisation has verified it. Verification
is per organisation (CompanyVerification): each organisation decides for itself whom it
confirms stands to, and no organisation's check counts at another's events. Bookings and
everything about them belong to the organiser of the event.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from events_platform.models import Event, Organisation, TranslatedFieldsMixin


class Sector(models.TextChoices):
    AGRICULTURE_FOOD = "agriculture_food", _("Agriculture and food")
    CARE = "care", _("Care and health")
    CRAFTS = "crafts", _("Crafts")
    INDUSTRY = "industry", _("Industry")
    LOGISTICS = "logistics", _("Logistics")
    TOURISM = "tourism", _("Tourism and hospitality")
    SERVICES = "services", _("Services")
    PUBLIC = "public", _("Public sector and education")
    OTHER = "other", _("Other")


class CompanySize(models.TextChoices):
    """Employees, in the EU's size classes (what needs surveys filter by)."""

    MICRO = "micro", _("1 to 9 employees")
    SMALL = "small", _("10 to 49 employees")
    MEDIUM = "medium", _("50 to 249 employees")
    LARGE = "large", _("250 employees or more")


class Company(TranslatedFieldsMixin, models.Model):
    """An exhibitor: a firm, a training provider or an institution."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=120, unique=True)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    size = models.CharField(
        _("size"), max_length=16, choices=CompanySize.choices, blank=True, default=""
    )
    description_de = models.TextField(_("short description (German)"), blank=True)
    description_en = models.TextField(_("short description (English)"), blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    town = models.CharField(_("town"), max_length=120, blank=True)
    logo = models.FileField(_("logo"), upload_to="fairs/logos/", blank=True)
    language = models.CharField(
        _("language for messages"), max_length=5, choices=settings.LANGUAGES, default="de"
    )
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self) -> str:
        return self.name

    @property
    def description(self) -> str:
        return self.translated("description")


class CompanyVerification(models.Model):
    """An organisation's check of a company: its stands at that organisation's events can be
    confirmed. Other organisations are not bound by it."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="company_verifications",
    )
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="verifications"
    )
    verified_at = models.DateTimeField(_("verified at"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-verified_at"]
        verbose_name = _("company verification")
        verbose_name_plural = _("company verifications")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "company"], name="companyverification_once_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.company} – {self.organisation}"


class CompanyMember(models.Model):
    """A user who acts for a company. A user acts for at most one company."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="company_memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("company member")
        verbose_name_plural = _("company members")
        constraints = [models.UniqueConstraint(fields=["user"], name="companymember_one_company")]

    def __str__(self) -> str:
        return f"{self.user} – {self.company}"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


class Fair(models.Model):
    """The exhibitor side of one site event: booking window, deadlines, set-up, extras."""

    event = models.OneToOneField(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="fair"
    )
    booking_opens_at = models.DateTimeField(_("stand booking opens"), null=True, blank=True)
    booking_closes_at = models.DateTimeField(_("stand booking closes"), null=True, blank=True)
    cancellation_deadline = models.DateTimeField(
        _("companies may withdraw until"), null=True, blank=True
    )
    setup_starts_at = models.DateTimeField(_("set-up starts"))
    setup_ends_at = models.DateTimeField(_("set-up ends"))
    teardown_starts_at = models.DateTimeField(_("tear-down starts"))
    teardown_ends_at = models.DateTimeField(_("tear-down ends"))
    max_exhibitors = models.PositiveIntegerField(
        _("maximum number of exhibitors"), null=True, blank=True
    )
    power_price = models.DecimalField(
        _("price per power connection (EUR)"), max_digits=8, decimal_places=2, default=0
    )
    table_price = models.DecimalField(
        _("price per table (EUR)"), max_digits=8, decimal_places=2, default=0
    )
    chair_price = models.DecimalField(
        _("price per chair (EUR)"), max_digits=8, decimal_places=2, default=0
    )
    parking_pass_price = models.DecimalField(
        _("price per parking pass (EUR)"), max_digits=8, decimal_places=2, default=0
    )
    max_staff_passes_per_stand = models.PositiveSmallIntegerField(
        _("staff passes per stand (maximum)"), default=4
    )

    class Meta:
        ordering = ["event__starts_at"]
        verbose_name = _("fair")
        verbose_name_plural = _("fairs")
        constraints = [
            models.CheckConstraint(
                condition=Q(setup_ends_at__gte=models.F("setup_starts_at")),
                name="fair_setup_ordered",
            ),
            models.CheckConstraint(
                condition=Q(teardown_ends_at__gte=models.F("teardown_starts_at")),
                name="fair_teardown_ordered",
            ),
        ]

    def __str__(self) -> str:
        return str(self.event)


class Hall(models.Model):
    """A room or hall of a fair with its size in metres."""

    fair = models.ForeignKey(
        Fair, verbose_name=_("fair"), on_delete=models.CASCADE, related_name="halls"
    )
    name = models.CharField(_("name"), max_length=120)
    width_m = models.DecimalField(_("width (m)"), max_digits=6, decimal_places=2)
    depth_m = models.DecimalField(_("depth (m)"), max_digits=6, decimal_places=2)
    # A re-encoded PNG under a random name (fairs/images.clean_background), drawn under the
    # stands; served by fairs:hall-background, never from /media/ directly.
    background = models.ImageField(_("background image"), upload_to="fairs/halls/", blank=True)

    class Meta:
        ordering = ["fair", "name"]
        verbose_name = _("hall")
        verbose_name_plural = _("halls")
        constraints = [
            models.UniqueConstraint(fields=["fair", "name"], name="hall_unique_name_per_fair"),
            models.CheckConstraint(
                condition=Q(width_m__gt=0) & Q(depth_m__gt=0), name="hall_positive_size"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.fair})"


class Stand(models.Model):
    """A stand space in a hall: where it is, how big, what it costs and offers."""

    class Kind(models.TextChoices):
        ROW = "row", _("Row stand")
        CORNER = "corner", _("Corner stand")
        HEAD = "head", _("Head stand")
        ISLAND = "island", _("Island stand")

    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="stands"
    )
    label = models.CharField(_("label"), max_length=20)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.ROW)
    x_m = models.DecimalField(_("position from the left (m)"), max_digits=6, decimal_places=2)
    y_m = models.DecimalField(_("position from the top (m)"), max_digits=6, decimal_places=2)
    width_m = models.DecimalField(_("width (m)"), max_digits=6, decimal_places=2)
    depth_m = models.DecimalField(_("depth (m)"), max_digits=6, decimal_places=2)
    price = models.DecimalField(_("price (EUR)"), max_digits=8, decimal_places=2)
    has_power = models.BooleanField(_("power connection"), default=False)
    has_water = models.BooleanField(_("water connection"), default=False)
    blocked = models.BooleanField(
        _("blocked"), default=False, help_text=_("Blocked stands cannot be booked.")
    )

    class Meta:
        ordering = ["hall", "label"]
        verbose_name = _("stand")
        verbose_name_plural = _("stands")
        constraints = [
            models.UniqueConstraint(fields=["hall", "label"], name="stand_unique_label_per_hall"),
            models.CheckConstraint(
                condition=Q(width_m__gt=0) & Q(depth_m__gt=0), name="stand_positive_size"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="stand_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.hall.name})"

    @property
    def area_m2(self) -> Decimal:
        return (self.width_m * self.depth_m).quantize(Decimal("0.01"))

    @property
    def features(self) -> list[str]:
        features = []
        if self.has_power:
            features.append(str(_("power")))
        if self.has_water:
            features.append(str(_("water")))
        return features


class StandBooking(models.Model):
    """One company's booking of one stand. Several stands booked together share `group`."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered from the waiting list")
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Confirmed")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CANCELLED = "cancelled", _("Cancelled by the organiser")

    # A stand is held while a booking is in one of these states; the partial unique
    # constraint below is the database's backstop for the row lock in the services.
    ACTIVE = (Status.OFFERED, Status.REQUESTED, Status.APPROVED)

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="bookings"
    )
    stand = models.ForeignKey(
        Stand, verbose_name=_("stand"), on_delete=models.PROTECT, related_name="bookings"
    )
    fair = models.ForeignKey(
        Fair, verbose_name=_("fair"), on_delete=models.PROTECT, related_name="bookings"
    )
    group = models.UUIDField(_("booked together"), db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    power_connections = models.PositiveSmallIntegerField(_("power connections"), default=0)
    tables = models.PositiveSmallIntegerField(_("tables"), default=0)
    chairs = models.PositiveSmallIntegerField(_("chairs"), default=0)
    parking_passes = models.PositiveSmallIntegerField(_("parking passes"), default=0)
    staff_pass_count = models.PositiveSmallIntegerField(_("staff passes"), default=0)
    day_contact_name = models.CharField(_("contact on the day"), max_length=200)
    day_contact_phone = models.CharField(_("phone on the day"), max_length=40)
    stand_price = models.DecimalField(_("stand price (EUR)"), max_digits=8, decimal_places=2)
    extras_price = models.DecimalField(
        _("extras price (EUR)"), max_digits=8, decimal_places=2, default=0
    )
    decision_message = models.TextField(_("message from the organiser"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("withdrawn or cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("stand booking")
        verbose_name_plural = _("stand bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["stand"],
                condition=Q(status__in=["offered", "requested", "approved"]),
                name="standbooking_one_active_per_stand",
            )
        ]

    def __str__(self) -> str:
        return f"{self.company} – {self.stand}"

    @property
    def total_price(self) -> Decimal:
        return self.stand_price + self.extras_price

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class WaitlistEntry(models.Model):
    """A company waiting for a stand at a fair that has none free."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Stand offered")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left the waiting list")
        CLOSED = "closed", _("Closed: the event was cancelled")

    fair = models.ForeignKey(
        Fair, verbose_name=_("fair"), on_delete=models.CASCADE, related_name="waitlist"
    )
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="waitlist"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.WAITING
    )
    note = models.CharField(_("wishes"), max_length=300, blank=True)
    offered_booking = models.OneToOneField(
        StandBooking,
        verbose_name=_("offered booking"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="waitlist_entry",
    )
    created_at = models.DateTimeField(_("joined at"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting list")
        constraints = [
            models.UniqueConstraint(
                fields=["fair", "company"],
                condition=Q(status__in=["waiting", "offered"]),
                name="waitlistentry_once_per_fair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.company} – {self.fair}"


class StaffPass(models.Model):
    """A named pass for a company's stand staff, signed like a visitor ticket."""

    booking = models.ForeignKey(
        StandBooking,
        verbose_name=_("stand booking"),
        on_delete=models.CASCADE,
        related_name="staff_passes",
    )
    name = models.CharField(_("name"), max_length=200)
    serial = models.BigIntegerField(_("serial number"), unique=True)
    secret = models.CharField(_("signed code"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("created at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["booking", "name"]
        verbose_name = _("staff pass")
        verbose_name_plural = _("staff passes")

    def __str__(self) -> str:
        return self.name

    @property
    def event(self) -> Event:
        return self.booking.fair.event


class JobOffer(models.Model):
    """A job, apprenticeship place, dual-study place, internship or holiday job."""

    class Kind(models.TextChoices):
        JOB = "job", _("Job")
        APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
        DUAL_STUDY = "dual_study", _("Dual study")
        INTERNSHIP = "internship", _("Internship")
        HOLIDAY_JOB = "holiday_job", _("Holiday job")

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="job_offers"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    # One of the platform's sectors, so that it reads in every language; the title names
    # the job itself ("Tierwirt/in Rinderhaltung"). Empty: the company's own sector.
    field_of_work = models.CharField(
        _("field"),
        max_length=32,
        choices=Sector.choices,
        blank=True,
        help_text=_("Leave empty if it is your company's sector."),
    )
    place_of_work = models.CharField(_("place of work"), max_length=120)
    starts_immediately = models.BooleanField(_("starts immediately"), default=False)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    start_note = models.CharField(
        _("other start"),
        max_length=80,
        blank=True,
        help_text=_("Only if neither applies, e.g. “after the harvest”."),
    )
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    url = models.URLField(_("link"), blank=True)
    description = models.TextField(_("description"), blank=True)
    events = models.ManyToManyField(
        Event, verbose_name=_("shown at"), blank=True, related_name="job_offers"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("job offer")
        verbose_name_plural = _("job offers")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.starts_immediately and self.start_date:
            raise ValidationError(
                {"start_date": _("Choose either “immediately” or a start date, not both.")}
            )

    @property
    def sector_of_work(self) -> str:
        """The field of work, or else the company's sector, in the active language."""
        if self.field_of_work:
            return self.get_field_of_work_display()
        return self.company.get_sector_display()

    @property
    def start_text(self) -> str:
        """The start in the active language: "immediately", "from 1 August 2027", or the
        company's own words; empty when nothing is given."""
        if self.starts_immediately:
            return str(_("immediately"))
        if self.start_date:
            return str(_("from %(date)s")) % {
                "date": formats.date_format(self.start_date, "DATE_FORMAT")
            }
        return self.start_note
