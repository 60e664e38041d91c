"""Every figure of the platform, defined once.

The live view, the organiser pages, the report, the exports and the API all read their
counts from here (the door's own per-list counts come from checkin/queries.py, which this
module reads too, so the live view and the report cannot disagree).

Scopes: one event (a site), the sites of a series, a series (an edition), a kind of event
in a year, an organisation in a year. Every scope is a set of events; `compute(events)`
gives the totals of the set, `per_event(events)` the figures of each event. A total is not
always the sum of its events: a company at three sites is one exhibitor of the edition, a
job offer shown at two sites is one offer.

All counting happens in SQL with a fixed number of queries per call, whatever the size.
The figures stay the same after retention anonymises personal data: they read only
fields retention keeps (statuses, headcounts, kinds, times) and, for age group and school,
the facts kept in `figures.models.RegistrationFact` when retention erased the birth date
and the school.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from checkin.models import Attendance, WalkIn
from checkin.queries import event_door_figures
from events_platform.models import Event, EventSeries, Organisation
from fairs.models import StandBooking
from fairs.queries import exhibitor_figures
from leads.models import Contact
from ticketing.models import Registration, Ticket

from .ages import AGE_GROUPS, YOUNG_BELOW, age_group

__all__ = [
    "AGE_GROUPS",
    "YOUNG_BELOW",
    "Figures",
    "compute",
    "per_event",
    "event_figures",
    "series_events",
    "series_figures",
    "edition_figures",
    "site_figures",
    "kind_year_events",
    "organisation_year_events",
    "years_of_series",
    "earlier_editions",
]


@dataclass
class Figures:
    """The figures of one scope. Persons, never registrations or scans, unless a name says
    otherwise."""

    # --- Visitors -------------------------------------------------------------------------
    #: Persons registered: confirmed registrations' headcounts (a class counts its pupils
    #: and adults). Not counted: cancelled, released, waiting list, open offers, camp places
    #: still waiting for the guardian.
    registered: int = 0
    #: Of those, persons who registered on their own (kind "individual").
    registered_single: int = 0
    #: Confirmed school classes (registrations, not persons).
    registered_classes: int = 0
    #: Pupils of the confirmed classes.
    registered_pupils: int = 0
    #: Accompanying adults of the confirmed classes (teachers, parents).
    registered_adults: int = 0
    #: Camp children with a confirmed place.
    registered_camp: int = 0
    #: Registrations cancelled by the person or the organiser, or released (not persons:
    #: registrations).
    cancelled: int = 0
    #: Persons on the waiting list at the end (waiting or holding an open offer).
    waiting_list: int = 0
    #: Ticket holders checked in at least once (distinct tickets per check-in list; a group
    #: ticket counts the persons it let in). A camp child on three days counts three times
    #: here (see camp_days); stand staff are not counted.
    checked_in: int = 0
    #: Persons counted at the door without registration.
    walk_ins: int = 0
    #: Everyone who came: checked_in + walk_ins. The funders' "Besuchende".
    visitors: int = 0
    #: Present now: persons let in (ticket holders and walk-ins) minus persons let out.
    #: Stand staff are not counted. Walk-ins leave uncounted (no exit scan).
    present_now: int = 0
    #: Persons let out at an exit scan.
    exits: int = 0
    #: Persons with a valid ticket of a confirmed registration never checked in.
    no_shows: int = 0

    # --- Exhibitors -----------------------------------------------------------------------
    #: Distinct companies with a confirmed (approved) stand booking.
    exhibitors: int = 0
    #: Confirmed stand bookings (a company with two stands: two).
    stand_bookings: int = 0
    #: Distinct job offers (kind "job") shown at the scope's events by a company with a
    #: confirmed booking there, or shown there without a fair (Rückkehrertag list).
    job_offers: int = 0
    #: Distinct apprenticeship and dual-study places, counted as job_offers are.
    apprenticeships: int = 0
    #: All distinct offers of every kind (jobs, apprenticeships, dual study, internships,
    #: holiday jobs): the funders' "Stellenangebote".
    offers_total: int = 0
    #: Staff passes issued for confirmed bookings and not revoked.
    staff_passes: int = 0
    #: Exhibitors of the scope that had a confirmed booking at an earlier event of the same
    #: organisation, and those that had none.
    returning_companies: int = 0
    first_time_companies: int = 0

    # --- Young people ---------------------------------------------------------------------
    #: Young people reached: camp children and class pupils with a confirmed place, and
    #: single registrants younger than YOUNG_BELOW on the event's first day.
    young_people: int = 0
    #: young_people by age group (AGE_GROUPS; class pupils under "class").
    young_by_age: dict[str, int] = field(default_factory=dict)
    #: Pupils of confirmed classes by school.
    pupils_by_school: dict[str, int] = field(default_factory=dict)
    #: Camp children present per camp day (distinct, from that day's check-in list).
    camp_days: dict[date, int] = field(default_factory=dict)

    # --- Where visitors came from ---------------------------------------------------------
    #: Visitors by postcode area (the first two digits): walk-ins by the postcode typed at
    #: the door, checked-in ticket holders by the postcode given in the registration form
    #: (asked of individual visitors of returnee days and fairs, ticketing.queries.
    #: asks_postcode; kept as figures.RegistrationFact.postcode_area after retention).
    #: "" for everyone who gave none or an invalid one. The areas add up to `visitors`.
    postcode_areas: dict[str, int] = field(default_factory=dict)

    # --- Contacts at the stands -----------------------------------------------------------
    #: Contacts made at the stands (leads.Contact): a visitor whose ticket a company's stand
    #: staff scanned, once per visitor and stand booking, with or without the visitor's
    #: details. Retention and a withdrawal erase the details and keep the count.
    stand_contacts: int = 0
    #: stand_contacts by company name.
    contacts_by_company: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Plain values (dates as ISO text) for JSON and exports."""
        out = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, dict):
                value = {
                    str(k) if not isinstance(k, date) else k.isoformat(): v
                    for k, v in value.items()
                }
            out[item.name] = value
        return out


