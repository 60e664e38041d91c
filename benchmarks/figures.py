"""The figures for funders of a big edition: server time and number of queries.

Builds, in a throwaway PostgreSQL database `bench_figures` (dropped afterwards), a series of
five sites with 50,000 confirmed registrations (a tenth of them school classes), their
tickets, 60,000 door scans (entries, exits and re-entries), the attendance rows the door
writes, walk-ins with postcodes, 100 exhibitors per site with staff passes and 229 job
offers; then computes the edition's figures and each site's (figures/definitions.py) a few
times and prints the best server time and the number of queries of one computation.

    export DATABASE_URL=postgresql://postgres@127.0.0.1:5433/postgres
    .venv/bin/python benchmarks/figures.py [--registrations 50000 --scans 60000]
"""

import argparse
import os
import sys
import time
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "bench_figures"
SITES = ("Delitzsch", "Torgau", "Oschatz", "Eilenburg", "Schkeuditz")


def _admin(base: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(sql)


def build(registrations: int, scans: int):
    from django.utils import timezone

    from checkin.models import Attendance, CheckinList, Device, Scan, WalkIn
    from events_platform.models import Event, EventSeries, Organisation, Venue
    from fairs.models import Company, Fair, Hall, JobOffer, StaffPass, Stand, StandBooking
    from ticketing.models import Registration, Ticket

    now = timezone.now()
    start = now - timedelta(days=30)
    organisation = Organisation.objects.create(name="Bench", slug="bench")
    series = EventSeries.objects.create(organisation=organisation, slug="bench", title_de="B")
    per_site = registrations // len(SITES)
    scans_per_site = scans // len(SITES)
    companies = Company.objects.bulk_create(
        Company(name=f"Firma {n}", slug=f"firma-{n}", sector="industry") for n in range(300)
    )
    offers = JobOffer.objects.bulk_create(
        JobOffer(company=companies[n % 300], title=f"Stelle {n}", kind="job", place_of_work="X")
        for n in range(229)
    )
    serial = 10**12
    for index, town in enumerate(SITES):
        venue = Venue.objects.create(organisation=organisation, name=f"Halle {town}", town=town)
        event = Event.objects.create(
            organisation=organisation,
            series=series,
            venue=venue,
            kind=Event.Kind.RETURNEE_DAY,
            status=Event.Status.PUBLISHED,
            slug=f"bench-{index}",
            title_de=f"Rückkehrertag {town}",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
        )
        lst = CheckinList.objects.create(
            event=event, name=town, opens_at=start, closes_at=start + timedelta(hours=3)
        )
        device = Device.objects.create(
            event=event, name="Handy", token_hash=uuid.uuid4().hex, paired_at=start
        )
        regs = Registration.objects.bulk_create(
            (
                Registration(
                    event=event,
                    kind="school_class" if n % 10 == 0 else "individual",
                    status="confirmed",
                    headcount=22 if n % 10 == 0 else 1,
                    pupils=20 if n % 10 == 0 else None,
                    adults=2 if n % 10 == 0 else None,
                    school=f"Schule {n % 40}" if n % 10 == 0 else "",
                    # Two in three individual visitors give a postcode in the form.
                    postcode=f"0{4000 + n % 900}" if n % 10 and n % 3 else "",
                    name=f"Person {n}",
                    email=f"p{index}-{n}@example.org",
                    manage_token=f"bench-{index}-{n}",
                    created_at=start,
                )
                for n in range(per_site)
            ),
            batch_size=5000,
        )
        tickets = []
        for reg in regs:
            serial += 1
            tickets.append(
                Ticket(
                    event=event,
                    registration=reg,
                    serial=serial,
                    secret=f"s{serial}",
                    headcount=reg.headcount,
                    issued_at=start,
                )
            )
        tickets = Ticket.objects.bulk_create(tickets, batch_size=5000)
        entered = tickets[: int(scans_per_site / 1.2)]
        rows, moments = [], []
        for n, ticket in enumerate(entered):
            moment = start + timedelta(seconds=n % 7200)
            moments.append(moment)
            rows.append(("entry", ticket, moment))
        for n, ticket in enumerate(entered[: scans_per_site - len(entered)]):
            rows.append(("exit" if n % 2 == 0 else "entry", ticket, moments[n]))
        Scan.objects.bulk_create(
            (
                Scan(
                    checkin_list=lst,
                    device=device,
                    ticket=ticket,
                    nonce=f"n{n}",
                    direction=direction,
                    persons=ticket.headcount,
                    scanned_at=moment,
                    received_at=moment,
                )
                for n, (direction, ticket, moment) in enumerate(rows)
            ),
            batch_size=5000,
        )
        Attendance.objects.bulk_create(
            (
                Attendance(
                    checkin_list=lst,
                    ticket=ticket,
                    persons=ticket.headcount,
                    inside=True,
                    first_entry_at=moment,
                    last_entry_at=moment,
                )
                for ticket, moment in zip(entered, moments, strict=True)
            ),
            batch_size=5000,
        )
        WalkIn.objects.bulk_create(
            WalkIn(
                checkin_list=lst,
                device=device,
                nonce=f"w{n}",
                persons=1 + n % 3,
                postcode=f"0{4000 + n % 900}",
                counted_at=start,
            )
            for n in range(500)
        )
        fair = Fair.objects.create(
            event=event,
            setup_starts_at=start,
            setup_ends_at=start,
            teardown_starts_at=start,
            teardown_ends_at=start,
        )
        hall = Hall.objects.create(fair=fair, name="Halle", width_m=40, depth_m=40)
        stands = Stand.objects.bulk_create(
            Stand(hall=hall, label=f"S{n}", x_m=0, y_m=0, width_m=3, depth_m=3, price=100)
            for n in range(100)
        )
        bookings = StandBooking.objects.bulk_create(
            StandBooking(
                company=companies[(index * 50 + n) % 300],
                stand=stand,
                fair=fair,
                group=uuid.uuid4(),
                status="approved",
                day_contact_name="A",
                day_contact_phone="1",
                stand_price=Decimal(100),
                requested_at=start,
            )
            for n, stand in enumerate(stands)
        )
        StaffPass.objects.bulk_create(
            StaffPass(
                booking=b,
                name="Stand",
                serial=serial + n + 1,
                secret=f"sp{serial + n}",
                created_at=start,
            )
            for n, b in enumerate(bookings)
        )
        serial += len(bookings) + 1
        JobOffer.events.through.objects.bulk_create(
            JobOffer.events.through(joboffer_id=offer.pk, event_id=event.pk)
            for offer in offers[index * 40 : index * 40 + 60]
        )
    return series


def measure(series, repeat: int = 5) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from figures import definitions, report, tables

    best = None
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            edition, sites = definitions.edition_figures(series)
            spent = time.perf_counter() - began
        best = spent if best is None else min(best, spent)
    print(f"sites: {len(sites)}")
    print(
        f"registered persons: {edition.registered}, checked in: {edition.checked_in}, "
        f"walk-ins: {edition.walk_ins}, present now: {edition.present_now}, "
        f"exhibitors: {edition.exhibitors}, offers: {edition.offers_total}"
    )
    print(f"server time (edition + every site, best of {repeat}): {best * 1000:.0f} ms")
    print(f"queries: {len(queries)}")
    year = timezone.localtime(sites[0][0].starts_at).year
    texts = report.ReportTexts(
        title="Zahlen",
        subtitle="Bericht",
        organisation="Bench",
        funders_heading="Gefördert von",
        funders=["Freistaat Sachsen"],
        text_heading="Text",
        text="Text",
        footer="Bench",
    )
    best = None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            laid_out = tables.edition(series, year)
            body = report.report_pdf(laid_out, texts)
            spent = time.perf_counter() - began
        best = spent if best is None else min(best, spent)
    print(
        f"report (page tables and PDF of {len(body):,} bytes, best of {repeat}): "
        f"{best * 1000:.0f} ms, queries: {len(queries)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--registrations", type=int, default=50_000)
    parser.add_argument("--scans", type=int, default=60_000)
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5433/postgres")
    parts = urlsplit(base)
    admin = urlunsplit(parts._replace(path="/postgres"))
    _admin(admin, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    _admin(admin, f'CREATE DATABASE "{BENCH_DB}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        began = time.perf_counter()
        series = build(args.registrations, args.scans)
        print(f"built in {time.perf_counter() - began:.0f} s")
        measure(series)
    finally:
        from django.db import connections

        connections.close_all()
        _admin(admin, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
