"""One send task per burst (notifications/outbox.py::wake): with Redis, the first
transaction of a burst queues a task that drains every due message; the transactions after
it queue nothing, and nothing is left behind (the drain looks once more after clearing the
key). Without Redis, or when Redis fails, every transaction queues its own task."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from notifications import outbox
from notifications.models import Message
from tests.factories import EventFactory
from ticketing import services as ticketing

from .conftest import wait_until
from .factories import write_test_message

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def asleep():
    """No drain on its way: the key cleared before and after the test."""
    cache.delete(outbox.WAKE_KEY)
    yield
    cache.delete(outbox.WAKE_KEY)


class _Calls(list):
    def __init__(self):
        super().__init__()
        self.countdowns = []


@pytest.fixture
def published(monkeypatch):
    """What was handed to the broker: (ids, drain) per publish, without a broker; the
    delays asked for in `published.countdowns`."""

    def publish(ids, **kw):
        calls.append((list(ids), kw.get("drain")))
        calls.countdowns.append(kw.get("countdown"))
        return True

    calls = _Calls()
    monkeypatch.setattr(outbox, "publish", publish)
    return calls


def test_only_the_first_transaction_of_a_burst_queues_a_task(asleep, published):
    event = EventFactory()
    first, second, third = (
        write_test_message(to_email=f"burst{n}@example.org", event=event) for n in range(3)
    )
    assert published == [([first.pk], True)]
    assert cache.get(outbox.WAKE_KEY) is not None
    # The drain sends all three, then clears the key: the next transaction queues again.
    assert outbox.drain() == 3
    assert set(Message.objects.values_list("state", flat=True)) == {Message.State.SENT}
    assert cache.get(outbox.WAKE_KEY) is None
    fourth = write_test_message(to_email="later@example.org", event=event)
    assert published[-1] == ([fourth.pk], True)


def test_a_message_committed_just_before_the_key_is_cleared_is_still_sent(
    asleep, published, monkeypatch
):
    """The lost wake-up: a transaction that saw the key set (and queued nothing) commits
    after the drain's last batch but before the key is cleared. The drain's second look
    finds it."""
    event = EventFactory()
    write_test_message(to_email="first@example.org", event=event)
    clear = outbox._wake_done
    late = []

    def committed_meanwhile(client, key):
        if not late:
            late.append(write_test_message(to_email="late@example.org", event=event))
        clear(client, key)

    monkeypatch.setattr(outbox, "_wake_done", committed_meanwhile)
    assert outbox.drain() == 2
    assert Message.objects.get(pk=late[0].pk).state == Message.State.SENT
    assert len(published) == 1  # the late one queued no task: the key was set


def test_a_drain_that_gives_way_to_other_workers_still_hands_over_what_is_left(
    asleep, published, monkeypatch
):
    """The drain finds only rows other workers are claiming (three rounds in a row) and
    gives way. A transaction that committed meanwhile saw the key and queued nothing: it
    must not wait for the sweep. Seen in benchmarks/reminders.py: 9,000 of 10,000 reminders
    waited two minutes."""
    event = EventFactory()
    first = write_test_message(to_email="first@example.org", event=event)
    late = []

    def held_by_other_workers(*, message_ids, **kwargs):
        if not late:
            late.append(write_test_message(to_email="late@example.org", event=event))
        return {"sent": 0, "skipped": len(message_ids), "queued": 0, "failed": 0}

    monkeypatch.setattr(outbox, "deliver_messages", held_by_other_workers)
    assert outbox.drain() == 0

    assert len(published) == 2  # the first transaction's, and now the drain's hand-over
    ids, drain = published[-1]
    assert set(ids) == {first.pk, late[0].pk} and drain is True
    assert published.countdowns[-1] == outbox.GIVE_WAY_SECONDS  # not at once: no ping-pong
    assert cache.get(outbox.WAKE_KEY) is not None  # that drain is on its way


def test_without_redis_or_when_it_fails_every_transaction_queues_its_task(
    asleep, published, monkeypatch, settings
):
    event = EventFactory()
    monkeypatch.setattr(outbox, "_wake_store", lambda: (None, ""))
    one = write_test_message(to_email="a@example.org", event=event)
    two = write_test_message(to_email="b@example.org", event=event)
    assert published == [([one.pk], None), ([two.pk], None)]

    class Broken:
        def set(self, *args, **kwargs):
            raise OSError("Redis is away")

    monkeypatch.setattr(outbox, "_wake_store", lambda: (Broken(), "key"))
    three = write_test_message(to_email="c@example.org", event=event)
    assert published[-1] == ([three.pk], None)


@pytest.mark.parametrize("drain_on_its_way", [False, True])
def test_a_transaction_of_more_than_one_batch_hands_each_batch_to_the_workers(
    asleep, published, settings, drain_on_its_way
):
    """Reminders and an announcement's chunks write many messages in one transaction: their
    batches go out as tasks of their own, sent by all workers at once, not left to the one
    drain that would send them one batch after another."""
    settings.NOTIFICATIONS_BATCH_SIZE = 2
    event = EventFactory()
    if drain_on_its_way:
        cache.set(outbox.WAKE_KEY, "1", timeout=60)
    with transaction.atomic():
        written = [
            write_test_message(to_email=f"bulk{n}@example.org", event=event) for n in range(3)
        ]
    assert published == [([message.pk for message in written], None)]
    assert (cache.get(outbox.WAKE_KEY) is not None) is drain_on_its_way

    # One batch is still a burst's: it wakes a drain, unless one is on its way.
    with transaction.atomic():
        pair = [write_test_message(to_email=f"pair{n}@example.org", event=event) for n in (1, 2)]
    expected = [] if drain_on_its_way else [([message.pk for message in pair], True)]
    assert published[1:] == expected


def test_the_sweep_starts_a_drain_for_mail_waiting_longer_than_a_sweep(asleep, monkeypatch):
    """A drain that died leaves the key set: the sweep starts another."""
    from datetime import timedelta

    started = []
    task = outbox.current_app.tasks[outbox.DELIVER_TASK]
    monkeypatch.setattr(task, "apply_async", lambda **kw: started.append(kw))
    message = write_test_message(to_email="waiting@example.org")
    assert [call["kwargs"] for call in started] == [{"drain": True}]  # the write woke a drain
    started.clear()
    now = timezone.now()
    outbox.sweep_outbox(now=now)
    assert started == []  # handed over just now
    outbox.sweep_outbox(now=now + timedelta(seconds=90))
    assert [call["kwargs"] for call in started] == [{"drain": True}]
    assert Message.objects.get(pk=message.pk).state == Message.State.QUEUED


def test_a_burst_of_registrations_goes_out_through_few_tasks(
    asleep, celery_worker, mailbox, monkeypatch
):
    """Twenty registrations, each its own transaction, through the real worker: every
    confirmation arrives once, and far fewer tasks were queued than registrations."""
    handed = []
    real = outbox.publish
    monkeypatch.setattr(
        outbox, "publish", lambda ids, **kw: handed.append(list(ids)) or real(ids, **kw)
    )
    event = EventFactory(capacity=100)
    for n in range(20):
        with transaction.atomic():
            ticketing.register(
                event=event,
                data=ticketing.RegistrationInput(
                    name=f"Person {n}", email=f"burst{n}@example.org", privacy_consent=True
                ),
                now=timezone.now(),
            )
    wait_until(lambda: Message.objects.filter(state=Message.State.SENT).count() == 20, timeout=60)
    mails = mailbox.wait_for(20, timeout=60)
    assert sorted(str(mail["To"]) for mail in mails) == sorted(
        f"burst{n}@example.org" for n in range(20)
    )
    assert 1 <= len(handed) < 20
