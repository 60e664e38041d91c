"""Capacity under a rush: many parallel registrations never sell more places than exist."""

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from events_platform.models import Event
from infra.errors import DomainError
from tests.factories import TimeSlotFactory
from ticketing import counters, secret_links, services, signals
from ticketing.models import PlaceCounter, Registration, Ticket

from .factories import CampFactory, FairFactory, RegistrationSettingsFactory, person


@pytest.fixture(autouse=True)
def _no_listeners():
    """These tests measure ticketing's locking alone. Other apps' receivers (the outbox)
    would queue one mail task per registration, 10,000 of them, on this test run's broker
    queue, and every later Celery test of the run would wait behind them."""
    saved = []
    for name in [
        "registration_confirmed",
        "waitlist_joined",
        "waitlist_offer_made",
        "guardian_confirmation_requested",
        "place_released",
        "registration_cancelled",
        "registration_changed",
    ]:
        signal = getattr(signals, name)
        saved.append((signal, signal.receivers))
        signal.receivers = []
        signal.sender_receivers_cache.clear()
    yield
    for signal, receivers in saved:
        signal.receivers = receivers
        signal.sender_receivers_cache.clear()


def _rush(event, attempts: int, workers: int) -> tuple[Counter, list[BaseException]]:
    """`attempts` registrations for `event` from `workers` threads, each with its own
    database connection; returns the statuses and any errors."""
    statuses: Counter = Counter()
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(workers)
    now = timezone.now()
    per_worker = [range(w, attempts, workers) for w in range(workers)]

    def work(numbers):
        try:
            start.wait()
            for n in numbers:
                try:
                    registration = services.register(
                        event=event,
                        data=person(n, birth_date=date(2000, 6, 1)),
                        now=now,
                    )
                    with lock:
                        statuses[registration.status] += 1
                except BaseException as error:  # noqa: BLE001 - every failure is counted
                    with lock:
                        errors.append(error)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(work, per_worker))
    return statuses, errors


def _read_then_write(wait: float):
    """A counter's take without the condition in its UPDATE: it reads, checks, waits (the
    window a busy server has anyway) and then adds, as a count of rows would."""

    def take_one(counter, n: int) -> bool:
        taken, capacity = PlaceCounter.objects.values_list("taken", "capacity").get(pk=counter.pk)
        time.sleep(wait)
        if capacity is not None and taken + n > capacity:
            return False
        PlaceCounter.objects.filter(pk=counter.pk).update(taken=F("taken") + n)
        counter.taken, counter.capacity = taken + n, capacity
        return True

    return take_one


def _adult_camp(capacity: int):
    camp = CampFactory(capacity=capacity, min_age=None, max_age=None)
    RegistrationSettingsFactory(event=camp, guardian_required_under=0)
    return camp


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
# 10,000 registrations through one row lock: about two minutes alone, more on a busy machine.
@pytest.mark.timeout(1800)
def test_500_parallel_registrations_for_60_places_repeated_20_times():
    for _round in range(20):
        camp = _adult_camp(60)
        statuses, errors = _rush(camp, attempts=500, workers=50)
        assert errors == []
        assert statuses == {"confirmed": 60, "waitlisted": 440}
        assert Registration.objects.filter(event=camp, status="confirmed").count() == 60
        assert Ticket.objects.filter(event=camp, status="valid").count() == 60
        assert Registration.objects.filter(event=camp, status="waitlisted").count() == 440


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_negative_control_without_the_lock_the_rush_oversells(monkeypatch):
    """The same rush with the counter's condition replaced by a read, then a write must
    oversell, or the test above proves nothing."""
    monkeypatch.setattr(counters, "_take_one", _read_then_write(0.002))
    camp = _adult_camp(60)
    with transaction.atomic():
        counters.parts(camp.pk)
    statuses, errors = _rush(camp, attempts=500, workers=50)
    assert errors == []
    assert statuses["confirmed"] > 60


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_sqlite_50_threads_for_10_places():
    camp = _adult_camp(10)
    statuses, errors = _rush(camp, attempts=50, workers=50)
    assert [str(error) for error in errors] == []
    assert statuses == {"confirmed": 10, "waitlisted": 40}
    assert Registration.objects.filter(event=camp, status="confirmed").count() == 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_waiting_list_order_kept_when_30_places_free_at_once():
    event = CampFactory(capacity=30, min_age=None, max_age=None)
    RegistrationSettingsFactory(event=event, guardian_required_under=0)
    start = timezone.now()
    confirmed = [
        services.register(event=event, data=person(n, birth_date=start.date()), now=start)
        for n in range(30)
    ]
    waiting = [
        services.register(
            event=event,
            data=person(100 + n, birth_date=start.date()),
            now=start + timedelta(seconds=n + 1),
        )
        for n in range(45)
    ]
    assert {r.status for r in confirmed} == {"confirmed"}
    assert {r.status for r in waiting} == {"waitlisted"}

    errors = []
    barrier = threading.Barrier(30)

    def cancel(registration):
        try:
            barrier.wait()
            services.cancel_registration(registration=registration, now=start + timedelta(hours=1))
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=30) as pool:
        list(pool.map(cancel, confirmed))

    assert errors == []
    statuses = {r.pk: r.status for r in Registration.objects.filter(pk__in=[w.pk for w in waiting])}
    assert [statuses[w.pk] for w in waiting] == ["offered"] * 30 + ["waitlisted"] * 15


