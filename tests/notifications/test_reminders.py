"""Reminders found by a periodic "what is due" run: offsets per kind, DST, dedup, cancelled."""

from datetime import UTC, datetime, timedelta

import pytest

from events_platform.models import Event
from notifications import reminders
from notifications.models import Message, Purpose, ReminderPlan
from tests.factories import EventFactory
from tests.fairs.factories import FairFactory, HallFactory, StandBookingFactory, StandFactory
from tests.ticketing.factories import camper
from ticketing import services as ticketing
from ticketing.models import Registration

pytestmark = pytest.mark.django_db

# Sunday 25 October 2026: clocks go back from 03:00 CEST to 02:00 CET in Berlin.
SUNDAY_10_CET = datetime(2026, 10, 25, 9, 0, tzinfo=UTC)  # 10:00 in Berlin


def _register(event, n, now):
    data = ticketing.RegistrationInput(
        name=f"Person {n}", email=f"person{n}@example.org", privacy_consent=True
    )
    return ticketing.register(event=event, data=data, now=now, by_organiser=True)


def _reminders():
    return Message.objects.filter(purpose=Purpose.REMINDER)


def test_day_before_is_the_same_berlin_time_across_the_october_change():
    # Saturday 10:00 CEST is 08:00 UTC: 25 hours, not 24, before Sunday 10:00 CET.
    assert reminders.due_at(SUNDAY_10_CET, "1d") == datetime(2026, 10, 24, 8, 0, tzinfo=UTC)
    assert reminders.due_at(SUNDAY_10_CET, "2h") == datetime(2026, 10, 25, 7, 0, tzinfo=UTC)
    # A week before a Sunday after the change: the Sunday before, 10:00 CEST.
    assert reminders.due_at(SUNDAY_10_CET, "7d") == datetime(2026, 10, 18, 8, 0, tzinfo=UTC)


def test_visitor_reminders_of_a_fair_on_the_dst_sunday_once_each_not_for_cancelled():
    event = EventFactory(
        kind=Event.Kind.APPRENTICESHIP_FAIR,
        starts_at=SUNDAY_10_CET,
        ends_at=SUNDAY_10_CET + timedelta(hours=4),
        title_de="Ausbildungsmesse Delitzsch",
    )
    registered_at = SUNDAY_10_CET - timedelta(days=20)
    keep = _register(event, 1, registered_at)
    gone = _register(event, 2, registered_at)
    ticketing.cancel_registration(registration=gone, now=registered_at)
    Message.objects.all().delete()

    saturday_0759 = datetime(2026, 10, 24, 7, 59, tzinfo=UTC)
    assert reminders.send_due_reminders(now=saturday_0759) == 0
    saturday_0800 = datetime(2026, 10, 24, 8, 0, tzinfo=UTC)
    assert reminders.send_due_reminders(now=saturday_0800) == 1
    assert reminders.send_due_reminders(now=saturday_0800 + timedelta(minutes=5)) == 0
    message = _reminders().get()
    assert message.to_email == keep.email
    assert message.subject == "Erinnerung: Ausbildungsmesse Delitzsch"
    assert "Sie beginnt am So., 25.\u00a0Oktober 2026, 10\u00a0Uhr." in message.body_text

    # The fair's second reminder, two hours before.
    assert reminders.send_due_reminders(now=datetime(2026, 10, 25, 6, 59, tzinfo=UTC)) == 0
    assert reminders.send_due_reminders(now=datetime(2026, 10, 25, 7, 0, tzinfo=UTC)) == 1
    assert _reminders().count() == 2
    assert not _reminders().filter(to_email=gone.email).exists()
    assert Registration.objects.get(pk=gone.pk).status == Registration.Status.CANCELLED


def test_exhibitors_get_a_week_and_a_day_before_with_stand_and_set_up():
    fair = FairFactory(
        event__starts_at=SUNDAY_10_CET, event__ends_at=SUNDAY_10_CET + timedelta(hours=4)
    )
    stand = StandFactory(hall=HallFactory(fair=fair), label="B12")
    StandBookingFactory(stand=stand, status="approved", company__contact_email="hr@firma.de")
    StandBookingFactory(stand=StandFactory(hall=stand.hall), status="rejected")

    week_before = datetime(2026, 10, 18, 8, 0, tzinfo=UTC)
    assert reminders.send_due_reminders(now=week_before) == 1
    message = _reminders().get()
    assert message.to_email == "hr@firma.de"
    assert "B12" in message.body_text
    assert "Aufbau" in message.body_text
    assert reminders.send_due_reminders(now=datetime(2026, 10, 24, 8, 0, tzinfo=UTC)) == 1


