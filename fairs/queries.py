"""Read-side selections of the exhibitor side. Other apps (ticketing's check-in lists,
notifications' audiences) read fairs through these functions only."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from events_platform.models import Event, EventSeries, Organisation

from .documents import BookingSheet, measure
from .models import (
    Company,
    CompanyVerification,
    Fair,
    Hall,
    JobOffer,
    StaffPass,
    Stand,
    StandBooking,
    WaitlistEntry,
)


class StandState:
    FREE = "free"
    REQUESTED = "requested"
    BOOKED = "booked"
    BLOCKED = "blocked"


STATE_LABELS = {
    StandState.FREE: lambda: _("free"),
    StandState.REQUESTED: lambda: _("requested"),
    StandState.BOOKED: lambda: _("booked"),
    StandState.BLOCKED: lambda: _("blocked"),
}


@dataclass
class StandView:
    """A stand with its state for the floor plan."""

    stand: Stand
    state: str
    mine: bool = False
    # False once the fair's booking is closed (or not yet open): a free stand is shown as
    # not bookable and cannot be chosen.
    bookable: bool = True

    @property
    def state_label(self) -> str:
        if self.state == StandState.FREE and not self.bookable:
            return _("not bookable")
        return STATE_LABELS[self.state]()

    @property
    def selectable(self) -> bool:
        return self.state == StandState.FREE and self.bookable


def _state(stand: Stand, status: str | None) -> str:
    if status == StandBooking.Status.APPROVED:
        return StandState.BOOKED
    if status in (StandBooking.Status.REQUESTED, StandBooking.Status.OFFERED):
        return StandState.REQUESTED
    if stand.blocked:
        return StandState.BLOCKED
    return StandState.FREE


def hall_plan(
    hall: Hall, *, company: Company | None = None, bookable: bool = True
) -> list[StandView]:
    """Every stand of the hall with its state (free, requested, booked, blocked)."""
    active = {
        booking.stand_id: booking
        for booking in StandBooking.objects.filter(
            stand__hall=hall, status__in=StandBooking.ACTIVE
        ).only("stand_id", "status", "company_id")
    }
    views = []
    for stand in hall.stands.all():
        booking = active.get(stand.pk)
        views.append(
            StandView(
                stand=stand,
                state=_state(stand, booking.status if booking else None),
                mine=bool(booking and company and booking.company_id == company.pk),
                bookable=bookable,
            )
        )
    return views


def plan(hall: Hall, *, company: Company | None = None, bookable: bool = True) -> dict:
    """What the floor-plan template needs for one hall."""
    margin = Decimal("0.5")
    return {
        "hall": hall,
        "stands": hall_plan(hall, company=company, bookable=bookable),
        "view_box": f"{-margin} {-margin} {hall.width_m + 2 * margin} {hall.depth_m + 2 * margin}",
        # about 24 px per metre: labels stay readable; wide halls scroll sideways
        "width_px": max(int((hall.width_m + 2 * margin) * 24), 320),
    }


def free_stands(fair: Fair) -> QuerySet:
    """Stands of the fair that are neither blocked nor held by an active booking."""
    held = StandBooking.objects.filter(stand=OuterRef("pk"), status__in=StandBooking.ACTIVE)
    return (
        Stand.objects.filter(hall__fair=fair, blocked=False)
        .exclude(Exists(held))
        .select_related("hall")
    )


def fair_has_free_stand(fair: Fair) -> bool:
    """True when at least one stand of the fair can be requested."""
    return free_stands(fair).exists()


def public_fairs() -> QuerySet:
    """Fairs of published events, soonest first."""
    return Fair.objects.filter(event__status=Event.Status.PUBLISHED).select_related(
        "event__venue", "event__series"
    )


def series_fairs(series: EventSeries) -> QuerySet:
    """Fairs of the series' published events."""
    return public_fairs().filter(event__series=series).order_by("event__venue__town")


@dataclass(frozen=True)
class DirectoryFilter:
    """Filters of the exhibitor directory and the job wall; every field is optional."""

    query: str = ""
    sector: str = ""
    kind: str = ""
    site: str = ""


def _events(event: Event | None, series: EventSeries | None) -> QuerySet:
    events = Event.objects.published()
    if event is not None:
        return events.filter(pk=event.pk)
    return events.filter(series=series)


