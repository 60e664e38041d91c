"""infra.rows writes and reads rows with statements made once: what it writes and reads must
be what bulk_create and the ORM write and read, on PostgreSQL and on SQLite."""

import pytest
from django.db import connection
from django.utils import timezone

from infra.rows import RowReader, RowWriter
from notifications.models import Message
from tests.factories import EventFactory
from ticketing import services
from ticketing.models import ConsentRecord, VisitorFeed

from .factories import person

pytestmark = pytest.mark.django_db


def _values(instance) -> dict:
    fields = instance._meta.concrete_fields
    return {field.attname: getattr(instance, field.attname) for field in fields}


def test_written_rows_read_back_as_the_orm_reads_them():
    registration = services.register(event=EventFactory(), data=person(1), now=timezone.now())
    ConsentRecord.objects.all().delete()
    now = timezone.now()
    records = [
        ConsentRecord(
            registration=registration,
            topic=topic,
            granted=granted,
            text_version="2026-01",
            text="Ich stimme zu.",
            given_by="Besucherin 1",
            given_at=now,
        )
        for topic, granted in (("privacy", True), ("photos", False))
    ]

    inserted = RowWriter(ConsentRecord).insert(records)

    assert inserted == records and all(record.pk for record in records)
    assert not records[0]._state.adding
    stored = {record.pk: _values(record) for record in ConsentRecord.objects.all()}
    assert stored == {record.pk: _values(record) for record in records}

    reader = RowReader(ConsentRecord)
    columns = ", ".join(reader.columns(connection.ops.quote_name, "c"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {ConsentRecord._meta.db_table} c ORDER BY c.id"  # noqa: S608
        )
        read = [reader.instance(row) for row in cursor.fetchall()]
    assert [_values(record) for record in read] == [_values(record) for record in records]
    assert read[1].granted is False and read[0].given_at == now


def test_a_row_that_exists_is_skipped_when_conflicts_are_ignored():
    writer = RowWriter(VisitorFeed)

    first = writer.insert([VisitorFeed(email="a@example.org")], ignore_conflicts=True)
    again = writer.insert([VisitorFeed(email="a@example.org")], ignore_conflicts=True)

    assert len(first) == 1 and first[0].pk
    assert again == []
    assert VisitorFeed.objects.filter(email="a@example.org").count() == 1
    with pytest.raises(ValueError):
        writer.insert(
            [VisitorFeed(email="b@example.org"), VisitorFeed(email="c@example.org")],
            ignore_conflicts=True,
        )
    assert not VisitorFeed.objects.filter(email__in=["b@example.org", "c@example.org"]).exists()


def test_json_fields_go_in_as_json():
    message = Message(
        purpose="test",
        dedup_key="k" * 64,
        to_email="a@example.org",
        language="de",
        context={"kind": "call", "kwargs": {"n": 1}},
        headers={"X-Test": "ja"},
        attachments=[{"kind": "bytes"}],
        next_attempt_at=timezone.now(),
    )

    RowWriter(Message).insert([message])

    stored = Message.objects.values("context", "headers", "attachments").get(pk=message.pk)
    assert stored == {
        "context": {"kind": "call", "kwargs": {"n": 1}},
        "headers": {"X-Test": "ja"},
        "attachments": [{"kind": "bytes"}],
    }


def test_with_signals_the_row_is_announced_as_save_announces_a_new_row():
    from django.db.models.signals import post_save, pre_save

    from ticketing.models import Registration

    heard = []

    def before(sender, instance, raw, using, update_fields, **kwargs):
        heard.append(("pre", instance.pk, raw, update_fields))

    def after(sender, instance, created, raw, using, update_fields, **kwargs):
        heard.append(("post", instance.pk, created, raw, update_fields))

    pre_save.connect(before, sender=Registration)
    post_save.connect(after, sender=Registration)
    try:
        registration = services.register(event=EventFactory(), data=person(1), now=timezone.now())
    finally:
        pre_save.disconnect(before, sender=Registration)
        post_save.disconnect(after, sender=Registration)

    assert heard[:2] == [
        ("pre", None, False, None),
        ("post", registration.pk, True, False, None),
    ]


def _comparable(value):
    """A parameter as it compares: psycopg's JSON wrapper by its content, and a bool apart
    from the int it equals (True must not go to an integer column, nor 1 to a boolean)."""
    if type(value).__name__ == "Jsonb":
        return ("json", value.obj)
    return (type(value) is bool, value)


def test_the_values_sent_are_those_each_field_would_prepare(on_each_database, monkeypatch):
    """RowWriter hands str, int, bool and None values of plain fields on as they are. For
    every row a registration writes (a camp's minor and one on its waiting list, an adult,
    a class in a time slot, a conference's workshop), the values sent must be what each
    field's pre_save and get_db_prep_save give on this database."""
    from datetime import timedelta

    from events_platform.models import Session, TimeSlot
    from ticketing.models import Registration

    from .factories import CampFactory, FairFactory, camper

    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)  # auto_now fields: the same moment
    camp = CampFactory(capacity=1)
    fair = FairFactory(capacity=None)
    slot = TimeSlot.objects.create(
        event=fair, label="9 Uhr", starts_at=fair.starts_at, ends_at=fair.starts_at, capacity=90
    )
    conference = EventFactory(kind="conference", capacity=None)
    workshop = Session.objects.create(
        event=conference,
        title_de="Löten",
        starts_at=conference.starts_at,
        ends_at=conference.starts_at + timedelta(hours=1),
        capacity=5,
    )
    services.register(event=camp, data=camper(1, event=camp), now=now)
    services.register(event=camp, data=camper(2, event=camp), now=now)  # waiting list
    services.register(event=EventFactory(), data=person(3), now=now)
    services.register(
        event=fair,
        data=person(4, time_slot_id=slot.pk, school="Oberschule", grade="8b", pupils=20),
        now=now,
    )
    services.register(event=conference, data=person(5, session_ids=[workshop.pk]), now=now)

    as_they_are = 0
    for model, rows in (
        (Registration, Registration.objects.all()),
        (ConsentRecord, ConsentRecord.objects.all()),
        (VisitorFeed, VisitorFeed.objects.all()),
        (Message, Message.objects.all()),
        (Registration.sessions.through, Registration.sessions.through.objects.all()),
    ):
        writer = RowWriter(model)
        rows = list(rows)
        assert rows, model
        for row in rows:
            expected = [
                field.get_db_prep_save(field.pre_save(row, True), connection)
                for field in writer.fields
            ]
            sent = [_comparable(value) for value in writer.params([row], connection)]
            expected = [_comparable(value) for value in expected]
            assert sent == expected, [
                (field.attname, a, b)
                for field, a, b in zip(writer.fields, sent, expected, strict=True)
                if a != b
            ]
            as_they_are += sum(
                1 for field in writer.fields if type(getattr(row, field.attname)) in (str, bool)
            )
    assert as_they_are > 100  # the short way was taken, not only the long one


