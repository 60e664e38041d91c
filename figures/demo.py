"""Past editions for the figures (called by `manage.py load_demo_data` after the other apps).

The source names "300 Besuchende, 229 Stellenangebote" for the Rückkehrertag and
"278 Jugendliche" for the NaWi-Camps. This loader adds last year's Rückkehrertag (five sites,
300 visitors: ticket holders checked in and walk-ins; 229 job offers presented by the
exhibitors) and the NaWi-Camps of the six years before, whose confirmed camp children add up
to 278. Idempotent (found by slug first); written in bulk so loading stays fast.
"""

import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from checkin.models import Attendance, CheckinList, Device, Direction, Scan, WalkIn
from events_platform import ticket_codes
from events_platform.demo import BERLIN, demo_rueckkehrertag, next_rueckkehrertag
from events_platform.models import Event, EventSeries
from fairs.models import Company, Fair, Hall, JobOffer, Stand, StandBooking
from infra.dates import years_after
from ticketing.models import Registration, Ticket

# Per site: (key, ticket holders checked in, registered but absent, walk-in persons, offers,
# postcode of the walk-ins). 300 visitors and 229 offers in all.
RETURNEE_SITES = [
    ("delitzsch", 22, 3, 58, 52, "04509"),
    ("torgau", 18, 2, 47, 49, "04860"),
    ("oschatz", 15, 2, 40, 44, "04758"),
    ("eilenburg", 16, 1, 44, 46, "04838"),
    ("schkeuditz", 12, 2, 28, 38, "04435"),
]
RETURNEE_VISITORS = 300
RETURNEE_OFFERS = 229
# NaWi-Camp children per year, oldest first: 278 young people.
CAMP_CHILDREN = [41, 44, 47, 46, 50, 50]
CAMP_YOUNG_PEOPLE = 278
# What last year's exhibitors presented, by their sector (the others: GENERAL_OFFERS). Each
# company presents each title at most once per site: a site's offers are dealt out to its
# exhibitors in rounds, one title of the company's list per round, so a list needs as many
# titles as there are rounds (52 offers among 8 exhibitors: 7).
K = JobOffer.Kind
SECTOR_OFFERS = {
    "agriculture_food": [
        ("Landwirt/in", K.APPRENTICESHIP),
        ("Tierwirt/in Milchviehhaltung", K.APPRENTICESHIP),
        ("Fachkraft Agrarservice", K.APPRENTICESHIP),
        ("Land- und Baumaschinenmechatroniker/in", K.APPRENTICESHIP),
        ("Herdenmanager/in", K.JOB),
        ("Fachkraft für Lebensmitteltechnik", K.APPRENTICESHIP),
        ("Duales Studium Agrarwirtschaft", K.DUAL_STUDY),
        ("Erntehelfer/in Sommer", K.HOLIDAY_JOB),
    ],
    "care": [
        ("Pflegefachfrau/-mann", K.APPRENTICESHIP),
        ("Pflegefachkraft (m/w/d)", K.JOB),
        ("Pflegehelfer/in", K.APPRENTICESHIP),
        ("Medizinische/r Fachangestellte/r", K.APPRENTICESHIP),
        ("Praxisanleiter/in Pflege", K.JOB),
        ("Duales Studium Pflege", K.DUAL_STUDY),
        ("Betreuungskraft Tagespflege", K.JOB),
        ("Praktikum in der Pflege", K.INTERNSHIP),
    ],
    "crafts": [
        ("Tischler/in", K.APPRENTICESHIP),
        ("Elektroniker/in für Energie- und Gebäudetechnik", K.APPRENTICESHIP),
        ("Anlagenmechaniker/in Sanitär-, Heizungs- und Klimatechnik", K.APPRENTICESHIP),
        ("Dachdecker/in", K.APPRENTICESHIP),
        ("Maler/in und Lackierer/in", K.APPRENTICESHIP),
        ("Geselle/Gesellin Elektrotechnik", K.JOB),
        ("Meister/in Werkstattleitung", K.JOB),
        ("Schülerpraktikum Handwerk", K.INTERNSHIP),
    ],
    "industry": [
        ("Mechatroniker/in", K.APPRENTICESHIP),
        ("Industriemechaniker/in", K.APPRENTICESHIP),
        ("Elektroniker/in für Betriebstechnik", K.JOB),
        ("Zerspanungsmechaniker/in", K.APPRENTICESHIP),
        ("Verfahrensmechaniker/in Kunststoff", K.APPRENTICESHIP),
        ("Schichtleiter/in Produktion", K.JOB),
        ("Duales Studium Wirtschaftsingenieurwesen", K.DUAL_STUDY),
    ],
    "logistics": [
        ("Fachkraft für Lagerlogistik", K.APPRENTICESHIP),
        ("Berufskraftfahrer/in", K.APPRENTICESHIP),
        ("Kaufmann/-frau für Spedition und Logistikdienstleistung", K.APPRENTICESHIP),
        ("Disponent/in", K.JOB),
        ("Staplerfahrer/in", K.JOB),
        ("Lagerleiter/in", K.JOB),
        ("Duales Studium Logistikmanagement", K.DUAL_STUDY),
    ],
    "tourism": [
        ("Koch/Köchin", K.APPRENTICESHIP),
        ("Hotelfachmann/-frau", K.APPRENTICESHIP),
        ("Fachkraft für Gastronomie", K.APPRENTICESHIP),
        ("Servicekraft (m/w/d)", K.JOB),
        ("Rezeptionist/in", K.JOB),
        ("Küchenchef/in", K.JOB),
        ("Ferienjob Service", K.HOLIDAY_JOB),
    ],
}
GENERAL_OFFERS = [
    ("Kaufmann/-frau für Büromanagement", K.APPRENTICESHIP),
    ("Fachkraft für Lagerlogistik (m/w/d)", K.JOB),
    ("Mechatroniker/in", K.APPRENTICESHIP),
    ("Elektroniker/in für Betriebstechnik", K.JOB),
    ("Duales Studium Wirtschaftsingenieurwesen", K.DUAL_STUDY),
    ("Sachbearbeiter/in Personal", K.JOB),
    ("Schülerpraktikum (m/w/d)", K.INTERNSHIP),
]