def exhibitors(
    *, event: Event | None = None, series: EventSeries | None = None, filters: DirectoryFilter
) -> QuerySet:
    """Companies with a confirmed stand at the event (or any event of the series)."""
    events = _events(event, series)
    if filters.site:
        events = events.filter(venue__town__iexact=filters.site)
    companies = Company.objects.filter(
        bookings__status=StandBooking.Status.APPROVED, bookings__fair__event__in=events
    )
    if filters.sector:
        companies = companies.filter(sector=filters.sector)
    if filters.kind:
        companies = companies.filter(job_offers__kind=filters.kind)
    if filters.query:
        companies = companies.filter(
            Q(name__icontains=filters.query)
            | Q(description_de__icontains=filters.query)
            | Q(description_en__icontains=filters.query)
            | Q(job_offers__title__icontains=filters.query)
        )
    return companies.distinct().order_by("name")


def exhibitor_sites(company: Company, events: QuerySet) -> list[str]:
    """Towns where the company has a confirmed stand among `events`."""
    return sorted(
        set(
            StandBooking.objects.filter(
                company=company, status=StandBooking.Status.APPROVED, fair__event__in=events
            ).values_list("fair__event__venue__town", flat=True)
        )
    )


def job_wall(
    *, event: Event | None = None, series: EventSeries | None = None, filters: DirectoryFilter
) -> QuerySet:
    """Job offers shown at the event (or the series) by companies with a confirmed stand there."""
    events = _events(event, series)
    if filters.site:
        events = events.filter(venue__town__iexact=filters.site)
    confirmed = StandBooking.objects.filter(
        company=OuterRef("company"),
        status=StandBooking.Status.APPROVED,
        fair__event__in=events,
        fair__event__job_offers=OuterRef("pk"),
    )
    offers = JobOffer.objects.filter(events__in=events).filter(Exists(confirmed))
    if filters.sector:
        # An offer's own field of work, or else its company's sector.
        offers = offers.filter(
            Q(field_of_work=filters.sector) | Q(field_of_work="", company__sector=filters.sector)
        )
    if filters.kind:
        offers = offers.filter(kind=filters.kind)
    if filters.query:
        offers = offers.filter(
            Q(title__icontains=filters.query)
            | Q(start_note__icontains=filters.query)
            | Q(place_of_work__icontains=filters.query)
            | Q(company__name__icontains=filters.query)
        )
    # An offer also names its other events: only public ones (never a draft's slug or venue).
    shown = Prefetch("events", queryset=Event.objects.published().select_related("venue"))
    return (
        offers.select_related("company").prefetch_related(shown).distinct().order_by("title", "pk")
    )


def sites(*, event: Event | None = None, series: EventSeries | None = None) -> list[str]:
    """Towns of the event or the series' events, for the site filter."""
    return sorted(set(_events(event, series).values_list("venue__town", flat=True)))


@dataclass
class ExhibitorFigures:
    """The exhibitor side's counts of one event or of a set of events (`exhibitor_figures`);
    figures/definitions.py documents them for funders and the fairs overview shows them."""

    exhibitors: int = 0  # distinct companies with a confirmed stand booking
    stands_booked: int = 0  # confirmed stand bookings
    job_offers: int = 0  # distinct offers of kind "job" presented (as the job wall shows)
    apprenticeships: int = 0  # distinct apprenticeship and dual-study places presented
    offers_total: int = 0  # distinct offers of every kind presented
    staff_passes: int = 0  # staff passes of confirmed bookings, not revoked
    companies: frozenset = frozenset()  # the exhibitors' company ids


APPRENTICESHIP_KINDS = (JobOffer.Kind.APPRENTICESHIP, JobOffer.Kind.DUAL_STUDY)


def _offer_counts() -> dict:
    offer = "joboffer_id"
    return {
        "jobs": Count(offer, filter=Q(joboffer__kind=JobOffer.Kind.JOB), distinct=True),
        "apprenticeships": Count(
            offer, filter=Q(joboffer__kind__in=APPRENTICESHIP_KINDS), distinct=True
        ),
        "total": Count(offer, distinct=True),
    }