def _classes_grow_at_once() -> tuple[int, Counter]:
    """Ten classes of 9 fill 90 of a slot's 100 places; all ten ask at once for two more
    (only five can have them). Returns the persons the slot then holds, and the outcomes."""
    fair = FairFactory(capacity=None)
    slot = TimeSlotFactory(event=fair, capacity=100)
    now = timezone.now()
    classes = [
        services.register(
            event=fair,
            data=person(
                n, school=f"Schule {n}", grade="9", pupils=8, adults=1, time_slot_id=slot.pk
            ),
            now=now,
        )
        for n in range(10)
    ]
    outcomes: Counter = Counter()
    lock = threading.Lock()
    start = threading.Barrier(len(classes))

    def grow(registration):
        try:
            start.wait()
            services.change_registration(registration=registration, pupils=10, now=now)
            outcome = "changed"
        except DomainError as error:
            outcome = error.code
        except BaseException as error:  # noqa: BLE001 - every failure is counted
            outcome = repr(error)
        finally:
            connection.close()
        with lock:
            outcomes[outcome] += 1

    with ThreadPoolExecutor(max_workers=len(classes)) as pool:
        list(pool.map(grow, classes))
    held = sum(
        Registration.objects.filter(time_slot=slot, status="confirmed").values_list(
            "headcount", flat=True
        )
    )
    return held, outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_classes_growing_at_once_into_the_last_places_never_pass_the_slot():
    for _round in range(10):
        held, outcomes = _classes_grow_at_once()
        assert outcomes == {"changed": 5, "slot_full": 5}
        assert held == 100


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_negative_control_without_the_lock_growing_classes_overfill_the_slot(monkeypatch):
    """The same changes with the event lock removed and the counter's condition dropped
    must overfill the slot, or the test above proves nothing. (A read, then a write would
    not do here: each change first gives back its own places, which locks the counters, so
    the changes of one event queue up behind each other anyway.)"""

    def lock_nothing(event_id):
        return Event.objects.get(pk=event_id)

    def take_without_condition(counter, n: int) -> bool:
        PlaceCounter.objects.filter(pk=counter.pk).update(taken=F("taken") + n)
        counter.taken += n
        return True

    monkeypatch.setattr(services, "lock_event", lock_nothing)
    monkeypatch.setattr(counters, "_take_one", take_without_condition)
    held, outcomes = _classes_grow_at_once()
    assert outcomes["changed"] > 5
    assert held > 100


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_sqlite_classes_growing_at_once_never_pass_the_slot():
    held, outcomes = _classes_grow_at_once()
    assert outcomes == {"changed": 5, "slot_full": 5}
    assert held == 100


