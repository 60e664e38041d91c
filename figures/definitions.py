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

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date

from django.db.models import QuerySet

from events_platform.models import Event, EventSeries, Organisation

# Age groups of young people, in order (the keys of Figures.young_by_age).
AGE_GROUPS = ("under_10", "10_13", "14_17", "18_26", "class", "unknown")
# Young: under this age on the event's first day (camp children and class pupils always).
YOUNG_BELOW = 27


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
    #: Walk-in persons by postcode area (the first two digits), "" when none was given.
    #: Registrations carry no postcode.
    postcode_areas: dict[str, int] = field(default_factory=dict)

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


def compute(events: QuerySet[Event] | Iterable[Event]) -> Figures:
    """The totals of a set of events (distinct companies and offers over the whole set)."""
    raise NotImplementedError


def per_event(events: QuerySet[Event] | Iterable[Event]) -> dict[int, Figures]:
    """The figures of each event of the set, by event id (one fixed set of queries)."""
    raise NotImplementedError


def event_figures(event: Event) -> Figures:
    """The figures of one event (one site)."""
    return compute(Event.objects.filter(pk=event.pk))


def series_events(series: EventSeries, year: int | None = None) -> QuerySet[Event]:
    """The events (sites) of a series, of one year (by their first day) when given."""
    raise NotImplementedError


def series_figures(series: EventSeries, year: int | None = None) -> Figures:
    """The totals of an edition: a series (in one year when given)."""
    return compute(series_events(series, year))


def site_figures(series: EventSeries, year: int | None = None) -> list[tuple[Event, Figures]]:
    """Each site of an edition with its figures, in order of town."""
    raise NotImplementedError


def kind_year_events(organisation: Organisation, kind: str, year: int) -> QuerySet[Event]:
    """An organisation's published events of one kind in one year."""
    raise NotImplementedError


def organisation_year_events(
    organisation: Organisation, year: int | None = None
) -> QuerySet[Event]:
    """An organisation's events (of one year when given); drafts and cancelled excluded."""
    raise NotImplementedError


def years_of_series(series: EventSeries) -> list[int]:
    """The years in which the series had events, oldest first (for "this year against
    earlier editions")."""
    raise NotImplementedError