def exhibitor_figures(event_ids: list[int], *, total: bool = False) -> dict:
    """The exhibitor counts of each event, by event id; with `total`, one ExhibitorFigures
    of the whole set under the key None (a company or an offer at several events counted
    once). An offer is presented at an event when it is shown there by a company with a
    confirmed stand at that event, as on the job wall. A fixed number of queries."""
    out: dict = (
        {None: ExhibitorFigures()} if total else {pk: ExhibitorFigures() for pk in event_ids}
    )
    approved = Q(status=StandBooking.Status.APPROVED)
    bookings = StandBooking.objects.filter(approved, fair__event_id__in=event_ids)
    companies: dict = {}
    for event_id, company_id in bookings.values_list("fair__event_id", "company_id"):
        key = None if total else event_id
        out[key].stands_booked += 1
        companies.setdefault(key, set()).add(company_id)
    for key, group in companies.items():
        out[key].exhibitors, out[key].companies = len(group), frozenset(group)
    passes = StaffPass.objects.filter(
        booking__status=StandBooking.Status.APPROVED,
        booking__fair__event_id__in=event_ids,
        revoked_at__isnull=True,
    )
    if total:
        out[None].staff_passes = passes.count()
    else:
        for row in passes.values("booking__fair__event_id").annotate(n=Count("pk")).order_by():
            out[row["booking__fair__event_id"]].staff_passes = row["n"]
    stand_there = StandBooking.objects.filter(
        approved, company=OuterRef("joboffer__company"), fair__event=OuterRef("event")
    )
    shown = JobOffer.events.through.objects.filter(event_id__in=event_ids).filter(
        Exists(stand_there)
    )
    if total:
        rows = [{"event_id": None, **shown.aggregate(**_offer_counts())}]
    else:
        rows = shown.values("event_id").annotate(**_offer_counts()).order_by()
    for row in rows:
        figures = out[row["event_id"]]
        figures.job_offers = row["jobs"]
        figures.apprenticeships = row["apprenticeships"]
        figures.offers_total = row["total"]
    return out


@dataclass(frozen=True)
class SiteFigures:
    event: Event
    exhibitors: int
    stands_booked: int
    job_offers: int


def figures(events: QuerySet) -> list[SiteFigures]:
    """Exhibitors, booked stands and job offers (of every kind) per site event, for
    organisers: the counts of `exhibitor_figures`, the same the figures for funders show."""
    events = list(events.select_related("venue").order_by("starts_at", "venue__town"))
    counts = exhibitor_figures([event.pk for event in events])
    return [
        SiteFigures(
            event=event,
            exhibitors=counts[event.pk].exhibitors,
            stands_booked=counts[event.pk].stands_booked,
            job_offers=counts[event.pk].offers_total
            if event.status == Event.Status.PUBLISHED
            else 0,
        )
        for event in events
    ]


def staff_pass_by_serial(serial: int) -> StaffPass | None:
    """The staff pass with this serial (revoked ones included: check `revoked_at`)."""
    return (
        StaffPass.objects.select_related(
            "booking__company", "booking__stand", "booking__fair__event"
        )
        .filter(serial=serial)
        .first()
    )


def staff_passes_for_event(event: Event) -> QuerySet:
    """Valid staff passes of an event (of confirmed bookings, not revoked), for door lists."""
    return StaffPass.objects.filter(
        booking__fair__event=event,
        booking__status=StandBooking.Status.APPROVED,
        revoked_at__isnull=True,
    ).select_related("booking__company", "booking__stand")


def staff_pass_is_valid(staff_pass: StaffPass, *, now) -> bool:
    """True when the pass admits now: not revoked, booking confirmed, within set-up to
    tear-down of its fair (the door's rule for staff passes)."""
    booking = staff_pass.booking
    fair = booking.fair
    return (
        staff_pass.revoked_at is None
        and booking.status == StandBooking.Status.APPROVED
        and fair.setup_starts_at <= now <= fair.teardown_ends_at
    )