def _mixed_traffic(event, *, workers: int, rounds: int) -> list[BaseException]:
    """Each worker registers people, cancels some, takes up or turns down the offers they
    get, and lets others run out (expire_offers with a later clock), all at once."""
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(workers)
    now = timezone.now()
    expected = (DomainError,)

    def work(worker: int) -> None:
        try:
            start.wait()
            mine = []
            for n in range(rounds):
                step = worker * 1000 + n
                try:
                    mine.append(
                        services.register(
                            event=event,
                            data=person(step, birth_date=date(2000, 6, 1)),
                            now=now,
                        )
                    )
                    if n % 3 == 2:
                        services.cancel_registration(registration=mine.pop(0), now=now)
                    for registration in list(mine):
                        registration.refresh_from_db()
                        if registration.status != "offered":
                            continue
                        if step % 4 == 0:
                            services.accept_offer(registration=registration, now=now)
                        elif step % 4 == 1:
                            services.decline_offer(registration=registration, now=now)
                            mine.remove(registration)
                    if n % 5 == 4:
                        services.expire_offers(now=now + timedelta(days=30))
                except expected:
                    pass  # an offer another worker let run out, or cancelled already
        except BaseException as error:  # noqa: BLE001 - every failure is counted
            with lock:
                errors.append(error)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(work, range(workers)))
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(900)
def test_counters_stay_exact_under_mixed_register_cancel_offer_accept_expire_traffic():
    camp = _adult_camp(12)
    errors = _mixed_traffic(camp, workers=12, rounds=15)
    assert [repr(error) for error in errors] == []
    assert counters.drift() == []
    counter = PlaceCounter.objects.get(event=camp, time_slot=None, session=None)
    held = Registration.objects.filter(event=camp, status__in=Registration.HOLDING).count()
    assert counter.taken == held <= 12
    # Every path ran: cancelled places offered, offers taken up, turned down and run out.
    statuses = Counter(Registration.objects.filter(event=camp).values_list("status", flat=True))
    assert statuses["cancelled"] > 10 and statuses["released"] > 5 and statuses["waitlisted"]
    assert Registration.objects.filter(event=camp, status="confirmed", waitlisted_at__isnull=False)


def _waiting_for_a_lock() -> int:
    """How many other connections of this database wait for a lock right now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _one_waits_for_the_other(first, second, *, pause_in: str) -> list[str]:
    """Run `first` in a thread until it calls ticketing.services' `pause_in` (it has taken
    its locks by then), start `second`, wait until that waits for a lock, and let `first`
    go on. Fails on any error (a deadlock among them) and unless both finished."""
    paused, go_on = threading.Event(), threading.Event()
    original = getattr(services, pause_in)
    errors: list[BaseException] = []
    finished: list[str] = []

    def pausing(*args, **kwargs):
        if threading.current_thread().name == "first":
            paused.set()
            assert go_on.wait(timeout=120)
        return original(*args, **kwargs)

    def run(name, call):
        try:
            call()
            finished.append(name)
        except BaseException as error:  # noqa: BLE001 - every failure is counted
            errors.append(error)
        finally:
            connection.close()

    setattr(services, pause_in, pausing)
    try:
        one = threading.Thread(name="first", target=run, args=("first", first))
        one.start()
        assert paused.wait(timeout=120)
        two = threading.Thread(target=run, args=("second", second))
        two.start()
        deadline = time.monotonic() + 120
        while _waiting_for_a_lock() == 0:  # the second waits for the first's locks
            assert time.monotonic() < deadline and two.is_alive()
            time.sleep(0.02)
        go_on.set()
        one.join(timeout=120)
        two.join(timeout=120)
    finally:
        setattr(services, pause_in, original)
        go_on.set()
    assert [repr(error) for error in errors] == []
    assert sorted(finished) == ["first", "second"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(300)
def test_a_cancellation_while_a_registration_holds_its_counter_waits_instead_of_deadlocking():
    """The order that deadlocked: a registration has taken its counter and not yet committed
    (its foreign keys are checked at the commit), when a cancellation locks the event row
    and goes for the same counter. Both must end well, the cancellation after the
    registration."""
    camp = _adult_camp(2)
    now = timezone.now()
    adult = date(2000, 6, 1)
    first = services.register(event=camp, data=person(1, birth_date=adult), now=now)
    _one_waits_for_the_other(
        lambda: services.register(event=camp, data=person(2, birth_date=adult), now=now),
        lambda: services.cancel_registration(registration=first, now=now),
        pause_in="_announce_if_full",
    )
    assert counters.drift() == []
    assert PlaceCounter.objects.get(event=camp, time_slot=None, session=None).taken == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(300)
def test_a_cancellation_while_the_visitor_renews_the_link_waits_instead_of_deadlocking():
    """A new link reissues an unused ticket (an insert whose foreign keys are checked at the
    commit): the renewal takes the event row before the registration, as a cancellation
    does, so the cancellation waits for it."""
    camp = _adult_camp(2)
    now = timezone.now()
    registration = services.register(
        event=camp, data=person(1, birth_date=date(2000, 6, 1)), now=now
    )
    _one_waits_for_the_other(
        lambda: secret_links.renew_manage_link(registration=registration, now=now),
        lambda: services.cancel_registration(registration=registration, now=now),
        pause_in="_issue_ticket",
    )
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert not Ticket.objects.filter(registration=registration, status="valid").exists()
