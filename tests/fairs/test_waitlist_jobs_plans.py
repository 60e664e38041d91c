"""Waiting list, job offers with the public directory and job wall, CSV import, figures."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fairs import queries, services
from fairs.models import StandBooking, WaitlistEntry
from infra.errors import DomainError
from tests.factories import EventFactory, EventSeriesFactory, MembershipFactory, UserFactory

from .factories import (
    CompanyFactory,
    CompanyMemberFactory,
    CompanyVerificationFactory,
    FairFactory,
    HallFactory,
    JobOfferFactory,
    StandBookingFactory,
    StandFactory,
    WaitlistEntryFactory,
)

pytestmark = pytest.mark.django_db


def test_waiting_list_offer_accept_and_decline(sent):
    fair = FairFactory()
    stand = StandFactory(hall__fair=fair)
    holder = StandBookingFactory(stand=stand, status="approved")
    company = CompanyVerificationFactory(organisation=fair.event.organisation).company
    entry = services.join_waitlist(company=company, fair=fair, note="3 x 3 m", now=timezone.now())
    with pytest.raises(DomainError) as error:
        services.join_waitlist(company=company, fair=fair, note="", now=timezone.now())
    assert error.value.code == "already_waiting"
    organiser = UserFactory()
    with pytest.raises(DomainError) as error:
        services.offer_stand(entry=entry, stand_id=stand.pk, by=organiser, now=timezone.now())
    assert error.value.code == "stand_taken"
    services.cancel_booking(booking=holder, by=organiser, reason="Absage", now=timezone.now())
    entry = services.offer_stand(entry=entry, stand_id=stand.pk, by=organiser, now=timezone.now())
    assert entry.status == WaitlistEntry.Status.OFFERED
    assert sent["waitlist_offer_made"][0] | {"sender": None} == {
        "entry": entry,
        "stand": stand,
        "sender": None,
    }
    # the offered stand is held: nobody else can take it meanwhile
    assert queries.hall_plan(stand.hall)[0].state == queries.StandState.REQUESTED
    booking = services.accept_offer(
        entry=entry,
        extras=services.Extras(tables=1),
        staff_passes=2,
        day_contact_name="Uwe",
        day_contact_phone="0160 1",
        now=timezone.now(),
    )
    # verified by the fair's organisation: confirmed at once
    assert booking.status == StandBooking.Status.APPROVED
    assert booking.extras_price == Decimal("10.00")
    assert sent["booking_approved"][0]["booking"] == booking


def test_joining_the_waiting_list_needs_a_full_fair():
    stand = StandFactory()
    with pytest.raises(DomainError) as error:
        services.join_waitlist(
            company=CompanyFactory(), fair=stand.hall.fair, note="", now=timezone.now()
        )
    assert error.value.code == "stands_available"


def test_declining_an_offer_frees_the_stand():
    fair = FairFactory()
    stand = StandFactory(hall__fair=fair, blocked=False)
    StandBookingFactory(stand=stand, status="approved")
    entry = services.join_waitlist(company=CompanyFactory(), fair=fair, note="", now=timezone.now())
    StandBooking.objects.filter(stand=stand).update(status="cancelled")
    services.offer_stand(entry=entry, stand_id=stand.pk, by=UserFactory(), now=timezone.now())
    services.decline_offer(entry=entry, now=timezone.now())
    assert queries.hall_plan(stand.hall)[0].state == queries.StandState.FREE


def test_job_offers_only_at_own_events_and_the_public_pages_filter(client):
    series = EventSeriesFactory(title_de="Rückkehrertag 2026")
    torgau = EventFactory(series=series, organisation=series.organisation, venue__town="Torgau")
    oschatz = EventFactory(series=series, organisation=series.organisation, venue__town="Oschatz")
    care = CompanyFactory(name="Pflegedienst Elbaue", sector="care")
    crafts = CompanyFactory(name="Tischlerei Dahlen", sector="crafts")
    StandBookingFactory(company=care, stand__hall__fair__event=torgau, status="approved")
    StandBookingFactory(company=crafts, stand__hall__fair__event=oschatz, status="approved")
    nurse = services.create_job_offer(
        company=care,
        data={"title": "Pflegefachkraft", "kind": "job", "place_of_work": "Torgau"},
        events=[torgau],
    )
    services.create_job_offer(
        company=crafts,
        data={
            "title": "Ausbildung Tischler/in",
            "kind": "apprenticeship",
            "place_of_work": "Dahlen",
        },
        events=[oschatz],
    )
    with pytest.raises(DomainError) as error:
        services.update_job_offer(offer=nurse, data={}, events=[oschatz])
    assert error.value.code == "not_exhibiting"

    wall = client.get(reverse("fairs:jobs-series", args=[series.slug])).content.decode()
    assert "Pflegefachkraft" in wall and "Ausbildung Tischler/in" in wall
    filtered = client.get(
        reverse("fairs:jobs-series", args=[series.slug]), {"site": "Oschatz", "kind": ""}
    ).content.decode()
    assert "Ausbildung Tischler/in" in filtered and "Pflegefachkraft" not in filtered
    by_sector = client.get(
        reverse("fairs:exhibitors-series", args=[series.slug]), {"sector": "care"}
    ).content.decode()
    assert "Pflegedienst Elbaue" in by_sector and "Tischlerei Dahlen" not in by_sector
    search = client.get(
        reverse("fairs:exhibitors-event", args=[torgau.slug]), {"q": "Tischler"}
    ).content.decode()
    assert "Keine Aussteller passen zu Ihrer Suche." in search
    # A series has a site to choose; one site's page offers no choice of site.
    assert 'name="site"' in wall and 'name="site"' not in search
    english = client.get("/en" + reverse("fairs:jobs-event", args=[torgau.slug]))
    assert "Job offers" in english.content.decode()

    [torgau_row, oschatz_row] = sorted(
        queries.figures(series.events.all()), key=lambda row: row.event.venue.town, reverse=True
    )
    assert (torgau_row.exhibitors, torgau_row.job_offers) == (1, 1)
    assert (oschatz_row.exhibitors, oschatz_row.job_offers) == (1, 1)


def test_a_requested_booking_does_not_put_offers_on_the_wall():
    booking = StandBookingFactory(status="requested")
    offer = JobOfferFactory(company=booking.company)
    offer.events.add(booking.fair.event)
    assert not queries.job_wall(event=booking.fair.event, filters=queries.DirectoryFilter())


def test_csv_import_reports_every_bad_row_and_imports_nothing():
    hall = HallFactory(width_m=Decimal("30"), depth_m=Decimal("20"))
    bad = (
        "label;kind;x;y;width;depth;price;power\n"
        "A1;row;0;0;3;3;150;ja\n"
        "A2;tent;0;0;3;3;x;\n"
        "A3;row;29;0;3;3;100;\n"
    )
    with pytest.raises(services.StandImportError) as error:
        services.import_stands_csv(hall=hall, text=bad)
    assert error.value.code == "stand_import_invalid"
    assert error.value.errors == [
        "Zeile 3: unbekannter Typ „tent“ (row, corner, head, island).",
        "Zeile 3: „price“ ist keine Zahl.",
        "Zeile 4: Der Standplatz liegt außerhalb der Halle (30 × 20 m).",
    ]
    assert not hall.stands.exists()
    good = (
        "label,kind,x,y,width,depth,price,power,water\n"
        'A1,corner,0,0,3,3,"150,50",yes,no\n'
        "A2,,3,0,3,3,120,,\n"
    )
    assert services.import_stands_csv(hall=hall, text=good) == 2
    first = hall.stands.get(label="A1")
    assert (first.kind, first.price, first.has_power) == ("corner", Decimal("150.50"), True)


def test_back_office_csv_import_page(client):
    hall = HallFactory()
    organiser = MembershipFactory(organisation=hall.fair.event.organisation).user
    organiser.is_staff = True
    organiser.save()
    client.force_login(organiser)
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("admin:fairs_hall_import", args=[hall.pk])
    bad = SimpleUploadedFile("plan.csv", b"label,x,y,width,depth,price\nB1,0,0,0,3,100\n")
    page = client.post(url, {"file": bad})
    assert "Zeile 2: „width“ muss positiv sein." in page.content.decode()
    good = SimpleUploadedFile("plan.csv", b"label,x,y,width,depth,price\nB1,0,0,3,3,100\n")
    assert client.post(url, {"file": good}).status_code == 302
    assert hall.stands.count() == 1
    other_hall = HallFactory()
    assert client.get(reverse("admin:fairs_hall_import", args=[other_hall.pk])).status_code == 404


def test_event_panel_shows_counts_and_links(rf):
    from fairs.views.public import event_panel

    booking = StandBookingFactory(status="approved")
    html = event_panel(rf.get("/"), booking.fair.event)
    assert "1 Aussteller hat zugesagt." in html
    assert reverse("fairs:jobs-event", args=[booking.fair.event.slug]) in html
    assert event_panel(rf.get("/"), EventFactory()) is None


def test_company_member_books_from_the_page(client):
    member = CompanyMemberFactory()
    stand = StandFactory(label="C7")
    client.force_login(member.user)
    page = client.get(reverse("fairs:stand-book", args=[stand.hall.fair.event.slug]))
    assert 'data-stand="C7"' in page.content.decode()
    response = client.post(
        reverse("fairs:stand-book", args=[stand.hall.fair.event.slug]),
        {
            "stands": [stand.pk],
            "power_connections": 1,
            "tables": 1,
            "chairs": 2,
            "parking_passes": 0,
            "staff_passes": 2,
            "day_contact_name": "Kai",
            "day_contact_phone": "0170 2",
        },
    )
    assert response.status_code == 302
    booking = StandBooking.objects.get(stand=stand)
    assert booking.company == member.company and booking.status == "requested"


def test_unanswered_offers_expire_after_a_week():
    from datetime import timedelta

    from fairs.tasks import expire_stale_offers

    fair = FairFactory()
    stand = StandFactory(hall__fair=fair)
    StandBookingFactory(stand=stand, status="cancelled")
    StandFactory(hall__fair=fair, blocked=True)
    entry = WaitlistEntryFactory(fair=fair)
    services.offer_stand(
        entry=entry, stand_id=stand.pk, by=UserFactory(), now=timezone.now() - timedelta(days=8)
    )
    assert expire_stale_offers() == 1
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.DECLINED
    [view] = [v for v in queries.hall_plan(stand.hall) if v.stand == stand]
    assert view.state == queries.StandState.FREE
    assert expire_stale_offers() == 0


def test_core_event_and_series_pages_show_the_exhibitor_panel(client):
    booking = StandBookingFactory(
        status="approved", stand__hall__fair__event__series=EventSeriesFactory()
    )
    event = booking.fair.event
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Aussteller und Stellenangebote" in page
    assert reverse("fairs:exhibitors-event", args=[event.slug]) in page
    series_page = client.get(event.series.get_absolute_url()).content.decode()
    assert reverse("fairs:jobs-series", args=[event.series.slug]) in series_page


def test_series_page_books_two_sites_in_one_go(client):
    series = EventSeriesFactory()
    torgau = StandFactory(
        hall__fair__event=EventFactory(series=series, organisation=series.organisation)
    )
    oschatz = StandFactory(
        hall__fair__event=EventFactory(series=series, organisation=series.organisation)
    )
    member = CompanyMemberFactory()
    client.force_login(member.user)
    form = client.get(reverse("fairs:series-book", args=[series.slug])).content.decode()
    assert f'name="fair_{torgau.hall.fair_id}"' in form
    response = client.post(
        reverse("fairs:series-book", args=[series.slug]),
        {
            f"fair_{torgau.hall.fair_id}": torgau.pk,
            f"fair_{oschatz.hall.fair_id}": oschatz.pk,
            "power_connections": 0,
            "tables": 1,
            "chairs": 2,
            "parking_passes": 1,
            "staff_passes": 2,
            "day_contact_name": "Ina",
            "day_contact_phone": "0170 3",
        },
    )
    assert response.status_code == 302
    bookings = StandBooking.objects.filter(company=member.company)
    assert {b.stand_id for b in bookings} == {torgau.pk, oschatz.pk}
    assert len({b.group for b in bookings}) == 1


def _offered_entry(*, has_power):
    fair = FairFactory()
    stand = StandFactory(hall__fair=fair, has_power=has_power)
    StandBookingFactory(stand=stand, status="approved")
    company = CompanyVerificationFactory(organisation=fair.event.organisation).company
    entry = services.join_waitlist(company=company, fair=fair, note="", now=timezone.now())
    StandBooking.objects.filter(stand=stand).update(status="cancelled")
    return services.offer_stand(
        entry=entry, stand_id=stand.pk, by=UserFactory(), now=timezone.now()
    )


def test_accepting_an_offer_keeps_the_booking_terms_of_a_direct_booking():
    entry = _offered_entry(has_power=False)
    answers = {}
    for name, extras, staff_passes, contact in [
        ("power", services.Extras(power_connections=1), 1, "Uwe"),
        ("passes", services.Extras(), 5, "Uwe"),
        ("contact", services.Extras(), 1, " "),
    ]:
        with pytest.raises(DomainError) as error:
            services.accept_offer(
                entry=entry,
                extras=extras,
                staff_passes=staff_passes,
                day_contact_name=contact,
                day_contact_phone="0160 1",
                now=timezone.now(),
            )
        answers[name] = error.value.code
    assert answers == {
        "power": "no_power_at_stand",
        "passes": "too_many_staff_passes",
        "contact": "contact_required",
    }
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.OFFERED
    assert entry.offered_booking.status == StandBooking.Status.OFFERED
    assert entry.offered_booking.power_connections == 0


def test_an_offered_stand_with_power_takes_a_power_order():
    entry = _offered_entry(has_power=True)
    booking = services.accept_offer(
        entry=entry,
        extras=services.Extras(power_connections=1),
        staff_passes=1,
        day_contact_name="Uwe",
        day_contact_phone="0160 1",
        now=timezone.now(),
    )
    assert booking.status == StandBooking.Status.APPROVED
    assert booking.power_connections == 1
