"""Demo data of the exhibitor side: stand plans for the three Ausbildungsmessen and the five
Rückkehrertag sites, companies from the sectors of BRIEF.md with their users, bookings in
several states, a waiting list, staff passes and job offers.

Idempotent: every row is found by its natural key first. Rows are written directly (not
through the services), so loading the demo sends no domain signals and therefore no mail.
Company names are invented.
"""

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from events_platform import services as core_services
from events_platform import ticket_codes
from events_platform.demo import DemoLogin
from events_platform.models import Event

from .models import (
    Company,
    CompanyMember,
    CompanyVerification,
    Fair,
    Hall,
    JobOffer,
    Sector,
    StaffPass,
    Stand,
    StandBooking,
    WaitlistEntry,
)

DEMO_COMPANY_USER = ("firma", "demo-firma-2026")
# Printed by `make run` beside the core's logins.
DEMO_LOGINS = [DemoLogin("Firma / company (Aussteller)", *DEMO_COMPANY_USER)]

# slug, name, sector, town, description (de), description (en)
COMPANIES = [
    ("agrar-elbaue", "Agrargenossenschaft Elbaue Torgau eG", Sector.AGRICULTURE_FOOD, "Torgau",
     "Milchvieh, Ackerbau und eine eigene Hofmolkerei an der Elbe.",
     "Dairy cattle, arable farming and our own dairy on the Elbe."),
    ("landbaeckerei-loebnitz", "Landbäckerei Löbnitz GmbH", Sector.AGRICULTURE_FOOD, "Löbnitz",
     "Brot und Kuchen aus regionalem Getreide, zwölf Filialen im Landkreis.",
     "Bread and cakes from regional grain, twelve shops in the district."),
    ("obsthof-dahlener-heide", "Obsthof Dahlener Heide", Sector.AGRICULTURE_FOOD, "Dahlen",
     "Äpfel, Kirschen und Säfte aus der Dahlener Heide.",
     "Apples, cherries and juices from the Dahlen heath."),
    ("pflegedienst-muldental", "Pflegedienst Muldental Eilenburg", Sector.CARE, "Eilenburg",
     "Ambulante Pflege mit festen Touren und planbaren Diensten.",
     "Home care with fixed rounds and predictable shifts."),
    ("seniorenzentrum-schlossteich", "Seniorenzentrum Am Schlossteich", Sector.CARE, "Oschatz",
     "Stationäre Pflege und Tagespflege für 120 Bewohnerinnen und Bewohner.",
     "Residential and day care for 120 residents."),
    ("klinikverbund-nordsachsen", "Klinikverbund Nordsachsen gGmbH", Sector.CARE, "Delitzsch",
     "Zwei Krankenhäuser, eine Pflegeschule und viele Ausbildungsberufe.",
     "Two hospitals, a nursing school and many apprenticeships."),
    ("tischlerei-weber", "Tischlerei Weber & Söhne", Sector.CRAFTS, "Schkeuditz",
     "Möbel, Fenster und Innenausbau seit drei Generationen.",
     "Furniture, windows and interior fittings for three generations."),
    ("elektro-hoffmann", "Elektro Hoffmann GmbH", Sector.CRAFTS, "Torgau",
     "Elektroinstallation, Photovoltaik und Smart Home.",
     "Electrical installation, solar power and smart homes."),
    ("dachdeckerei-krause", "Dachdeckerei Krause", Sector.CRAFTS, "Bad Düben",
     "Dächer, Fassaden und Dachbegrünung in der Dübener Heide.",
     "Roofs, facades and green roofs in the Dübener Heide."),
    ("muldentaler-metallbau", "Muldentaler Metallbau GmbH", Sector.INDUSTRY, "Eilenburg",
     "Stahlbau und Blechbearbeitung für Kunden in ganz Europa.",
     "Steel construction and sheet metal work for customers across Europe."),
    ("elbtal-kunststoff", "Elbtal Kunststofftechnik GmbH", Sector.INDUSTRY, "Torgau",
     "Spritzguss für die Automobil- und Medizintechnik.",
     "Injection moulding for the automotive and medical industries."),
    ("glasformen-torgau", "Sächsische Glasformen Torgau GmbH", Sector.INDUSTRY, "Torgau",
     "Formen für die Glasindustrie, gefertigt an modernen CNC-Maschinen.",
     "Moulds for the glass industry, made on modern CNC machines."),
    ("spedition-nordsachsen", "Spedition Nordsachsen Logistik GmbH", Sector.LOGISTICS,
     "Schkeuditz", "Nah- und Fernverkehr, Lager am Flughafen Leipzig/Halle.",
     "Regional and long-distance haulage, warehouse at Leipzig/Halle airport."),
    ("cargo-service-schkeuditz", "Cargo Service Schkeuditz GmbH", Sector.LOGISTICS,
     "Schkeuditz", "Luftfracht-Abfertigung rund um die Uhr.",
     "Round-the-clock air freight handling."),
    ("heidehotel-bad-dueben", "Heidehotel Bad Düben", Sector.TOURISM, "Bad Düben",
     "Hotel mit Restaurant und Kurbetrieb am Rand der Dübener Heide.",
     "Hotel with restaurant and spa on the edge of the Dübener Heide."),
    ("gasthof-wermsdorf", "Gasthof am Horstsee Wermsdorf", Sector.TOURISM, "Wermsdorf",
     "Sächsische Küche, Feiern und Ferienzimmer am See.",
     "Saxon cooking, celebrations and holiday rooms by the lake."),
]  # fmt: skip
UNVERIFIED = {"gasthof-wermsdorf", "obsthof-dahlener-heide"}

