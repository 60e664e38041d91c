"""The hand-counted edition: every figure of figures/definitions.py known in advance.

`hand_counted_edition` builds a series of two sites open right now (Torgau with a fair,
Oschatz with a fair), with registrations, tickets, scans in and out, walk-ins, cancellations,
a waiting list, stand bookings, staff passes and job offers; it returns the series, its two
events and the hand count (`HAND_COUNT` below: per site and for the edition). The surfaces
(page, PDF, CSV, API, open data) check themselves against the same numbers.
"""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from checkin import services as checkin_services
from fairs.models import JobOffer, StandBooking
from fairs.services.passes import issue_staff_pass, revoke_staff_pass
from infra.dates import years_after
from leads.models import Contact
from tests.checkin.factories import DoorEventFactory, make_ticket, pair
from tests.factories import EventFactory, EventSeriesFactory, OrganisationFactory, VenueFactory
from tests.fairs.factories import (
    CompanyFactory,
    FairFactory,
    HallFactory,
    JobOfferFactory,
    StandBookingFactory,
    StandFactory,
)
from ticketing.models import Registration, Ticket

# What a person counting by hand finds (see the fixture below for each row's source).
HAND_COUNT = {
    "torgau": {
        "registered": 25,  # three singles + a class of 20 pupils and 2 adults
        "registered_single": 3,
        "registered_classes": 1,
        "registered_pupils": 20,
        "registered_adults": 2,
        "registered_camp": 0,
        "cancelled": 1,
        "waiting_list": 2,
        "checked_in": 24,  # two singles + the class of 22
        "walk_ins": 4,  # 3 + 1
        "visitors": 28,
        "present_now": 27,  # 24 + 4 in, one single out
        "exits": 1,
        "no_shows": 1,  # the third single
        "exhibitors": 2,  # Agrarhof (returning), Pflegedienst (first time)
        "stand_bookings": 2,
        "job_offers": 2,
        "apprenticeships": 1,
        "offers_total": 3,
        "staff_passes": 2,  # Agrarhof 2 issued, 1 revoked; Pflegedienst 1
        "returning_companies": 1,
        "first_time_companies": 1,
        "young_people": 22,  # 20 pupils, one of 15, one of 20
        "young_by_age": {"14_17": 1, "18_26": 1, "class": 20},
        "pupils_by_school": {"Oberschule Torgau": 20},
        "camp_days": {},
        # Walk-ins 3 (04860) and 1 (none); the single of 15 gave 04860 in the form, the
        # others none; the no-show's 01067 is not a visitor's.
        "postcode_areas": {"": 24, "04": 4},
        "stand_contacts": 3,  # two at the Agrarhof's stand (one nameless), one at Pflege
        "contacts_by_company": {"Agrarhof Mockrehna": 2, "Pflegedienst Torgau": 1},
    },
    "oschatz": {
        "registered": 2,
        "registered_single": 2,
        "registered_classes": 0,
        "registered_pupils": 0,
        "registered_adults": 0,
        "registered_camp": 0,
        "cancelled": 0,
        "waiting_list": 0,
        "checked_in": 2,
        "walk_ins": 2,
        "visitors": 4,
        "present_now": 4,
        "exits": 0,
        "no_shows": 0,
        "exhibitors": 1,  # Agrarhof (also at Torgau; requested and rejected ones not)
        "stand_bookings": 1,
        "job_offers": 1,  # the Agrarhof job, also shown at Torgau
        "apprenticeships": 1,  # the dual-study place
        "offers_total": 3,  # job, dual study, internship
        "staff_passes": 0,
        "returning_companies": 1,
        "first_time_companies": 0,
        "young_people": 0,
        "young_by_age": {},
        "pupils_by_school": {},
        "camp_days": {},
        "postcode_areas": {"": 1, "01": 1, "04": 2},  # walk-ins 04758, a single 01723
        "stand_contacts": 1,
        "contacts_by_company": {"Agrarhof Mockrehna": 1},
    },
}
# The edition: sums, except companies and offers, which count once however many sites.
HAND_COUNT["edition"] = {
    name: (
        {
            key: HAND_COUNT["torgau"][name].get(key, 0) + HAND_COUNT["oschatz"][name].get(key, 0)
            for key in {**HAND_COUNT["torgau"][name], **HAND_COUNT["oschatz"][name]}
        }
        if isinstance(value, dict)
        else value + HAND_COUNT["oschatz"][name]
    )
    for name, value in HAND_COUNT["torgau"].items()
}
HAND_COUNT["edition"].update(
    exhibitors=2,
    job_offers=2,  # the Agrarhof job (both sites), the Pflegedienst job
    apprenticeships=2,  # the apprenticeship at Torgau, the dual-study place at Oschatz
    offers_total=5,
    returning_companies=1,
    first_time_companies=1,
)