def site_offer_titles(companies: list[Company], count: int) -> list[tuple[Company, str, str]]:
    """`count` (company, title, kind) of one site, dealt out to the companies in turn, a
    company's n-th offer the n-th title of its sector's list (each company starts elsewhere
    in it): no company presents a title twice at the site."""
    offers = []
    for n in range(count):
        index, turn = n % len(companies), n // len(companies)
        company = companies[index]
        titles = SECTOR_OFFERS.get(company.sector, GENERAL_OFFERS)
        if turn >= len(titles):
            raise ValueError(f"{company} has too few offer titles for {count} offers at a site")
        title, kind = titles[(turn + index) % len(titles)]
        offers.append((company, title, kind))
    return offers


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


def _serial() -> int:
    return ticket_codes.new_serial()


def _tickets(event: Event, registrations: list[Registration], moment) -> list[Ticket]:
    # Past events: the secret is never scanned again, so a unique placeholder does.
    return Ticket.objects.bulk_create(
        Ticket(
            event=event,
            registration=registration,
            serial=_serial(),
            secret=f"demo-past-{uuid.uuid4().hex}",
            headcount=registration.headcount,
            issued_at=moment,
        )
        for registration in registrations
    )


def _door(event: Event, day: date | None, opens, closes) -> tuple[CheckinList, Device]:
    checkin_list = CheckinList.objects.create(
        event=event,
        day=day,
        name=str(event) if day is None else day.strftime("%d.%m.%Y"),
        opens_at=opens,
        closes_at=closes,
    )
    device = Device.objects.filter(event=event).first() or Device.objects.create(
        event=event, name="Handy Einlass", token_hash=uuid.uuid4().hex, paired_at=opens
    )
    return checkin_list, device