# company slug -> (title, kind, field)
OFFERS = {
    "agrar-elbaue": [("Landwirt/in", "apprenticeship", "agriculture_food"),
                     ("Tierwirt/in Rinderhaltung", "apprenticeship", "agriculture_food"),
                     ("Herdenmanager/in", "job", "agriculture_food")],
    "landbaeckerei-loebnitz": [("Bäcker/in", "apprenticeship", "agriculture_food"),
                               ("Fachverkäufer/in Bäckerei", "apprenticeship", "services"),
                               ("Ferienjob in der Backstube", "holiday_job", "agriculture_food")],
    "obsthof-dahlener-heide": [("Gärtner/in Obstbau", "apprenticeship", "agriculture_food"),
                               ("Erntehelfer/in Sommer", "holiday_job", "agriculture_food")],
    "pflegedienst-muldental": [("Pflegefachkraft ambulant", "job", "care"),
                               ("Pflegefachfrau/-mann", "apprenticeship", "care"),
                               ("Praktikum in der Pflege", "internship", "care")],
    "seniorenzentrum-schlossteich": [("Pflegefachkraft Nachtdienst", "job", "care"),
                                     ("Pflegehelfer/in", "apprenticeship", "care"),
                                     ("Betreuungskraft Tagespflege", "job", "care")],
    "klinikverbund-nordsachsen": [("Medizinische/r Technologe/in Radiologie", "apprenticeship",
                                   "care"),
                                  ("Duales Studium Physician Assistant", "dual_study", "care"),
                                  ("Gesundheits- und Krankenpfleger/in", "job", "care")],
    "tischlerei-weber": [("Tischler/in", "apprenticeship", "crafts"),
                         ("Tischlermeister/in Werkstattleitung", "job", "crafts")],
    "elektro-hoffmann": [("Elektroniker/in Energie- und Gebäudetechnik", "apprenticeship",
                          "crafts"),
                         ("Monteur/in Photovoltaik", "job", "crafts"),
                         ("Schülerpraktikum Elektro", "internship", "crafts")],
    "dachdeckerei-krause": [("Dachdecker/in", "apprenticeship", "crafts"),
                            ("Dachdecker-Geselle/-Gesellin", "job", "crafts")],
    "muldentaler-metallbau": [("Metallbauer/in Konstruktionstechnik", "apprenticeship", "industry"),
                              ("Schweißer/in", "job", "industry"),
                              ("Duales Studium Maschinenbau", "dual_study", "industry")],
    "elbtal-kunststoff": [("Verfahrensmechaniker/in Kunststoff", "apprenticeship", "industry"),
                          ("Schichtleiter/in Spritzguss", "job", "industry"),
                          ("Duales Studium Wirtschaftsingenieurwesen", "dual_study", "industry")],
    "glasformen-torgau": [("Zerspanungsmechaniker/in", "apprenticeship", "industry"),
                          ("CNC-Fräser/in", "job", "industry")],
    "spedition-nordsachsen": [("Berufskraftfahrer/in", "apprenticeship", "logistics"),
                              ("Disponent/in Nahverkehr", "job", "logistics"),
                              ("Fachkraft für Lagerlogistik", "apprenticeship", "logistics")],
    "cargo-service-schkeuditz": [("Luftfrachtabfertiger/in", "job", "logistics"),
                                 ("Kaufmann/-frau Spedition", "apprenticeship", "logistics")],
    "heidehotel-bad-dueben": [("Hotelfachmann/-frau", "apprenticeship", "tourism"),
                              ("Koch/Köchin", "job", "tourism"),
                              ("Ferienjob Service", "holiday_job", "tourism")],
    "gasthof-wermsdorf": [("Koch/Köchin", "apprenticeship", "tourism"),
                          ("Servicekraft Wochenende", "job", "tourism")],
}  # fmt: skip

