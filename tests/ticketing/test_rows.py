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
