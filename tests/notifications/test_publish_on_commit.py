"""The outbox hands each transaction's messages to the broker once, after the commit."""

import pytest
from django.db import transaction

from notifications import outbox
from notifications.models import Message, Purpose
from notifications.rendering import Rendered
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _each_transaction_queues_its_task(settings):
    """These tests are about the batches of transactions: without Redis every transaction
    queues a task of its own (with Redis, one task per burst: test_wake.py)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def published(monkeypatch):
    """The id lists handed to the broker, one list per publish."""
    calls: list[list[int]] = []
    monkeypatch.setattr(outbox, "publish", lambda ids, **kw: calls.append(list(ids)) or True)
    return calls


def _write(to_email: str, event) -> int:
    message, _created = outbox.write_message(
        purpose=Purpose.ANNOUNCEMENT_TEST,
        to_email=to_email,
        language="de",
        rendered=Rendered("Betreff", "Text\n", "<p>Text</p>"),
        related=event,
        event=event,
    )
    return message.pk


def test_the_messages_of_one_transaction_are_published_once_after_the_commit(published):
    event = EventFactory()
    with transaction.atomic():
        ids = [_write(f"p{n}@example.org", event) for n in range(3)]
        with transaction.atomic():
            ids.append(_write("inner@example.org", event))
        assert published == []
    assert published == [ids]


def test_each_transaction_is_its_own_batch(published):
    event = EventFactory()
    with transaction.atomic():
        first = _write("a@example.org", event)
    with transaction.atomic():
        second = _write("b@example.org", event)
    assert published == [[first], [second]]


def test_a_rolled_back_transaction_publishes_nothing_and_leaves_no_batch_behind(published):
    event = EventFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        _write("gone@example.org", event)
        raise RuntimeError("the cause failed")
    assert published == []
    with transaction.atomic():
        kept = _write("kept@example.org", event)
    assert published == [[kept]]


def test_messages_of_a_rolled_back_savepoint_are_not_published(published):
    event = EventFactory()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            _write("gone@example.org", event)
            raise RuntimeError("this part failed")
        kept = _write("kept@example.org", event)
    assert published == [[kept]]
    assert list(Message.objects.values_list("to_email", flat=True)) == ["kept@example.org"]


def test_outside_a_transaction_each_message_is_published_at_once(published):
    event = EventFactory()
    first = _write("a@example.org", event)
    assert published == [[first]]
    second = _write("b@example.org", event)
    assert published == [[first], [second]]


def test_a_batch_kept_alive_after_its_flush_does_not_swallow_the_next_transaction(
    published, monkeypatch
):
    # The first publish fails, and the broker client keeps its last error: the error's
    # traceback holds the flushed batch alive, so a dead weak reference is not enough.
    event = EventFactory()
    kept_errors = []

    def broker_down(ids, **kw):
        try:
            raise ConnectionError("broker down")
        except ConnectionError as error:
            kept_errors.append(error)
            raise

    monkeypatch.setattr(outbox, "publish", broker_down)
    with transaction.atomic():
        _write("first@example.org", event)
    assert kept_errors
    monkeypatch.setattr(outbox, "publish", lambda ids, **kw: published.append(list(ids)))
    with transaction.atomic():
        second = _write("second@example.org", event)
    assert published == [[second]]
