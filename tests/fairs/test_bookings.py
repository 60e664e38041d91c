"""The booking workflow: request, approve, reject, withdraw, cancel, several stands and
several site events, limits and signals."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from fairs import services
from fairs.models import StandBooking
from fairs.queries import StandState, hall_plan
from infra.errors import DomainError
from tests.factories import EventFactory, EventSeriesFactory, OrganisationFactory, UserFactory

from .factories import CompanyFactory, FairFactory, HallFactory, StandFactory

pytestmark = pytest.mark.django_db

EXTRAS = services.Extras(power_connections=1, tables=2, chairs=4, parking_passes=1)


def _request(company, stands, *, extras=EXTRAS, staff_passes=3, now=None):
    return services.request_stands(
        company=company,
        stand_ids=[stand.pk for stand in stands],
        extras=extras,
        staff_passes=staff_passes,
        day_contact_name="Anna Beispiel",
        day_contact_phone="0170 1234567",
        by=UserFactory(),
        now=now or timezone.now(),
    )


def test_request_prices_extras_and_signals_inside_the_transaction(sent):
    stand = StandFactory(price=Decimal("180.00"))
    company = CompanyFactory()
    with transaction.atomic():
        [booking] = _request(company, [stand])
        assert len(sent["booking_requested"]) == 1  # sent before the commit
    assert booking.status == StandBooking.Status.REQUESTED
    # 1 x 25 power + 2 x 10 tables + 4 x 2.50 chairs + 1 x 5 parking
    assert booking.extras_price == Decimal("60.00")
    assert booking.total_price == Decimal("240.00")
    assert sent["booking_requested"][0]["sender"] is StandBooking
    assert sent["booking_requested"][0]["booking"] == booking
    assert hall_plan(stand.hall)[0].state == StandState.REQUESTED


def test_several_stands_in_one_request_share_a_group_and_one_set_of_extras():
    hall = HallFactory()
    stands = [StandFactory(hall=hall), StandFactory(hall=hall)]
    bookings = _request(CompanyFactory(), stands, staff_passes=6)
    assert {b.group for b in bookings} == {bookings[0].group}
    assert [b.tables for b in bookings] == [2, 0]
    assert [b.staff_pass_count for b in bookings] == [6, 0]


def test_a_taken_stand_is_refused_and_nothing_of_the_request_is_kept():
    hall = HallFactory()
    free, taken = StandFactory(hall=hall), StandFactory(hall=hall)
    _request(CompanyFactory(), [taken])
    with pytest.raises(DomainError) as error:
        _request(CompanyFactory(), [free, taken])
    assert error.value.code == "stand_taken"
    assert not StandBooking.objects.filter(stand=free).exists()


def test_blocked_stand_and_closed_booking_are_refused():
    blocked = StandFactory(blocked=True)
    with pytest.raises(DomainError) as error:
        _request(CompanyFactory(), [blocked])
    assert error.value.code == "stand_blocked"
    closed = StandFactory(hall__fair__booking_closes_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(DomainError) as error:
        _request(CompanyFactory(), [closed])
    assert error.value.code == "booking_closed"


def test_unconfirmed_company_cannot_request():
    with pytest.raises(DomainError) as error:
        _request(CompanyFactory(email_confirmed_at=None), [StandFactory()])
    assert error.value.code == "email_not_confirmed"


def test_limits_on_staff_passes_power_and_exhibitors():
    stand = StandFactory(has_power=False)
    with pytest.raises(DomainError) as error:
        _request(CompanyFactory(), [stand])
    assert error.value.code == "no_power_at_stand"
    with pytest.raises(DomainError) as error:
        _request(CompanyFactory(), [StandFactory()], staff_passes=5)
    assert error.value.code == "too_many_staff_passes"
    fair = FairFactory(max_exhibitors=1)
    first, second = StandFactory(hall__fair=fair), StandFactory(hall__fair=fair)
    _request(CompanyFactory(), [first])
    with pytest.raises(DomainError) as error:
        _request(CompanyFactory(), [second])
    assert error.value.code == "fair_full"


def test_several_site_events_of_one_series_in_one_go():
    series = EventSeriesFactory()
    torgau = StandFactory(
        hall__fair__event=EventFactory(series=series, organisation=series.organisation)
    )
    oschatz = StandFactory(
        hall__fair__event=EventFactory(series=series, organisation=series.organisation)
    )
    bookings = _request(CompanyFactory(), [torgau, oschatz])
    assert {b.fair_id for b in bookings} == {torgau.hall.fair_id, oschatz.hall.fair_id}
    # extras are per event: each site's first stand carries them
    assert [b.tables for b in bookings] == [2, 2]
    with pytest.raises(DomainError) as error:
        _request(CompanyFactory(), [StandFactory(), StandFactory()])
    assert error.value.code == "different_series"


def test_approve_needs_the_company_verified_by_the_events_organisation(sent):
    company = CompanyFactory()
    [booking] = _request(company, [StandFactory()])
    organiser = UserFactory()
    with pytest.raises(DomainError) as error:
        services.approve_booking(booking=booking, by=organiser, now=timezone.now())
    assert error.value.code == "company_not_verified"
    # Another organisation's check does not count at this organisation's event.
    services.verify_company(
        company=company, organisation=OrganisationFactory(), by=organiser, now=timezone.now()
    )
    with pytest.raises(DomainError) as error:
        services.approve_booking(booking=booking, by=organiser, now=timezone.now())
    assert error.value.code == "company_not_verified"
    services.verify_company(
        company=company,
        organisation=booking.fair.event.organisation,
        by=organiser,
        now=timezone.now(),
    )
    booking = services.approve_booking(booking=booking, by=organiser, now=timezone.now())
    assert booking.status == StandBooking.Status.APPROVED
    assert sent["booking_approved"][0]["booking"] == booking
    assert hall_plan(booking.stand.hall)[0].state == StandState.BOOKED
    with pytest.raises(DomainError) as error:
        services.approve_booking(booking=booking, by=organiser, now=timezone.now())
    assert error.value.code == "not_requested"


def test_reject_needs_a_message_and_frees_the_stand(sent):
    [booking] = _request(CompanyFactory(), [StandFactory()])
    with pytest.raises(DomainError) as error:
        services.reject_booking(booking=booking, by=UserFactory(), reason=" ", now=timezone.now())
    assert error.value.code == "reason_required"
    services.reject_booking(
        booking=booking, by=UserFactory(), reason="Leider ausgebucht.", now=timezone.now()
    )
    booking.refresh_from_db()
    assert booking.status == StandBooking.Status.REJECTED
    assert sent["booking_rejected"][0]["reason"] == "Leider ausgebucht."
    assert _request(CompanyFactory(), [booking.stand])[0].status == "requested"


def test_withdraw_before_the_deadline_only_then_organiser_cancels(sent):
    stand = StandFactory()
    deadline = stand.hall.fair.cancellation_deadline
    [booking] = _request(CompanyFactory(), [stand])
    with pytest.raises(DomainError) as error:
        services.withdraw_booking(booking=booking, by=UserFactory(), now=deadline)
    assert error.value.code == "withdrawal_deadline_passed"
    services.cancel_booking(
        booking=booking, by=UserFactory(), reason="Halle gesperrt.", now=deadline
    )
    assert sent["booking_cancelled"][-1] | {"booking": None} == {
        "booking": None,
        "by_organiser": True,
        "reason": "Halle gesperrt.",
        "sender": StandBooking,
    }
    [again] = _request(CompanyFactory(), [stand], now=deadline - timedelta(days=1))
    services.withdraw_booking(booking=again, by=UserFactory(), now=deadline - timedelta(hours=1))
    again.refresh_from_db()
    assert again.status == StandBooking.Status.WITHDRAWN
    assert sent["booking_cancelled"][-1]["by_organiser"] is False