# Which companies exhibit where, by event-slug suffix (town key).
EXHIBIT_AT = {
    "rueckkehrertag": {
        "torgau": ["agrar-elbaue", "elektro-hoffmann", "elbtal-kunststoff", "glasformen-torgau",
                   "klinikverbund-nordsachsen"],
        "oschatz": ["agrar-elbaue", "seniorenzentrum-schlossteich", "muldentaler-metallbau"],
        "delitzsch": ["klinikverbund-nordsachsen", "landbaeckerei-loebnitz",
                      "spedition-nordsachsen"],
        "eilenburg": ["pflegedienst-muldental", "muldentaler-metallbau", "dachdeckerei-krause"],
        "schkeuditz": ["spedition-nordsachsen", "cargo-service-schkeuditz", "tischlerei-weber",
                       "heidehotel-bad-dueben"],
    },
    "ausbildungsmesse": {
        "delitzsch": ["klinikverbund-nordsachsen", "landbaeckerei-loebnitz", "tischlerei-weber",
                      "spedition-nordsachsen", "dachdeckerei-krause", "heidehotel-bad-dueben"],
        "oschatz": ["seniorenzentrum-schlossteich", "muldentaler-metallbau", "elektro-hoffmann",
                    "obsthof-dahlener-heide", "gasthof-wermsdorf"],
        "torgau": ["agrar-elbaue", "elbtal-kunststoff", "glasformen-torgau", "elektro-hoffmann",
                   "pflegedienst-muldental"],
    },
}  # fmt: skip

# (hall name, width, depth, rows, stands per row) per site
HALLS = {
    "ausbildungsmesse-delitzsch": [("Turnhalle", 40, 24, 4, 10), ("Foyer", 20, 10, 1, 5)],
    "ausbildungsmesse-oschatz": [("Messehalle", 48, 30, 5, 12), ("Galerie", 30, 8, 1, 8)],
    "ausbildungsmesse-torgau": [("Messehalle", 36, 24, 4, 9)],
    "rueckkehrertag-schkeuditz": [("Kleiner Saal", 16, 10, 1, 4)],
}
DEFAULT_HALL = [("Saal", 24, 14, 2, 6)]