# Fields that add up over events (a person, ticket, booking or pass belongs to one event).
ADDITIVE = (
    "registered",
    "registered_single",
    "registered_classes",
    "registered_pupils",
    "registered_adults",
    "registered_camp",
    "cancelled",
    "waiting_list",
    "checked_in",
    "walk_ins",
    "visitors",
    "present_now",
    "exits",
    "no_shows",
    "stand_bookings",
    "staff_passes",
    "young_people",
    "stand_contacts",
)
ADDITIVE_MAPS = (
    "young_by_age",
    "pupils_by_school",
    "camp_days",
    "postcode_areas",
    "contacts_by_company",
)

Status = Registration.Status
Kind = Registration.Kind


def _ids(events) -> list[int]:
    if isinstance(events, QuerySet):
        return list(events.order_by().values_list("pk", flat=True))
    return [event.pk for event in events]


def _add(target: dict, key, value: int) -> None:
    if value:
        target[key] = target.get(key, 0) + value


def per_event(events: QuerySet[Event] | Iterable[Event]) -> dict[int, Figures]:
    """The figures of each event of the set, by event id (one fixed set of queries)."""
    ids = _ids(events)
    out = {pk: Figures() for pk in ids}
    if not ids:
        return out
    starts = dict(Event.objects.filter(pk__in=ids).values_list("pk", "starts_at"))
    _registrations(ids, out)
    _young_people(ids, starts, out)
    _door(ids, out)
    _no_shows(ids, out)
    _exhibitors_per_event(ids, starts, out)
    for figures in out.values():
        figures.visitors = figures.checked_in + figures.walk_ins
    _postcode_areas(ids, out)
    _stand_contacts(ids, out)
    return out


def compute(
    events: QuerySet[Event] | Iterable[Event], *, sites: dict[int, Figures] | None = None
) -> Figures:
    """The totals of a set of events (distinct companies and offers over the whole set);
    `sites`: the set's `per_event` figures when the caller has them already."""
    ids = _ids(events)
    total = Figures()
    if sites is None:
        sites = per_event(ids and Event.objects.filter(pk__in=ids))
    for figures in sites.values():
        for name in ADDITIVE:
            setattr(total, name, getattr(total, name) + getattr(figures, name))
        for name in ADDITIVE_MAPS:
            merged = getattr(total, name)
            for key, value in getattr(figures, name).items():
                _add(merged, key, value)
    if ids:
        _exhibitors_total(ids, total)
    total.young_by_age = {k: total.young_by_age[k] for k in AGE_GROUPS if k in total.young_by_age}
    total.pupils_by_school = dict(sorted(total.pupils_by_school.items()))
    total.camp_days = dict(sorted(total.camp_days.items()))
    total.postcode_areas = dict(sorted(total.postcode_areas.items()))
    total.contacts_by_company = dict(sorted(total.contacts_by_company.items()))
    return total