def _admit(checkin_list, device, tickets, first, *, exits: int = 0) -> None:
    """Entry scans and attendance rows, a few minutes apart; the first `exits` left."""
    moments = [first + timedelta(minutes=3 * n % 110) for n in range(len(tickets))]
    Scan.objects.bulk_create(
        Scan(
            checkin_list=checkin_list,
            device=device,
            ticket=ticket,
            nonce=uuid.uuid4().hex,
            direction=Direction.ENTRY,
            scanned_at=moment,
            received_at=moment,
        )
        for ticket, moment in zip(tickets, moments, strict=True)
    )
    Scan.objects.bulk_create(
        Scan(
            checkin_list=checkin_list,
            device=device,
            ticket=ticket,
            nonce=uuid.uuid4().hex,
            direction=Direction.EXIT,
            scanned_at=moment + timedelta(minutes=40),
            received_at=moment + timedelta(minutes=40),
        )
        for ticket, moment in list(zip(tickets, moments, strict=True))[:exits]
    )
    Attendance.objects.bulk_create(
        Attendance(
            checkin_list=checkin_list,
            ticket=ticket,
            inside=n >= exits,
            first_entry_at=moment,
            last_entry_at=moment,
            last_exit_at=moment + timedelta(minutes=40) if n < exits else None,
        )
        for n, (ticket, moment) in enumerate(zip(tickets, moments, strict=True))
    )