def _stands(hall: Hall, rows: int, per_row: int, *, prefix: str = "") -> None:
    width, depth = Decimal(3), Decimal(3)
    aisle = Decimal(3)
    for row in range(rows):
        # A second hall of a fair gets its own letter, so no label repeats within a fair.
        letter = prefix or chr(ord("A") + row)
        # rows in pairs back to back, an aisle between pairs
        y = Decimal(1) + (row // 2) * (2 * depth + aisle) + (row % 2) * depth
        for number in range(per_row):
            x = Decimal(1) + number * width
            at_end = number in (0, per_row - 1)
            kind = Stand.Kind.CORNER if at_end else Stand.Kind.ROW
            if rows == 1 and at_end:
                kind = Stand.Kind.HEAD
            price = Decimal("180.00") if kind == Stand.Kind.ROW else Decimal("220.00")
            Stand.objects.get_or_create(
                hall=hall,
                label=f"{letter}{number + 1}",
                defaults={
                    "kind": kind,
                    "x_m": x,
                    "y_m": y,
                    "width_m": width,
                    "depth_m": depth,
                    "price": price,
                    "has_power": number % 2 == 0,
                    "has_water": kind != Stand.Kind.ROW and row == 0,
                    "blocked": row == 0 and number == per_row // 2 and per_row > 6,
                },
            )
    if rows >= 4:
        # one island stand in the free space right of the rows
        x = Decimal(1) + per_row * width + Decimal(2)
        if x + 6 <= hall.width_m:
            Stand.objects.get_or_create(
                hall=hall,
                label="I1",
                defaults={
                    "kind": Stand.Kind.ISLAND,
                    "x_m": x,
                    "y_m": Decimal(1),
                    "width_m": Decimal(6),
                    "depth_m": Decimal(6),
                    "price": Decimal("540.00"),
                    "has_power": True,
                    "has_water": True,
                },
            )


def _fair(event: Event, *, max_exhibitors: int | None) -> Fair:
    fair, _created = Fair.objects.get_or_create(
        event=event,
        defaults={
            "booking_closes_at": event.starts_at - timedelta(days=7),
            "cancellation_deadline": event.starts_at - timedelta(days=21),
            "setup_starts_at": event.starts_at - timedelta(hours=2, minutes=30),
            "setup_ends_at": event.starts_at - timedelta(minutes=30),
            "teardown_starts_at": event.ends_at,
            "teardown_ends_at": event.ends_at + timedelta(hours=2),
            "max_exhibitors": max_exhibitors,
            "power_price": Decimal("25.00"),
            "table_price": Decimal("12.00"),
            "chair_price": Decimal("3.00"),
            "parking_pass_price": Decimal("5.00"),
        },
    )
    return fair


def _company(slug, name, sector, town, description_de, description_en, *, now) -> Company:
    company, _created = Company.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "sector": sector,
            "town": town,
            "description_de": description_de,
            "description_en": description_en,
            "contact_name": "Personalabteilung",
            "contact_email": f"personal@{slug}.example",
            "website": f"https://{slug}.example",
            "email_confirmed_at": now - timedelta(days=30),
        },
    )
    return company


def _user(username: str, email: str, password: str | None):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": email}
    )
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _book(company, stand, status, *, now, extras=(0, 0, 0, 0), passes=2, message="") -> None:
    if StandBooking.objects.filter(company=company, stand=stand).exists():
        return
    if status in StandBooking.ACTIVE and (
        StandBooking.objects.filter(stand=stand, status__in=StandBooking.ACTIVE).exists()
    ):
        return
    fair = stand.hall.fair
    power, tables, chairs, parking = extras
    StandBooking.objects.create(
        company=company,
        stand=stand,
        fair=fair,
        group=uuid.uuid4(),
        status=status,
        power_connections=power,
        tables=tables,
        chairs=chairs,
        parking_passes=parking,
        staff_pass_count=passes,
        day_contact_name=company.contact_name,
        day_contact_phone="0342 000 00",
        stand_price=stand.price,
        extras_price=power * fair.power_price
        + tables * fair.table_price
        + chairs * fair.chair_price
        + parking * fair.parking_pass_price,
        decision_message=message,
        requested_at=now - timedelta(days=14),
        decided_at=None if status == StandBooking.Status.REQUESTED else now - timedelta(days=10),
        ended_at=now - timedelta(days=5)
        if status in (StandBooking.Status.WITHDRAWN, StandBooking.Status.CANCELLED)
        else None,
    )


def _next_first_of_august(now: datetime) -> date:
    today = now.date()
    first = date(today.year, 8, 1)
    return first if first >= today else date(today.year + 1, 8, 1)


