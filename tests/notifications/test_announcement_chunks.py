"""A large announcement is written in chunks, one transaction each: its page shows the count
from the first chunk on, and a run that dies half-way is resumed without a duplicate."""

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications import announcements
from notifications.models import Announcement, Message
from tests.factories import EventFactory, MembershipFactory
from ticketing.models import Registration

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    pass


def _announcement(count: int):
    event = EventFactory(capacity=None)
    now = timezone.now()
    Registration.objects.bulk_create(
        Registration(
            event=event,
            status=Registration.Status.CONFIRMED,
            name=f"Gast {n}",
            email=f"r{n:04d}@example.org",
            created_at=now,
            confirmed_at=now,
        )
        for n in range(count)
    )
    announcement = announcements.create_announcement(
        organisation=event.organisation,
        by=None,
        subject="Neue Zeiten",
        body_markdown="Einlass ab 9 Uhr.",
        events=[event],
        audiences=["visitors"],
    )
    announcements.schedule_announcement(announcement=announcement, send_at=None, now=now)
    return announcement


def test_a_run_killed_after_a_chunk_is_resumed_with_exactly_one_message_per_recipient(
    monkeypatch,
):
    monkeypatch.setattr(announcements, "CHUNK_SIZE", 40)
    announcement = _announcement(200)
    queued = []
    real_queue = announcements._queue_chunk

    def dies_in_the_third_chunk(ids):
        if len(queued) == 2:
            raise WorkerKilled
        queued.append(ids)
        real_queue(ids)

    monkeypatch.setattr(announcements, "_queue_chunk", dies_in_the_third_chunk)
    with pytest.raises(WorkerKilled):
        announcements.start_announcement(announcement_id=announcement.pk, now=timezone.now())
    announcement.refresh_from_db()
    # Two chunks committed, the third rolled back: sending, 80 written, cursor after them.
    assert announcement.state == Announcement.State.SENDING
    assert announcement.written_at is None
    assert announcement.recipient_count == 80 == Message.objects.count()
    assert announcement.written_through == "r0079@example.org"

    monkeypatch.setattr(announcements, "_queue_chunk", real_queue)
    # The beat's run picks up the announcement whose writing stopped.
    assert announcements.start_due_announcements(now=timezone.now()) == 1
    announcement.refresh_from_db()
    assert announcement.written_at is not None
    assert announcement.recipient_count == 200
    emails = list(Message.objects.values_list("to_email", flat=True))
    assert sorted(emails) == [f"r{n:04d}@example.org" for n in range(200)]
    # A third run finds nothing left to write.
    assert (
        announcements.start_announcement(announcement_id=announcement.pk, now=timezone.now()) == 0
    )
    assert Message.objects.count() == 200


def test_progress_shows_from_the_first_chunk_on(client, monkeypatch):
    monkeypatch.setattr(announcements, "CHUNK_SIZE", 30)
    announcement = _announcement(100)
    client.force_login(MembershipFactory(organisation=announcement.organisation).user)
    calls = []
    real_queue = announcements._queue_chunk

    def stops_in_the_second_chunk(ids):
        calls.append(ids)
        if len(calls) == 2:
            raise WorkerKilled
        real_queue(ids)

    monkeypatch.setattr(announcements, "_queue_chunk", stops_in_the_second_chunk)
    with pytest.raises(WorkerKilled):
        announcements.start_announcement(announcement_id=announcement.pk, now=timezone.now())
    url = reverse("notifications:announcement-progress", args=[announcement.pk])
    page = client.get(url).content.decode()
    assert "30" in page and "announcement-progress-bar" in page
    announcement.refresh_from_db()
    assert announcements.progress(announcement)["writing"]
