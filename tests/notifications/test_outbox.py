"""The outbox in one process: dedup, claim, SMTP error sorting, sweep (real SMTP on loopback)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from notifications import outbox
from notifications.models import Message, Purpose
from tests.factories import EventFactory

from .factories import write_test_message

pytestmark = pytest.mark.django_db


def test_second_write_of_the_same_key_is_a_no_op():
    event = EventFactory()
    first = write_test_message(to_email="anna@example.org", event=event)
    second = write_test_message(to_email="Anna@Example.org ", event=event)
    assert first.pk == second.pk
    assert Message.objects.count() == 1


def test_message_rolls_back_with_its_cause():
    event = EventFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.write_message(
            purpose=Purpose.ANNOUNCEMENT_TEST,
            to_email="bert@example.org",
            language="de",
            rendered=outbox.Rendered("s", "t", "<p>t</p>"),
            related=event,
            event=event,
        )
        raise RuntimeError("the cause failed")
    assert not Message.objects.exists()


def test_deliver_sends_once_and_a_redelivery_sends_nothing(mailbox):
    message = write_test_message(to_email="carla@example.org")
    assert outbox.deliver_messages(message_ids=[message.pk])["sent"] == 1
    assert outbox.deliver_messages(message_ids=[message.pk])["skipped"] == 1
    mails = mailbox.wait_for(1)
    assert len(mails) == 1
    assert mails[0]["To"] == "carla@example.org"
    message.refresh_from_db()
    assert message.state == Message.State.SENT
    assert message.attempts == 1


def test_a_batch_goes_out_over_one_smtp_connection(settings):
    from aiosmtpd.controller import Controller

    from tests.conftest import free_port

    peers = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            peers.append(session.peer)  # one (host, port) per client connection
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = controller.hostname
        settings.EMAIL_PORT = controller.port
        event = EventFactory()
        ids = [write_test_message(to_email=f"p{n}@example.org", event=event).pk for n in range(5)]
        assert outbox.deliver_messages(message_ids=ids)["sent"] == 5
    finally:
        controller.stop()
    assert len(peers) == 5
    assert len(set(peers)) == 1


def test_only_one_of_two_claims_wins():
    message = write_test_message(to_email="dora@example.org")
    now = timezone.now()
    assert outbox.claim_message(message_id=message.pk, now=now)
    assert not outbox.claim_message(message_id=message.pk, now=now)


def test_sweep_reclaims_a_stale_lease_and_requeues_unpublished(settings):
    settings.NOTIFICATIONS_LEASE_SECONDS = 60
    message = write_test_message(to_email="emil@example.org")
    now = timezone.now()
    assert outbox.claim_message(message_id=message.pk, now=now)
    # A worker died after claiming; within the lease the sweep leaves it alone.
    outbox.sweep_outbox(now=now + timedelta(seconds=30))
    message.refresh_from_db()
    assert message.state == Message.State.SENDING
    outbox.sweep_outbox(now=now + timedelta(seconds=61))
    message.refresh_from_db()
    assert message.state == Message.State.QUEUED
    assert message.published_at is not None


def test_a_batch_held_by_a_killed_worker_is_handed_over_after_the_hold_not_ten_minutes(
    settings, monkeypatch
):
    settings.NOTIFICATIONS_HOLD_SECONDS = 60
    settings.NOTIFICATIONS_REPUBLISH_SECONDS = 600
    settings.NOTIFICATIONS_BATCH_SIZE = 3  # a full batch: nothing else is taken along
    event = EventFactory()
    first, second, third = (
        write_test_message(to_email=f"{name}@example.org", event=event)
        for name in ("fritz", "greta", "hanna")
    )
    waiting = write_test_message(to_email="ines@example.org", event=event)
    start = timezone.now()
    Message.objects.update(published_at=start)

    class WorkerKilled(BaseException):
        pass

    def killed(*args, **kwargs):
        raise WorkerKilled

    # The worker takes the batch and is killed while sending its first mail.
    monkeypatch.setattr(outbox, "build_email", killed)
    with pytest.raises(WorkerKilled):
        outbox.deliver_messages(message_ids=[first.pk, second.pk, third.pk])

    # Within the hold the sweep leaves the batch alone; then it hands over the rest of it,
    # while a task still waiting in the broker queue (`waiting`) keeps the republish delay.
    outbox.sweep_outbox(now=start + timedelta(seconds=30))
    assert set(Message.objects.filter(published_at__gt=start).values_list("pk", flat=True)) == set()
    outbox.sweep_outbox(now=start + timedelta(seconds=90))
    handed_over = set(Message.objects.filter(published_at__gt=start).values_list("pk", flat=True))
    assert handed_over == {second.pk, third.pk}
    assert waiting.pk not in handed_over
    assert Message.objects.get(pk=first.pk).state == Message.State.SENDING  # the lease's case


def test_a_batch_that_is_not_full_takes_waiting_mail_along(mailbox, settings):
    """In a registration rush each registration hands its one mail to the broker; the first
    task a worker takes sends the mails written meanwhile too (over one connection), and
    their own tasks then find nothing. Not taken along: a mail not yet handed to the broker
    (the sweep's), one waiting for a retry, and anything beyond a full batch."""
    settings.NOTIFICATIONS_BATCH_SIZE = 4
    event = EventFactory()
    start = timezone.now()
    rush = [write_test_message(to_email=f"rush{n}@example.org", event=event) for n in range(6)]
    unpublished = write_test_message(to_email="unpublished@example.org", event=event)
    retry = write_test_message(to_email="retry@example.org", event=event)
    Message.objects.filter(pk=unpublished.pk).update(published_at=None)
    Message.objects.filter(pk=retry.pk).update(next_attempt_at=start + timedelta(minutes=5))

    counts = outbox.deliver_messages(message_ids=[rush[0].pk])

    assert counts == {"sent": 4, "skipped": 0, "queued": 0, "failed": 0}
    sent = set(Message.objects.filter(state=Message.State.SENT).values_list("pk", flat=True))
    assert sent == {m.pk for m in rush[:4]}  # the oldest waiting, up to a full batch
    assert sorted(str(mail["To"]) for mail in mailbox.wait_for(4)) == [
        f"rush{n}@example.org" for n in range(4)
    ]
    # The task of one taken along finds nothing of its own to send; it takes the rest of
    # the rush along, but still not the unpublished row nor the one waiting for its retry.
    counts = outbox.deliver_messages(message_ids=[rush[1].pk])
    assert counts == {"sent": 2, "skipped": 1, "queued": 0, "failed": 0}
    queued = set(Message.objects.filter(state=Message.State.QUEUED).values_list("pk", flat=True))
    assert queued == {unpublished.pk, retry.pk}