@transaction.atomic
def load_fairs_demo(*, events_by_slug: dict, now: datetime) -> None:
    """Create the exhibitor demo rows if missing (halls, stands, companies, bookings, offers)."""
    companies = {row[0]: _company(*row, now=now) for row in COMPANIES}
    for slug, company in companies.items():
        username, password = (
            DEMO_COMPANY_USER if slug == "agrar-elbaue" else (f"personal@{slug}.example", None)
        )
        user = _user(username, f"personal@{slug}.example", password)
        CompanyMember.objects.get_or_create(
            user=user, defaults={"company": company, "role": CompanyMember.Role.ADMIN}
        )

    for event_slug, event in events_by_slug.items():
        kind = next((k for k in EXHIBIT_AT if event_slug.startswith(f"{k}-")), None)
        if kind is None:
            continue
        town_key = event_slug.rsplit("-", 1)[1]
        fair = _fair(event, max_exhibitors=74 if event_slug.endswith("-oschatz") and
                     kind == "ausbildungsmesse" else None)  # fmt: skip
        halls = HALLS.get(f"{kind}-{town_key}", DEFAULT_HALL)
        for index, (name, width, depth, rows, per_row) in enumerate(halls):
            hall, _ = Hall.objects.get_or_create(
                fair=fair, name=name, defaults={"width_m": width, "depth_m": depth}
            )
            _stands(hall, rows, per_row, prefix=name[0] if index else "")
        stands = list(
            Stand.objects.filter(hall__fair=fair, blocked=False).order_by("hall__name", "label")
        )
        exhibitors = EXHIBIT_AT[kind].get(town_key, [])
        step = 2 if len(stands) >= 2 * len(exhibitors) + 4 else 1
        for index, slug in enumerate(exhibitors):
            company = companies[slug]
            status = StandBooking.Status.APPROVED
            if slug in UNVERIFIED or (kind == "ausbildungsmesse" and index == len(exhibitors) - 1):
                status = StandBooking.Status.REQUESTED
            _book(company, stands[index * step], status, now=now, extras=(1, 2, 4, 1))
            if slug not in UNVERIFIED:
                # The event's organisation has checked the company (each checks for itself).
                CompanyVerification.objects.get_or_create(
                    organisation=event.organisation,
                    company=company,
                    defaults={"verified_at": now - timedelta(days=29)},
                )
            for offer_title, offer_kind, field in OFFERS[slug]:
                offer, _ = JobOffer.objects.get_or_create(
                    company=company,
                    title=offer_title,
                    defaults={
                        "kind": offer_kind,
                        "field_of_work": field,
                        "place_of_work": company.town,
                        # Apprenticeships start on the next 1 August, the others at once.
                        "start_date": _next_first_of_august(now)
                        if offer_kind == "apprenticeship"
                        else None,
                        "starts_immediately": offer_kind != "apprenticeship",
                        "contact": company.contact_email,
                        "url": f"{company.website}/karriere",
                    },
                )
                offer.events.add(event)
        if kind == "ausbildungsmesse" and town_key == "torgau":
            _book(companies["gasthof-wermsdorf"], stands[1], StandBooking.Status.REJECTED,
                  now=now, message="Leider passt Ihr Angebot nicht zur Zielgruppe.")  # fmt: skip
            _book(companies["cargo-service-schkeuditz"], stands[3],
                  StandBooking.Status.WITHDRAWN, now=now)  # fmt: skip
        if kind == "rueckkehrertag" and town_key == "schkeuditz":
            # The small hall is full: a fifth company waits for a stand.
            WaitlistEntry.objects.get_or_create(
                fair=fair,
                company=companies["elektro-hoffmann"],
                defaults={"note": "Ein Reihenstand genügt.", "created_at": now},
            )

    _staff_passes(companies["agrar-elbaue"], now=now)


def _staff_passes(company: Company, *, now: datetime) -> None:
    booking = (
        StandBooking.objects.filter(company=company, status=StandBooking.Status.APPROVED)
        .select_related("fair__event")
        .order_by("fair__event__starts_at")
        .first()
    )
    if booking is None or booking.staff_passes.exists():
        return
    for name in ["Katrin Elbe", "Paul Hofmann"]:
        serial = ticket_codes.new_serial()
        StaffPass.objects.create(
            booking=booking,
            name=name,
            serial=serial,
            secret=core_services.issue_ticket_secret(
                event=booking.fair.event, kind=ticket_codes.Kind.STAFF_PASS, serial=serial
            ),
            created_at=now,
        )


# The name the core's load_demo_data command looks for.
load_demo = load_fairs_demo
