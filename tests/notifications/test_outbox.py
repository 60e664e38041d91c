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