def _returnee_day(events_by_slug: dict, now: datetime) -> None:
    this_year = demo_rueckkehrertag(now)
    day = next_rueckkehrertag(date(this_year.year - 1, 1, 1))
    slug = f"rueckkehrertag-{day.year}"
    if EventSeries.objects.filter(slug=slug).exists():
        return
    template = events_by_slug[f"rueckkehrertag-{this_year.year}-delitzsch"]
    series = EventSeries.objects.create(
        organisation=template.organisation,
        slug=slug,
        title_de=f"Nordsächsischer Rückkehrertag {day.year}",
        title_en=f"Nordsachsen Returnee Day {day.year}",
    )
    companies = list(Company.objects.order_by("pk")[:8])
    if not companies:
        return  # the fairs demo makes the companies first
    for key, present, absent, walk_ins, offers, postcode in RETURNEE_SITES:
        site = events_by_slug[f"rueckkehrertag-{this_year.year}-{key}"]
        event = Event.objects.create(
            organisation=site.organisation,
            series=series,
            kind=Event.Kind.RETURNEE_DAY,
            status=Event.Status.PUBLISHED,
            slug=f"rueckkehrertag-{day.year}-{key}",
            title_de=f"Rückkehrertag {day.year} in {site.venue.town}",
            title_en=f"Returnee Day {day.year} in {site.venue.town}",
            venue=site.venue,
            starts_at=_at(day, 10),
            ends_at=_at(day, 12),
            capacity=site.capacity,
            walk_ins_allowed=True,
        )
        registrations = Registration.objects.bulk_create(
            Registration(
                event=event,
                status=Registration.Status.CONFIRMED,
                name=f"Besucherin {key} {n}",
                email=f"rueckkehr-{day.year}-{key}-{n}@example.org",
                # Every other visitor gave a postcode in the form (the site's own area).
                postcode=postcode if n % 2 else "",
                created_at=_at(day - timedelta(days=10), 18),
                confirmed_at=_at(day - timedelta(days=10), 18),
            )
            for n in range(present + absent)
        )
        tickets = _tickets(event, registrations, _at(day - timedelta(days=10), 18))
        checkin_list, device = _door(event, None, _at(day, 9, 30), _at(day, 12, 30))
        _admit(checkin_list, device, tickets[:present], _at(day, 10), exits=present // 2)
        groups = [2] * (walk_ins // 4) + [1] * (walk_ins - 2 * (walk_ins // 4))
        WalkIn.objects.bulk_create(
            WalkIn(
                checkin_list=checkin_list,
                device=device,
                nonce=uuid.uuid4().hex,
                persons=persons,
                postcode=postcode if n % 3 else "",
                counted_at=_at(day, 10) + timedelta(minutes=5 * n % 115),
            )
            for n, persons in enumerate(groups)
        )
        fair = Fair.objects.create(
            event=event,
            setup_starts_at=_at(day, 8),
            setup_ends_at=_at(day, 9, 45),
            teardown_starts_at=_at(day, 12),
            teardown_ends_at=_at(day, 13),
        )
        hall = Hall.objects.create(fair=fair, name="Saal", width_m=30, depth_m=20)
        exhibitors = companies
        for n, company in enumerate(exhibitors):
            stand = Stand.objects.create(
                hall=hall, label=f"A{n + 1}", x_m=4 * n, y_m=0, width_m=3, depth_m=3, price=0
            )
            StandBooking.objects.create(
                company=company,
                stand=stand,
                fair=fair,
                group=uuid.uuid4(),
                status=StandBooking.Status.APPROVED,
                day_contact_name="Standbetreuung",
                day_contact_phone="03421 000000",
                stand_price=Decimal(0),
                requested_at=_at(day - timedelta(days=60), 10),
                decided_at=_at(day - timedelta(days=55), 10),
            )
        site_offers = JobOffer.objects.bulk_create(
            JobOffer(
                company=company,
                title=f"{title} – {site.venue.town} {day.year}",
                kind=kind,
                place_of_work=site.venue.town,
            )
            for company, title, kind in site_offer_titles(exhibitors, offers)
        )
        JobOffer.events.through.objects.bulk_create(
            JobOffer.events.through(joboffer_id=offer.pk, event_id=event.pk)
            for offer in site_offers
        )


def _camps(events_by_slug: dict, now: datetime) -> None:
    camp = next(e for e in events_by_slug.values() if e.kind == Event.Kind.CAMP)
    first_day = timezone.localtime(camp.starts_at).date()
    # The last camp that is over, and the ones before it.
    last = first_day.year - 1
    if _at(years_after(first_day, last - first_day.year) + timedelta(days=5), 0) > now:
        last -= 1
    for back, children in enumerate(reversed(CAMP_CHILDREN)):
        start = years_after(first_day, last - back - first_day.year)
        slug = f"nawi-camp-{start.year}"
        if Event.objects.filter(slug=slug).exists():
            continue
        event = Event.objects.create(
            organisation=camp.organisation,
            kind=Event.Kind.CAMP,
            status=Event.Status.PUBLISHED,
            slug=slug,
            title_de=f"NaWi-Camp Nordsachsen {start.year}",
            title_en=f"NaWi science camp Nordsachsen {start.year}",
            venue=camp.venue,
            starts_at=_at(start, 9),
            ends_at=_at(start + timedelta(days=4), 16),
            same_hours_daily=True,
            capacity=60,
            min_age=10,
            max_age=14,
        )
        registered = _at(start - timedelta(days=60), 18)
        registrations = Registration.objects.bulk_create(
            Registration(
                event=event,
                kind=Registration.Kind.CAMP_PARTICIPANT,
                status=Registration.Status.CONFIRMED,
                name=f"Kind {start.year} {n}",
                email=f"camp-{start.year}-{n}@example.org",
                birth_date=years_after(start, -10 - n % 5) - timedelta(days=20),
                guardian_name="Erziehungsberechtigte Person",
                guardian_confirmed_at=registered,
                created_at=registered,
                confirmed_at=registered,
            )
            for n in range(children)
        )
        tickets = _tickets(event, registrations, registered)
        for offset in range(5):
            day = start + timedelta(days=offset)
            checkin_list, device = _door(event, day, _at(day, 8, 30), _at(day, 16, 30))
            # Most children every day; one in ten misses a day.
            came = [t for n, t in enumerate(tickets) if (n + offset) % 10]
            _admit(checkin_list, device, came, _at(day, 8, 45))


@transaction.atomic
def load_demo(*, events_by_slug: dict, now: datetime) -> None:
    _returnee_day(events_by_slug, now)
    _camps(events_by_slug, now)
