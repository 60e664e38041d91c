"""The core demo data from BRIEF.md: organisations, people, venues, series and events.

Idempotent: every row is found by its natural key first, so a second run changes nothing.
Dates are derived from `now`, so the demo always shows the next Rückkehrertag ahead.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import (
    Event,
    EventSeries,
    Membership,
    Organisation,
    Session,
    TargetGroup,
    TimeSlot,
    Venue,
)

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str


# Printed by `make run`; the company login comes from fairs' demo data.
DEMO_LOGINS = [
    DemoLogin("Plattform-Admin / platform admin", "admin", "demo-admin-2026"),
    DemoLogin(
        "Veranstalter / organiser (WFG Nordsachsen)", "veranstalter", "demo-veranstalter-2026"
    ),
    DemoLogin(
        "Veranstalter / organiser (Mittelsachsen)", "mittelsachsen", "demo-mittelsachsen-2026"
    ),
    DemoLogin("Einlass / check-in staff", "einlass", "demo-einlass-2026"),
]

ORGANISATIONS = {
    "fka-nordsachsen": {
        "name": "Fachkräfteallianz Nordsachsen",
        "district": "Landkreis Nordsachsen",
        "website": "https://www.landkreis-nordsachsen.de",
        "contact_email": "fachkraefteallianz@example.org",
    },
    "wfg-nordsachsen": {
        "name": "WFG Landkreis Nordsachsen",
        "district": "Landkreis Nordsachsen",
        "website": "https://www.wfg-nordsachsen.de",
        "contact_email": "veranstaltungen@example.org",
    },
    "fka-mittelsachsen": {
        "name": "Fachkräfteallianz Mittelsachsen",
        "district": "Landkreis Mittelsachsen",
        "website": "https://www.landkreis-mittelsachsen.de",
        "contact_email": "nestbau@example.org",
    },
}

TARGET_GROUPS = [
    ("rueckkehrer", "Rückkehrer und Pendler", "Returnees and commuters"),
    ("schueler", "Schülerinnen und Schüler", "Pupils"),
    ("eltern", "Eltern", "Parents"),
    ("lehrkraefte", "Lehrkräfte", "Teachers"),
    ("studierende", "Studierende", "Students"),
    ("unternehmen", "Unternehmen", "Companies"),
    ("fachkraefte", "Fachkräfte", "Skilled workers"),
]

# Venues: (key, organisation, name, town, street, postcode, lat, lon, accessibility de, en)
VENUES = [
    (
        "delitzsch",
        "wfg-nordsachsen",
        "Rathaus Delitzsch",
        "Delitzsch",
        "Markt 3",
        "04509",
        "51.5256",
        "12.3412",
        "Stufenloser Zugang über den Hof, Aufzug vorhanden.",
        "Step-free access through the courtyard; lift available.",
    ),
    (
        "torgau",
        "wfg-nordsachsen",
        "Kulturbastion Torgau",
        "Torgau",
        "Kurt-Huhn-Straße 2",
        "04860",
        "51.5603",
        "13.0036",
        "Ebenerdiger Eingang, barrierefreie Toilette.",
        "Level entrance, accessible toilet.",
    ),
    (
        "oschatz",
        "wfg-nordsachsen",
        "Thomas-Müntzer-Haus Oschatz",
        "Oschatz",
        "Lichtstraße 7",
        "04758",
        "51.3000",
        "13.1075",
        "Rampe am Seiteneingang; Saal im Erdgeschoss.",
        "Ramp at the side entrance; hall on the ground floor.",
    ),
    (
        "eilenburg",
        "wfg-nordsachsen",
        "Bürgerhaus Eilenburg",
        "Eilenburg",
        "Franz-Mehring-Straße 23",
        "04838",
        "51.4590",
        "12.6336",
        "Aufzug in alle Etagen.",
        "Lift to all floors.",
    ),
    (
        "schkeuditz",
        "wfg-nordsachsen",
        "Kulturhaus Sonne Schkeuditz",
        "Schkeuditz",
        "Rathausplatz 2",
        "04435",
        "51.3970",
        "12.2210",
        "Stufenloser Haupteingang, Behindertenparkplätze vor dem Haus.",
        "Step-free main entrance, accessible parking in front.",
    ),
    (
        "delitzsch-schule",
        "wfg-nordsachsen",
        "Oberschule Delitzsch-Nord, Sporthalle",
        "Delitzsch",
        "Dübener Straße 28",
        "04509",
        "51.5330",
        "12.3470",
        "Sporthalle ebenerdig erreichbar.",
        "Sports hall reachable without steps.",
    ),
    (
        "torgau-messe",
        "wfg-nordsachsen",
        "Sporthalle am Glacis Torgau",
        "Torgau",
        "Am Glacis 5",
        "04860",
        "51.5580",
        "12.9950",
        "Ebenerdiger Zugang.",
        "Level access.",
    ),
    (
        "oschatz-messe",
        "wfg-nordsachsen",
        "Stadtsporthalle Oschatz",
        "Oschatz",
        "Strehlaer Straße 12",
        "04758",
        "51.3040",
        "13.1150",
        "Ebenerdiger Zugang, Aufzug zur Tribüne.",
        "Level access, lift to the gallery.",
    ),
    (
        "camp",
        "fka-nordsachsen",
        "Schullandheim am Großen Teich",
        "Torgau",
        "Am Großen Teich 1",
        "04860",
        "51.5500",
        "13.0200",
        "Teilweise barrierefrei; bitte sprechen Sie uns an.",
        "Partly accessible; please contact us.",
    ),
    (
        "eilenburg-schloss",
        "fka-nordsachsen",
        "Stadthalle Eilenburg",
        "Eilenburg",
        "Walther-Rathenau-Straße 1",
        "04838",
        "51.4600",
        "12.6400",
        "Stufenloser Zugang, Induktionsschleife im Saal.",
        "Step-free access, hearing loop in the hall.",
    ),
    (
        "leipzig-hbf",
        "fka-nordsachsen",
        "Leipzig Hauptbahnhof, Westhalle",
        "Leipzig",
        "Willy-Brandt-Platz 7",
        "04109",
        "51.3455",
        "12.3821",
        "Aufzüge zu allen Gleisen.",
        "Lifts to all platforms.",
    ),
    (
        "mittweida",
        "fka-mittelsachsen",
        "Nestbau-Zentrale Mittelsachsen",
        "Mittweida",
        "Technikumplatz 17",
        "09648",
        "50.9860",
        "12.9810",
        "Aufzug vorhanden.",
        "Lift available.",
    ),
]

RUECKKEHRERTAG_TOWNS = [
    ("delitzsch", "Delitzsch"),
    ("torgau", "Torgau"),
    ("oschatz", "Oschatz"),
    ("eilenburg", "Eilenburg"),
    ("schkeuditz", "Schkeuditz"),
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


def next_rueckkehrertag(today: date) -> date:
    """The next weekday between Christmas and New Year: 27 December, or the next weekday
    (today's, on the day itself)."""
    for year in (today.year, today.year + 1):
        day = date(year, 12, 27)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        if today <= day:
            return day
    raise AssertionError("unreachable: next year's day lies after today")


def demo_rueckkehrertag(now: datetime) -> date:
    """The Rückkehrertag the demo invites to: the next one that has not begun (on the day
    itself, from its 10 o'clock start, next year's), so the demo always has one whose
    registration is open."""
    today = now.astimezone(BERLIN).date()
    day = next_rueckkehrertag(today)
    if _at(day, 10) <= now:
        day = next_rueckkehrertag(today + timedelta(days=1))
    return day


DOOR_DEMO_PREFIX = "betriebsbesuch-rueckkehrer-"


def door_demo_slug(day: date) -> str:
    """The slug of the demo event that is on on `day` (Berlin): its door works today."""
    return f"{DOOR_DEMO_PREFIX}{day.isoformat()}"


def door_demo_hours(now: datetime) -> tuple[datetime, datetime]:
    """From the full hour before `now` for four hours, so the event is on whenever the
    demo was loaded that day (Berlin time)."""
    local = now.astimezone(BERLIN).replace(minute=0, second=0, microsecond=0)
    starts_at = local - timedelta(hours=1)
    return starts_at, starts_at + timedelta(hours=4)


def _user(username: str, password: str, *, email: str, superuser: bool = False, staff: bool = True):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": email, "is_staff": staff, "is_superuser": superuser},
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _event(slug: str, **fields) -> Event:
    target_groups = fields.pop("target_groups", [])
    event, _created = Event.objects.get_or_create(slug=slug, defaults=fields)
    if target_groups:
        event.target_groups.add(*TargetGroup.objects.filter(slug__in=target_groups))
    return event


@transaction.atomic
def load_core_demo(*, now: datetime) -> dict[str, Event]:
    """Create the core demo rows if missing; return the demo events by slug."""
    today = now.astimezone(BERLIN).date()
    orgs = {
        slug: Organisation.objects.get_or_create(slug=slug, defaults=fields)[0]
        for slug, fields in ORGANISATIONS.items()
    }
    for slug, name_de, name_en in TARGET_GROUPS:
        TargetGroup.objects.get_or_create(
            slug=slug, defaults={"name_de": name_de, "name_en": name_en}
        )

    _user("admin", "demo-admin-2026", email="admin@example.org", superuser=True)
    memberships = [
        (
            "veranstalter",
            "demo-veranstalter-2026",
            "wfg-nordsachsen",
            Membership.Role.ORGANISER_ADMIN,
        ),
        (
            "veranstalter",
            "demo-veranstalter-2026",
            "fka-nordsachsen",
            Membership.Role.ORGANISER_ADMIN,
        ),
        (
            "mittelsachsen",
            "demo-mittelsachsen-2026",
            "fka-mittelsachsen",
            Membership.Role.ORGANISER_ADMIN,
        ),
        ("einlass", "demo-einlass-2026", "wfg-nordsachsen", Membership.Role.CHECKIN_STAFF),
    ]
    for username, password, org, role in memberships:
        user = _user(
            username,
            password,
            email=f"{username}@example.org",
            staff=role != Membership.Role.CHECKIN_STAFF,
        )
        Membership.objects.get_or_create(user=user, organisation=orgs[org], defaults={"role": role})

    venues = {}
    for key, org, name, town, street, postcode, lat, lon, notes_de, notes_en in VENUES:
        venues[key], _ = Venue.objects.get_or_create(
            organisation=orgs[org],
            name=name,
            defaults={
                "town": town,
                "street": street,
                "postcode": postcode,
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
                "accessibility_notes_de": notes_de,
                "accessibility_notes_en": notes_en,
            },
        )

    events: dict[str, Event] = {}
    published = Event.Status.PUBLISHED
    wfg, fka = orgs["wfg-nordsachsen"], orgs["fka-nordsachsen"]

    # Nordsächsischer Rückkehrertag: five sites, the same hours, one day between the holidays.
    day = demo_rueckkehrertag(now)
    series, _ = EventSeries.objects.get_or_create(
        slug=f"rueckkehrertag-{day.year}",
        defaults={
            "organisation": wfg,
            "title_de": f"Nordsächsischer Rückkehrertag {day.year}",
            "title_en": f"Nordsachsen Returnee Day {day.year}",
            "description_de": (
                "Zwischen den Feiertagen sind viele zu Besuch in der Heimat. An fünf Orten "
                "stellen Unternehmen aus Nordsachsen ihre Stellen vor. Die Agentur für Arbeit "
                "bringt auch Angebote für Partnerinnen und Partner mit. Sie können einfach "
                "vorbeikommen; mit einer Anmeldung sparen Sie Zeit am Einlass."
            ),
            "description_en": (
                "Between Christmas and New Year many people are home visiting family. At five "
                "sites, companies from Nordsachsen present their jobs. The employment agency "
                "also brings offers for partners. Just drop in; registering saves time at the door."
            ),
        },
    )
    for key, town in RUECKKEHRERTAG_TOWNS:
        events[f"rueckkehrertag-{day.year}-{key}"] = _event(
            f"rueckkehrertag-{day.year}-{key}",
            organisation=wfg,
            series=series,
            kind=Event.Kind.RETURNEE_DAY,
            status=published,
            title_de=f"Rückkehrertag {day.year} in {town}",
            title_en=f"Returnee Day {day.year} in {town}",
            description_de=(
                f"Unternehmen aus der Region um {town} zeigen Ihnen, wo Sie in Nordsachsen "
                "arbeiten können. Bringen Sie gern Ihre Bewerbungsunterlagen mit."
            ),
            description_en=(
                f"Companies from the {town} area show you where you can work in Nordsachsen. "
                "Feel free to bring your application documents."
            ),
            venue=venues[key],
            starts_at=_at(day, 10),
            ends_at=_at(day, 12),
            capacity=300,
            registration_required=True,
            walk_ins_allowed=True,
            target_groups=["rueckkehrer", "fachkraefte"],
        )

    # Ausbildungsmessen in spring, with school-class arrival slots.
    fair_year = day.year + 1
    fairs_series, _ = EventSeries.objects.get_or_create(
        slug=f"ausbildungsmessen-{fair_year}",
        defaults={
            "organisation": wfg,
            "title_de": f"Ausbildungsmessen Nordsachsen {fair_year}",
            "title_en": f"Apprenticeship fairs Nordsachsen {fair_year}",
            "description_de": (
                "Betriebe und Bildungsträger zeigen Ausbildungsplätze und duale Studiengänge. "
                "Schulklassen melden sich für ein Zeitfenster an. Gemeinsam mit der "
                "Regionalen Koordinierungsstelle Berufs- und Studienorientierung (RKO)."
            ),
            "description_en": (
                "Companies and training providers present apprenticeships and dual study "
                "places. School classes register for an arrival time slot. Together with the "
                "regional coordination office for career and study orientation (RKO)."
            ),
        },
    )
    fairs = [
        ("delitzsch", "Delitzsch", "delitzsch-schule", date(fair_year, 3, 13), 900),
        ("oschatz", "Oschatz", "oschatz-messe", date(fair_year, 3, 20), 800),
        ("torgau", "Torgau", "torgau-messe", date(fair_year, 4, 17), 700),
    ]
    for key, town, venue_key, fair_day, capacity in fairs:
        slug = f"ausbildungsmesse-{fair_year}-{key}"
        event = _event(
            slug,
            organisation=wfg,
            series=fairs_series,
            kind=Event.Kind.APPRENTICESHIP_FAIR,
            status=published,
            title_de=f"Ausbildungsmesse {town} {fair_year}",
            title_en=f"Apprenticeship fair {town} {fair_year}",
            description_de=(
                "Lernen Sie Ausbildungsbetriebe aus der Region kennen. Lehrkräfte melden ihre "
                "Klasse für ein Zeitfenster an; Einzelbesucher sind willkommen."
            ),
            description_en=(
                "Meet training companies from the region. Teachers register their class for a "
                "time slot; individual visitors are welcome."
            ),
            venue=venues[venue_key],
            starts_at=_at(fair_day, 9),
            ends_at=_at(fair_day, 14),
            capacity=capacity,
            walk_ins_allowed=True,
            registration_closes_at=_at(fair_day - timedelta(days=3), 12),
            target_groups=["schueler", "eltern", "lehrkraefte"],
        )
        events[slug] = event
        for hour, minute in [(9, 0), (10, 0), (11, 0), (12, 0), (13, 0)]:
            start = _at(fair_day, hour, minute)
            TimeSlot.objects.get_or_create(
                event=event,
                starts_at=start,
                # No label: the slot is shown by its times, in the reader's language.
                defaults={"ends_at": start + timedelta(hours=1), "capacity": 150},
            )

    # NaWi-Camp in the Saxon summer holidays: five days, minors, guardians' consent.
    camp_start = date(fair_year, 7, 12)
    camp = _event(
        f"nawi-camp-{fair_year}",
        organisation=fka,
        kind=Event.Kind.CAMP,
        status=published,
        title_de=f"NaWi-Camp Nordsachsen {fair_year}",
        title_en=f"NaWi science camp Nordsachsen {fair_year}",
        description_de=(
            "Fünf Tage Naturwissenschaft zum Anfassen: Experimente, Roboter und Ausflüge in "
            "Betriebe. Für Schülerinnen und Schüler von 10 bis 14 Jahren. Teil des "
            "MINT-Programms im Landkreis."
        ),
        description_en=(
            "Five days of hands-on science: experiments, robots and company visits. For pupils "
            "aged 10 to 14. Part of the district's STEM programme."
        ),
        venue=venues["camp"],
        starts_at=_at(camp_start, 9),
        ends_at=_at(camp_start + timedelta(days=4), 16),
        same_hours_daily=True,
        capacity=60,
        min_age=10,
        max_age=14,
        registration_opens_at=_at(today - timedelta(days=7), 18),
        registration_closes_at=_at(camp_start - timedelta(days=14), 18),
        target_groups=["schueler", "eltern"],
    )
    events[camp.slug] = camp
    for offset in range(5):
        camp_day = camp_start + timedelta(days=offset)
        TimeSlot.objects.get_or_create(
            event=camp,
            starts_at=_at(camp_day, 9),
            defaults={"ends_at": _at(camp_day, 16), "capacity": 60},
        )

    # Lehrer*innen aufs Land: a small-group excursion to rural schools.
    excursion_day = date(fair_year, 5, 19)
    excursion = _event(
        f"lehrer-aufs-land-{fair_year}-1",
        organisation=fka,
        kind=Event.Kind.EXCURSION,
        status=published,
        title_de="Lehrer*innen aufs Land: Exkursion nach Dahlen und Mügeln",
        title_en="Teachers to the countryside: excursion to Dahlen and Mügeln",
        description_de=(
            "Lehramtsstudierende fahren in einer kleinen Gruppe zu zwei Schulen auf dem Land "
            "und sprechen mit Schulleitung und Kollegium. Treffpunkt ist Leipzig Hauptbahnhof."
        ),
        description_en=(
            "Teacher-training students travel in a small group to two rural schools and talk "
            "with the head and staff. Meeting point: Leipzig main station."
        ),
        venue=venues["leipzig-hbf"],
        starts_at=_at(excursion_day, 7, 45),
        ends_at=_at(excursion_day, 17),
        registration_closes_at=_at(excursion_day - timedelta(days=14), 18),
        capacity=12,
        target_groups=["studierende"],
    )
    events[excursion.slug] = excursion

    # Fachtag Fachkräfte with three parallel workshops.
    fachtag_day = date(fair_year, 3, 4)
    fachtag = _event(
        f"fachtag-fachkraefte-{fair_year}",
        organisation=fka,
        kind=Event.Kind.CONFERENCE,
        status=published,
        title_de=f"Fachtag Fachkräfte {fair_year}",
        title_en=f"Skilled Workers Conference {fair_year}",
        description_de=(
            "Unternehmen aus Nordsachsen stellen erfolgreiche Projekte vor. Nach den "
            "Impulsvorträgen arbeiten Sie in einem von drei Workshops."
        ),
        description_en=(
            "Companies from Nordsachsen present successful projects. After the keynotes you "
            "work in one of three workshops."
        ),
        venue=venues["eilenburg-schloss"],
        starts_at=_at(fachtag_day, 9),
        ends_at=_at(fachtag_day, 15, 30),
        capacity=120,
        target_groups=["unternehmen", "fachkraefte"],
    )
    events[fachtag.slug] = fachtag
    workshops = [
        (
            "Internationale Fachkräfte gut einarbeiten",
            "Onboarding international skilled workers",
            40,
        ),
        ("Ausbildung attraktiv machen", "Making apprenticeships attractive", 35),
        ("Arbeitgebermarke im ländlichen Raum", "Employer branding in rural areas", 30),
    ]
    for index, (title_de, title_en, capacity) in enumerate(workshops, start=1):
        Session.objects.get_or_create(
            event=fachtag,
            title_de=title_de,
            defaults={
                "title_en": title_en,
                "room": f"Raum {index}",
                "starts_at": _at(fachtag_day, 13),
                "ends_at": _at(fachtag_day, 14, 30),
                "capacity": capacity,
            },
        )

    # A-Quadrat: a company visit for humanities graduates.
    visit_day = date(fair_year, 2, 10)
    visit = _event(
        f"a-quadrat-unternehmensbesuch-{fair_year}",
        organisation=fka,
        kind=Event.Kind.COMPANY_VISIT,
        status=published,
        title_de="A-Quadrat: Unternehmensbesuch in Torgau",
        title_en="A-Quadrat: company visit in Torgau",
        description_de=(
            "Absolventinnen und Absolventen der Geistes- und Sozialwissenschaften lernen ein "
            "Unternehmen kennen: Rundgang, Gespräch mit der Geschäftsführung, offener Austausch."
        ),
        description_en=(
            "Humanities and social-science graduates get to know a company: a tour, a talk "
            "with the management, an open exchange."
        ),
        venue=venues["torgau"],
        starts_at=_at(visit_day, 14),
        ends_at=_at(visit_day, 17),
        capacity=20,
        target_groups=["studierende"],
    )
    events[visit.slug] = visit

    # A door that works today: a company visit for returnees that is on now (relative to the
    # day the demo is loaded; each day gets its own), with tickets a newcomer can scan.
    door_starts, door_ends = door_demo_hours(now)
    door = _event(
        door_demo_slug(today),
        organisation=wfg,
        kind=Event.Kind.COMPANY_VISIT,
        status=published,
        title_de="Betriebsbesuch für Rückkehrer: Elbtal Kunststofftechnik",
        title_en="Company visit for returnees: Elbtal Kunststofftechnik",
        description_de=(
            "Ein Rundgang durch die Fertigung und ein Gespräch mit der Personalabteilung über "
            "freie Stellen. Treffpunkt ist die Kulturbastion Torgau."
        ),
        description_en=(
            "A tour of the production floor and a talk with the HR team about open positions. "
            "We meet at the Kulturbastion Torgau."
        ),
        venue=venues["torgau"],
        starts_at=door_starts,
        ends_at=door_ends,
        capacity=20,
        target_groups=["rueckkehrer"],
    )
    events[door.slug] = door

    # Mittelsachsen: the mentoring programme's kick-off workshop (a second tenant).
    kickoff_day = date(fair_year, 1, 20)
    kickoff = _event(
        f"mentoring-auftakt-{fair_year}",
        organisation=orgs["fka-mittelsachsen"],
        kind=Event.Kind.WORKSHOP,
        status=published,
        title_de="Mentoring-Programm: Auftakt-Workshop für Unternehmen",
        title_en="Mentoring programme: kick-off workshop for companies",
        description_de=(
            "Wie arbeiten Sie internationale Fachkräfte gut ein? Im Workshop sammeln wir mit "
            "Ihnen, was Ihr Unternehmen braucht."
        ),
        description_en=(
            "How do you onboard international skilled workers well? In the workshop we gather "
            "what your company needs."
        ),
        venue=venues["mittweida"],
        starts_at=_at(kickoff_day, 13),
        ends_at=_at(kickoff_day, 16),
        capacity=25,
        target_groups=["unternehmen"],
    )
    events[kickoff.slug] = kickoff
    return events