def test_camp_guardians_three_days_before_with_what_to_bring():
    start = datetime(2026, 7, 20, 7, 0, tzinfo=UTC)  # 09:00 CEST
    event = EventFactory(kind=Event.Kind.CAMP, starts_at=start, ends_at=start + timedelta(days=4))
    ReminderPlan.objects.create(event=event, what_to_bring_de="Schlafsack, Gummistiefel")
    data = camper(3, event=event, guardian_email="eltern@example.org", guardian_name="Eva Eltern")
    registration = ticketing.register(
        event=event, data=data, now=start - timedelta(days=30), by_organiser=True
    )
    # The guardian confirmed; the place is now the camper's.
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.CONFIRMED)
    Message.objects.all().delete()

    assert reminders.send_due_reminders(now=start - timedelta(days=3)) == 1
    message = _reminders().get()
    assert message.to_email == "eltern@example.org"
    assert "Schlafsack, Gummistiefel" in message.body_text
    assert f"Veranstaltung für {registration.name}" in message.body_text


def test_an_event_plan_overrides_the_default_offsets():
    start = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    event = EventFactory(starts_at=start, ends_at=start + timedelta(hours=2))
    ReminderPlan.objects.create(event=event, offsets={"visitors": ["3h"]})
    _register(event, 4, start - timedelta(days=5))
    assert reminders.send_due_reminders(now=start - timedelta(days=1)) == 0
    assert reminders.send_due_reminders(now=start - timedelta(hours=3)) == 1


def test_a_mistyped_plan_does_not_stop_other_events():
    start = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    broken = EventFactory(starts_at=start, ends_at=start + timedelta(hours=2))
    ReminderPlan.objects.create(event=broken, offsets={"visitors": ["soon", "3x"]})
    fine = EventFactory(starts_at=start, ends_at=start + timedelta(hours=2))
    _register(broken, 5, start - timedelta(days=5))
    _register(fine, 6, start - timedelta(days=5))
    Message.objects.all().delete()
    assert reminders.send_due_reminders(now=start - timedelta(days=1)) == 1
    assert _reminders().get().event == fine


def test_a_chunk_of_reminders_is_one_insert_and_its_rows_are_those_the_orm_writes():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.models import content_type_of, reading_uncomposed

    event = EventFactory(starts_at=SUNDAY_10_CET + timedelta(days=1))
    people = [
        Registration.objects.create(
            event=event,
            status=Registration.Status.CONFIRMED,
            name=f"Gast {n}",
            email=f"gast{n}@example.org",
            language=("de", "en")[n % 2],
            created_at=SUNDAY_10_CET,
        )
        for n in range(5)
    ]
    # One of them written before by another run: skipped, and not counted as written now.
    earlier = reminders.write_reminders(
        event=event, audience="visitors", offset="1d", now=SUNDAY_10_CET
    )
    assert earlier == 5
    first = _reminders().get(object_id=str(people[0].pk))
    _reminders().exclude(pk=first.pk).delete()
    now = SUNDAY_10_CET + timedelta(minutes=5)
    with CaptureQueriesContext(connection) as queries:
        assert (
            reminders.write_reminders(event=event, audience="visitors", offset="1d", now=now) == 4
        )
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    with reading_uncomposed():  # as stored (a row read through the model is composed)
        rows = {row.object_id: row for row in _reminders()}
    assert rows[str(people[0].pk)].pk == first.pk and rows[str(people[0].pk)].published_at != now
    for n, person in enumerate(people[1:], start=1):
        row = rows[str(person.pk)]
        assert (row.to_email, row.language) == (f"gast{n}@example.org", ("de", "en")[n % 2])
        assert row.context == {"kind": "reminder", "audience": "visitors"}
        assert row.content_type == content_type_of(person) and row.event == event
        assert row.organisation_id == event.organisation_id and row.announcement is None
        assert (row.state, row.attempts, row.headers, row.attachments) == ("queued", 0, {}, [])
        assert row.next_attempt_at == now and row.published_at == now
        assert row.created_at is not None and row.composed_at is None and row.subject == ""
        assert (row.claimed_at, row.sent_at, row.failed_at, row.last_error) == (
            None,
            None,
            None,
            "",
        )