def _registrations(ids: list[int], out: dict[int, Figures]) -> None:
    confirmed = Q(status=Status.CONFIRMED)
    school_class = confirmed & Q(kind=Kind.SCHOOL_CLASS)
    rows = (
        Registration.objects.filter(event_id__in=ids)
        .values("event_id")
        .annotate(
            single=Coalesce(Sum("headcount", filter=confirmed & Q(kind=Kind.INDIVIDUAL)), 0),
            classes=Count("pk", filter=school_class),
            pupils=Coalesce(Sum("pupils", filter=school_class), 0),
            adults=Coalesce(Sum("adults", filter=school_class), 0),
            camp=Coalesce(Sum("headcount", filter=confirmed & Q(kind=Kind.CAMP_PARTICIPANT)), 0),
            cancelled=Count("pk", filter=Q(status__in=[Status.CANCELLED, Status.RELEASED])),
            waiting=Coalesce(
                Sum("headcount", filter=Q(status__in=[Status.WAITLISTED, Status.OFFERED])), 0
            ),
        )
        .order_by()
    )
    for row in rows:
        figures = out[row["event_id"]]
        figures.registered_single = row["single"]
        figures.registered_classes = row["classes"]
        figures.registered_pupils = row["pupils"]
        figures.registered_adults = row["adults"]
        figures.registered_camp = row["camp"]
        figures.cancelled = row["cancelled"]
        figures.waiting_list = row["waiting"]


def _young_people(ids: list[int], starts: dict, out: dict[int, Figures]) -> None:
    """Grouped by birth date and school (few distinct values per event), the age group is
    worked out here; an erased registration answers from its kept fact."""
    rows = (
        Registration.objects.filter(event_id__in=ids, status=Status.CONFIRMED)
        .values(
            "event_id",
            "kind",
            "birth_date",
            "school",
            "figures_fact__age_group",
            "figures_fact__school",
        )
        .annotate(persons=Coalesce(Sum("headcount"), 0), pupils=Coalesce(Sum("pupils"), 0))
        .order_by()
    )
    for row in rows:
        figures = out[row["event_id"]]
        if row["kind"] == Kind.SCHOOL_CLASS:
            school = row["school"] or row["figures_fact__school"] or ""
            figures.young_people += row["pupils"]
            _add(figures.young_by_age, "class", row["pupils"])
            _add(figures.pupils_by_school, school, row["pupils"])
            continue
        if row["birth_date"] is not None:
            group = age_group(row["birth_date"], starts[row["event_id"]])
        elif row["figures_fact__age_group"] is not None:
            group = row["figures_fact__age_group"] or "unknown"
        else:
            group = "unknown"
        if row["kind"] == Kind.CAMP_PARTICIPANT:
            group = group or "18_26"  # a camp child is young whatever the typed date says
        elif group == "unknown" or not group:
            continue  # a single registrant counts only with a birth date under YOUNG_BELOW
        figures.young_people += row["persons"]
        _add(figures.young_by_age, group, row["persons"])


def _door(ids: list[int], out: dict[int, Figures]) -> None:
    """The door's figures, as the live view's series overview counts them
    (checkin.queries.event_door_figures: the one definition of registered, checked in, walk-ins,
    exits, present now and the camp's days)."""
    for event_id, door in event_door_figures(ids).items():
        figures = out[event_id]
        figures.registered = door.registered
        figures.checked_in = door.checked_in
        figures.walk_ins = door.walk_ins
        figures.exits = door.exits
        figures.present_now = door.present
        figures.camp_days = door.days


def _area(value: str | None) -> str:
    return value if re.fullmatch(r"\d\d", value or "") else ""


