"""Place counters (ticketing/counters.py) follow every status change that takes or frees
places, and the periodic check finds a counter that differs from the registrations."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from events_platform import services as core_services
from events_platform.models import Event
from infra.errors import DomainError
from tests.factories import EventFactory, SessionFactory, TimeSlotFactory, UserFactory
from ticketing import counters, services, tasks
from ticketing.models import PlaceCounter, Registration

from .factories import CampFactory, RegistrationSettingsFactory, camper, person

pytestmark = pytest.mark.django_db


def taken(event, *, slot=None, session=None) -> int:
    """The counter of the event (or of one of its slots or workshops)."""
    match = {"time_slot__isnull": True, "session__isnull": True}
    if slot is not None:
        match = {"time_slot": slot}
    if session is not None:
        match = {"session": session}
    return PlaceCounter.objects.get(event=event, **match).taken


def in_step() -> None:
    """Every counter equals what the registrations hold."""
    assert [(c.part, c.taken, rows) for c, rows in counters.drift()] == []


def test_register_and_cancel_move_event_slot_and_workshop_counters():
    conference = EventFactory(kind=Event.Kind.CONFERENCE, capacity=3)
    slot = TimeSlotFactory(event=conference, capacity=2)
    workshop = SessionFactory(event=conference, capacity=5)
    now = timezone.now()
    first = services.register(
        event=conference,
        data=person(1, time_slot_id=slot.pk, session_ids=[workshop.pk]),
        now=now,
    )
    assert (taken(conference), taken(conference, slot=slot)) == (1, 1)
    assert taken(conference, session=workshop) == 1
    services.register(event=conference, data=person(2, time_slot_id=slot.pk), now=now)
    # The slot is full: refused with the numbers, nothing taken.
    with pytest.raises(DomainError) as error:
        services.register(event=conference, data=person(3, time_slot_id=slot.pk), now=now)
    assert error.value.code == "slot_full"
    assert (taken(conference), taken(conference, slot=slot)) == (2, 2)
    services.cancel_registration(registration=first, now=now)
    assert (taken(conference), taken(conference, slot=slot)) == (1, 1)
    assert taken(conference, session=workshop) == 0
    in_step()


def test_full_event_waits_offers_accepts_declines_and_expires_in_step():
    event = EventFactory(capacity=2)
    now = timezone.now()
    holders = [services.register(event=event, data=person(n), now=now) for n in range(2)]
    waiting = [services.register(event=event, data=person(n), now=now) for n in range(2, 5)]
    assert {r.status for r in waiting} == {"waitlisted"}
    assert taken(event) == 2
    # A cancellation frees a place: it is offered at once, and an offer holds it.
    services.cancel_registration(registration=holders[0], now=now)
    waiting[0].refresh_from_db()
    assert waiting[0].status == "offered"
    assert taken(event) == 2
    services.accept_offer(registration=waiting[0], now=now)
    assert taken(event) == 2
    # Declined: the place goes to the next.
    services.cancel_registration(registration=holders[1], now=now)
    waiting[1].refresh_from_db()
    services.decline_offer(registration=waiting[1], now=now)
    waiting[2].refresh_from_db()
    assert waiting[2].status == "offered"
    assert taken(event) == 2
    # Expired: released, nobody is left to offer it to.
    assert services.expire_offers(now=now + timedelta(days=30)) == 1
    assert taken(event) == 1
    in_step()


def test_guardian_confirmation_decline_and_timeout_in_step():
    camp = CampFactory(capacity=3)
    RegistrationSettingsFactory(event=camp)
    now = timezone.now()
    pending = [services.register(event=camp, data=camper(n, event=camp), now=now) for n in range(3)]
    assert {r.status for r in pending} == {"pending_guardian"}
    assert taken(camp) == 3
    services.confirm_guardian_consent(
        token=pending[0].guardian_token, photo_consent=False, guardian_name="", now=now
    )
    assert taken(camp) == 3
    services.decline_guardian_consent(token=pending[1].guardian_token, now=now)
    assert taken(camp) == 2
    assert services.release_unconfirmed_minors(now=now + timedelta(days=4)) == 1
    assert taken(camp) == 1
    in_step()


def test_changes_of_slot_size_and_workshops_move_the_counters():
    fair = EventFactory(kind=Event.Kind.APPRENTICESHIP_FAIR, capacity=100)
    early, late = TimeSlotFactory(event=fair, capacity=40), TimeSlotFactory(event=fair, capacity=40)
    now = timezone.now()
    school = person(1, school="Oberschule", grade="9", pupils=20, adults=2, time_slot_id=early.pk)
    group = services.register(event=fair, data=school, now=now)
    assert (taken(fair), taken(fair, slot=early)) == (22, 22)
    services.change_registration(registration=group, now=now, pupils=30)
    assert (taken(fair), taken(fair, slot=early)) == (32, 32)
    services.change_registration(registration=group, now=now, time_slot_id=late.pk)
    assert (taken(fair, slot=early), taken(fair, slot=late)) == (0, 32)
    # Too large for the slot: refused, nothing moves.
    with pytest.raises(DomainError) as error:
        services.change_registration(registration=group, now=now, pupils=45)
    assert error.value.code == "slot_full"
    assert (taken(fair), taken(fair, slot=late)) == (32, 32)

    conference = EventFactory(kind=Event.Kind.CONFERENCE, capacity=10)
    a, b = SessionFactory(event=conference, capacity=1), SessionFactory(event=conference)
    visitor = services.register(event=conference, data=person(2, session_ids=[a.pk]), now=now)
    services.change_registration(registration=visitor, now=now, session_ids=[b.pk])
    assert (taken(conference, session=a), taken(conference, session=b)) == (0, 1)
    in_step()


def test_event_cancellation_and_capacity_changes_in_step():
    event = EventFactory(capacity=2)
    user = UserFactory()
    now = timezone.now()
    for n in range(3):
        services.register(event=event, data=person(n), now=now)
    with pytest.raises(DomainError) as error:
        core_services.change_capacity(event=event, capacity=1, by=user, now=now)
    assert error.value.code == "capacity_below_held"
    event.refresh_from_db()
    core_services.change_capacity(event=event, capacity=3, by=user, now=now)
    counter = PlaceCounter.objects.get(event=event, time_slot=None, session=None)
    assert (counter.capacity, counter.taken) == (3, 3)  # the third was offered the new place
    slot = TimeSlotFactory(event=event, capacity=5)
    counters.parts(event.pk, slot.pk)
    slot.capacity = 7
    slot.save()
    assert PlaceCounter.objects.get(time_slot=slot).capacity == 7
    core_services.cancel_event(event=event, by=user, now=now)
    assert taken(event) == 0
    in_step()


def test_a_counter_made_for_rows_that_exist_counts_them():
    """An event whose counter does not exist yet (made before the counters) gets one
    counted from its registrations the first time a place is asked for."""
    event = EventFactory(capacity=5)
    now = timezone.now()
    for n in range(2):
        services.register(event=event, data=person(n), now=now)
    PlaceCounter.objects.filter(event=event).delete()
    services.register(event=event, data=person(3), now=now)
    assert taken(event) == 3
    in_step()


def test_the_periodic_check_reports_a_broken_counter(caplog):
    event = EventFactory(capacity=5)
    services.register(event=event, data=person(1), now=timezone.now())
    assert tasks.check_place_counters() == 0
    PlaceCounter.objects.filter(event=event).update(taken=4)
    with caplog.at_level(logging.ERROR, logger="ticketing.counters"):
        assert tasks.check_place_counters() == 1
    [record] = [r for r in caplog.records if r.message == "place counter drift"]
    assert (record.event, record.counter_taken, record.registrations_hold) == (event.pk, 4, 1)


def test_the_same_person_twice_is_refused_by_the_index_too():
    event = EventFactory(capacity=5)
    now = timezone.now()
    services.register(event=event, data=person(1), now=now)
    with pytest.raises(DomainError) as error:
        services.register(event=event, data=person(1, name="BESUCHERIN 1"), now=now)
    assert error.value.code == "already_registered"
    # Registrations written around the service (as two racing requests would) meet the index.
    first = Registration.objects.get(event=event)
    first.pk = None
    first.manage_token = "another"
    with pytest.raises(Exception, match="registration_one_active_per_person"):
        first.save()
