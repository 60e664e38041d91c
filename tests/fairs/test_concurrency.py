"""A stand is never held by two active bookings, however many companies ask at once.

On PostgreSQL the stand row lock does the work and the partial unique constraint is the
backstop; the negative control removes both and shows that the same race then produces a
double booking, so the assertions below would catch one. On SQLite the IMMEDIATE
transaction serialises writers; no request may fail with "database is locked".
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.utils import timezone

from fairs import services
from fairs.models import StandBooking
from fairs.services import bookings as booking_services
from infra.errors import DomainError
from tests.factories import UserFactory

from .factories import CompanyFactory, HallFactory, StandFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _attempt(company, stand_id, user, barrier=None) -> str:
    try:
        if barrier is not None:
            barrier.wait(timeout=60)
        services.request_stands(
            company=company,
            stand_ids=[stand_id],
            extras=services.Extras(),
            staff_passes=1,
            day_contact_name="Tom Muster",
            day_contact_phone="0341 000000",
            by=user,
            now=timezone.now(),
        )
        return "ok"
    except DomainError as error:
        return error.code
    except Exception as error:  # noqa: BLE001 - every other failure is reported by the test
        return f"error: {error!r}"
    finally:
        connections.close_all()


def _race_on_one_stand(threads: int) -> tuple[list[str], int]:
    stand = StandFactory()
    companies = [CompanyFactory() for _ in range(threads)]
    user = UserFactory()
    barrier = threading.Barrier(threads)
    results: list[str] = []
    lock = threading.Lock()

    def run(company):
        outcome = _attempt(company, stand.pk, user, barrier)
        with lock:
            results.append(outcome)

    workers = [threading.Thread(target=run, args=(company,)) for company in companies]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    active = StandBooking.objects.filter(stand=stand, status__in=StandBooking.ACTIVE).count()
    return results, active


@pytest.mark.postgres
def test_fifty_companies_request_the_same_stand_at_once():
    results, active = _race_on_one_stand(50)
    assert active == 1
    assert results.count("ok") == 1
    assert results.count("stand_taken") == 49


@pytest.mark.postgres
def test_two_hundred_requests_over_twenty_stands():
    hall = HallFactory()
    stands = [StandFactory(hall=hall) for _ in range(20)]
    companies = [CompanyFactory() for _ in range(200)]
    user = UserFactory()
    jobs = [(companies[i], stands[i % 20].pk) for i in range(200)]
    with ThreadPoolExecutor(max_workers=25) as pool:
        results = list(pool.map(lambda job: _attempt(job[0], job[1], user), jobs))
    assert results.count("ok") == 20
    assert results.count("stand_taken") == 180
    active = StandBooking.objects.filter(stand__hall=hall, status__in=StandBooking.ACTIVE)
    assert active.count() == 20
    assert active.values("stand").distinct().count() == 20


@pytest.mark.postgres
def test_exhibitor_cap_holds_under_concurrency():
    """Oschatz caps exhibitors (74 in the demo): 12 companies at once, 12 stands, cap 5."""
    from .factories import FairFactory

    fair = FairFactory(max_exhibitors=5)
    stands = [StandFactory(hall__fair=fair) for _ in range(12)]
    companies = [CompanyFactory() for _ in range(12)]
    user = UserFactory()
    barrier = threading.Barrier(12)
    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(
            pool.map(
                lambda pair: _attempt(pair[0], pair[1].pk, user, barrier),
                zip(companies, stands, strict=True),
            )
        )
    assert results.count("ok") == 5
    assert results.count("fair_full") == 7
    assert StandBooking.objects.filter(fair=fair, status__in=StandBooking.ACTIVE).count() == 5


@pytest.mark.postgres
def test_negative_control_without_lock_and_constraint_double_books(monkeypatch):
    """The same race with the lock and the backstop removed: more than one active booking."""

    def lock_nothing(stand_ids):
        return list(
            booking_services.Stand.objects.select_related("hall__fair__event").filter(
                pk__in=stand_ids
            )
        )

    checked = booking_services.stand_is_held

    def slow_check(stand):
        held = checked(stand)
        time.sleep(0.05)  # widen the check-then-insert window that the lock normally closes
        return held

    monkeypatch.setattr(booking_services, "lock_stands", lock_nothing)
    monkeypatch.setattr(booking_services, "stand_is_held", slow_check)
    constraint = next(
        c for c in StandBooking._meta.constraints if c.name == "standbooking_one_active_per_stand"
    )
    with connection.schema_editor() as editor:
        editor.remove_constraint(StandBooking, constraint)
    try:
        results, active = _race_on_one_stand(20)
    finally:
        StandBooking.objects.filter(status__in=StandBooking.ACTIVE).update(status="withdrawn")
        with connection.schema_editor() as editor:
            editor.add_constraint(StandBooking, constraint)
    assert active > 1, "without the lock the race should double-book; the test would catch it"
    assert results.count("ok") == active


@pytest.mark.sqlite
def test_sqlite_twenty_threads_same_stand_one_booking_no_lock_errors():
    results, active = _race_on_one_stand(20)
    assert active == 1
    assert results.count("ok") == 1
    assert results.count("stand_taken") == 19
    assert not [r for r in results if "locked" in r]