def _postcode_areas(ids: list[int], out: dict[int, Figures]) -> None:
    """Visitors by postcode area: walk-ins by the postcode given at the door, checked-in
    ticket holders by the postcode of their registration (or the area kept when retention
    erased it); everyone else under "". The areas add up to `visitors`."""
    walk_ins = (
        WalkIn.objects.filter(checkin_list__event_id__in=ids)
        .annotate(area=Substr("postcode", 1, 2))
        .values("checkin_list__event_id", "area")
        .annotate(persons=Coalesce(Sum("persons"), 0))
        .order_by()
    )
    holders = (
        Attendance.objects.filter(checkin_list__event_id__in=ids, ticket__isnull=False)
        .filter(
            ~Q(ticket__registration__postcode="")
            | ~Q(ticket__registration__figures_fact__postcode_area="")
        )
        .annotate(area=Substr("ticket__registration__postcode", 1, 2))
        .values(
            "checkin_list__event_id", "area", "ticket__registration__figures_fact__postcode_area"
        )
        .annotate(persons=Coalesce(Sum("persons"), 0))
        .order_by()
    )
    known: dict[int, int] = {}
    for row in walk_ins:
        area = _area(row["area"]) if len(row["area"] or "") == 2 else ""
        event_id = row["checkin_list__event_id"]
        _add(out[event_id].postcode_areas, area, row["persons"])
        known[event_id] = known.get(event_id, 0) + row["persons"]
    for row in holders:
        area = _area(row["area"]) or _area(row["ticket__registration__figures_fact__postcode_area"])
        if not area:
            continue
        event_id = row["checkin_list__event_id"]
        _add(out[event_id].postcode_areas, area, row["persons"])
        known[event_id] = known.get(event_id, 0) + row["persons"]
    for event_id, figures in out.items():
        # Ticket holders without a postcode (and the rest of a camp's days) count under "".
        _add(figures.postcode_areas, "", max(figures.visitors - known.get(event_id, 0), 0))


def _stand_contacts(ids: list[int], out: dict[int, Figures]) -> None:
    rows = (
        Contact.objects.filter(event_id__in=ids)
        .values("event_id", "company__name")
        .annotate(contacts=Count("pk"))
        .order_by("event_id", "company__name")
    )
    for row in rows:
        figures = out[row["event_id"]]
        figures.stand_contacts += row["contacts"]
        _add(figures.contacts_by_company, row["company__name"], row["contacts"])


def _no_shows(ids: list[int], out: dict[int, Figures]) -> None:
    rows = (
        Ticket.objects.filter(
            event_id__in=ids,
            status=Ticket.Status.VALID,
            registration__status=Status.CONFIRMED,
            attendances__isnull=True,
        )
        .values("event_id")
        .annotate(persons=Coalesce(Sum("headcount"), 0))
        .order_by()
    )
    for row in rows:
        out[row["event_id"]].no_shows = row["persons"]


def _approved() -> Q:
    return Q(status=StandBooking.Status.APPROVED)


def _copy_exhibitors(source, figures: Figures) -> None:
    figures.exhibitors = source.exhibitors
    figures.stand_bookings = source.stands_booked
    figures.job_offers = source.job_offers
    figures.apprenticeships = source.apprenticeships
    figures.offers_total = source.offers_total
    figures.staff_passes = source.staff_passes


def _earlier_bookings(companies: set[int], organisations: set[int]) -> list[tuple]:
    """(company, organisation, start) of every confirmed booking of these companies with
    these organisations: one query, whatever the number of events."""
    return list(
        StandBooking.objects.filter(
            _approved(),
            company_id__in=companies,
            fair__event__organisation_id__in=organisations,
        ).values_list("company_id", "fair__event__organisation_id", "fair__event__starts_at")
    )


def _split_companies(figures: Figures, group, earlier, organisations: set[int], before) -> None:
    """Returning: a confirmed booking with the organisation at an event before `before`."""
    returning = {
        company
        for company, organisation, starts_at in earlier
        if organisation in organisations and starts_at < before
    }
    figures.returning_companies = len(group & returning)
    figures.first_time_companies = len(group - returning)


def _exhibitors_per_event(ids: list[int], starts: dict, out: dict[int, Figures]) -> None:
    counts = exhibitor_figures(ids)
    for event_id, source in counts.items():
        _copy_exhibitors(source, out[event_id])
    everyone = {c for source in counts.values() for c in source.companies}
    if not everyone:
        return
    organisation_of = dict(Event.objects.filter(pk__in=ids).values_list("pk", "organisation_id"))
    earlier = _earlier_bookings(everyone, set(organisation_of.values()))
    for event_id, source in counts.items():
        if source.companies:
            _split_companies(
                out[event_id],
                set(source.companies),
                earlier,
                {organisation_of[event_id]},
                starts[event_id],
            )


