"""Fault tests of the outbox with real parts: a Redis broker and a Celery worker of the test's
own (stopped, SIGKILLed, restarted), and an SMTP server on loopback that answers 421 or 550."""

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import announcements, outbox
from notifications.models import Message, Suppression
from tests.factories import EventFactory
from ticketing import services as ticketing
from ticketing.models import Registration

from .conftest import wait_until
from .factories import write_test_message

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

FAST_RETRIES = {"NOTIFICATIONS_RETRY_BASE_SECONDS": "1", "NOTIFICATIONS_RETRY_MAX_SECONDS": "2"}


def test_smtp_421_for_a_while_is_delivered_later(own_redis, publish_to, flaky_smtp, outbox_worker):
    publish_to(own_redis.url)
    outbox_worker(broker_url=own_redis.url, smtp=flaky_smtp, env=FAST_RETRIES)
    busy = "421 4.3.2 Service busy, try again later"
    flaky_smtp.answers["greta@example.org"] = [busy, busy, busy]

    message = write_test_message(to_email="greta@example.org")

    flaky_smtp.mailbox.wait_for(1, timeout=60)
    assert flaky_smtp.attempts["greta@example.org"] == 4
    assert flaky_smtp.received_by()["greta@example.org"] == 1
    wait_until(lambda: Message.objects.get(pk=message.pk).state == Message.State.SENT, what="sent")
    message.refresh_from_db()
    assert message.attempts == 4
    assert not Suppression.objects.filter(email="greta@example.org").exists()


def test_smtp_550_fails_once_suppresses_and_is_not_retried(
    own_redis, publish_to, flaky_smtp, outbox_worker
):
    publish_to(own_redis.url)
    outbox_worker(broker_url=own_redis.url, smtp=flaky_smtp, env=FAST_RETRIES)
    flaky_smtp.answers["hans@example.org"] = ["550 5.1.1 No such user"]

    message = write_test_message(to_email="hans@example.org")

    wait_until(
        lambda: Message.objects.get(pk=message.pk).state == Message.State.FAILED, what="failed"
    )
    message.refresh_from_db()
    assert message.attempts == 1
    assert message.last_error.startswith("550")
    suppression = Suppression.objects.get(email="hans@example.org")
    assert suppression.reason == Suppression.Reason.BOUNCED
    # A day of sweeps later nothing has been handed over again, nothing was sent again.
    assert outbox.sweep_outbox(now=timezone.now() + timedelta(days=1)) == 0
    time.sleep(2)  # give a wrongly re-queued task the chance to show up
    assert flaky_smtp.attempts["hans@example.org"] == 1
    assert flaky_smtp.mailbox.messages == []


def test_redis_down_registrations_succeed_quickly_and_mails_follow(
    own_redis, publish_to, flaky_smtp, outbox_worker
):
    publish_to(own_redis.url)
    outbox_worker(broker_url=own_redis.url, smtp=flaky_smtp)
    event = EventFactory(capacity=200)
    own_redis.stop()

    durations = []
    for n in range(100):
        started = time.monotonic()
        registration = ticketing.register(
            event=event,
            data=ticketing.RegistrationInput(
                name=f"Gast {n}", email=f"visitor{n}@example.org", privacy_consent=True
            ),
            now=timezone.now(),
        )
        durations.append(time.monotonic() - started)
        assert registration.status == Registration.Status.CONFIRMED

    # Each call returns instead of waiting for the broker (generous bound: no hang).
    print(f"slowest registration with Redis down: {max(durations):.3f}s")
    assert max(durations) < 5, durations
    assert Message.objects.filter(state=Message.State.QUEUED).count() == 100
    assert flaky_smtp.mailbox.messages == []

    own_redis.start()
    # The worker reconnects by itself; the sweep (beat, every minute) hands the rows over.
    assert outbox.sweep_outbox(now=timezone.now()) == 100
    flaky_smtp.mailbox.wait_for(100, timeout=120)
    received = flaky_smtp.received_by()
    assert set(received) == {f"visitor{n}@example.org" for n in range(100)}
    assert max(received.values()) == 1


def test_worker_killed_mid_announcement_every_recipient_gets_one_mail(
    own_redis, publish_to, flaky_smtp, outbox_worker, caplog
):
    publish_to(own_redis.url)
    concurrency = 4
    worker = outbox_worker(broker_url=own_redis.url, smtp=flaky_smtp, concurrency=concurrency)
    event = EventFactory(capacity=None)
    recipients = [f"r{n:04d}@example.org" for n in range(2000)]
    now = timezone.now()
    Registration.objects.bulk_create(
        Registration(
            event=event,
            status=Registration.Status.CONFIRMED,
            name=f"Gast {n}",
            email=address,
            created_at=now,
            confirmed_at=now,
        )
        for n, address in enumerate(recipients)
    )
    announcement = announcements.create_announcement(
        organisation=event.organisation,
        by=None,
        subject="Neue Öffnungszeiten",
        body_markdown="Der Einlass beginnt um **9 Uhr**.",
        events=[event],
        audiences=["visitors"],
    )
    announcements.schedule_announcement(announcement=announcement, send_at=None, now=now)

    flaky_smtp.mailbox.wait_for(300, timeout=120)
    worker.kill()
    at_kill = len(flaky_smtp.mailbox.messages)
    worker.start()

    # Tasks the dead worker had taken stay unacknowledged in Redis until the visibility
    # timeout; the new worker sends everything else. Wait until it has nothing left to do.
    last = -1
    while True:
        time.sleep(2)
        sent = Message.objects.filter(state=Message.State.SENT).count()
        if sent == last:
            break
        last = sent
    # Then the sweep, as beat would run it once the lease has run out.
    caplog.set_level("WARNING", logger="notifications.outbox")
    outbox.sweep_outbox(now=timezone.now() + timedelta(hours=1))
    try:
        wait_until(
            lambda: Message.objects.filter(state=Message.State.SENT).count() == 2000,
            timeout=180,
        )
    except AssertionError:
        states = Counter(Message.objects.values_list("state", flat=True))
        received = len(flaky_smtp.mailbox.messages)
        raise AssertionError(f"not all sent: {states}, received {received}") from None
    received = flaky_smtp.received_by()
    assert set(received) == set(recipients)
    duplicates = sum(count - 1 for count in received.values())
    print(
        f"received {len(flaky_smtp.mailbox.messages)} mails, {at_kill} before the kill, "
        f"{duplicates} duplicate(s)"
    )
    reclaimed = sum("possible duplicate" in record.getMessage() for record in caplog.records)
    # Only a message a dead thread had claimed can go out twice: at most one per thread.
    assert duplicates <= reclaimed <= concurrency
    announcement.refresh_from_db()
    assert announcements.progress(announcement)["sent"] == 2000