@dataclass
class Edition:
    series: object
    torgau: object
    oschatz: object
    hand_count: dict

    @property
    def year(self) -> int:
        """The edition's year, its sites' (on 1 January just after midnight the sites, begun
        half an hour ago, are still last year's)."""
        return timezone.localtime(self.torgau.starts_at).year


def _years_ago(years: int) -> date:
    today = timezone.localdate()
    return years_after(today, -years)


@pytest.fixture
def hand_counted_edition(db) -> Edition:
    organisation = OrganisationFactory(name="Fachkräfteallianz Nordsachsen")
    series = EventSeriesFactory(
        organisation=organisation, slug="rueckkehrertag-figures", title_de="Rückkehrertag"
    )
    now = timezone.now()

    def site(town: str):
        return DoorEventFactory(
            organisation=organisation,
            series=series,
            venue=VenueFactory(organisation=organisation, town=town),
            title_de=f"Rückkehrertag {town}",
        )

    torgau, oschatz = site("Torgau"), site("Oschatz")

    def scan(device, ticket, direction="entry"):
        answer = checkin_services.redeem_ticket(
            device=device,
            secret=ticket.secret,
            nonce=uuid.uuid4().hex,
            now=timezone.now(),
            direction=direction,
        )
        assert answer.ok, answer

    def walk_in(device, persons, postcode=""):
        checkin_services.count_walk_in(
            device=device,
            nonce=uuid.uuid4().hex,
            now=timezone.now(),
            persons=persons,
            postcode=postcode,
        )

    # Torgau: three singles (15, 20 and no birth date), a class of 20 + 2.
    device, _token = pair(torgau)
    fifteen = make_ticket(
        torgau, 1, birth_date=_years_ago(15) - timedelta(days=3), postcode="04860"
    )
    twenty = make_ticket(torgau, 2, birth_date=_years_ago(20) - timedelta(days=3))
    absent = make_ticket(torgau, 3, postcode="01067")
    school_class = make_ticket(
        torgau, 4, headcount=22, pupils=20, adults=2, school="Oberschule Torgau", grade="9b"
    )
    cancelled = make_ticket(torgau, 5)
    Registration.objects.filter(pk=cancelled.registration_id).update(
        status=Registration.Status.CANCELLED, cancelled_at=now
    )
    Ticket.objects.filter(pk=cancelled.pk).update(status=Ticket.Status.REVOKED, revoked_at=now)
    for n in (6, 7):
        Registration.objects.create(
            event=torgau,
            name=f"Wartende {n}",
            email=f"wait{n}@example.org",
            status=Registration.Status.WAITLISTED,
            waitlisted_at=now,
            created_at=now,
        )
    scan(device, fifteen)
    scan(device, twenty)
    scan(device, twenty, "exit")
    scan(device, school_class)
    assert absent.attendances.count() == 0
    walk_in(device, 3, "04860")
    walk_in(device, 1)

    # Oschatz: two singles in, two walk-ins together.
    device_o, _token = pair(oschatz)
    scan(device_o, make_ticket(oschatz, 11, postcode="01723"))
    scan(device_o, make_ticket(oschatz, 12))
    walk_in(device_o, 2, "04758")

    # Exhibitors: the Agrarhof at both sites (and last year), the Pflegedienst at Torgau,
    # a requested and a rejected booking at Oschatz (not counted).
    fair_t = FairFactory(event=torgau)
    fair_o = FairFactory(event=oschatz)
    hall_t, hall_o = HallFactory(fair=fair_t), HallFactory(fair=fair_o)
    agrarhof = CompanyFactory(name="Agrarhof Mockrehna")
    pflege = CompanyFactory(name="Pflegedienst Torgau")
    approved = StandBooking.Status.APPROVED

    def booking(company, hall, status=approved):
        return StandBookingFactory(company=company, stand=StandFactory(hall=hall), status=status)

    agrar_t = booking(agrarhof, hall_t)
    pflege_t = booking(pflege, hall_t)
    agrar_o = booking(agrarhof, hall_o)
    hopeful = booking(
        CompanyFactory(name="Bäckerei Wartend"), hall_o, StandBooking.Status.REQUESTED
    )
    StandBookingFactory(stand=StandFactory(hall=hall_o), status=StandBooking.Status.REJECTED)
    last_year = EventFactory(
        organisation=organisation,
        kind=torgau.kind,
        starts_at=now - timedelta(days=365),
        ends_at=now - timedelta(days=365) + timedelta(hours=2),
    )
    StandBookingFactory(
        company=agrarhof,
        stand=StandFactory(hall=HallFactory(fair=FairFactory(event=last_year))),
        status=approved,
    )
    issue_staff_pass(booking=agrar_t, name="Anna Stand", now=now)
    revoke_staff_pass(
        staff_pass=issue_staff_pass(booking=agrar_t, name="Ben Stand", now=now), now=now
    )
    issue_staff_pass(booking=pflege_t, name="Carla Stand", now=now)

    job = JobOfferFactory(company=agrarhof, kind=JobOffer.Kind.JOB, title="Tierwirt/in")
    job.events.set([torgau, oschatz])
    JobOfferFactory(company=agrarhof, kind=JobOffer.Kind.APPRENTICESHIP).events.set([torgau])
    JobOfferFactory(company=pflege, kind=JobOffer.Kind.JOB, title="Pflegefachkraft").events.set(
        [torgau]
    )
    JobOfferFactory(company=agrarhof, kind=JobOffer.Kind.DUAL_STUDY).events.set([oschatz])
    JobOfferFactory(company=agrarhof, kind=JobOffer.Kind.INTERNSHIP).events.set([oschatz])
    # Not counted: an offer of a company whose stand is not confirmed, one shown elsewhere.
    JobOfferFactory(company=hopeful.company, kind=JobOffer.Kind.JOB).events.set([oschatz])
    JobOfferFactory(company=pflege, kind=JobOffer.Kind.JOB).events.set([last_year])
    # Contacts at the stands: the visitor of 15 shared her details with the Agrarhof at
    # Torgau, the visitor of 20 did not; the Pflegedienst met the teacher; the Agrarhof met
    # a visitor at Oschatz.
    for stand_booking, ticket, shared in (
        (agrar_t, fifteen, True),
        (agrar_t, twenty, False),
        (pflege_t, school_class, True),
        (agrar_o, None, False),
    ):
        Contact.objects.create(
            event=stand_booking.fair.event,
            company=stand_booking.company,
            booking=stand_booking,
            ticket=ticket,
            registration=ticket.registration if ticket else None,
            shared=shared,
            name=ticket.registration.name if ticket and shared else "",
            created_at=now,
            updated_at=now,
        )
    return Edition(series=series, torgau=torgau, oschatz=oschatz, hand_count=HAND_COUNT)