def _exhibitors_total(ids: list[int], total: Figures) -> None:
    source = exhibitor_figures(ids, total=True)[None]
    _copy_exhibitors(source, total)
    if not source.companies:
        total.returning_companies = total.first_time_companies = 0
        return
    scope = Event.objects.filter(pk__in=ids)
    first = scope.order_by("starts_at").values_list("starts_at", flat=True).first()
    organisations = set(scope.values_list("organisation_id", flat=True).distinct())
    earlier = _earlier_bookings(set(source.companies), organisations)
    _split_companies(total, set(source.companies), earlier, organisations, first)


def event_figures(event: Event) -> Figures:
    """The figures of one event (one site)."""
    return per_event([event])[event.pk]


def _counted(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.exclude(status__in=[Event.Status.DRAFT, Event.Status.CANCELLED])


def series_events(series: EventSeries, year: int | None = None) -> QuerySet[Event]:
    """The events (sites) of a series, of one year (by their first day, local time) when
    given; drafts and cancelled sites left out."""
    events = _counted(Event.objects.filter(series=series))
    if year is not None:
        events = events.filter(starts_at__year=year)
    return events.select_related("venue").order_by("starts_at", "venue__town", "pk")


def series_figures(series: EventSeries, year: int | None = None) -> Figures:
    """The totals of an edition: a series (in one year when given)."""
    return compute(series_events(series, year))


def site_figures(series: EventSeries, year: int | None = None) -> list[tuple[Event, Figures]]:
    """Each site of an edition with its figures, in order of day and town."""
    events = list(series_events(series, year))
    figures = per_event(events)
    return [(event, figures[event.pk]) for event in events]


def edition_figures(
    series: EventSeries, year: int | None = None
) -> tuple[Figures, list[tuple[Event, Figures]]]:
    """The totals of an edition and each of its sites, counted once for both (what
    series_figures and site_figures give, in fewer queries)."""
    events = list(series_events(series, year))
    sites = per_event(events)
    total = compute(events, sites=sites)
    return total, [(event, sites[event.pk]) for event in events]


def kind_year_events(organisation: Organisation, kind: str, year: int) -> QuerySet[Event]:
    """An organisation's events of one kind in one year; drafts and cancelled left out."""
    return organisation_year_events(organisation, year).filter(kind=kind)


def organisation_year_events(
    organisation: Organisation, year: int | None = None
) -> QuerySet[Event]:
    """An organisation's events (of one year when given); drafts and cancelled left out."""
    events = _counted(Event.objects.filter(organisation=organisation))
    if year is not None:
        events = events.filter(starts_at__year=year)
    return events.order_by("starts_at", "pk")


def years_of_series(series: EventSeries) -> list[int]:
    """The years in which the series had events, oldest first."""
    return sorted(
        {
            timezone.localtime(moment).year
            for moment in series_events(series).values_list("starts_at", flat=True)
        }
    )


# As next year's copy finds the year in a short name (events_platform/editions.py).
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def _stem(slug: str) -> str:
    """The short name without its year (and the copy's number after it)."""
    return re.sub(r"-YEAR(-\d+)?$", "", _YEAR.sub("YEAR", slug))


def earlier_editions(series: EventSeries) -> list[EventSeries]:
    """The organisation's earlier editions of this series (the same short name apart from
    the year, as next year's copy names it), oldest first, with events before this
    one's first; for "this year against earlier editions"."""
    stem = _stem(series.slug)
    first = series_events(series).values_list("starts_at", flat=True).first()
    if first is None:
        return []
    candidates = EventSeries.objects.filter(organisation_id=series.organisation_id).exclude(
        pk=series.pk
    )
    found = []
    for other in candidates:
        if _stem(other.slug) != stem:
            continue
        other_first = series_events(other).values_list("starts_at", flat=True).first()
        if other_first is not None and other_first < first:
            found.append((other_first, other))
    return [other for _first, other in sorted(found, key=lambda item: item[0])]
