"""What a registration asks on every attempt of a rush (the chosen time slot and workshops,
whether the person is registered already, whether anyone waits) goes as prepared statements
written by hand (ticketing.queries): each must answer what the ORM answers, on PostgreSQL
and on SQLite."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from events_platform.models import Session, TimeSlot
from tests.factories import EventFactory
from ticketing import queries
from ticketing.models import Registration

pytestmark = pytest.mark.django_db

Status = Registration.Status


_people = itertools.count(1)


def RegistrationFactory(*, event, status, **person) -> Registration:
    number = next(_people)
    values = {"name": f"Mia Beispiel {number}", "email": f"mia{number}@example.org"} | person
    if status == Status.OFFERED:
        values["offer_expires_at"] = timezone.now() + timedelta(hours=12)
    return Registration.objects.create(
        event=event, status=status, created_at=timezone.now(), **values
    )


def _values(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


def _workshop(event, title: str, hour: int) -> Session:
    return Session.objects.create(
        event=event,
        title_de=title,
        title_en=f"{title} (en)",
        starts_at=event.starts_at + timedelta(hours=hour),
        ends_at=event.starts_at + timedelta(hours=hour + 1),
        capacity=12,
    )


def test_the_chosen_time_slot_is_the_events_own(on_each_database):
    fair, other = EventFactory(), EventFactory()
    slot = TimeSlot.objects.create(
        event=fair, label="9 Uhr", starts_at=fair.starts_at, ends_at=fair.starts_at, capacity=90
    )
    elsewhere = TimeSlot.objects.create(
        event=other, label="9 Uhr", starts_at=other.starts_at, ends_at=other.starts_at, capacity=5
    )

    found = queries.chosen_time_slot(fair, slot.pk)

    assert _values(found) == _values(TimeSlot.objects.get(pk=slot.pk))
    assert queries.chosen_time_slot(fair, elsewhere.pk) is None
    assert queries.chosen_time_slot(fair, 987654) is None


@pytest.mark.parametrize("prepared", [True, False])
def test_the_chosen_workshops_come_as_the_orm_orders_them(on_each_database, prepared, settings):
    """Also without prepared statements (a pooler that cannot keep them): on PostgreSQL the
    ids then go as an array bound on the client."""
    settings.DATABASE_PREPARED_STATEMENTS = prepared
    conference, other = EventFactory(kind="conference"), EventFactory(kind="conference")
    late = _workshop(conference, "Löten", 3)
    early_b = _workshop(conference, "Bionik", 1)
    early_a = _workshop(conference, "Algen", 1)  # same start: by title
    foreign = _workshop(other, "Fremd", 1)
    wanted = [late.pk, early_b.pk, early_a.pk, foreign.pk, late.pk, 987654]

    found = queries.chosen_sessions(conference, wanted)

    expected = list(Session.objects.filter(event=conference, pk__in=wanted))
    assert [session.pk for session in found] == [early_a.pk, early_b.pk, late.pk]
    assert [_values(session) for session in found] == [_values(s) for s in expected]
    assert found[0].title == "Algen"  # translated fields read as the model's own
    assert queries.chosen_sessions(conference, []) == []
    assert queries.chosen_sessions(conference, [foreign.pk]) == []


@pytest.mark.parametrize(
    ("status", "registered"),
    [
        (Status.CONFIRMED, True),
        (Status.PENDING_GUARDIAN, True),
        (Status.WAITLISTED, True),
        (Status.OFFERED, True),
        (Status.CANCELLED, False),
    ],
)
def test_a_person_counts_as_registered_while_the_registration_is_active(
    on_each_database, status, registered
):
    event = EventFactory()
    RegistrationFactory(event=event, email="ada@example.org", name="Ada Lovelace", status=status)

    def asked(**person) -> bool:
        return queries.has_active_registration(event, **person)

    assert asked(email="ada@example.org", name="ada LOVELACE") is registered
    assert asked(email="ada@example.org", name="Ada Byron") is False
    assert asked(email="ada@example.net", name="Ada Lovelace") is False
    assert (
        queries.has_active_registration(
            EventFactory(), email="ada@example.org", name="Ada Lovelace"
        )
        is False
    )
    orm = Registration.objects.filter(
        event=event, email="ada@example.org", name__iexact="ADA lovelace", status__in=queries.ACTIVE
    ).exists()
    assert asked(email="ada@example.org", name="ADA lovelace") is orm


def test_someone_waits_while_the_waiting_list_has_a_registration(on_each_database):
    event = EventFactory()
    RegistrationFactory(event=event, status=Status.CONFIRMED)
    RegistrationFactory(event=EventFactory(), status=Status.WAITLISTED)
    assert queries.someone_waits(event) is False

    waiting = RegistrationFactory(event=event, status=Status.WAITLISTED)
    assert queries.someone_waits(event) is True

    waiting.status = Status.OFFERED
    waiting.offer_expires_at = timezone.now() + timedelta(hours=12)
    waiting.save()
    assert queries.someone_waits(event) is False


def test_a_school_class_of_the_same_name_does_not_count(on_each_database):
    """As the unique index: a teacher's class does not stop the teacher registering alone."""
    event = EventFactory()
    RegistrationFactory(
        event=event,
        status=Status.CONFIRMED,
        email="lehrerin@example.org",
        name="Frau Lehmann",
        kind=Registration.Kind.SCHOOL_CLASS,
        school="Oberschule",
        grade="8b",
        pupils=20,
        headcount=21,
    )
    assert not queries.has_active_registration(
        event, email="lehrerin@example.org", name="Frau Lehmann"
    )


@pytest.mark.postgres
def test_the_duplicate_question_goes_through_the_unique_index_in_any_plan():
    """The plan PostgreSQL keeps for a prepared statement knows no parameter values: the
    statement carries the index's condition itself, so even that plan reads the partial
    unique index (one row) instead of every active registration of a busy event."""
    from django.db import connection

    busy = EventFactory()
    Registration.objects.bulk_create(
        Registration(
            event=busy,
            status=Status.CONFIRMED,
            name=f"Mia Beispiel {n}",
            email=f"mia{n}@example.org",
            created_at=timezone.now(),
        )
        for n in range(2000)
    )
    statement = queries._statements().active.replace("%s", "$1", 1)
    statement = statement.replace("%s", "$2", 1).replace("%s", "$3", 1)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Registration._meta.db_table}")
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute(f"PREPARE duplicate_check (bigint, text, text) AS {statement}")
        cursor.execute("EXPLAIN EXECUTE duplicate_check (1, 'a@example.org', 'A')")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("DEALLOCATE duplicate_check")
    assert "registration_one_active_per_person" in plan, plan
