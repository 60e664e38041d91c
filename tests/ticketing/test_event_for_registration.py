"""queries.event_for_registration reads the event, its settings and three flags in one
hand-made statement: it must give what the ORM gives, field by field, on PostgreSQL and on
SQLite (datetimes, booleans and JSON come back through the fields' converters)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events_platform.models import Event
from tests.factories import EventFactory, TimeSlotFactory
from tests.fairs.factories import FairFactory
from ticketing import queries
from ticketing.models import RegistrationSettings

from .factories import QuestionFactory, RegistrationSettingsFactory

pytestmark = pytest.mark.django_db


def _values(instance) -> dict:
    fields = instance._meta.concrete_fields
    return {field.attname: getattr(instance, field.attname) for field in fields}


def test_the_event_and_its_settings_are_read_as_the_orm_reads_them():
    event = EventFactory(kind=Event.Kind.CAMP, capacity=60, min_age=10, max_age=16)
    settings = RegistrationSettingsFactory(
        event=event,
        offer_hours=12,
        guardian_required_under=16,
        allow_school_classes=True,
        meeting_point="Haupteingang",
        departure_at=event.starts_at - timedelta(hours=1),
    )
    QuestionFactory(event=event)

    with CaptureQueriesContext(connection) as queries_run:
        loaded = queries.event_for_registration(event.slug)
    assert len(queries_run) == 1

    expected = Event.objects.get(pk=event.pk)
    assert _values(loaded) == _values(expected)
    assert loaded.registration_settings.pk == settings.pk
    assert _values(loaded.registration_settings) == _values(RegistrationSettings.objects.get())
    assert loaded.registration_settings.allow_school_classes is True
    assert loaded.registration_settings.event is loaded
    assert (loaded._has_fair, loaded._has_questions, loaded._has_time_slots) == (
        False,
        True,
        False,
    )


def test_without_settings_the_defaults_apply_and_no_query_asks_for_them():
    event = EventFactory(kind=Event.Kind.APPRENTICESHIP_FAIR)
    FairFactory(event=event)
    TimeSlotFactory(event=event)

    loaded = queries.event_for_registration(event.slug)

    with CaptureQueriesContext(connection) as queries_run:
        with pytest.raises(RegistrationSettings.DoesNotExist):
            loaded.registration_settings  # noqa: B018
        assert queries.offer_hours(loaded) == RegistrationSettings().offer_hours
    assert len(queries_run) == 0
    assert (loaded._has_fair, loaded._has_questions, loaded._has_time_slots) == (
        True,
        False,
        True,
    )


def test_only_public_events_are_found():
    draft = EventFactory(status=Event.Status.DRAFT)
    cancelled = EventFactory(status=Event.Status.CANCELLED)

    assert queries.event_for_registration(draft.slug) is None
    assert queries.event_for_registration("no-such-event") is None
    assert queries.event_for_registration(cancelled.slug).pk == cancelled.pk


def test_the_event_comes_with_its_place_counter_once_there_is_one():
    from django.utils import timezone

    from ticketing import services
    from ticketing.models import PlaceCounter

    from .factories import person

    event = EventFactory(capacity=60)
    assert queries.event_for_registration(event.slug)._place_counter is None

    services.register(event=event, data=person(1), now=timezone.now())  # makes the counter
    loaded = queries.event_for_registration(event.slug)

    counter = PlaceCounter.objects.get(event=event, time_slot=None, session=None)
    assert _values(loaded._place_counter) == _values(counter)
    assert (loaded._place_counter.taken, loaded._place_counter.capacity) == (1, 60)

    # Registering for the event as a whole reads no counter of its own; the API's figures.
    with CaptureQueriesContext(connection) as queries_run:
        services.register(event=loaded, data=person(2), now=timezone.now())
    assert not any(
        "ticketing_placecounter" in q["sql"] and q["sql"].startswith("SELECT")
        for q in queries_run.captured_queries
    )
    assert PlaceCounter.objects.get(pk=counter.pk).taken == 2