def booking_sheet(booking: StandBooking) -> BookingSheet:
    """The data of a booking's confirmation documents, in the active language."""
    fair = booking.fair
    event = fair.event
    stand = booking.stand
    return BookingSheet(
        reference=f"SB-{booking.pk:06d}",
        uid=f"fairs-booking-{booking.pk}-{event.uid}",
        company=booking.company.name,
        event_title=event.title,
        venue=f"{event.venue.name}, {event.venue.address}",
        stand_label=stand.label,
        hall=stand.hall.name,
        stand_size=f"{measure(stand.width_m)} × {measure(stand.depth_m)} m = "
        f"{measure(stand.area_m2)} m²",
        status=booking.get_status_display(),
        extras=[
            (_("Power connections"), booking.power_connections),
            (_("Tables"), booking.tables),
            (_("Chairs"), booking.chairs),
            (_("Parking passes"), booking.parking_passes),
        ],
        staff_passes=booking.staff_pass_count,
        day_contact=f"{booking.day_contact_name}, {booking.day_contact_phone}",
        stand_price=booking.stand_price,
        extras_price=booking.extras_price or Decimal("0"),
        event_starts_at=event.starts_at,
        event_ends_at=event.ends_at,
        setup_starts_at=fair.setup_starts_at,
        setup_ends_at=fair.setup_ends_at,
        teardown_starts_at=fair.teardown_starts_at,
        teardown_ends_at=fair.teardown_ends_at,
    )


def is_verified_by(company: Company, organisation: Organisation) -> bool:
    """True when `organisation` has verified the company (its stands there may be confirmed)."""
    return CompanyVerification.objects.filter(company=company, organisation=organisation).exists()


def verifying_organisation_names(company: Company) -> list[str]:
    """Names of the organisations that have verified the company (for the company itself)."""
    return list(
        company.verifications.order_by("organisation__name").values_list(
            "organisation__name", flat=True
        )
    )


def requests_awaiting_verification(company: Company) -> QuerySet:
    """The company's stand requests at events of organisations that have not verified it."""
    verified = CompanyVerification.objects.filter(
        company=company, organisation=OuterRef("fair__event__organisation")
    )
    return StandBooking.objects.filter(
        company=company, status=StandBooking.Status.REQUESTED
    ).exclude(Exists(verified))


# --- What needs the organiser now (the workspace's start page) ----------------------------


def _current_fairs(organisation: Organisation, now) -> QuerySet:
    """Fairs of the organisation's events that have not ended, soonest first."""
    return (
        Fair.objects.filter(event__organisation=organisation, event__ends_at__gte=now)
        .select_related("event__venue")
        .order_by("event__starts_at", "pk")
    )


def open_requests_per_fair(organisation: Organisation, *, now) -> list[tuple[Fair, int]]:
    """(fair, stand requests awaiting a decision) for the organisation's fairs that have any."""
    fairs = _current_fairs(organisation, now).annotate(
        open_requests=Count("bookings", filter=Q(bookings__status=StandBooking.Status.REQUESTED))
    )
    return [(fair, fair.open_requests) for fair in fairs if fair.open_requests]


def companies_to_verify(organisation: Organisation, *, now) -> list[tuple[Company, Fair]]:
    """Companies with an active stand booking at one of the organisation's fairs that the
    organisation has not verified yet, each with the first such fair (where it is verified)."""
    verified = CompanyVerification.objects.filter(
        company=OuterRef("company"), organisation=organisation
    )
    bookings = (
        StandBooking.objects.filter(
            fair__in=_current_fairs(organisation, now), status__in=StandBooking.ACTIVE
        )
        .exclude(Exists(verified))
        .select_related("company", "fair__event__venue")
        .order_by("fair__event__starts_at", "company__name", "pk")
    )
    first_fair: dict[int, tuple[Company, Fair]] = {}
    for booking in bookings:
        first_fair.setdefault(booking.company_id, (booking.company, booking.fair))
    return sorted(first_fair.values(), key=lambda pair: pair[0].name.casefold())


def waitlists_with_free_stands(organisation: Organisation, *, now) -> list[tuple[Fair, int, int]]:
    """(fair, companies waiting, free stands) for the organisation's fairs where companies
    wait on the waiting list while stands are free to offer them."""
    fairs = _current_fairs(organisation, now).annotate(
        waiting=Count("waitlist", filter=Q(waitlist__status=WaitlistEntry.Status.WAITING))
    )
    rows = []
    for fair in fairs:
        if fair.waiting:
            free = free_stands(fair).count()
            if free:
                rows.append((fair, fair.waiting, free))
    return rows