def _prepared_here() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("prepared", [True, False])
def test_the_registration_statements_are_planned_once_per_connection(prepared, settings):
    """On PostgreSQL a registration's own statements (the event, its counters, its rows) are
    prepared on their connection; Django's other statements are not. With
    DATABASE_PREPARED_STATEMENTS off (a pooler that cannot keep them) nothing is."""
    from django.db import IntegrityError

    from infra.rows import planned_cursor

    settings.DATABASE_PREPARED_STATEMENTS = prepared
    connection.close()  # a fresh connection: no statement prepared yet
    event = EventFactory()
    services.register(event=event, data=person(1), now=timezone.now())

    found = _prepared_here()
    assert any("ticketing_registration" in text and "INSERT" in text for text in found) is (
        prepared
    )
    assert any("ticketing_placecounter" in text for text in found) is prepared
    assert not any("django_content_type" in text for text in found)  # the ORM's: never
    # A second registration reuses them: nothing new for the same statements.
    services.register(event=event, data=person(2), now=timezone.now())
    assert _prepared_here() == found
    # Errors are Django's, as from any cursor: the same feed row twice.
    with pytest.raises(IntegrityError), planned_cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {VisitorFeed._meta.db_table} (email, token, created_at) "  # noqa: S608
            "VALUES (%s, %s, %s)",
            ["visitor1@example.org", "x" * 32, timezone.now()],
        )


def test_a_registrations_workshops_are_written_without_m2m_signals_nobody_listens_to():
    """register() writes a new registration's workshops as rows (RowWriter) instead of
    through sessions.set(), which would also send m2m_changed: that holds only while no
    receiver listens for it."""
    from django.db.models.signals import m2m_changed

    from ticketing.models import Registration

    assert not m2m_changed.has_listeners(Registration.sessions.through)
